"""Save an annotation (an annotator's own, or gold) with optimistic locking and history.

A save carries the version the client read. Saving the content already stored is a no-op
(a retried request whose answer was lost); saving other content over a newer version raises
StaleVersion with what is stored now. The version check is part of the UPDATE itself, so two
concurrent saves of the same version cannot both win on any database.
"""

from dataclasses import dataclass, replace

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from claims.content import AnnotationContent, content_of, history_record
from claims.errors import InvalidInput
from claims.labeling.queue import queue_reopen
from claims.models import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    Attribution,
    Sentence,
    SpanRole,
    Stance,
)
from claims.models.annotation import DONE_STATUSES
from claims.models.article import QUEUE_KINDS
from claims.prepared import Insert
from claims.selectors import annotation_of
from claims.services.speakers import (
    MERGE_ACTION,
    abandoned_speakers_delete,
    made_speakers_own,
    speakers_held,
    speakers_resolve,
)
from claims.speakers.evidence import links_update

# Every save writes these rows: statements written once (claims.prepared). A concurrent save
# that created the same annotation first makes the insert a no-op, not an error to recover from.
ANNOTATION_INSERT = Insert(Annotation, ignore_conflicts=True)
EVENT_INSERT = Insert(AnnotationEvent)
ATTRIBUTION_INSERT = Insert(Attribution)
STANCE_INSERT = Insert(Stance)


class StaleVersion(Exception):
    """The annotation changed since the client read it."""

    def __init__(self, current: Annotation | None):
        super().__init__("the annotation was changed by another request")
        self.current = current


@dataclass(frozen=True)
class SaveResult:
    """The annotation as stored (its scalar fields) and its content, speakers resolved."""

    annotation: Annotation
    content: AnnotationContent
    changed: bool


def annotation_save(
    *,
    sentence: Sentence,
    user: AbstractBaseUser,
    content: AnnotationContent,
    version: int | None,
    kind: str = AnnotationKind.ANNOTATOR,
    based_on: Annotation | None = None,
    keep_lead_time: bool = False,
    actor: AbstractBaseUser | None = None,
) -> SaveResult:
    """Store the content as the user's annotation of the sentence (or as its gold);
    `keep_lead_time`: the stored time spent stays (the client did not count it); `actor`:
    who made the change, when not the annotation's owner (a reviewer importing labels)."""
    with transaction.atomic():
        # New speakers are created here; a stale save rolls them back with everything else.
        made: list[int] = []
        content = speakers_resolve(project_id=sentence.project_id, content=content, made=made)
        # Held before the annotation is read: a merge under way finishes first, and its new
        # version is the one read (and followed, see annotation_update).
        content = speakers_held(project_id=sentence.project_id, content=content)
        current = annotation_of(sentence_id=sentence.id, user_id=user.id, kind=kind)
        if keep_lead_time and current is not None:
            content = replace(content, lead_time_ms=current.lead_time_ms)
        before = current and content_of(current)
        if before == content:
            return SaveResult(current, before, changed=False)
        if current is None:
            annotation = annotation_create(sentence, user, content, version, kind, based_on)
        else:
            annotation = annotation_update(current, user, content, version, based_on)
            children_delete(annotation)
        children_create(annotation, content)
        made_speakers_own(annotation.pk, made)
        if before is not None:
            abandoned_speakers_delete(annotation_id=annotation.pk, before=before, after=content)
        links_update(
            project_id=sentence.project_id, before=before, after=content,
            sentence_text=sentence.text,
        )  # fmt: skip
        if before and before.status in DONE_STATUSES and content.status not in DONE_STATUSES:
            queue_reopen(sentence)  # the queue had passed it as done
        event = AnnotationEvent(
            annotation=annotation,
            sentence=sentence,
            actor=actor or user,
            action=event_action(kind, created=current is None),
            version=annotation.version,
            before=before and history_record(before),
            after=history_record(content),
        )
        EVENT_INSERT.insert(event)
    return SaveResult(annotation, content, changed=True)


def sentence_open_check(sentence: Sentence) -> None:
    """Raise InvalidInput if annotators are never asked to label the sentence.

    The queue never hands out datelines and boilerplate, so an annotator's label of one would
    count as submitted work that no progress figure ("done") ever counts. Gold (the reviewers'
    editor) and imported labels do not come this way.
    """
    if sentence.kind not in QUEUE_KINDS:
        raise InvalidInput(
            {
                "sentence": [
                    f"this sentence is a {sentence.kind} sentence: annotators do not label "
                    "datelines and boilerplate (the queue never hands them out)"
                ]
            }
        )


def event_action(kind: str, *, created: bool) -> str:
    if kind == AnnotationKind.GOLD:
        return "adjudicate"
    return "create" if created else "update"


def annotation_create(sentence, user, content, version, kind, based_on) -> Annotation:
    if version:
        raise StaleVersion(None)
    annotation = Annotation(
        sentence=sentence, annotator=user, kind=kind, based_on=based_on, **scalar_fields(content)
    )
    if not ANNOTATION_INSERT.insert(annotation):
        # A concurrent request created it first; the client must look at that one.
        raise StaleVersion(annotation_of(sentence_id=sentence.id, user_id=user.id, kind=kind))
    return annotation


def annotation_update(current, user, content, version, based_on) -> Annotation:
    """Write the new scalar fields if the stored version is still `version`, and return the
    annotation as it now is (without reading it again)."""
    fields = scalar_fields(content)
    if current.kind == AnnotationKind.GOLD:
        fields.update(annotator=user, based_on=based_on)
    fields.update(updated_at=timezone.now())
    updated = Annotation.objects.filter(pk=current.pk, version=version).update(
        **fields, version=F("version") + 1
    )
    if not updated and (newer := merged_since(current, version)) is not None:
        # Only speaker merges changed it since the client read it: the client's labels stand
        # (their merged speakers were resolved to the kept ones).
        version = newer
        updated = Annotation.objects.filter(pk=current.pk, version=version).update(
            **fields, version=F("version") + 1
        )
    if not updated:
        raise StaleVersion(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version = version + 1
    return current


def merged_since(annotation: Annotation, version: int | None) -> int | None:
    """Return the annotation's version now if speaker merges are all that changed it since
    `version`, else None."""
    if version is None:
        return None
    later = list(
        AnnotationEvent.objects.filter(annotation_id=annotation.pk, version__gt=version)
        .order_by("version")
        .values_list("action", "version")
    )
    if not later or any(action != MERGE_ACTION for action, _ in later):
        return None
    return later[-1][1]


def scalar_fields(content: AnnotationContent) -> dict:
    return {
        "claim": content.claim,
        "claim_types": list(content.claim_types),
        "status": content.status,
        "skip_reason": content.skip_reason,
        "lead_time_ms": content.lead_time_ms,
    }


def children_delete(annotation: Annotation) -> None:
    annotation.attributions.all().delete()
    annotation.stances.all().delete()


def children_create(annotation: Annotation, content: AnnotationContent) -> None:
    attributions, stances = children_of(annotation, content)
    ATTRIBUTION_INSERT.insert_all(attributions)
    STANCE_INSERT.insert_all(stances)


def children_of(
    annotation: Annotation, content: AnnotationContent
) -> tuple[list[Attribution], list[Stance]]:
    """Return the attribution and stance rows of the content, unsaved."""
    attributions = []
    for position, a in enumerate(content.attributions):
        row = Attribution(
            annotation=annotation,
            position=position,
            speaker_id=a.speaker and a.speaker.id,
            quote_type=a.quote_type,
            suggested=a.suggested,
        )
        for role in SpanRole:
            row.set_span(role, a.span(role))
        attributions.append(row)
    stances = [
        Stance(annotation=annotation, target_id=s.target_id, label=s.label) for s in content.stances
    ]
    return attributions, stances
