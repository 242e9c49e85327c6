"""Article-level labels mapped onto the project's own sentences.

Input offsets are into the article's text. Each attribution is cut at the project's sentence
boundaries: a content running over several sentences becomes one attribution per sentence,
each with the attribution's speaker (the source and cue stay in the sentence that holds
them). A sentence holds one span per role, so a role in several parts within one sentence (a
content around "he said") becomes one attribution per part, the source and cue on the first.
A source or cue crossing a sentence boundary cannot follow it: the part in the sentence that
holds most of it is kept and the crossing is reported, as is a span outside every sentence.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from claims.content.values import overlapping_parts

ROLES = ("source", "cue", "content")
FOLLOWS_SENTENCES = frozenset({"content"})

Offsets = tuple[int, int]


@dataclass(frozen=True)
class Origin:
    """Where a native file's label was read: its line (file:line) and its sentence, numbered
    from 1 as the admin numbers the sentences of the article it was exported from."""

    ref: str
    sentence: int


@dataclass(frozen=True)
class ArticleAttribution:
    """An attribution in article offsets: parts per role, speaker (name, kind) or None."""

    parts: dict[str, tuple[Offsets, ...]]
    speaker: tuple[str, str] | None = None
    quote_type: str = ""
    suggested: bool = False
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SentenceLabel:
    """A sentence-level label given by article offsets: claim, claim types, stances."""

    start: int
    end: int
    claim: str = ""
    claim_types: tuple[str, ...] = ()
    stances: tuple[tuple[str, str], ...] = ()  # (target name, label)
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SentenceSpan:
    """A project sentence: its id (or index) and its article offsets."""

    key: int
    start: int
    end: int


@dataclass(frozen=True)
class MappedAttribution:
    """One attribution of one sentence, sentence offsets."""

    source: Offsets | None = None
    cue: Offsets | None = None
    content: Offsets | None = None
    speaker: tuple[str, str] | None = None
    quote_type: str = ""
    suggested: bool = False
    origin: Origin | None = field(default=None, compare=False)


@dataclass
class Mapped:
    """Per sentence key: its attributions and its sentence-level label; the problems seen."""

    attributions: dict[int, list[MappedAttribution]] = field(
        default_factory=lambda: defaultdict(list)
    )
    labels: dict[int, SentenceLabel] = field(default_factory=dict)
    # (the native line it came from, or None: the article's; the problem)
    problems: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def labelled(self) -> set[int]:
        """Return the keys of the sentences given a label or an attribution."""
        return {k for k, found in self.attributions.items() if found} | set(self.labels)


def map_labels(
    sentences: Sequence[SentenceSpan],
    attributions: Sequence[ArticleAttribution],
    labels: Sequence[SentenceLabel] = (),
) -> Mapped:
    """Map an article's labels onto its sentences (in article order)."""
    mapped = Mapped()
    starts = [s.start for s in sentences]
    for number, attribution in enumerate(attributions, start=1):
        _map_attribution(mapped, sentences, starts, number, attribution)
    for label in labels:
        touched = _pieces(sentences, starts, label.start, label.end)
        if not touched:
            mapped.problems.append(
                (None, f"claim label [{label.start}, {label.end}]: outside every sentence")
            )
        for index, _ in touched:
            key = sentences[index].key
            if key in mapped.labels and mapped.labels[key] != label:
                mapped.problems.append(
                    (
                        label.origin and label.origin.ref,
                        f"claim label [{label.start}, {label.end}]: sentence {index + 1} already "
                        "has one; the first is kept",
                    )
                )
                continue
            mapped.labels[key] = label
    return mapped


def _map_attribution(mapped: Mapped, sentences, starts, number: int, attribution) -> None:
    origin = attribution.origin
    ref = origin and origin.ref
    by_sentence: dict[int, dict[str, list[Offsets]]] = defaultdict(lambda: defaultdict(list))
    for role in ROLES:
        for start, end in attribution.parts.get(role, ()):
            pieces = _pieces(sentences, starts, start, end)
            where = f"attribution {number}, {role} [{start}, {end}]"
            if not pieces:
                mapped.problems.append((ref, f"{where}: outside every sentence"))
                continue
            if len(pieces) > 1 and role not in FOLLOWS_SENTENCES:
                kept = max(pieces, key=lambda p: p[1][1] - p[1][0])
                mapped.problems.append(
                    (
                        ref,
                        f"{where}: crosses a sentence boundary; kept its part in sentence "
                        f"{kept[0] + 1} ({kept[1][0]}-{kept[1][1]} of that sentence)",
                    )
                )
                pieces = [kept]
            for index, offsets in pieces:
                by_sentence[index][role].append(offsets)
    for index in sorted(by_sentence):
        roles = {role: sorted(by_sentence[index].get(role, ())) for role in ROLES}
        rows = max(len(parts) for parts in roles.values())
        for row in range(rows):
            spans = {
                role: parts[row] if row < len(parts) else None for role, parts in roles.items()
            }
            sentence = origin.sentence if origin else index + 1
            _overlaps_left_out(mapped, spans, (ref, f"attribution {number}"), sentence)
            mapped.attributions[sentences[index].key].append(
                MappedAttribution(
                    **spans,
                    speaker=attribution.speaker,
                    quote_type=attribution.quote_type,
                    suggested=attribution.suggested,
                    origin=attribution.origin,
                )
            )


def _overlaps_left_out(mapped: Mapped, spans: dict, where: tuple, sentence: int) -> None:
    """Leave out, and report, a span overlapping an earlier role's span of its attribution:
    an annotation refuses them, and the rest of the article is good."""
    ref, name = where
    for role, earlier in overlapping_parts(spans):
        (start, end), (other_start, other_end) = spans[role], spans[earlier]
        mapped.problems.append((
            ref,
            f"{name}: its {role} ({start}-{end} of sentence {sentence}) overlaps its {earlier} "
            f"({other_start}-{other_end}); the {role} was left out",
        ))  # fmt: skip
        spans[role] = None


def _pieces(sentences, starts, start: int, end: int) -> list[tuple[int, Offsets]]:
    """Return (sentence index, sentence offsets) of each sentence the span overlaps."""
    found = []
    index = max(bisect.bisect_right(starts, start) - 1, 0)
    while index < len(sentences) and sentences[index].start < end:
        sentence = sentences[index]
        lo, hi = max(start, sentence.start), min(end, sentence.end)
        if lo < hi:
            found.append((index, (lo - sentence.start, hi - sentence.start)))
        index += 1
    return found
