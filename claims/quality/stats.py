"""Inter-annotator agreement for nominal labels and text spans.

Pure standard-library maths (no Django, no numpy): testable and reusable outside the app.

Nominal data is a mapping ``item -> {annotator: label}``. An annotator absent from an
item, or a label of ``None``, counts as a missing rating. Labels only need to be
hashable; note that Python treats ``True == 1`` and ``False == 0`` as the same label.

Undefined statistics are returned as ``None`` rather than NaN or an exception:

* no item has at least two ratings (nothing can be compared), or
* expected disagreement is zero, which for nominal data happens exactly when every
  compared rating carries the same label. Observed agreement is then perfect as well,
  but kappa and alpha are 0/0: the data show no variation, so they cannot tell
  reliable annotators from ones that always pick the same label. Krippendorff (2011)
  calls alpha undefined here and the ``krippendorff`` package returns NaN (or raises
  when only one value occurs at all); ``None`` is the NaN-free equivalent.
  ``observed_agreement`` still reports 1.0, so a report can say "100 % agreement,
  chance-corrected score undefined".

Spans are ``(start, end)`` character offsets, end-exclusive, optionally followed by a
label: ``(start, end, label)``. Spans only match when their labels are equal (an
unlabelled span has label ``None``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Literal, NamedTuple, TypeAlias

Ratings: TypeAlias = Mapping[Hashable, Mapping[str, Hashable]]
Span: TypeAlias = tuple[int, int] | tuple[int, int, Hashable]
SpanMode: TypeAlias = Literal["exact", "overlap"]
SpansByItem: TypeAlias = Mapping[Hashable, Mapping[str, Sequence[Span]]]
Attribution: TypeAlias = tuple[Span, Hashable]

_LabelledSpan: TypeAlias = tuple[int, int, Hashable]


# --- nominal labels -------------------------------------------------------------------


@dataclass(frozen=True)
class PairScore:
    """Cohen's kappa for one pair of annotators over the items both rated."""

    annotators: tuple[str, str]
    kappa: float | None
    observed: float | None
    n_items: int


@dataclass(frozen=True)
class NominalReport:
    """Summary of nominal agreement; ``n_items`` counts items with at least two ratings."""

    n_items: int
    observed: float | None
    fleiss_kappa: float | None
    krippendorff_alpha: float | None
    pairs: list[PairScore]


class _Unit(NamedTuple):
    """One pairable item: its number of ratings and how many carry each label."""

    m: int
    counts: dict[Hashable, int]


def _pairable_units(ratings: Ratings) -> list[_Unit]:
    """Return every item that has at least two non-missing ratings, as label counts."""
    units = []
    for by_annotator in ratings.values():
        # A plain dict counts a handful of labels several times faster than a Counter.
        counts: dict[Hashable, int] = {}
        for label in by_annotator.values():
            if label is not None:
                counts[label] = counts.get(label, 0) + 1
        m = sum(counts.values())
        if m >= 2:
            units.append(_Unit(m, counts))
    return units


def _agreeing_ordered_pairs(counts: Mapping[Hashable, int]) -> int:
    """Count ordered pairs of distinct ratings that carry the same label."""
    return sum(n * (n - 1) for n in counts.values())


def _pair_agreement(unit: _Unit) -> float:
    """Return the share of ordered rating pairs within one item that agree."""
    return _agreeing_ordered_pairs(unit.counts) / (unit.m * (unit.m - 1))


def _observed(units: list[_Unit]) -> float | None:
    if not units:
        return None
    return sum(_pair_agreement(unit) for unit in units) / len(units)


def observed_agreement(ratings: Ratings) -> float | None:
    """Return the mean per-item pairwise agreement over items with >= 2 ratings."""
    return _observed(_pairable_units(ratings))


def _shared_labels(ratings: Ratings, a: str, b: str) -> list[tuple[Hashable, Hashable]]:
    """Return the (label of a, label of b) pairs for items both annotators rated."""
    pairs = []
    for by_annotator in ratings.values():
        label_a, label_b = by_annotator.get(a), by_annotator.get(b)
        if label_a is not None and label_b is not None:
            pairs.append((label_a, label_b))
    return pairs


def cohen_kappa(ratings: Ratings, a: str, b: str) -> PairScore:
    """Return Cohen's kappa of annotators ``a`` and ``b`` over the items both rated."""
    pairs = _shared_labels(ratings, a, b)
    n = len(pairs)
    if n == 0:
        return PairScore(annotators=(a, b), kappa=None, observed=None, n_items=0)
    observed = sum(x == y for x, y in pairs) / n
    counts_a = Counter(x for x, _ in pairs)
    counts_b = Counter(y for _, y in pairs)
    kappa = None
    # Expected agreement is 1 only when both used one and the same label throughout.
    if len(counts_a.keys() | counts_b.keys()) > 1:
        expected = sum(counts_a[c] * counts_b[c] for c in counts_a) / (n * n)
        kappa = (observed - expected) / (1 - expected)
    return PairScore(annotators=(a, b), kappa=kappa, observed=observed, n_items=n)


def _annotators(ratings: Ratings) -> list[str]:
    """Return every annotator with at least one non-missing rating, sorted."""
    names = {
        name
        for by_annotator in ratings.values()
        for name, label in by_annotator.items()
        if label is not None
    }
    return sorted(names)


def cohen_kappa_pairs(ratings: Ratings) -> list[PairScore]:
    """Return Cohen's kappa for every annotator pair sharing an item, sorted by pair."""
    scores = (cohen_kappa(ratings, a, b) for a, b in combinations(_annotators(ratings), 2))
    return [score for score in scores if score.n_items > 0]


def fleiss_kappa(ratings: Ratings) -> float | None:
    """Return Fleiss' kappa over items with >= 2 ratings, allowing unequal rater counts.

    Generalisation: the observed term is the mean over items of each item's own share
    of agreeing rater pairs, ``P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1))``, and the
    chance term uses category proportions pooled over all ratings,
    ``p_j = sum_i n_ij / sum_i n_i``. With the same ``n_i`` for every item both terms
    reduce to Fleiss (1971) exactly.
    """
    return _fleiss(_pairable_units(ratings))


def _label_totals(units: list[_Unit]) -> dict[Hashable, int]:
    """Return how many ratings carry each label, over all units."""
    totals: dict[Hashable, int] = {}
    for unit in units:
        for label, count in unit.counts.items():
            totals[label] = totals.get(label, 0) + count
    return totals


def _fleiss(units: list[_Unit]) -> float | None:
    if not units:
        return None
    totals = _label_totals(units)
    if len(totals) < 2:
        return None
    observed = _observed(units)
    n = sum(totals.values())
    expected = sum((count / n) ** 2 for count in totals.values())
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(ratings: Ratings) -> float | None:
    """Return Krippendorff's nominal alpha via the coincidence matrix.

    Items with a single rating are unpairable and dropped, as in Krippendorff (2011).
    Only the diagonal of the coincidence matrix and its marginals matter for nominal
    data: ``alpha = ((n-1) sum_c o_cc - sum_c n_c (n_c-1)) / (n (n-1) - sum_c n_c (n_c-1))``.
    """
    return _alpha(_pairable_units(ratings))


def _alpha(units: list[_Unit]) -> float | None:
    # Items of the same size m share the weight 1/(m-1), so sum their agreeing pairs first;
    # Fractions keep the weights exact, so the result matches to the last bit.
    agreeing_by_size: Counter[int] = Counter()
    for unit in units:
        agreeing_by_size[unit.m] += _agreeing_ordered_pairs(unit.counts)
    return _alpha_of(agreeing_by_size, _label_totals(units))


def _alpha_of(agreeing_by_size: Mapping[int, int], totals: Mapping[Hashable, int]) -> float | None:
    if len(totals) < 2:
        return None
    diagonal = sum(
        (Fraction(agreeing, m - 1) for m, agreeing in agreeing_by_size.items()), Fraction(0)
    )
    n = sum(totals.values())
    expected_same = _agreeing_ordered_pairs(totals)
    return float(((n - 1) * diagonal - expected_same) / (n * (n - 1) - expected_same))


def nominal_report(ratings: Ratings) -> NominalReport:
    """Return every nominal agreement statistic for ``ratings`` in one report."""
    tally = NominalTally()
    for by_annotator in ratings.values():
        tally.add(by_annotator)
    return tally.report()


class NominalTally:
    """The sums nominal agreement is computed from, added up item by item.

    Holds no item once added, so memory stays flat however many items pass through it; the
    report equals ``nominal_report`` of all the items at once.
    """

    def __init__(self):
        self.n_items = 0
        self.agreement_sum = 0.0  # sum over items of the share of agreeing rating pairs
        self.label_totals: dict[Hashable, int] = {}
        self.agreeing_by_size: Counter[int] = Counter()
        # (a, b) -> (label of a, label of b) -> items, for every pair rating one item.
        self.pairs: dict[tuple[str, str], Counter] = {}

    def add(self, by_annotator: Mapping[str, Hashable]) -> None:
        """Add one item: annotator -> label (None: a missing rating)."""
        rated = sorted((n, label) for n, label in by_annotator.items() if label is not None)
        for i, (a, label_a) in enumerate(rated):
            for b, label_b in rated[i + 1 :]:
                self.pairs.setdefault((a, b), Counter())[(label_a, label_b)] += 1
        unit = _pairable_units({None: by_annotator})
        if unit:
            (unit,) = unit
            self.n_items += 1
            self.agreement_sum += _pair_agreement(unit)
            self.agreeing_by_size[unit.m] += _agreeing_ordered_pairs(unit.counts)
            for label, count in unit.counts.items():
                self.label_totals[label] = self.label_totals.get(label, 0) + count

    def observed(self) -> float | None:
        return self.agreement_sum / self.n_items if self.n_items else None

    def fleiss(self) -> float | None:
        totals = self.label_totals
        if not self.n_items or len(totals) < 2:
            return None
        n = sum(totals.values())
        expected = sum((count / n) ** 2 for count in totals.values())
        return (self.observed() - expected) / (1 - expected)

    def alpha(self) -> float | None:
        return _alpha_of(self.agreeing_by_size, self.label_totals)

    def report(self) -> NominalReport:
        return NominalReport(
            n_items=self.n_items,
            observed=self.observed(),
            fleiss_kappa=self.fleiss(),
            krippendorff_alpha=self.alpha(),
            pairs=[pair_kappa(pair, table) for pair, table in sorted(self.pairs.items())],
        )


def pair_kappa(annotators: tuple[str, str], table: Mapping[tuple, int]) -> PairScore:
    """Return Cohen's kappa from a pair's table of (label of a, label of b) -> items."""
    n = sum(table.values())
    counts_a: Counter = Counter()
    counts_b: Counter = Counter()
    for (x, y), count in table.items():
        counts_a[x] += count
        counts_b[y] += count
    observed = sum(count for (x, y), count in table.items() if x == y) / n
    kappa = None
    if len(counts_a.keys() | counts_b.keys()) > 1:
        expected = sum(counts_a[c] * counts_b[c] for c in counts_a) / (n * n)
        kappa = (observed - expected) / (1 - expected)
    return PairScore(annotators=annotators, kappa=kappa, observed=observed, n_items=n)


# --- spans ----------------------------------------------------------------------------


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
