"""The values an attribution may hold, checked the same way whatever the door: the API, the
admin's gold editor, label imports (gold, an annotator's, predictions) and backups.

Each check returns why a value is refused, in words that name the value, or None.
`content_check` applies them to every annotation; the label import readers apply them to each
line before anything is stored, so a bad value is reported with its file and line.
"""

from collections.abc import Mapping
from typing import Any

from claims.importing.records import string_problem
from claims.models import QuoteType, SpanRole, SpeakerKind

MAX_SPEAKER_NAME = 200


def overlapping_parts(spans: Mapping[str, tuple[int, int] | None]) -> list[tuple[str, str]]:
    """Return (role, earlier role) for each span that overlaps an earlier role's span of the
    same attribution (source, then cue, then content), the earlier one kept: a token has one
    role (one BIO tag in the token exports), so an overlap can be neither shown nor kept. A
    span so named is not compared with the later ones."""
    kept: dict[str, tuple[int, int]] = {}
    found = []
    for role in SpanRole.values:
        span = spans.get(role)
        if not span:
            continue
        earlier = next((r for r, o in kept.items() if span[0] < o[1] and o[0] < span[1]), None)
        if earlier is None:
            kept[role] = span
        else:
            found.append((role, earlier))
    return found


def quote_type_problem(value: Any) -> str | None:
    """Return why the value is not a quote type ('' for none)."""
    if value == "" or value in QuoteType.values:
        return None
    return f"{short(value)} is not one of {QuoteType.values}"


def speaker_name_problem(value: Any) -> str | None:
    """Return why the value cannot name a speaker (not a string, blank, too long, a NUL)."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_SPEAKER_NAME:
        return f"required (1 to {MAX_SPEAKER_NAME} characters) when no id is given"
    problem = string_problem(value)
    if problem is None and any(ord(c) < 32 and not c.isspace() for c in value):
        problem = "contains a control character"
    return problem


def speaker_kind_problem(value: Any) -> str | None:
    """Return why the value is not a speaker kind ('' lets an existing speaker's stand)."""
    if value == "" or value in SpeakerKind.values:
        return None
    return f"{short(value)} is not one of {SpeakerKind.values}"


def speaker_problems(name: Any, kind: Any) -> dict[str, list[str]]:
    """Return the problems of a speaker given by name, keyed by field ({} when fine)."""
    problems = {}
    if problem := speaker_name_problem(name):
        problems["name"] = [problem]
    if problem := speaker_kind_problem(kind):
        problems["kind"] = [problem]
    return problems


def short(value: Any, limit: int = 60) -> str:
    """Return the value's repr, cut short: a refused value may be megabytes long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
