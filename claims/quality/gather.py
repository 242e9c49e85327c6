"""Read submitted annotations of a project as plain, comparable values (a fixed query count)."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    Project,
    Sentence,
    Stance,
)

CHUNK_SIZE = 2000
Span = tuple[int, int]


@dataclass(frozen=True)
class AttributionFacts:
    """One attribution reduced to what annotators can disagree on (the suggested flag is not)."""

    speaker_id: int | None
    source: Span | None
    cue: Span | None
    content: Span | None
    quote_type: str


@dataclass
class Rating:
    """One submitted annotation (an annotator's or gold) as comparable values."""

    annotation_id: int
    sentence_id: int
    annotator_id: int
    annotator: str
    claim: str
    claim_types: frozenset[str]
    lead_time_ms: int
    stances: dict[int, str] = field(default_factory=dict)  # target id -> label
    attributions: list[AttributionFacts] = field(default_factory=list)

    def same_content(self, other: "Rating") -> bool:
        """Return True when both carry the same labels, spans, speakers and stances."""
        return (
            self.claim == other.claim
            and self.claim_types == other.claim_types
            and self.stances == other.stances
            and Counter(self.attributions) == Counter(other.attributions)
        )


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


def project_ratings(
    project: Project, *, sentences: QuerySet[Sentence] | None = None
) -> ProjectRatings:
    """Return every submitted annotation of the project (or of `sentences`) in three queries."""
    annotations = Annotation.objects.filter(
        sentence__project=project, status=AnnotationStatus.SUBMITTED
    )
    if sentences is not None:
        annotations = annotations.filter(sentence__in=sentences.values("pk"))
    ratings = ProjectRatings()
    by_id: dict[int, Rating] = {}
    rows = annotations.order_by("id").values_list(
        "id", "sentence_id", "annotator_id", "annotator__username", "kind", "claim",
        "claim_types", "lead_time_ms",
    )  # fmt: skip
    for pk, sentence_id, user_id, username, kind, claim, claim_types, lead_time in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        rating = Rating(
            pk, sentence_id, user_id, username, claim, frozenset(claim_types), lead_time
        )
        by_id[pk] = rating
        if kind == AnnotationKind.GOLD:
            ratings.gold[sentence_id] = rating
        else:
            ratings.by_sentence.setdefault(sentence_id, {})[username] = rating
    stances = Stance.objects.filter(annotation__in=annotations.values("pk"))
    for annotation_id, target_id, label in stances.values_list(
        "annotation_id", "target_id", "label"
    ).iterator(chunk_size=CHUNK_SIZE):
        # A row of an annotation submitted after the first query is left for the next report.
        if annotation_id in by_id:
            by_id[annotation_id].stances[target_id] = label
    attributions = Attribution.objects.filter(annotation__in=annotations.values("pk"))
    for row in (
        attributions.order_by("annotation_id", "position")
        .values_list(
            "annotation_id",
            "speaker_id",
            "source_start",
            "source_end",
            "cue_start",
            "cue_end",
            "content_start",
            "content_end",
            "quote_type",
        )  # fmt: skip
        .iterator(chunk_size=CHUNK_SIZE)
    ):
        annotation_id, speaker_id, *offsets, quote_type = row
        if annotation_id not in by_id:
            continue
        by_id[annotation_id].attributions.append(
            AttributionFacts(
                speaker_id=speaker_id,
                source=span(offsets[0], offsets[1]),
                cue=span(offsets[2], offsets[3]),
                content=span(offsets[4], offsets[5]),
                quote_type=quote_type,
            )
        )
    return ratings


def span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)
