"""Labelled sentences and documents, and turning them into spaCy examples.

A document is an article's sentences in order; a sentence carries its attributions (source,
cue and content spans, offsets relative to the sentence, a role may have several parts) and
its claim label. Article-level annotations are mapped onto the project's own segmentation
(``claims.nlp.segmentation.segment``), so a span crossing sentences is cut at each boundary:
that is what an annotator sees and labels.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from claims.nlp.segmentation import segment

ROLES = ("source", "cue", "content")

Offsets = tuple[int, int]


@dataclass(frozen=True)
class GoldAttribution:
    """One attribution's parts by role, character offsets into its sentence."""

    source: tuple[Offsets, ...] = ()
    cue: tuple[Offsets, ...] = ()
    content: tuple[Offsets, ...] = ()

    def parts(self, role: str) -> tuple[Offsets, ...]:
        """Return the parts of ``role`` ("source", "cue" or "content")."""
        return getattr(self, role)


@dataclass(frozen=True)
class LabeledSentence:
    """A sentence with its attributions and, when labelled, its claim label.

    ``labelled`` False: nobody labelled the sentence's spans (its neighbours give context
    only; the tagger learns nothing from its tokens). ``stances``: (target name, label) for
    each target the sentence was labelled toward.
    """

    text: str
    attributions: tuple[GoldAttribution, ...] = ()
    claim: str | None = None
    labelled: bool = True
    stances: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LabeledDocument:
    """An article's labelled sentences in reading order; ``key`` names it for the dev split."""

    key: str
    sentences: tuple[LabeledSentence, ...] = field(default_factory=tuple)


def label_article(
    key: str, text: str, attributions: Iterable[Mapping[str, Sequence[Sequence[int]]]]
) -> LabeledDocument:
    """Cut an article and its article-level attributions into labelled sentences.

    Each attribution maps a role to its parts ``[[start, end], ...]`` in ``text``.
    """
    segments = list(segment(text))
    starts = [s.start for s in segments]
    per_sentence: list[list[GoldAttribution]] = [[] for _ in segments]
    for attribution in attributions:
        clipped: dict[int, dict[str, list[Offsets]]] = {}
        for role in ROLES:
            for start, end in attribution.get(role) or ():
                for index, offsets in _clip(segments, starts, start, end):
                    clipped.setdefault(index, {}).setdefault(role, []).append(offsets)
        for index, roles in clipped.items():
            parts = {role: tuple(sorted(roles.get(role, ()))) for role in ROLES}
            per_sentence[index].append(GoldAttribution(**parts))
    sentences = tuple(
        LabeledSentence(text[s.start : s.end], tuple(found))
        for s, found in zip(segments, per_sentence, strict=True)
    )
    return LabeledDocument(key, sentences)


def _clip(segments, starts: list[int], start: int, end: int) -> Iterator[tuple[int, Offsets]]:
    """Yield (sentence index, offsets in that sentence) for each sentence a span touches."""
    index = max(bisect.bisect_right(starts, start) - 1, 0)
    while index < len(segments) and segments[index].start < end:
        seg = segments[index]
        lo, hi = max(start, seg.start), min(end, seg.end)
        if lo < hi:
            yield index, (lo - seg.start, hi - seg.start)
        index += 1


def split_documents(
    documents: Sequence[LabeledDocument], dev_share: float, *, seed: int = 0
) -> tuple[list[LabeledDocument], list[LabeledDocument]]:
    """Split documents (never sentences) into train and dev, the same way for the same keys."""
    import random

    order = sorted(documents, key=lambda d: d.key)
    random.Random(seed).shuffle(order)
    cut = round(len(order) * dev_share)
    if dev_share > 0 and len(order) > 1:
        cut = min(max(cut, 1), len(order) - 1)
    return order[cut:], order[:cut]
