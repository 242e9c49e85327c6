"""Save an annotation (an annotator's own, or gold) with optimistic locking and history.

A save carries the version the client read. Saving the content already stored is a no-op
(a retried request whose answer was lost); saving other content over a newer version raises
StaleVersion with what is stored now. The version check is part of the UPDATE itself, so two
concurrent saves of the same version cannot both win on any database.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    Attribution,
    Sentence,
    Stance,
)
from claims.payloads import AnnotationInput, AttributionInput, SpanInput, SpeakerRef, StanceInput
from claims.records import content_record
from claims.selectors import annotation_of
from claims.services.speakers import speakers_resolve


class StaleVersion(Exception):
    """The annotation changed since the client read it."""

    def __init__(self, current: Annotation | None):
        super().__init__("the annotation was changed by another request")
        self.current = current


@dataclass(frozen=True)
class SaveResult:
    annotation: Annotation
    changed: bool


def annotation_save(
    *,
    sentence: Sentence,
    user: AbstractBaseUser,
    content: AnnotationInput,
    version: int | None,
    kind: str = AnnotationKind.ANNOTATOR,
    based_on: Annotation | None = None,
) -> SaveResult:
    """Store the content as the user's annotation of the sentence (or as its gold)."""
    with transaction.atomic():
        current = annotation_of(sentence_id=sentence.id, user_id=user.id, kind=kind)
        content = speakers_resolve(project_id=sentence.project_id, content=content, create=False)
        before = current and content_of(current)
        if before == content:
            return SaveResult(current, changed=False)
        if any(a.speaker and a.speaker.id is None for a in content.attributions):
            content = speakers_resolve(project_id=sentence.project_id, content=content, create=True)
        if current is None:
            annotation = annotation_create(sentence, user, content, version, kind, based_on)
        else:
            annotation = annotation_update(current, user, content, version, based_on)
            children_delete(annotation)
        children_create(annotation, content)
        AnnotationEvent.objects.create(
            annotation=annotation,
            sentence=sentence,
            actor=user,
            action=event_action(kind, created=current is None),
            version=annotation.version,
            before=before and content_record(before),
            after=content_record(content),
        )
    return SaveResult(annotation_of(sentence_id=sentence.id, user_id=user.id, kind=kind), True)


def event_action(kind: str, *, created: bool) -> str:
    if kind == AnnotationKind.GOLD:
        return "adjudicate"
    return "create" if created else "update"


def annotation_create(sentence, user, content, version, kind, based_on) -> Annotation:
    if version:
        raise StaleVersion(None)
    try:
        with transaction.atomic():
            return Annotation.objects.create(
                sentence=sentence, annotator=user, kind=kind, based_on=based_on,
                **scalar_fields(content),
            )  # fmt: skip
    except IntegrityError:
        # A concurrent request created it first; the client must look at that one.
        raise StaleVersion(
            annotation_of(sentence_id=sentence.id, user_id=user.id, kind=kind)
        ) from None


def annotation_update(current, user, content, version, based_on) -> Annotation:
    fields = scalar_fields(content)
    if current.kind == AnnotationKind.GOLD:
        fields.update(annotator=user, based_on=based_on)
    updated = Annotation.objects.filter(pk=current.pk, version=version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleVersion(current)
    current.version = version + 1  # what the UPDATE wrote; the caller re-reads the rest
    return current


def scalar_fields(content: AnnotationInput) -> dict:
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


def children_create(annotation: Annotation, content: AnnotationInput) -> None:
    Attribution.objects.bulk_create(
        Attribution(
            annotation=annotation,
            position=position,
            speaker_id=a.speaker and a.speaker.id,
            quote_type=a.quote_type,
            suggested=a.suggested,
            **span_fields(a),
        )
        for position, a in enumerate(content.attributions)
    )
    Stance.objects.bulk_create(
        Stance(annotation=annotation, target_id=s.target_id, label=s.label) for s in content.stances
    )


def span_fields(attribution: AttributionInput) -> dict:
    fields = {}
    for role in ("source", "cue", "content"):
        span = getattr(attribution, role)
        fields[f"{role}_start"] = span and span.start
        fields[f"{role}_end"] = span and span.end
    return fields


def content_of(annotation: Annotation) -> AnnotationInput:
    """Return the stored annotation as the input that would store it again."""

    def span(attribution: Attribution, role: str) -> SpanInput | None:
        start = getattr(attribution, f"{role}_start")
        return None if start is None else SpanInput(start, getattr(attribution, f"{role}_end"))

    return AnnotationInput(
        claim=annotation.claim,
        claim_types=tuple(annotation.claim_types),
        attributions=tuple(
            AttributionInput(
                speaker=a.speaker_id and SpeakerRef(id=a.speaker_id),
                source=span(a, "source"),
                cue=span(a, "cue"),
                content=span(a, "content"),
                quote_type=a.quote_type,
                suggested=a.suggested,
            )
            for a in annotation.attributions.all()
        ),
        stances=tuple(
            sorted(
                (StanceInput(s.target_id, s.label) for s in annotation.stances.all()),
                key=lambda s: s.target_id,
            )
        ),
        status=annotation.status,
        skip_reason=annotation.skip_reason,
        lead_time_ms=annotation.lead_time_ms,
    )
