"""Rules every article's sentences obey, checked before anything is stored."""

from collections.abc import Sequence
from typing import Protocol


class Span(Protocol):
    start: int
    end: int
    kind: str


class SegmentationError(ValueError):
    """The sentences of an article break the offset invariant."""


def check_segments(text: str, segments: Sequence[Span]) -> None:
    """Raise unless the segments are non-empty, in order, inside the text and non-overlapping."""
    previous_end = 0
    for index, segment in enumerate(segments):
        if not 0 <= segment.start < segment.end <= len(text):
            raise SegmentationError(
                f"sentence {index} [{segment.start}:{segment.end}] is outside the text "
                f"(length {len(text)}) or empty"
            )
        if segment.start < previous_end:
            raise SegmentationError(
                f"sentence {index} starts at {segment.start}, before the previous one ends "
                f"({previous_end})"
            )
        previous_end = segment.end


def title_from_segments(text: str, segments: Sequence[Span]) -> str:
    """Return the first heading's text, else the first sentence's."""
    chosen = next((s for s in segments if s.kind == "heading"), segments[0])
    return text[chosen.start : chosen.end]
