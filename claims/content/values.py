"""The values an attribution may hold, checked the same way whatever the door: the API, the
admin's gold editor, label imports (gold, an annotator's, predictions) and backups.

Each check returns why a value is refused, in words that name the value, or None.
`content_check` applies them to every annotation; the label import readers apply them to each
line before anything is stored, so a bad value is reported with its file and line.
"""

import unicodedata
from collections.abc import Mapping
from typing import Any

from claims.importing.records import string_problem
from claims.models import QuoteType, SpanRole, SpeakerKind

MAX_SPEAKER_NAME = 200
ZERO_WIDTH_JOINERS = "\u200c\u200d"
# Letters between which a zero-width (non-)joiner changes how a word is written (Persian
# "می‌خواهم"): the Arabic script's blocks.
ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                 (0xFE70, 0xFEFF))  # fmt: skip


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
    return name_characters_problem(value)


def name_characters_problem(value: str) -> str | None:
    """Return why no name may hold the text's characters: what no database stores, a control
    character, or an invisible formatting one (Unicode's Cf: "\u202e" reverses what follows,
    "\u200b" is a zero-width space), with which two names that look the same would differ."""
    if problem := string_problem(value):
        return problem
    for at, char in enumerate(value):
        category = unicodedata.category(char)
        if category == "Cc" and not char.isspace():
            return f"contains a control character (U+{ord(char):04X} at character {at})"
        if category == "Cf" and not joins_letters(value, at):
            return (
                f"contains an invisible formatting character (U+{ord(char):04X} at character "
                f"{at}): a name that looks the same without it would be another speaker"
            )
    return None


def joins_letters(text: str, at: int) -> bool:
    """Tell whether the character at `at` is a zero-width (non-)joiner that shapes the word it
    is in: after a virama (Indic scripts) or between two Arabic-script letters (Unicode's
    rule for such joiners in names, IDNA's CONTEXTJ, simplified)."""
    if text[at] not in ZERO_WIDTH_JOINERS or at == 0 or at == len(text) - 1:
        return False
    before, after = text[at - 1], text[at + 1]
    return unicodedata.combining(before) == 9 or (arabic(before) and arabic(after))


def arabic(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in ARABIC_BLOCKS)


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
