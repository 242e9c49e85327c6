"""Check the lines of a project backup before anything is stored; name what is wrong."""

import datetime as dt
import re
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from claims.labels import ProjectLabels
from claims.models import (
    AnnotationKind,
    AnnotationStatus,
    ClaimBuster,
    LabelField,
    QueueOrder,
    QuoteType,
    Role,
    SentenceKind,
    SpanRole,
    SpeakerKind,
)
from claims.nlp.segments import SegmentationError, check_segments

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class LineError(ValueError):
    """A line of the backup is malformed; the message names the field."""


@dataclass(frozen=True)
class SentenceRow:
    index: int
    start: int
    end: int
    kind: str


def need(obj: dict, key: str, kind: type | tuple[type, ...], *, nullable: bool = False) -> Any:
    """Return obj[key], checked to be of the type (bool is not an int here)."""
    if key not in obj:
        raise LineError(f"{key!r} is missing")
    value = obj[key]
    if value is None and nullable:
        return None
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(k.__name__ for k in kinds) + (" or null" if nullable else "")
        raise LineError(f"{key!r} must be {names}, not {type(value).__name__}")
    return value


def need_choice(obj: dict, key: str, allowed, *, blank: bool = False) -> str:
    value = need(obj, key, str)
    if value not in allowed and not (blank and value == ""):
        raise LineError(f"{key!r} is {value!r}, not one of {sorted(allowed)}")
    return value


def need_count(obj: dict, key: str, minimum: int = 0) -> int:
    value = need(obj, key, int)
    if value < minimum:
        raise LineError(f"{key!r} must be at least {minimum}")
    return value


def need_fraction(obj: dict, key: str) -> float:
    """Return a number from 0 to 1 (an integer 0 or 1 too)."""
    value = need(obj, key, (int, float))
    if not 0 <= value <= 1:
        raise LineError(f"{key!r} must be from 0 to 1, not {value}")
    return float(value)


def need_time(obj: dict, key: str, *, nullable: bool = False) -> dt.datetime | None:
    value = need(obj, key, str, nullable=nullable)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise LineError(f"{key!r} is not an ISO date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise LineError(f"{key!r} has no time zone: {value!r}")
    return moment


def need_date(obj: dict, key: str) -> dt.date | None:
    value = need(obj, key, str, nullable=True)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise LineError(f"{key!r} is not an ISO date: {value!r}") from None


def check_schema(obj: dict) -> tuple[str, str, list[dict]]:
    schema = need(obj, "schema", dict)
    name = need(schema, "name", str)
    if not SLUG.match(name):
        raise LineError(f"schema name {name!r} is not a slug")
    options = []
    for option in need(schema, "options", list):
        if not isinstance(option, dict):
            raise LineError("each schema option must be an object")
        options.append(
            {
                "field": need_choice(option, "field", LabelField.values),
                "value": need(option, "value", str),
                "title": need(option, "title", str),
                "description": need(option, "description", str),
                "shortcut": need(option, "shortcut", str),
                "position": need_count(option, "position"),
                # Absent from version 1 backups: the schema is then compared without them.
                **(
                    {"takes_types": need(option, "takes_types", bool)}
                    if "takes_types" in option
                    else {}
                ),
                **(
                    {
                        "claimbuster": need_choice(
                            option, "claimbuster", ClaimBuster.values, blank=True
                        )
                    }
                    if "claimbuster" in option
                    else {}
                ),
            }  # fmt: skip
        )
    values = [(option["field"], option["value"]) for option in options]
    if len(set(values)) != len(values):
        raise LineError("the schema gives an option (field and value) twice")
    return name, need(schema, "description", str), options


def claim_meaning(option: dict) -> dict:
    """Return what a claim value means; version 1 backups do not say (nor are compared on it)."""
    if "takes_types" not in option and "claimbuster" not in option:
        return {}
    return {
        "takes_types": need(option, "takes_types", bool),
        "claimbuster": need_choice(option, "claimbuster", ClaimBuster.values, blank=True),
    }


def check_sentences(text: str, value: Any) -> list[SentenceRow]:
    """Return the article's sentences; they must tile the text in order without overlapping."""
    if not isinstance(value, list) or not value:
        raise LineError("'sentences' must be a non-empty list of [index, start, end, kind]")
    rows = []
    for position, item in enumerate(value):
        if (
            not isinstance(item, list)
            or len(item) != 4
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in item[:3])
            or item[3] not in SentenceKind.values
        ):
            raise LineError(f"sentence {position} is not [index, start, end, kind]: {item!r}")
        rows.append(SentenceRow(*item))
    if [row.index for row in rows] != list(range(len(rows))):
        raise LineError("sentence indexes must be 0, 1, 2, ... in order")
    try:
        check_segments(text, rows)
    except SegmentationError as error:
        raise LineError(str(error)) from None
    return rows


def check_span(value: Any, role: str, length: int) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
        or not 0 <= value[0] < value[1] <= length
    ):
        raise LineError(f"{role} span {value!r} is not [start, end] within 0..{length}")
    return value[0], value[1]


def check_attributions(value: Any, length: int, speakers: Set[str]) -> list[dict]:
    if not isinstance(value, list):
        raise LineError("'attributions' must be a list")
    checked = []
    for item in value:
        if not isinstance(item, dict):
            raise LineError("each attribution must be an object")
        speaker = need(item, "speaker", str, nullable=True)
        if speaker is not None and speaker not in speakers:
            raise LineError(f"speaker {speaker!r} has no speaker line")
        fields = {"speaker": speaker}
        for role in SpanRole:
            fields.update(zip(role.fields, check_span(item.get(role), role, length), strict=True))
        fields["quote_type"] = need_choice(item, "quote_type", QuoteType.values, blank=True)
        fields["suggested"] = need(item, "suggested", bool)
        checked.append(fields)
    return checked


def check_annotation(obj: dict, length: int, labels: ProjectLabels, speakers: Set[str]) -> dict:
    """Return the annotation's fields; labels, speakers, targets and spans must be known/valid."""
    claim = need(obj, "claim", str)
    if claim and claim not in labels.claim_values:
        raise LineError(f"claim {claim!r} is not in the schema")
    types = need(obj, "claim_types", list)
    if not all(isinstance(t, str) and t in labels.claim_type_values for t in types):
        raise LineError(f"claim_types {types!r} are not all in the schema")
    stances = []
    for item in need(obj, "stance", list):
        if not isinstance(item, dict):
            raise LineError("each stance must be an object")
        target = need_choice(item, "target", labels.target_ids)
        stances.append((target, need_choice(item, "label", labels.stance_values)))
    if len({target for target, _ in stances}) != len(stances):
        raise LineError("a target has two stances")
    return {
        "kind": need_choice(obj, "kind", AnnotationKind.values),
        "annotator": need(obj, "annotator", str),
        "claim": claim,
        "claim_types": types,
        "status": need_choice(obj, "status", AnnotationStatus.values),
        "skip_reason": need(obj, "skip_reason", str),
        "lead_time_ms": need_count(obj, "lead_time_ms"),
        "version": need_count(obj, "version", 1),
        "based_on": check_ref(obj.get("based_on"), full=True),
        "created_at": need_time(obj, "created_at"),
        "updated_at": need_time(obj, "updated_at"),
        "attributions": check_attributions(obj.get("attributions"), length, speakers),
        "stances": stances,
    }


def check_ref(value: Any, *, full: bool) -> dict | None:
    """Return a reference to an annotation: annotator and kind, plus article and sentence."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise LineError(f"an annotation reference must be an object, not {value!r}")
    ref = {"annotator": need(value, "annotator", str)}
    ref["kind"] = need_choice(value, "kind", AnnotationKind.values)
    if full or "article" in value:
        ref["article"] = need(value, "article", str)
        ref["sentence"] = need_count(value, "sentence")
    return ref


def check_member(obj: dict) -> tuple[str, str, dt.datetime]:
    username = need(obj, "username", str)
    if not username:
        raise LineError("'username' is empty")
    return username, need_choice(obj, "role", Role.values), need_time(obj, "created_at")


def check_speaker(obj: dict) -> dict:
    aliases = need(obj, "aliases", list)
    if not all(isinstance(alias, str) for alias in aliases):
        raise LineError("'aliases' must be a list of strings")
    name = need(obj, "name", str)
    if not name.strip():
        raise LineError("'name' is empty")
    return {
        "name": name,
        "kind": need_choice(obj, "kind", SpeakerKind.values),
        "aliases": aliases,
        "created_at": need_time(obj, "created_at"),
        # The annotation whose save created it (absent from backups written before).
        "made_by": check_ref(obj.get("made_by"), full=True),
    }


def check_project_settings(obj: dict) -> dict:
    """Return the project's queue and suggestion settings (a backup older than them has none:
    the defaults)."""
    found = {}
    if "queue_order" in obj:
        found["queue_order"] = need_choice(obj, "queue_order", QueueOrder.values)
    if "gold_in_queue" in obj:
        found["gold_in_queue"] = need(obj, "gold_in_queue", bool)
    if "suggestion_threshold" in obj:
        threshold = need(obj, "suggestion_threshold", (int, float))
        if not 0 <= threshold <= 1:
            raise LineError(f"'suggestion_threshold' must be within 0 and 1, not {threshold}")
        found["suggestion_threshold"] = float(threshold)
    return found
