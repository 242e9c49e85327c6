"""Adjudication: make a sentence's gold annotation, always through annotation_save.

Gold is the sentence's Annotation of kind "gold": its annotator is the reviewer who last
adjudicated it, `based_on` the annotator's annotation it was copied from (None for a gold
edited by hand), and every change is an AnnotationEvent ("adjudicate") with before and after.
Gold is always submitted; its lead time is 0 because the reviewer's time is not measured.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from claims.access import may_review
from claims.content import AnnotationContent, content_of
from claims.models import Annotation, AnnotationKind, AnnotationStatus, Project, Sentence
from claims.quality.gather import multi_rated_sentences, project_ratings
from claims.selectors import annotations_with_details
from claims.services.annotations import SaveResult, StaleVersion, annotation_save


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
    return annotation_save(
        sentence=sentence,
        user=reviewer,
        content=gold_content(content),
        version=version,
        kind=AnnotationKind.GOLD,
        based_on=based_on,
    )


def unanimous_annotation_ids(
    project: Project, sentences: Iterable[Sentence | int] | None = None
) -> dict[int, int]:
    """Return sentence id -> the first annotation id, for unanimous sentences without gold.

    Unanimous: at least two submitted annotator annotations, at least as many as the project
    wants per sentence, all with the same labels, spans, speakers and stances. Skipped and
    draft annotations do not count either way.
    """
    candidates = multi_rated_sentences(project)
    if sentences is not None:
        candidates = candidates.filter(pk__in=[getattr(s, "pk", s) for s in sentences])
    ratings = project_ratings(project, sentences=candidates)
    wanted = max(2, project.annotations_per_sentence)
    found = {}
    for sentence_id, by_user in ratings.by_sentence.items():
        values = sorted(by_user.values(), key=lambda r: r.annotation_id)
        if sentence_id in ratings.gold or len(values) < wanted:
            continue
        if all(values[0].content.same_labels(other.content) for other in values[1:]):
            found[sentence_id] = values[0].annotation_id
    return found


def gold_from_unanimous(
    *,
    project: Project,
    reviewer: AbstractBaseUser,
    sentences: Iterable[Sentence | int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> UnanimousResult:
    """Make gold for every unanimous sentence of the project (or of `sentences`) lacking it.

    Each sentence is its own transaction, so one that another reviewer adjudicated meanwhile
    (counted as stale) does not undo the others. `progress(done, total)` is told after each.
    """
    if not may_review(reviewer, project):
        raise PermissionDenied("Only a reviewer of this project can adjudicate its sentences.")
    created = stale = 0
    candidates = list(unanimous_annotation_ids(project, sentences))
    for done, sentence_id in enumerate(candidates, start=1):
        try:
            with transaction.atomic():
                # Look again inside the transaction: an annotator may have revised meanwhile.
                annotation_id = unanimous_annotation_ids(project, [sentence_id]).get(sentence_id)
                if annotation_id is None:
                    raise StaleVersion(None)
                annotation = Annotation.objects.select_related("sentence__project").get(
                    pk=annotation_id
                )
                gold_adopt(annotation=annotation, reviewer=reviewer, version=None)
            created += 1
        except (StaleVersion, ValidationError):
            stale += 1
        if progress:
            progress(done, len(candidates))
    return UnanimousResult(created=created, stale=stale)
