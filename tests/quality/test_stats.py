"""Tests for claims.quality.stats against textbook examples and the krippendorff package."""

from collections import Counter
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.quality.span_stats import (
    PairSpanScore,
    SpanScore,
    span_f1,
    span_f1_pairwise,
    speaker_agreement,
)
from claims.quality.stats import (
    NominalReport,
    PairScore,
    cohen_kappa,
    cohen_kappa_pairs,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    nominal_report,
    observed_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# nominal data, 4 observers x 12 units, None = missing. Published alpha = 0.743.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}

# Fleiss (1971) worked example as reproduced on Wikipedia ("Fleiss' kappa"):
# 10 subjects x 5 categories, each cell = number of the 14 raters choosing it.
FLEISS_1971 = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

LABELS = ["claim", "no-claim", "unsure"]
ANNOTATORS = ["ann", "bob", "cy", "dee"]


def by_observer_to_ratings(columns):
    """Turn observer -> per-unit values (None = missing) into item -> annotator -> label."""
    n_units = len(next(iter(columns.values())))
    return {
        unit: {obs: values[unit] for obs, values in columns.items() if values[unit] is not None}
        for unit in range(n_units)
    }


def counts_to_ratings(table):
    """Build ratings from a subjects x categories count table, rater ids r0, r1, ..."""
    ratings = {}
    for subject, row in enumerate(table):
        labels = [category for category, count in enumerate(row) for _ in range(count)]
        ratings[subject] = {f"r{i}": label for i, label in enumerate(labels)}
    return ratings


def package_alpha(ratings):
    """Compute nominal alpha with the krippendorff package, None where it is undefined."""
    items = list(ratings)
    annotators = sorted({name for by_ann in ratings.values() for name in by_ann})
    labels = dict.fromkeys(x for by_ann in ratings.values() for x in by_ann.values())
    codes = {label: float(i) for i, label in enumerate(labels)}
    matrix = [
        [
            codes[ratings[item][name]] if ratings[item].get(name) is not None else np.nan
            for item in items
        ]
        for name in annotators
    ]
    try:
        with np.errstate(all="ignore"):
            value = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    except ValueError:  # the package raises for <2 values or no pairable unit
        return None
    return None if np.isnan(value) else float(value)


def classic_fleiss(table):
    """Compute Fleiss' kappa straight from the 1971 formulas (equal raters per subject)."""
    n_subjects, raters = len(table), sum(table[0])
    p_j = [sum(row[j] for row in table) / (n_subjects * raters) for j in range(len(table[0]))]
    p_i = [(sum(c * c for c in row) - raters) / (raters * (raters - 1)) for row in table]
    p_bar, p_e = sum(p_i) / n_subjects, sum(p * p for p in p_j)
    return (p_bar - p_e) / (1 - p_e)


def direct_cohen(pairs):
    """Compute Cohen's kappa from a confusion table of (label a, label b) pairs."""
    n = len(pairs)
    table = Counter(pairs)
    labels = {x for pair in pairs for x in pair}
    p_o = sum(table[(c, c)] for c in labels) / n
    p_e = sum(
        sum(table[(c, k)] for k in labels) * sum(table[(k, c)] for k in labels) for c in labels
    ) / (n * n)
    return (p_o - p_e) / (1 - p_e)


ratings_strategy = st.dictionaries(
    keys=st.integers(0, 40),
    values=st.dictionaries(st.sampled_from(ANNOTATORS), st.sampled_from(LABELS), max_size=4),
    min_size=1,
    max_size=25,
)


# --- Krippendorff's alpha ---------------------------------------------------------------


def test_krippendorff_textbook_example():
    alpha = krippendorff_alpha_nominal(by_observer_to_ratings(KRIPPENDORFF_2011))
    assert round(alpha, 3) == 0.743


def test_krippendorff_textbook_matches_package():
    matrix = [[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011.values()]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    alpha = krippendorff_alpha_nominal(by_observer_to_ratings(KRIPPENDORFF_2011))
    assert abs(alpha - expected) < 1e-9


@settings(max_examples=300, deadline=None)
@given(ratings_strategy)
def test_krippendorff_matches_package_on_random_data(ratings):
    ours, theirs = krippendorff_alpha_nominal(ratings), package_alpha(ratings)
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None
        assert abs(ours - theirs) < 1e-9


def test_krippendorff_boolean_labels_match_package():
    ratings = {
        0: {"ann": True, "bob": True, "cy": False},
        1: {"ann": False, "bob": False},
        2: {"ann": True, "cy": True},
        3: {"bob": False, "cy": True, "dee": False},
        4: {"dee": True},
    }
    assert abs(krippendorff_alpha_nominal(ratings) - package_alpha(ratings)) < 1e-9


# --- Fleiss' kappa ----------------------------------------------------------------------


def test_fleiss_wikipedia_example():
    kappa = fleiss_kappa(counts_to_ratings(FLEISS_1971))
    assert round(kappa, 3) == 0.210
    assert abs(kappa - classic_fleiss(FLEISS_1971)) < 1e-12


@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda raters: st.lists(
            st.lists(st.sampled_from(LABELS), min_size=raters, max_size=raters),
            min_size=1,
            max_size=15,
        )
    )
)
def test_fleiss_equals_classic_with_equal_rater_counts(subjects):
    table = [[labels.count(c) for c in LABELS] for labels in subjects]
    ratings = {i: {f"r{j}": x for j, x in enumerate(labels)} for i, labels in enumerate(subjects)}
    if len({x for labels in subjects for x in labels}) < 2:
        assert fleiss_kappa(ratings) is None
    else:
        assert abs(fleiss_kappa(ratings) - classic_fleiss(table)) < 1e-12


def test_fleiss_unequal_rater_counts_hand_computed():
    # P_1 = 2/6, P_2 = 1 -> P_bar = 2/3; pooled p = (4/5, 1/5) -> P_e = 17/25.
    ratings = {"x": {"a": "y", "b": "y", "c": "n"}, "z": {"a": "y", "b": "y"}, "s": {"a": "n"}}
    assert fleiss_kappa(ratings) == pytest.approx(-1 / 24)
    assert observed_agreement(ratings) == pytest.approx(2 / 3)


# --- Cohen's kappa ----------------------------------------------------------------------


def wikipedia_cohen_ratings():
    cells = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    cells += [("no", "no")] * 15
    return {i: {"a": x, "b": y} for i, (x, y) in enumerate(cells)}


def test_cohen_wikipedia_example():
    score = cohen_kappa(wikipedia_cohen_ratings(), "a", "b")
    assert score.annotators == ("a", "b")
    assert score.n_items == 50
    assert score.observed == pytest.approx(0.7)
    assert score.kappa == pytest.approx(0.4)


def test_cohen_is_symmetric_and_skips_unshared_items():
    ratings = wikipedia_cohen_ratings()
    ratings[99] = {"a": "yes"}
    ratings[100] = {"b": "no", "c": "no"}
    ab, ba = cohen_kappa(ratings, "a", "b"), cohen_kappa(ratings, "b", "a")
    assert ba.annotators == ("b", "a")
    assert (ab.kappa, ab.observed, ab.n_items) == (ba.kappa, ba.observed, ba.n_items)
    assert ab.n_items == 50


@settings(max_examples=200, deadline=None)
@given(ratings_strategy)
def test_cohen_matches_direct_formula(ratings):
    for a, b in combinations(ANNOTATORS, 2):
        pairs = [(r[a], r[b]) for r in ratings.values() if a in r and b in r]
        score, reverse = cohen_kappa(ratings, a, b), cohen_kappa(ratings, b, a)
        assert score.n_items == len(pairs)
        assert score.kappa == reverse.kappa
        if len({x for pair in pairs for x in pair}) > 1:
            assert abs(score.kappa - direct_cohen(pairs)) < 1e-12
        else:
            assert score.kappa is None


def test_cohen_pairs_lists_only_pairs_with_shared_items_sorted():
    ratings = {
        1: {"bob": "x", "ann": "x", "cy": "y"},
        2: {"ann": "y", "bob": "y"},
        3: {"dee": "x"},
    }
    pairs = cohen_kappa_pairs(ratings)
    assert [p.annotators for p in pairs] == [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]
    assert pairs[0] == PairScore(annotators=("ann", "bob"), kappa=1.0, observed=1.0, n_items=2)


# --- undefined cases --------------------------------------------------------------------


@pytest.mark.parametrize(
    "ratings",
    [
        {},
        {1: {}, 2: {"ann": "x"}},
        {1: {"ann": "x", "bob": None}, 2: {"bob": "y"}},
    ],
)
def test_no_comparable_items_gives_none(ratings):
    assert observed_agreement(ratings) is None
    assert fleiss_kappa(ratings) is None
    assert krippendorff_alpha_nominal(ratings) is None
    assert nominal_report(ratings) == NominalReport(
        n_items=0, observed=None, fleiss_kappa=None, krippendorff_alpha=None, pairs=[]
    )
    assert cohen_kappa(ratings, "ann", "bob") == PairScore(("ann", "bob"), None, None, 0)


def test_unanimous_single_label_has_perfect_agreement_but_no_kappa():
    # A singleton rating of another label is unpairable and must not rescue the statistic.
    ratings = {1: {"ann": "x", "bob": "x"}, 2: {"ann": "x", "bob": "x", "cy": "x"}, 3: {"cy": "y"}}
    report = nominal_report(ratings)
    assert report.n_items == 2
    assert report.observed == 1.0
    assert report.fleiss_kappa is None
    assert report.krippendorff_alpha is None
    assert package_alpha(ratings) is None
    assert all(pair.kappa is None and pair.observed == 1.0 for pair in report.pairs)


def test_nominal_report_collects_all_statistics():
    ratings = by_observer_to_ratings(KRIPPENDORFF_2011)
    report = nominal_report(ratings)
    assert report.n_items == 11
    assert report.observed == observed_agreement(ratings)
    assert report.fleiss_kappa == fleiss_kappa(ratings)
    assert report.krippendorff_alpha == krippendorff_alpha_nominal(ratings)
    assert [p.annotators for p in report.pairs] == list(combinations("ABCD", 2))


# --- spans ------------------------------------------------------------------------------


def test_partial_overlap_counts_in_overlap_mode_only():
    reference, other = [(0, 5), (10, 20)], [(0, 5), (12, 25)]
    assert span_f1(reference, other, "exact") == SpanScore(0.5, 0.5, 0.5, 2, 2, 1)
    assert span_f1(reference, other, "overlap") == SpanScore(1.0, 1.0, 1.0, 2, 2, 2)


def test_overlap_matching_is_one_to_one():
    score = span_f1([(0, 20)], [(2, 5), (10, 15)], "overlap")
    assert (score.matched, score.n_a, score.n_b) == (1, 1, 2)
    assert score.precision == 0.5
    assert score.recall == 1.0
    assert score.f1 == pytest.approx(2 / 3)


def test_touching_spans_do_not_overlap():
    assert span_f1([(0, 5)], [(5, 10)], "overlap").matched == 0


def test_labels_must_match():
    assert span_f1([(0, 5, "claim")], [(0, 5, "source")], "exact").matched == 0
    assert span_f1([(0, 5, "claim")], [(1, 4, "claim")], "overlap").matched == 1


def test_duplicate_spans_match_once_in_exact_mode():
    assert span_f1([(0, 5)], [(0, 5), (0, 5)], "exact").matched == 1


def test_empty_sides():
    assert span_f1([], [], "exact") == SpanScore(None, None, None, 0, 0, 0)
    assert span_f1([], [(0, 1)], "overlap") == SpanScore(0.0, None, 0.0, 0, 1, 0)
    assert span_f1([(0, 1)], [], "overlap") == SpanScore(None, 0.0, 0.0, 1, 0, 0)


def test_bad_input_raises():
    with pytest.raises(ValueError):
        span_f1([(0, 1)], [(0, 1)], "fuzzy")
    with pytest.raises(ValueError):
        span_f1([(5, 1)], [], "exact")


def test_span_f1_pairwise_micro_averages_over_shared_items():
    spans = {
        1: {"ann": [(0, 5)], "bob": [(0, 5)], "cy": []},
        2: {"ann": [(0, 10)], "bob": [(2, 4), (6, 8)]},
        3: {"ann": [(1, 2)]},
    }
    exact = span_f1_pairwise(spans, "exact")
    assert [s.annotators for s in exact] == [("ann", "bob"), ("ann", "cy"), ("bob", "cy")]
    assert exact[0] == PairSpanScore(("ann", "bob"), 2, 1 / 3, 0.5, 0.4, 2, 3, 1)
    assert exact[1] == PairSpanScore(("ann", "cy"), 1, None, 0.0, 0.0, 1, 0, 0)
    overlap = span_f1_pairwise(spans, "overlap")
    assert overlap[0] == PairSpanScore(("ann", "bob"), 2, 2 / 3, 1.0, 0.8, 2, 3, 2)


# --- speakers ---------------------------------------------------------------------------


def test_speaker_agreement():
    items = [
        # Same source, same speaker; partially overlapping source, different speaker.
        ([((0, 10), "s1"), ((20, 30), "s2")], [((0, 10), "s1"), ((25, 35), "s3")]),
        # A source only one annotator marked is not compared.
        ([((0, 4), "s1")], []),
        # The exact source wins the one-to-one match over the longer overlapping one.
        ([((0, 10), "s4")], [((0, 20), "s5"), ((0, 10), "s4")]),
    ]
    result = speaker_agreement(items)
    assert result == (2, 3, pytest.approx(2 / 3))
    agreeing, compared, share = result
    assert (result.agreeing, result.compared) == (agreeing, compared) == (2, 3)


def test_speaker_agreement_with_nothing_to_compare():
    assert speaker_agreement([]) == (0, 0, None)
    assert speaker_agreement([([((0, 2), "s1")], [((2, 4), "s1")])]) == (0, 0, None)
