"""Quotation marks in a sentence's text: the ranges they enclose and how to trim a range.

Plain text, no spaCy: the speaker modules (claims.speakers), which the admin imports when
the app starts, read quotations without paying for spaCy's import.
"""

import re

from claims.nlp.lexicon import COORDINATORS, TRAILING_PUNCT


def quotations(text: str) -> list[tuple[int, int]]:
    """Return the character ranges inside quotation marks (an unclosed one runs to an end)."""
    ranges, opened = [], None
    for match in re.finditer(r"[\"“”«»]", text):
        mark, at = match.group(), match.start()
        opening = mark in "“«" or (mark in '"”' and straight_quote_opens(text, at, opened, mark))
        if opening and opened is None:
            opened = at + 1
        elif not opening and opened is not None:
            ranges.append((opened, at))
            opened = None
        elif not opening:
            ranges.append((0, at))  # closes a quotation opened in an earlier sentence
    if opened is not None:
        ranges.append((opened, len(text)))
    return [r for r in ranges if r[1] > r[0] and text[r[0] : r[1]].strip()]


def straight_quote_opens(text: str, at: int, opened: int | None, mark: str = '"') -> bool:
    """Tell whether a straight quote opens: after a space (or first), before a non-space.
    A closing curly quote opens only there and before a letter: some sites set ”Mr. Trump
    ...” with the closing mark at both ends."""
    before_space = at == 0 or text[at - 1].isspace() or text[at - 1] in "([{"
    after_text = at + 1 < len(text) and not text[at + 1].isspace()
    if mark == "”":
        return opened is None and before_space and after_text and text[at + 1].isalnum()
    if before_space and after_text:
        return True
    return opened is None and not (at > 0 and not text[at - 1].isspace())


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink a range past spaces, quote marks, trailing punctuation and a dangling "and"."""
    while True:
        while start < end and (text[start].isspace() or text[start] in '"“«'):
            start += 1
        while end > start and (text[end - 1] in TRAILING_PUNCT or text[end - 1] in '"”»'):
            end -= 1
        words = text[start:end].rsplit(None, 1)
        if len(words) == 2 and words[1].casefold() in COORDINATORS:
            end = start + len(words[0])
            continue
        return (start, end) if end > start else None


def overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return bool(a and b and a[0] < b[1] and b[0] < a[1])
