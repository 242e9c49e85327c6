"""Read submitted annotations of a project as comparable content (a fixed query count)."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from claims.content import AnnotationContent, AttributionContent, Span, SpeakerRef, StanceContent
from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    Project,
    Sentence,
    SpanRole,
    Stance,
)

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Rating:
    """One submitted annotation (an annotator's or gold): who made it, and what it says."""

    annotation_id: int
    sentence_id: int
    annotator_id: int
    annotator: str
    lead_time_ms: int
    content: AnnotationContent

    @property
    def claim(self) -> str:
        return self.content.claim

    @property
    def claim_types(self) -> frozenset[str]:
        return frozenset(self.content.claim_types)

    @property
    def stances(self) -> dict[int, str]:
        """Return target id -> stance label."""
        return self.content.stance_by_target

    @property
    def attributions(self) -> tuple[AttributionContent, ...]:
        return self.content.attributions


@dataclass
class ProjectRatings:
    """Submitted annotations by sentence: annotators' own (by username) and gold."""

    by_sentence: dict[int, dict[str, Rating]] = field(default_factory=dict)
    gold: dict[int, Rating] = field(default_factory=dict)

    def comparable(self) -> dict[int, dict[str, Rating]]:
        """Return the sentences with at least two annotators' ratings."""
        return {s: by_user for s, by_user in self.by_sentence.items() if len(by_user) >= 2}


def multi_rated_sentences(project: Project) -> QuerySet[Sentence]:
    """Return the project's sentences with at least two submitted annotator annotations."""
    submitted = Q(
        annotations__kind=AnnotationKind.ANNOTATOR,
        annotations__status=AnnotationStatus.SUBMITTED,
    )
    return (
        Sentence.objects.filter(project=project)
        .annotate(submitted=Count("annotations", filter=submitted))
        .filter(submitted__gte=2)
    )


def rated_in_chunks(project: Project, size: int = CHUNK_SIZE) -> Iterator[ProjectRatings]:
    """Yield the project's submitted annotations, `size` sentences at a time in id order.

    Memory holds one chunk, whatever the project's size: one query finds a chunk's sentences
    (walking the sentences from the last chunk's), three read its ratings.
    """
    submitted = Annotation.objects.submitted().filter(sentence=OuterRef("pk"))
    rated = Sentence.objects.filter(project=project).filter(Exists(submitted)).order_by("id")
    after = 0
    while True:
        ids = list(rated.filter(id__gt=after).values_list("id", flat=True)[:size])
        if not ids:
            return
        yield project_ratings(project, sentences=ids)
        if len(ids) < size:
            return
        after = ids[-1]


def project_ratings(
    project: Project, *, sentences: QuerySet[Sentence] | list[int] | None = None
) -> ProjectRatings:
    """Return every submitted annotation of the project (or of `sentences`: a queryset or
    ids) in three queries."""
    annotations = Annotation.objects.filter(sentence__project=project).submitted()
    if isinstance(sentences, list):
        annotations = annotations.filter(sentence_id__in=sentences)
    elif sentences is not None:
        annotations = annotations.filter(sentence__in=sentences.values("pk"))
    # The annotations first: rows of one submitted after this read are left for the next one.
    rows = list(
        annotations.order_by("id").values_list(
            "id", "sentence_id", "annotator_id", "annotator__username", "kind", "claim",
            "claim_types", "lead_time_ms",
        ).iterator(chunk_size=CHUNK_SIZE)
    )  # fmt: skip
    stances = stances_of(annotations)
    attributions = attributions_of(annotations)
    ratings = ProjectRatings()
    for pk, sentence_id, user_id, username, kind, claim, types, lead_time in rows:
        content = AnnotationContent(
            claim=claim,
            claim_types=tuple(types),
            attributions=tuple(attributions.get(pk, ())),
            stances=tuple(sorted(stances.get(pk, ()), key=lambda s: s.target_id)),
            status=AnnotationStatus.SUBMITTED,
            lead_time_ms=lead_time,
        )
        rating = Rating(pk, sentence_id, user_id, username, lead_time, content)
        if kind == AnnotationKind.GOLD:
            ratings.gold[sentence_id] = rating
        else:
            ratings.by_sentence.setdefault(sentence_id, {})[username] = rating
    return ratings


def stances_of(annotations: QuerySet[Annotation]) -> dict[int, list[StanceContent]]:
    rows = Stance.objects.filter(annotation__in=annotations.values("pk")).values_list(
        "annotation_id", "target_id", "label"
    )
    found = defaultdict(list)
    for annotation_id, target_id, label in rows.iterator(chunk_size=CHUNK_SIZE):
        found[annotation_id].append(StanceContent(target_id, label))
    return found


def attributions_of(annotations: QuerySet[Annotation]) -> dict[int, list[AttributionContent]]:
    offsets = [name for role in SpanRole for name in role.fields]
    rows = (
        Attribution.objects.filter(annotation__in=annotations.values("pk"))
        .order_by("annotation_id", "position")
        .values_list("annotation_id", "speaker_id", "quote_type", *offsets)
    )
    found = defaultdict(list)
    for annotation_id, speaker_id, quote_type, *ends in rows.iterator(chunk_size=CHUNK_SIZE):
        spans = {
            role.value: None if ends[2 * i] is None else Span(ends[2 * i], ends[2 * i + 1])
            for i, role in enumerate(SpanRole)
        }
        speaker = None if speaker_id is None else SpeakerRef(id=speaker_id)
        found[annotation_id].append(
            AttributionContent(speaker=speaker, quote_type=quote_type, **spans)
        )
    return found
