"""Quotations spread over several sentences: which sentences one covers, and the quoted part
of each ('"We will ... / ... the talks. / ... come up with," he said.').
"""

from dataclasses import dataclass

from claims.nlp.quote_ranges import quotations, trim


@dataclass(frozen=True)
class Marks:
    has_marks: bool
    opens: int | None  # where a quotation left open at the sentence's end starts
    closes: int | None  # where a quotation opened before the sentence ends


def marks_of(text: str) -> Marks:
    ranges = quotations(text)
    has = any(c in text for c in '"“”«»')
    opens = next((s for s, e in ranges if e == len(text)), None)
    closes = next((e for s, e in ranges if s == 0 and text[:1] not in '"“«'), None)
    return Marks(has, opens, closes)


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
    here = marks_of(texts[index])
    first = index if here.opens is not None else opening_before(texts, index, here)
    if first is None:
        return None
    last = index if (here.closes is not None and index != first) else closing_after(texts, index)
    if last is None or last == first:
        return None
    parts = {}
    for at in range(first, last + 1):
        text = texts[at]
        start = marks_of(text).opens if at == first else 0
        end = marks_of(text).closes if at == last else len(text)
        inner = trim(text, start or 0, end if end is not None else len(text))
        if inner is not None:
            parts[at] = inner
    return Quotation(parts) if len(parts) > 1 else None


def opening_before(texts: dict[int, str], index: int, here: Marks) -> int | None:
    if here.has_marks and here.closes is None:
        return None
    at = index - 1
    while at in texts:
        marks = marks_of(texts[at])
        if marks.has_marks:
            return at if marks.opens is not None else None
        at -= 1
    return None


def closing_after(texts: dict[int, str], index: int) -> int | None:
    at = index + 1
    while at in texts:
        marks = marks_of(texts[at])
        if marks.has_marks:
            return at if marks.closes is not None else None
        at += 1
    return None
