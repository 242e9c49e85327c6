"""Inter-annotator agreement for nominal labels (spans: claims.quality.span_stats).

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

Spans: claims.quality.span_stats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import NamedTuple, TypeAlias

Ratings: TypeAlias = Mapping[Hashable, Mapping[str, Hashable]]


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
