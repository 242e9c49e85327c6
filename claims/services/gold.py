"""Adjudication: make a sentence's gold annotation through annotation_save (or, for many
unanimous sentences at once, the same rows and history written in bulk).

Gold is the sentence's Annotation of kind "gold": its annotator is the reviewer who last
adjudicated it, `based_on` the annotator's annotation it was copied from (None for a gold
edited by hand), and every change is an AnnotationEvent ("adjudicate") with before and after.
Gold is always submitted; its lead time is 0 because the reviewer's time is not measured.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims.access import may_review
from claims.content import AnnotationContent, content_of, history_record
from claims.models import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    Project,
    QueueSize,
    Sentence,
    Stance,
)
from claims.quality.gather import CHUNK_SIZE, ProjectRatings, project_ratings, rated_in_chunks
from claims.selectors import annotations_with_details
from claims.services.annotations import (
    SaveResult,
    StaleVersion,
    annotation_save,
    children_of,
    event_action,
    scalar_fields,
)


@dataclass(frozen=True)
class UnanimousResult:
    created: int
    stale: int


def gold_content(content: AnnotationContent) -> AnnotationContent:
    """Return the content as gold stores it: submitted, no skip reason, no lead time."""
    return replace(content, status=AnnotationStatus.SUBMITTED, skip_reason="", lead_time_ms=0)


def check_reviewer(reviewer: AbstractBaseUser, sentence: Sentence) -> None:
    if not may_review(reviewer, sentence.project):
        raise PermissionDenied("Only a reviewer of this project can adjudicate its sentences.")


@transaction.atomic
def gold_adopt(
    *, annotation: Annotation, reviewer: AbstractBaseUser, version: int | None
) -> SaveResult:
    """Make a copy of an annotator's submitted annotation the sentence's gold.

    `version` is the gold version the reviewer saw (None when there was no gold): if another
    reviewer changed gold since, StaleVersion is raised and nothing changes.
    """
    sentence = annotation.sentence
    check_reviewer(reviewer, sentence)
    if annotation.kind != AnnotationKind.ANNOTATOR or annotation.status != (
        AnnotationStatus.SUBMITTED
    ):
        raise ValidationError("Only an annotator's submitted annotation can become gold.")
    source = annotations_with_details(Annotation.objects.filter(pk=annotation.pk)).get()
    return annotation_save(
        sentence=sentence,
        user=reviewer,
        content=gold_content(content_of(source)),
        version=version,
        kind=AnnotationKind.GOLD,
        based_on=source,
    )


@transaction.atomic
def gold_save(
    *,
    sentence: Sentence,
    reviewer: AbstractBaseUser,
    content: AnnotationContent,
    version: int | None,
    based_on: Annotation | None = None,
) -> SaveResult:
    """Store edited content as the sentence's gold (`based_on`: the annotation it started from)."""
    check_reviewer(reviewer, sentence)
    if based_on is not None and (
        based_on.sentence_id != sentence.id or based_on.kind != AnnotationKind.ANNOTATOR
    ):
        raise ValidationError("Gold can only be based on an annotation of the same sentence.")
    saved = annotation_save(
        sentence=sentence,
        user=reviewer,
        content=gold_content(content),
        version=version,
        kind=AnnotationKind.GOLD,
        based_on=based_on,
    )
    if saved.changed and saved.annotation.version == 1:
        QueueSize.forget(sentence.project_id)  # a new gold may take a sentence off the queue
    return saved


UNANIMOUS_CHUNK = 500


def gold_from_unanimous(
    *,
    project: Project,
    reviewer: AbstractBaseUser,
    sentences: Iterable[Sentence | int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> UnanimousResult:
    """Make gold for every unanimous sentence of the project (or of `sentences`) lacking it.

    The sentences are read a chunk at a time (memory stays flat) and each chunk's gold is
    written in one transaction, after looking again inside it: a sentence that an annotator
    revised or a reviewer adjudicated meanwhile is left alone (counted as stale), and one
    adjudicated at the very moment sends the chunk through one sentence at a time.
    `progress(done, total)` is told after each chunk.
    """
    if not may_review(reviewer, project):
        raise PermissionDenied("Only a reviewer of this project can adjudicate its sentences.")
    candidates = unanimous_candidates(project, sentences)
    created = 0
    for start in range(0, len(candidates), UNANIMOUS_CHUNK):
        chunk = candidates[start : start + UNANIMOUS_CHUNK]
        try:
            created += gold_chunk(project, reviewer, chunk)
        except IntegrityError:
            created += sum(gold_one(project, reviewer, sentence_id) for sentence_id in chunk)
        if progress:
            progress(start + len(chunk), len(candidates))
    return UnanimousResult(created=created, stale=len(candidates) - created)


def unanimous_candidates(project: Project, sentences=None) -> list[int]:
    """Return the ids of the unanimous sentences without gold, reading a chunk at a time."""
    if sentences is None:
        chunks = rated_in_chunks(project)
    else:
        ids = sorted({getattr(s, "pk", s) for s in sentences})
        chunks = (
            project_ratings(project, sentences=ids[i : i + CHUNK_SIZE])
            for i in range(0, len(ids), CHUNK_SIZE)
        )
    return [sentence_id for chunk in chunks for sentence_id in unanimous_in(project, chunk)]


def unanimous_in(project: Project, ratings: ProjectRatings) -> dict[int, int]:
    """Return sentence id -> its first annotation id, for the ratings' unanimous sentences
    without gold (at least two submitted, at least as many as the project wants)."""
    wanted = max(2, project.annotations_per_sentence)
    found = {}
    for sentence_id, by_user in ratings.by_sentence.items():
        values = sorted(by_user.values(), key=lambda r: r.annotation_id)
        if sentence_id in ratings.gold or len(values) < wanted:
            continue
        if all(values[0].content.same_labels(other.content) for other in values[1:]):
            found[sentence_id] = values[0].annotation_id
    return found


@transaction.atomic
def gold_chunk(project: Project, reviewer, sentence_ids: list[int]) -> int:
    """Copy each still-unanimous sentence's first annotation as its gold; return how many."""
    found = unanimous_in(project, project_ratings(project, sentences=sentence_ids))
    sources = annotations_with_details(Annotation.objects.filter(pk__in=found.values()))
    golds, contents = [], []
    for source in sources:
        content = gold_content(content_of(source))
        golds.append(
            Annotation(
                sentence_id=source.sentence_id, annotator=reviewer, kind=AnnotationKind.GOLD,
                based_on=source, **scalar_fields(content),
            )
        )  # fmt: skip
        contents.append(content)
    Annotation.objects.bulk_create(golds)
    attributions, stances, events = [], [], []
    for gold, content in zip(golds, contents, strict=True):
        rows = children_of(gold, content)
        attributions += rows[0]
        stances += rows[1]
        events.append(
            AnnotationEvent(
                annotation=gold, sentence_id=gold.sentence_id, actor=reviewer,
                action=event_action(AnnotationKind.GOLD, created=True), version=1,
                before=None, after=history_record(content),
            )
        )  # fmt: skip
    Attribution.objects.bulk_create(attributions)
    Stance.objects.bulk_create(stances)
    AnnotationEvent.objects.bulk_create(events)
    return len(golds)


def gold_one(project: Project, reviewer, sentence_id: int) -> int:
    """Make one sentence's gold if it is still unanimous and without gold; return 1 or 0."""
    try:
        with transaction.atomic():
            found = unanimous_in(project, project_ratings(project, sentences=[sentence_id]))
            if sentence_id not in found:
                return 0
            annotation = Annotation.objects.select_related("sentence__project").get(
                pk=found[sentence_id]
            )
            gold_adopt(annotation=annotation, reviewer=reviewer, version=None)
            return 1
    except (StaleVersion, ValidationError, IntegrityError):
        return 0
