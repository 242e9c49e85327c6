"""Read an annotation's content from JSON: its shape, then its fit to the sentence and labels.

Both steps raise InvalidInput naming every bad field, shaped like the JSON, e.g.
{"attributions": [{}, {"source": {"end": ["must be >= 0 and <= 57 (sentence length)"]}}]}.
`content_check` is also what a form that builds the content itself (the admin's gold) uses.
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from claims.content.types import (
    AnnotationContent,
    AttributionContent,
    Span,
    SpeakerRef,
    StanceContent,
)
from claims.content.values import overlapping_parts, quote_type_problem, speaker_problems
from claims.errors import InvalidInput
from claims.labels import ProjectLabels
from claims.models import AnnotationStatus, SpanRole

MAX_ATTRIBUTIONS = 50
# The fields a client may send, at each level. A PUT replaces the whole annotation, so a
# misspelt field ("stances", "claim_type") dropped in silence would erase what it was meant to
# set: any other name is refused. The read-only fields of an annotation record may come back
# with it (a client sending what it read) and are ignored.
FIELDS = (
    "version", "status", "claim", "claim_types", "attributions", "stance", "skip_reason",
    "lead_time_ms",
)  # fmt: skip
RECORD_ONLY = ("id", "sentence", "annotator", "kind", "created_at", "updated_at")
ATTRIBUTION_FIELDS = ("speaker", "source", "cue", "content", "quote_type", "suggested")
SPAN_FIELDS = ("start", "end", "text")
SPEAKER_FIELDS = ("id", "name", "kind")
STANCE_FIELDS = ("target", "label")
MAX_SKIP_REASON = 500
MAX_LEAD_TIME_MS = 2**31 - 1


def content_from_json(data: Any, *, sentence_text: str, labels: ProjectLabels) -> AnnotationContent:
    """Return the content a JSON object describes, checked; else raise InvalidInput."""
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": ["expected a JSON object"]})
    errors: dict[str, Any] = unknown_fields(data, FIELDS, ignored=RECORD_ONLY)
    texts: dict[tuple[int, str], Any] = {}  # (attribution, role) -> the text the client sent
    status = data.get("status", AnnotationStatus.DRAFT)
    if status not in AnnotationStatus.values:
        errors["status"] = [f"{status!r} is not one of {AnnotationStatus.values}"]
    claim = data.get("claim") or ""
    if not isinstance(claim, str):
        errors["claim"] = ["must be a string (a claim label) or null"]
    # null is not "none": a list is expected (send [] for none), as the record shows it.
    attributions = items_from(data.get("attributions", []), "attributions", errors)
    content = AnnotationContent(
        claim=claim if isinstance(claim, str) else "",
        claim_types=claim_types_from(data.get("claim_types", []), errors),
        attributions=tuple(
            attribution_from(item, problems, texts, number)
            for number, (item, problems) in enumerate(attributions)
        ),
        stances=tuple(stance_from(item, problems) for item, problems in stance_items(data, errors)),
        status=status if status in AnnotationStatus.values else AnnotationStatus.DRAFT,
        skip_reason=text_from(data.get("skip_reason") or "", "skip_reason", errors),
        lead_time_ms=lead_time_from(data.get("lead_time_ms", 0), errors),
    )
    drop_empty_items(errors)
    try:
        checked = content_check(content, sentence_text=sentence_text, labels=labels, texts=texts)
    except InvalidInput as invalid:
        raise InvalidInput(merged(errors, invalid.errors)) from None
    if errors:
        raise InvalidInput(errors)
    return checked


def unknown_fields(value: Mapping, known: tuple[str, ...], ignored: tuple[str, ...] = ()) -> dict:
    """Return an error for each field of the object that is not one of `known`."""
    expected = f"unknown field; expected one of {', '.join(known)}"
    return {str(name): [expected] for name in value if name not in known and name not in ignored}


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def text_from(value: Any, name: str, errors: dict) -> str:
    if not isinstance(value, str) or len(value) > MAX_SKIP_REASON:
        errors[name] = [f"must be a string of at most {MAX_SKIP_REASON} characters"]
        return ""
    return value


def lead_time_from(value: Any, errors: dict) -> int:
    if not is_int(value) or not 0 <= value <= MAX_LEAD_TIME_MS:
        errors["lead_time_ms"] = [f"must be an integer from 0 to {MAX_LEAD_TIME_MS}"]
        return 0
    return value


def claim_types_from(value: Any, errors: dict) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors["claim_types"] = ["must be a list of claim type values"]
        return ()
    return tuple(sorted(set(value)))


def items_from(value: Any, name: str, errors: dict) -> list[tuple[Mapping, dict]]:
    """Return each JSON object of a list with the dict its problems go in (errors[name])."""
    if not isinstance(value, list) or len(value) > MAX_ATTRIBUTIONS:
        errors[name] = [f"must be a list of at most {MAX_ATTRIBUTIONS} objects"]
        return []
    errors[name] = [{} for _ in value]
    for item, problems in zip(value, errors[name], strict=True):
        if not isinstance(item, Mapping):
            problems["non_field_errors"] = ["expected a JSON object"]
    return [(item, problems) for item, problems in zip(value, errors[name], strict=True)
            if isinstance(item, Mapping)]  # fmt: skip


def stance_items(data: Mapping, errors: dict) -> list[tuple[Mapping, dict]]:
    return items_from(data.get("stance", []), "stance", errors)


def drop_empty_items(errors: dict) -> None:
    for name in ("attributions", "stance"):
        if isinstance(errors.get(name), list) and not any(errors[name]):
            del errors[name]


def attribution_from(item: Mapping, errors: dict, texts: dict, number: int) -> AttributionContent:
    errors.update(unknown_fields(item, ATTRIBUTION_FIELDS))
    spans = {role.value: span_from(item.get(role.value), role, errors) for role in SpanRole}
    for role in SpanRole:
        if isinstance(item.get(role.value), Mapping) and "text" in item[role.value]:
            texts[number, role.value] = item[role.value]["text"]
    quote_type = item.get("quote_type") or ""
    if not isinstance(quote_type, str):
        errors["quote_type"] = [quote_type_problem(quote_type)]
        quote_type = ""
    suggested = item.get("suggested", False)
    if not isinstance(suggested, bool):
        errors["suggested"] = ["must be true or false"]
    return AttributionContent(
        speaker=speaker_from(item.get("speaker"), errors),
        quote_type=quote_type,  # its value is content_check's to judge
        suggested=suggested is True,
        **spans,
    )


def span_from(value: Any, role: SpanRole, errors: dict) -> Span | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors[role.value] = {"non_field_errors": ["expected an object with start and end"]}
        return None
    bad = {name: ["must be an integer"] for name in ("start", "end") if not is_int(value.get(name))}
    bad |= unknown_fields(value, SPAN_FIELDS)
    if bad:
        errors[role.value] = bad
        return None
    return Span(value["start"], value["end"])


def speaker_from(value: Any, errors: dict) -> SpeakerRef | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        errors["speaker"] = {
            "non_field_errors": ['expected {"id": ...} or {"name": ..., "kind": ...}']
        }
        return None
    if unknown := unknown_fields(value, SPEAKER_FIELDS):
        errors["speaker"] = unknown
        return None
    if value.get("id") is not None:
        if not is_int(value["id"]):
            errors["speaker"] = {"id": ["must be an integer"]}
            return None
        # The name and kind sent with an id stand in for a speaker gone since the client read
        # it (claims.services.speakers.resolve_one); an id found is that speaker whatever they say.
        name, kind = value.get("name"), value.get("kind")
        if isinstance(name, str) and isinstance(kind, str):
            return SpeakerRef(id=value["id"], name=" ".join(name.split()), kind=kind)
        return SpeakerRef(id=value["id"])
    name, kind = value.get("name"), value.get("kind") or ""
    if not isinstance(name, str) or not isinstance(kind, str):
        # Not strings at all: say so now (the values of strings are content_check's to judge).
        errors["speaker"] = speaker_problems(name, kind)
        return None
    return SpeakerRef(name=" ".join(name.split()), kind=kind)


def stance_from(item: Mapping, errors: dict) -> StanceContent:
    """Return the stance with its target as sent (a name or an id); content_check resolves it."""
    errors.update(unknown_fields(item, STANCE_FIELDS))
    target, label = item.get("target"), item.get("label")
    if not isinstance(target, str) and not is_int(target):
        errors["target"] = [f"unknown target {target!r}; expected a target name or id"]
    if not isinstance(label, str):
        errors["label"] = [f"unknown stance label {label!r}; expected a string"]
    return StanceContent(target_id=target, label=label if isinstance(label, str) else "")


def merged(first: Any, second: Any) -> Any:
    """Return the shape errors and the check errors of one input as one tree."""
    if isinstance(first, dict) and isinstance(second, dict):
        return {k: merged(first.get(k), second.get(k)) if k in first and k in second
                else first.get(k, second.get(k)) for k in {**first, **second}}  # fmt: skip
    if isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        # An item whose shape is wrong is not checked further: its shape errors say it all.
        return [a or b for a, b in zip(first, second, strict=True)]
    return first if first is not None else second


def content_check(
    content: AnnotationContent,
    *,
    sentence_text: str,
    labels: ProjectLabels,
    texts: Mapping[tuple[int, str], Any] | None = None,
) -> AnnotationContent:
    """Return the content with stance targets as ids if it fits the sentence and the project's
    labels; else raise InvalidInput. `texts` holds the span texts a client sent, to compare."""
    errors: dict[str, Any] = {}
    claim = content.claim
    if claim and claim not in labels.claim_values:
        errors["claim"] = [
            f"unknown claim label {claim!r}; expected one of {sorted(labels.claim_values)}"
        ]
    elif not claim and content.status == AnnotationStatus.SUBMITTED:
        errors["claim"] = ["required when status is 'submitted'"]
    unknown = sorted(set(content.claim_types) - labels.claim_type_values)
    if unknown:
        errors["claim_types"] = [
            f"unknown claim types {unknown}; expected some of {sorted(labels.claim_type_values)}"
        ]
    elif content.claim_types and claim not in labels.typed_claims:
        errors["claim_types"] = [
            f"only the claim values {sorted(labels.typed_claims)} have claim types"
        ]
    problems = [
        attribution_problems(a, number, sentence_text, texts or {})
        for number, a in enumerate(content.attributions)
    ]
    duplicates_named(content.attributions, problems)
    if any(problems):
        errors["attributions"] = problems
    stances, stance_problems = stances_resolved(content.stances, labels)
    if any(stance_problems):
        errors["stance"] = stance_problems
    if errors:
        raise InvalidInput(errors)
    return replace(content, stances=stances)


def attribution_problems(
    attribution: AttributionContent, number: int, text: str, texts: Mapping
) -> dict[str, Any]:
    problems: dict[str, Any] = {}
    for role in SpanRole:
        span = attribution.span(role)
        if span is None:
            continue
        found = {
            name: [f"must be >= 0 and <= {len(text)} (sentence length)"]
            for name, offset in zip(("start", "end"), span, strict=True)
            if not 0 <= offset <= len(text)
        }
        if not found and span.start >= span.end:
            found["end"] = [f"must be greater than start ({span.start})"]
        sent = texts.get((number, role.value))
        if not found and sent is not None and sent != text[span.start : span.end]:
            found["text"] = [
                f"does not match the sentence at [{span.start}:{span.end}]: "
                f"{text[span.start : span.end]!r}"
            ]
        if found:
            problems[role.value] = found
    overlaps_named(attribution, problems)
    if problem := quote_type_problem(attribution.quote_type):
        problems["quote_type"] = [problem]
    speaker = attribution.speaker
    found = speaker and speaker.id is None and speaker_problems(speaker.name, speaker.kind)
    if found:
        problems["speaker"] = found
    if speaker is None and not any(attribution.span(r) for r in SpanRole):
        problems.setdefault("non_field_errors", ["an attribution needs a speaker or a span"])
    return problems


def overlaps_named(attribution: AttributionContent, problems: dict[str, Any]) -> None:
    """Name each span that overlaps an earlier role's span of the same attribution (spans
    already refused for their offsets are left out)."""
    spans = {
        role.value: (span.start, span.end)
        for role in SpanRole
        if (span := attribution.span(role)) is not None and role.value not in problems
    }
    for role, earlier in overlapping_parts(spans):
        (start, end), (other_start, other_end) = spans[role], spans[earlier]
        problems[role] = [
            f"[{start}:{end}] overlaps the {earlier} [{other_start}:{other_end}]; an "
            "attribution's source, cue and content must not overlap"
        ]


def duplicates_named(attributions: tuple[AttributionContent, ...], problems: list[dict]) -> None:
    """Name each attribution that repeats an earlier one exactly (speaker, spans, quote type):
    a second copy says nothing new and would count twice in agreement and exports."""
    first_of: dict[tuple, int] = {}
    for number, attribution in enumerate(attributions):
        earlier = first_of.setdefault(attribution.key, number)
        if earlier != number and not problems[number]:
            problems[number]["non_field_errors"] = [
                f"the same as attribution {earlier + 1} (speaker, spans and quote type); "
                "remove one of them"
            ]


def stances_resolved(
    stances: tuple[StanceContent, ...], labels: ProjectLabels
) -> tuple[tuple[StanceContent, ...], list[dict]]:
    """Return the stances by target id (sorted), and the problems of each stance as given."""
    resolved, problems, seen = [], [], set()
    for stance in stances:
        found: dict[str, list[str]] = {}
        problems.append(found)
        target_id = labels.target_id(stance.target_id)
        if target_id is None:
            known = sorted(labels.target_ids)
            found["target"] = [f"unknown target {stance.target_id!r}; expected one of {known}"]
        elif target_id in seen:
            found["target"] = ["given twice"]
        if stance.label not in labels.stance_values:
            found["label"] = [
                f"unknown stance label {stance.label!r}; "
                f"expected one of {sorted(labels.stance_values)}"
            ]
        if not found:
            seen.add(target_id)
            resolved.append(StanceContent(target_id, stance.label))
    return tuple(sorted(resolved, key=lambda s: s.target_id)), problems
