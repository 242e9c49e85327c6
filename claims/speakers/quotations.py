"""Quotations spread over several sentences: which sentences one covers, and the quoted part
of each ('"We will ... / ... the talks. / ... come up with," he said.').

News sets a quotation running over paragraphs with no closing mark at a paragraph's end and an
opening mark again at the next one's start; such a sentence continues the quotation open
before it rather than beginning one, unless it opens a transcript's turn ('"PENCE: Well, ...').
"""

import re
from dataclasses import dataclass

from claims.nlp.quote_ranges import quotations, trim

OPENING = '"“«”'
# A quoted transcript opens each turn's paragraph with the speaker's name: a new quotation.
TURN = re.compile(r"^[\"“«”][A-Z][A-Z.'\- ]{1,40}:\s")


@dataclass(frozen=True)
class Marks:
    has_marks: bool
    opens: int | None  # where a quotation left open at the sentence's end starts
    closes: int | None  # where a quotation opened before the sentence ends
    # Where the quoted text ends when the sentence begins with an opening mark: with a
    # quotation open before it, the next paragraph of that quotation.
    reopened: int | None


def marks_of(text: str) -> Marks:
    ranges = quotations(text)
    has = any(c in text for c in '"“”«»')
    opens = next((s for s, e in ranges if e == len(text)), None)
    closes = next((e for s, e in ranges if s == 0 and text[:1] not in OPENING), None)
    if (
        closes is None
        and text[:1] in OPENING
        and ranges
        and ranges[0][0] == 1
        and not TURN.match(text)
    ):
        reopened = ranges[0][1]  # where the quotation it may go on with ends in it
    else:
        reopened = None
    return Marks(has, opens, closes, reopened)


@dataclass(frozen=True)
class Quotation:
    """The sentences (by index) one quotation covers, and the quoted part of each."""

    parts: dict[int, tuple[int, int]]

    @property
    def first(self) -> int:
        return min(self.parts)

    @property
    def last(self) -> int:
        return max(self.parts)


def quotation_around(texts: dict[int, str], index: int) -> Quotation | None:
    """Return the quotation over several sentences that sentence `index` belongs to (opens,
    continues or closes), or None; only what `texts` (by index) holds is read."""
    start = index
    while start - 1 in texts:
        start -= 1
    for found in quotations_from(texts, start):
        if index in found.parts:
            return found
        if found.first > index:
            return None
    return None


def quotations_from(texts: dict[int, str], start: int):
    """Yield the quotations over several sentences of the run of sentences from `start`."""
    parts: dict[int, tuple[int, int]] = {}  # of the quotation open so far
    opened_with = ""  # its opening mark
    at = start
    while at in texts:
        text, marks = texts[at], marks_of(texts[at])
        reopens = marks.reopened is not None and same_kind(text[0], opened_with)
        ends = marks.closes if marks.closes is not None else marks.reopened if reopens else None
        going_on = bool(parts) and (ends == len(text) or not marks.has_marks)
        if going_on:
            add(parts, at, trim(text, 0, len(text)))  # it goes on through the sentence
        elif parts and ends is not None:  # it ends here
            add(parts, at, trim(text, 0, ends))
            yield from whole(parts)
            parts = {}
        elif parts and TURN.match(text):  # the turn before ended with the sentence before
            yield from whole(parts)
            parts = {}
        elif parts:  # other marks: the open quotation is not followed further
            parts = {}
        if marks.opens is not None and not going_on:
            opened_with = text[marks.opens - 1]
            add(parts, at, trim(text, marks.opens, len(text)))
            if not parts:  # nothing but the mark: the quotation starts with the next sentence
                parts[at] = (len(text), len(text))
        at += 1
    yield from whole(parts)


def same_kind(mark: str, other: str) -> bool:
    """Tell whether two quote marks are of one kind (straight, curly, guillemets): a paragraph
    going on with a quotation opens with the mark the quotation opened with; another kind is
    a quotation inside the text quoted (a person the quoted report quotes)."""
    kinds = ('"', "“”", "«»")
    return any(mark in kind and other in kind for kind in kinds)


def add(parts: dict[int, tuple[int, int]], at: int, inner: tuple[int, int] | None) -> None:
    if inner is not None:
        parts[at] = inner


def whole(parts: dict[int, tuple[int, int]]):
    kept = {at: span for at, span in parts.items() if span[1] > span[0]}
    if len(kept) > 1:
        yield Quotation(kept)
