"""Parse and check an annotation as clients send it (the JSONL export's annotation shape).

Errors are collected into a nested dict shaped like Django REST framework's, e.g.
{"attributions": [{}, {"source": {"end": ["must be <= 57 (sentence length)"]}}]},
so every client sees which field of which item is wrong.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from claims.models import AnnotationStatus, QuoteType, SpeakerKind

SPAN_ROLES = ("source", "cue", "content")
CLAIM_VALUES_WITH_TYPES = ("claim", "checkworthy")
MAX_ATTRIBUTIONS = 50
MAX_SKIP_REASON = 500
MAX_LEAD_TIME_MS = 2**31 - 1


class PayloadError(ValueError):
    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class LabelContext:
    """The project's allowed values, looked up once per request."""

    claims: frozenset[str]
    claim_types: frozenset[str]
    stances: frozenset[str]
    target_ids: Mapping[str, int]  # target name -> id

    def target_id(self, ref: Any) -> int | None:
        if isinstance(ref, str):
            return self.target_ids.get(ref)
        if isinstance(ref, int) and not isinstance(ref, bool) and ref in self.target_ids.values():
            return ref
        return None


@dataclass(frozen=True)
class SpanInput:
    start: int
    end: int


@dataclass(frozen=True)
class SpeakerRef:
    """A speaker by id, or by name (an existing name or alias, or a new speaker of `kind`)."""

    id: int | None = None
    name: str = ""
    kind: str = ""


@dataclass(frozen=True)
class AttributionInput:
    speaker: SpeakerRef | None
    source: SpanInput | None
    cue: SpanInput | None
    content: SpanInput | None
    quote_type: str
    suggested: bool


@dataclass(frozen=True)
class StanceInput:
    target_id: int
    label: str


@dataclass(frozen=True)
class AnnotationInput:
    claim: str
    claim_types: tuple[str, ...]
    attributions: tuple[AttributionInput, ...]
    stances: tuple[StanceInput, ...]
    status: str
    skip_reason: str
    lead_time_ms: int


def parse_annotation(data: Any, *, sentence_text: str, labels: LabelContext) -> AnnotationInput:
    """Return the checked annotation, or raise PayloadError naming every bad field."""
    if not isinstance(data, Mapping):
        raise PayloadError({"non_field_errors": ["expected a JSON object"]})
    errors: dict[str, Any] = {}
    status = choice(
        data.get("status", AnnotationStatus.DRAFT), AnnotationStatus.values, "status", errors
    )
    claim = data.get("claim") or ""
    if claim and claim not in labels.claims:
        errors["claim"] = [
            f"unknown claim label {claim!r}; expected one of {sorted(labels.claims)}"
        ]
    elif not claim and status == AnnotationStatus.SUBMITTED:
        errors["claim"] = ["required when status is 'submitted'"]
    annotation = AnnotationInput(
        claim=claim if isinstance(claim, str) else "",
        claim_types=parse_claim_types(data.get("claim_types") or [], claim, labels, errors),
        attributions=parse_list(
            data.get("attributions") or [], "attributions", errors, sentence_text, parse_attribution
        ),
        stances=parse_stances(data.get("stance") or [], labels, errors),
        status=status,
        skip_reason=parse_text(
            data.get("skip_reason") or "", "skip_reason", MAX_SKIP_REASON, errors
        ),
        lead_time_ms=parse_lead_time(data.get("lead_time_ms", 0), errors),
    )
    if errors:
        raise PayloadError(errors)
    return annotation


def choice(value: Any, allowed: list[str], name: str, errors: dict) -> str:
    if value not in allowed:
        errors[name] = [f"{value!r} is not one of {allowed}"]
        return ""
    return value


def parse_text(value: Any, name: str, limit: int, errors: dict) -> str:
    if not isinstance(value, str) or len(value) > limit:
        errors[name] = [f"must be a string of at most {limit} characters"]
        return ""
    return value


def parse_lead_time(value: Any, errors: dict) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LEAD_TIME_MS:
        errors["lead_time_ms"] = [f"must be an integer from 0 to {MAX_LEAD_TIME_MS}"]
        return 0
    return value


def parse_claim_types(
    value: Any, claim: Any, labels: LabelContext, errors: dict
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors["claim_types"] = ["must be a list of claim type values"]
        return ()
    unknown = sorted(set(value) - labels.claim_types)
    if unknown:
        errors["claim_types"] = [
            f"unknown claim types {unknown}; expected some of {sorted(labels.claim_types)}"
        ]
    elif value and claim not in CLAIM_VALUES_WITH_TYPES:
        errors["claim_types"] = ["only a claim or a check-worthy claim has claim types"]
    return tuple(sorted(set(value)))


def parse_list(value: Any, name: str, errors: dict, sentence_text: str, parse_item) -> tuple:
    if not isinstance(value, list) or len(value) > MAX_ATTRIBUTIONS:
        errors[name] = [f"must be a list of at most {MAX_ATTRIBUTIONS} objects"]
        return ()
    parsed, item_errors = [], []
    for item in value:
        problems: dict[str, Any] = {}
        parsed.append(parse_item(item, sentence_text, problems))
        item_errors.append(problems)
    if any(item_errors):
        errors[name] = item_errors
    return tuple(parsed)


def parse_attribution(item: Any, sentence_text: str, errors: dict) -> AttributionInput | None:
    if not isinstance(item, Mapping):
        errors["non_field_errors"] = ["expected a JSON object"]
        return None
    spans = {role: parse_span(item.get(role), role, sentence_text, errors) for role in SPAN_ROLES}
    quote_type = item.get("quote_type") or ""
    if quote_type and quote_type not in QuoteType.values:
        errors["quote_type"] = [f"{quote_type!r} is not one of {QuoteType.values}"]
    suggested = item.get("suggested", False)
    if not isinstance(suggested, bool):
        errors["suggested"] = ["must be true or false"]
    speaker = parse_speaker(item.get("speaker"), errors)
    if speaker is None and not any(spans.values()) and not errors:
        errors.setdefault("non_field_errors", ["an attribution needs a speaker or a span"])
    return AttributionInput(
        speaker=speaker, quote_type=quote_type, suggested=suggested is True, **spans
    )


def parse_span(value: Any, role: str, sentence_text: str, errors: dict) -> SpanInput | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors[role] = {"non_field_errors": ["expected an object with start and end"]}
        return None
    problems: dict[str, list[str]] = {}
    length = len(sentence_text)
    start, end = value.get("start"), value.get("end")
    for name, offset in (("start", start), ("end", end)):
        if not isinstance(offset, int) or isinstance(offset, bool):
            problems[name] = ["must be an integer"]
        elif not 0 <= offset <= length:
            problems[name] = [f"must be >= 0 and <= {length} (sentence length)"]
    if not problems and start >= end:
        problems["end"] = [f"must be greater than start ({start})"]
    if not problems and "text" in value and value["text"] != sentence_text[start:end]:
        problems["text"] = [
            f"does not match the sentence at [{start}:{end}]: {sentence_text[start:end]!r}"
        ]
    if problems:
        errors[role] = problems
        return None
    return SpanInput(start, end)


def parse_speaker(value: Any, errors: dict) -> SpeakerRef | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors["speaker"] = {
            "non_field_errors": ['expected {"id": ...} or {"name": ..., "kind": ...}']
        }
        return None
    if value.get("id") is not None:
        if not isinstance(value["id"], int) or isinstance(value["id"], bool):
            errors["speaker"] = {"id": ["must be an integer"]}
            return None
        return SpeakerRef(id=value["id"])
    name, kind = value.get("name"), value.get("kind") or ""
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors["speaker"] = {"name": ["required (1 to 200 characters) when no id is given"]}
        return None
    if kind and kind not in SpeakerKind.values:
        errors["speaker"] = {"kind": [f"{kind!r} is not one of {SpeakerKind.values}"]}
        return None
    return SpeakerRef(name=" ".join(name.split()), kind=kind)


def parse_stances(value: Any, labels: LabelContext, errors: dict) -> tuple[StanceInput, ...]:
    if not isinstance(value, list):
        errors["stance"] = ["must be a list of {target, label} objects"]
        return ()
    parsed, item_errors, seen = [], [], set()
    for item in value:
        problems: dict[str, list[str]] = {}
        item_errors.append(problems)
        if not isinstance(item, Mapping):
            problems["non_field_errors"] = ["expected a JSON object"]
            continue
        target_id = labels.target_id(item.get("target"))
        label = item.get("label")
        if target_id is None:
            known = sorted(labels.target_ids)
            problems["target"] = [f"unknown target {item.get('target')!r}; expected one of {known}"]
        elif target_id in seen:
            problems["target"] = ["given twice"]
        if label not in labels.stances:
            problems["label"] = [
                f"unknown stance label {label!r}; expected one of {sorted(labels.stances)}"
            ]
        if not problems:
            seen.add(target_id)
            parsed.append(StanceInput(target_id, label))
    if any(item_errors):
        errors["stance"] = item_errors
    return tuple(sorted(parsed, key=lambda s: s.target_id))
