"""Agreement on text spans: pairwise precision, recall and F1, exact or by overlap, and
speaker agreement over matched sources (see claims.quality.stats for the conventions).

Spans are ``(start, end)`` character offsets, end-exclusive, optionally followed by a
label: ``(start, end, label)``. Spans only match when their labels are equal (an
unlabelled span has label ``None``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, TypeAlias

Span: TypeAlias = tuple[int, int] | tuple[int, int, Hashable]
SpanMode: TypeAlias = Literal["exact", "overlap"]
SpansByItem: TypeAlias = Mapping[Hashable, Mapping[str, Sequence[Span]]]
Attribution: TypeAlias = tuple[Span, Hashable]

_LabelledSpan: TypeAlias = tuple[int, int, Hashable]


@dataclass(frozen=True)
class SpanScore:
    """Span agreement with ``a`` as reference: recall is over ``a``, precision over ``b``."""

    precision: float | None
    recall: float | None
    f1: float | None
    n_a: int
    n_b: int
    matched: int


@dataclass(frozen=True)
class PairSpanScore:
    """Micro-averaged span agreement of one annotator pair; the first annotator is reference."""

    annotators: tuple[str, str]
    n_items: int
    precision: float | None
    recall: float | None
    f1: float | None
    n_a: int
    n_b: int
    matched: int


class SpeakerAgreement(NamedTuple):
    """Speaker agreement over attributions whose source spans were matched."""

    agreeing: int
    compared: int
    share: float | None


def _labelled(span: Span) -> _LabelledSpan:
    """Return ``span`` as ``(start, end, label)``, with label None when absent."""
    start, end = span[0], span[1]
    if end < start:
        raise ValueError(f"span ends before it starts: {span!r}")
    return (start, end, span[2] if len(span) > 2 else None)


def _overlap_matches(
    a: Sequence[_LabelledSpan], b: Sequence[_LabelledSpan]
) -> list[tuple[int, int]]:
    """Pair spans of ``a`` and ``b`` one-to-one, greedily by overlap; return index pairs.

    Candidates share at least one character and a label. Larger shared length wins;
    ties go to the smaller union, so an exact match beats a longer overlapping span,
    then to input order so the result is deterministic.
    """
    candidates = []
    for i, (start_a, end_a, label_a) in enumerate(a):
        for j, (start_b, end_b, label_b) in enumerate(b):
            shared = min(end_a, end_b) - max(start_a, start_b)
            if shared > 0 and label_a == label_b:
                union = max(end_a, end_b) - min(start_a, start_b)
                candidates.append((-shared, union, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    matches = []
    for _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matches.append((i, j))
    return matches


def _count_matches(a: Sequence[_LabelledSpan], b: Sequence[_LabelledSpan], mode: SpanMode) -> int:
    """Count one-to-one matches between ``a`` and ``b`` under ``mode``."""
    if mode == "exact":
        # Multiset intersection, so duplicated spans also match at most once each.
        return sum((Counter(a) & Counter(b)).values())
    if mode == "overlap":
        return len(_overlap_matches(a, b))
    raise ValueError(f"unknown span match mode: {mode!r}")


def _span_score(matched: int, n_a: int, n_b: int) -> SpanScore:
    """Build a SpanScore, leaving undefined ratios as None."""
    return SpanScore(
        precision=matched / n_b if n_b else None,
        recall=matched / n_a if n_a else None,
        # 2m / (n_a + n_b) equals 2PR / (P + R) and stays defined when one side is empty.
        f1=2 * matched / (n_a + n_b) if n_a + n_b else None,
        n_a=n_a,
        n_b=n_b,
        matched=matched,
    )


def span_f1(a: Iterable[Span], b: Iterable[Span], mode: SpanMode) -> SpanScore:
    """Return precision, recall and F1 of spans ``b`` against reference spans ``a``.

    ``exact`` requires equal offsets; ``overlap`` requires at least one shared character
    and matches each span at most once (greedy, see ``_overlap_matches``).
    """
    spans_a = [_labelled(span) for span in a]
    spans_b = [_labelled(span) for span in b]
    matched = _count_matches(spans_a, spans_b, mode)
    return _span_score(matched, len(spans_a), len(spans_b))


def _pair_span_score(pair: tuple[str, str], n_items: int, matched: int, n_a: int, n_b: int):
    total = _span_score(matched, n_a, n_b)
    return PairSpanScore(
        annotators=pair,
        n_items=n_items,
        precision=total.precision,
        recall=total.recall,
        f1=total.f1,
        n_a=n_a,
        n_b=n_b,
        matched=matched,
    )


class SpanTally:
    """Span agreement of every annotator pair under one match mode, added up item by item."""

    def __init__(self, mode: SpanMode):
        if mode not in ("exact", "overlap"):
            raise ValueError(f"unknown span match mode: {mode!r}")
        self.mode = mode
        self.pairs: dict[tuple[str, str], list[int]] = {}  # n_items, matched, n_a, n_b

    def add(self, by_annotator: Mapping[str, Sequence[Span]]) -> None:
        """Add one item: annotator -> their spans (an empty list is "found nothing")."""
        names = sorted(by_annotator)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                sums = self.pairs.setdefault((a, b), [0, 0, 0, 0])
                sums[0] += 1
                if not by_annotator[a] and not by_annotator[b]:
                    continue  # both found nothing: counts as an item, adds no spans
                score = span_f1(by_annotator[a], by_annotator[b], self.mode)
                sums[1] += score.matched
                sums[2] += score.n_a
                sums[3] += score.n_b

    def scores(self) -> list[PairSpanScore]:
        return [_pair_span_score(pair, *sums) for pair, sums in sorted(self.pairs.items())]


def span_f1_pairwise(
    spans_by_item_and_annotator: SpansByItem, mode: SpanMode
) -> list[PairSpanScore]:
    """Return micro-averaged span F1 for every annotator pair sharing an item, sorted.

    An annotator covers an item when the item's mapping has their key, even with an
    empty span list: "found nothing" is a judgement that should cost precision/recall.
    The first annotator of a pair is the reference.
    """
    tally = SpanTally(mode)
    for by_annotator in spans_by_item_and_annotator.values():
        tally.add(by_annotator)
    return tally.scores()


def speaker_agreement(
    pairs_of_attributions: Iterable[tuple[Sequence[Attribution], Sequence[Attribution]]],
) -> SpeakerAgreement:
    """Return how often two annotators name the same speaker for overlapping sources.

    Each element holds, for one item, both annotators' ``(source_span, speaker_id)``
    lists. Source spans are paired one-to-one by overlap (labels ignored), as in
    ``span_f1(mode="overlap")``, so a source one annotator split in two is compared
    once rather than twice.
    """
    agreeing = compared = 0
    for first, second in pairs_of_attributions:
        sources_a = [_labelled(source)[:2] + (None,) for source, _ in first]
        sources_b = [_labelled(source)[:2] + (None,) for source, _ in second]
        for i, j in _overlap_matches(sources_a, sources_b):
            compared += 1
            agreeing += first[i][1] == second[j][1]
    return SpeakerAgreement(
        agreeing=agreeing, compared=compared, share=agreeing / compared if compared else None
    )
