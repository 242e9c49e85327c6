"""Render annotations as plain dicts: the shape of the API and of the JSONL export."""

from typing import Any

from claims.models import Annotation, Attribution
from claims.payloads import SPAN_ROLES, AnnotationInput


def span_record(text: str, start: int | None, end: int | None) -> dict[str, Any] | None:
    if start is None or end is None:
        return None
    return {"start": start, "end": end, "text": text[start:end]}


def attribution_record(attribution: Attribution, text: str) -> dict[str, Any]:
    speaker = attribution.speaker
    record: dict[str, Any] = {
        "speaker": speaker and {"id": speaker.id, "name": speaker.name, "kind": speaker.kind}
    }
    for role in SPAN_ROLES:
        start, end = getattr(attribution, f"{role}_start"), getattr(attribution, f"{role}_end")
        record[role] = span_record(text, start, end)
    record["quote_type"] = attribution.quote_type or None
    record["suggested"] = attribution.suggested
    return record


def annotation_record(annotation: Annotation) -> dict[str, Any]:
    """Return the annotation as the API shows it (its details must be prefetched)."""
    text = annotation.sentence.text
    return {
        "id": annotation.id,
        "sentence": annotation.sentence_id,
        "annotator": annotation.annotator.username,
        "kind": annotation.kind,
        "status": annotation.status,
        "claim": annotation.claim or None,
        "claim_types": list(annotation.claim_types),
        "attributions": [attribution_record(a, text) for a in annotation.attributions.all()],
        "stance": [{"target": s.target.name, "label": s.label} for s in annotation.stances.all()],
        "skip_reason": annotation.skip_reason,
        "lead_time_ms": annotation.lead_time_ms,
        "version": annotation.version,
        "created_at": annotation.created_at.isoformat(),
        "updated_at": annotation.updated_at.isoformat(),
    }


def content_record(content: AnnotationInput) -> dict[str, Any]:
    """Return the content of an annotation as history stores it (speakers by id)."""

    def span(value):
        return value and [value.start, value.end]

    return {
        "status": content.status,
        "claim": content.claim,
        "claim_types": list(content.claim_types),
        "attributions": [
            {
                "speaker": a.speaker and a.speaker.id,
                **{role: span(getattr(a, role)) for role in SPAN_ROLES},
                "quote_type": a.quote_type,
                "suggested": a.suggested,
            }
            for a in content.attributions
        ],
        "stance": [[s.target_id, s.label] for s in content.stances],
        "skip_reason": content.skip_reason,
        "lead_time_ms": content.lead_time_ms,
    }
