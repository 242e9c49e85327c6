"""The labeling page's `Shift+T` (annotator/static/annotator/units.js, restOf), read in
Python so that the keyboard annotator of bench/keystrokes_data.py knows when the key marks
the content it wants. Offsets are code points, as in the page (Python's str indexes them)."""

import re

from claims.nlp.quote_ranges import straight_quote_opens  # the page's rule too

OPENING, CLOSING, STRAIGHT = "“«„", "”»", '"'
BESIDE = re.compile(r"^[\s,.;:\"“”«»]*(that[\s\"“«]*)?$")


def trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in OPENING + CLOSING + STRAIGHT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",.;:" + CLOSING + STRAIGHT):
        end -= 1
    return (start, end) if end > start else None


def quotations(text: str) -> list[tuple[int, int]]:
    ranges, open_at = [], None
    for at, c in enumerate(text):
        if c not in OPENING + CLOSING + STRAIGHT:
            continue
        opening = c in OPENING or (
            c in STRAIGHT + "”" and straight_quote_opens(text, at, open_at, c)
        )
        if opening and open_at is None:
            open_at = at + 1
        elif not opening and open_at is not None:
            ranges.append((open_at, at))
            open_at = None
        elif not opening:
            ranges.append((0, at))
    if open_at is not None:
        ranges.append((open_at, len(text)))
    return [r for r in (trimmed(text, *r) for r in ranges) if r]


def snapped(words: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    inside = [w for w in words if w[1] > start and w[0] < end]
    return (inside[0][0], inside[-1][1]) if inside else None


def rest_of(text: str, words: list[tuple[int, int]], block: tuple[int, int]):
    """Return the span `Shift+T` marks around the source and cue (block), or None."""
    for start, end in quotations(text):
        if (end <= block[0] and BESIDE.match(text[end : block[0]])) or (
            start >= block[1] and BESIDE.match(text[block[1] : start])
        ):
            return snapped(words, start, end)
    before = trimmed(text, 0, block[0])
    after_start = block[1]
    that = re.match(r"^\s*(that|,)\s+", text[after_start:])
    if that:
        after_start += len(that.group())
    after = trimmed(text, after_start, len(text))

    def size(r):
        return r[1] - r[0] if r else 0

    chosen = before if size(before) >= size(after) else after
    return chosen and snapped(words, *chosen)
