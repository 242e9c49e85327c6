"""An annotation's content from the database, and as the API and the history show it."""

from collections.abc import Mapping
from typing import Any

from claims.content.types import (
    AnnotationContent,
    AttributionContent,
    Span,
    SpeakerRef,
    StanceContent,
)
from claims.models import Annotation, Attribution, SpanRole


def content_of(annotation: Annotation) -> AnnotationContent:
    """Return a stored annotation's content (its attributions and stances prefetched)."""
    return AnnotationContent(
        claim=annotation.claim,
        claim_types=tuple(annotation.claim_types),
        attributions=tuple(attribution_content(a) for a in annotation.attributions.all()),
        stances=tuple(
            sorted(
                (StanceContent(s.target_id, s.label) for s in annotation.stances.all()),
                key=lambda s: s.target_id,
            )
        ),
        status=annotation.status,
        skip_reason=annotation.skip_reason,
        lead_time_ms=annotation.lead_time_ms,
    )


def attribution_content(attribution: Attribution) -> AttributionContent:
    """Return a stored attribution's content (with its speaker's name, if it was loaded)."""
    spans = {role.value: attribution.span(role) for role in SpanRole}
    speaker = None
    if attribution.speaker_id is not None:
        loaded = Attribution.speaker.is_cached(attribution) and attribution.speaker
        speaker = SpeakerRef(
            id=attribution.speaker_id,
            name=loaded.name if loaded else "",
            kind=loaded.kind if loaded else "",
        )
    return AttributionContent(
        speaker=speaker,
        quote_type=attribution.quote_type,
        suggested=attribution.suggested,
        **{role: span and Span(*span) for role, span in spans.items()},
    )


def span_record(text: str, span: tuple[int, int] | None) -> dict[str, Any] | None:
    return span and {"start": span[0], "end": span[1], "text": text[span[0] : span[1]]}


def annotation_record(
    annotation: Annotation,
    content: AnnotationContent | None = None,
    target_names: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """Return the annotation as the API shows it.

    Give the content just saved with the project's target names; else the stored content is
    rendered (the annotation's attributions with speakers and stances with targets prefetched).
    """
    if content is None:
        content = content_of(annotation)
        target_names = {s.target_id: s.target.name for s in annotation.stances.all()}
    text = annotation.sentence.text
    return {
        "id": annotation.id,
        "sentence": annotation.sentence_id,
        "annotator": annotation.annotator.username,
        "kind": annotation.kind,
        "status": annotation.status,
        "claim": annotation.claim or None,
        "claim_types": list(annotation.claim_types),
        "attributions": [attribution_record(a, text) for a in content.attributions],
        "stance": [
            {"target": target_names[s.target_id], "label": s.label} for s in content.stances
        ],
        "skip_reason": annotation.skip_reason,
        "lead_time_ms": annotation.lead_time_ms,
        "version": annotation.version,
        "created_at": annotation.created_at.isoformat(),
        "updated_at": annotation.updated_at.isoformat(),
    }


def attribution_record(attribution: AttributionContent, text: str) -> dict[str, Any]:
    speaker = attribution.speaker
    return {
        "speaker": speaker and {"id": speaker.id, "name": speaker.name, "kind": speaker.kind},
        **{role.value: span_record(text, attribution.span(role)) for role in SpanRole},
        "quote_type": attribution.quote_type or None,
        "suggested": attribution.suggested,
    }


def history_record(content: AnnotationContent) -> dict[str, Any]:
    """Return the content as the history stores it (speakers and targets by id)."""
    return {
        "status": content.status,
        "claim": content.claim,
        "claim_types": list(content.claim_types),
        "attributions": [
            {
                "speaker": a.speaker and a.speaker.id,
                **{role.value: a.span(role) and list(a.span(role)) for role in SpanRole},
                "quote_type": a.quote_type,
                "suggested": a.suggested,
            }
            for a in content.attributions
        ],
        "stance": [[s.target_id, s.label] for s in content.stances],
        "skip_reason": content.skip_reason,
        "lead_time_ms": content.lead_time_ms,
    }
