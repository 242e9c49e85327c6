"""The agreement report gathered from the database, on a project whose answers are known by hand."""

from fractions import Fraction

import krippendorff
import numpy as np
import pytest

from claims.models import Role
from claims.quality.disagreements import disagreement_queue, sentence_states
from claims.quality.report import agreement_report
from claims.services.gold import gold_adopt
from tests.factories import TARGET, make_article, make_member, make_project, save_annotation

TEXT = (
    "Prices rose by 5% in May. The minister said the law will change. "
    'Rain is expected tomorrow.\n"We will win," Smith said.\n'
)
# Claim labels by sentence (S0..S3) and annotator; None = not submitted.
CLAIMS = {
    "ann": ["claim", "checkworthy", "not_claim", "claim"],
    "bob": ["claim", "checkworthy", "claim", "claim"],
    "cy": ["claim", "claim", "not_claim", None],
}
LEAD_TIMES = {"ann": [1000, 2000, 3000, 4000], "bob": [500] * 4, "cy": [100, 200, 300, 0]}
MINISTER = {"name": "The Minister", "kind": "person"}


def attribution(source, cue, content, speaker, quote_type="indirect"):
    return {
        "speaker": speaker,
        "source": {"start": source[0], "end": source[1]},
        "cue": {"start": cue[0], "end": cue[1]},
        "content": {"start": content[0], "end": content[1]},
        "quote_type": quote_type,
    }


def extras(name: str, index: int) -> dict:
    """Return the claim types, attributions and stances each annotator gave, by sentence."""
    if index == 0 and name in ("ann", "bob"):
        return {"claim_types": ["quantity"]}
    if index == 1:
        data = {"stance": [{"target": TARGET, "label": "against" if name == "cy" else "favor"}]}
        source_start = {"ann": 0, "bob": 4}.get(name)  # "The minister" / "minister"
        if source_start is not None:
            data["attributions"] = [attribution((source_start, 12), (13, 17), (18, 37), MINISTER)]
        return data
    if index == 3:
        speaker = {"name": "John Smith" if name == "ann" else "Jane Smith", "kind": "person"}
        return {"attributions": [attribution((15, 20), (21, 25), (1, 12), speaker, "direct")]}
    return {}


def crafted_project():
    """Build three annotators' work on four sentences; cy has only a draft on the last one."""
    project = make_project("crafted", per_sentence=3)
    users = {name: make_member(project, Role.ANNOTATOR, name) for name in CLAIMS}
    reviewer = make_member(project, Role.REVIEWER, "rev")
    sentences = list(make_article(project, TEXT, "crafted").sentences.order_by("index"))
    assert [s.text[:6] for s in sentences] == ["Prices", "The mi", "Rain i", '"We wi']
    for name, labels in CLAIMS.items():
        for index, claim in enumerate(labels):
            data = {"status": "submitted", "claim": claim, "lead_time_ms": LEAD_TIMES[name][index]}
            if claim is None:
                data = {"status": "draft", "claim": "checkworthy"}
            save_annotation(sentences[index], users[name], {**data, **extras(name, index)})
    return project, sentences, users, reviewer


@pytest.fixture
def crafted(db):
    return crafted_project()


def label(report, field, subject=None):
    return next(x for x in report.labels if (x.field, x.subject) == (field, subject))


def test_claim_label_agreement_matches_the_hand_computation(crafted, django_assert_num_queries):
    project, *_ = crafted
    # Labels 2, a chunk of sentences 1 + 3, progress 2, annotators 2.
    with django_assert_num_queries(10):
        report = agreement_report(project)
    claim = label(report, "claim").agreement
    # Per-sentence shares of agreeing pairs: 1, 1/3, 1/3, 1 (S3 has two raters).
    assert claim.n_items == 4
    assert claim.observed == pytest.approx(2 / 3)
    # Pooled labels: claim 7, checkworthy 2, not_claim 2 of 11; P_e = 57/121.
    assert claim.fleiss_kappa == pytest.approx(71 / 192)
    # Coincidence diagonal 3 + 1 + 1 + 2 = 7, n = 11: (10 * 7 - 46) / (110 - 46).
    assert claim.krippendorff_alpha == pytest.approx(24 / 64)
    pairs = {p.annotators: (p.n_items, p.observed, p.kappa) for p in claim.pairs}
    assert pairs[("ann", "bob")] == (4, 0.75, pytest.approx(5 / 9))
    assert pairs[("ann", "cy")] == (3, pytest.approx(2 / 3), pytest.approx(0.5))
    assert pairs[("bob", "cy")] == (3, pytest.approx(1 / 3), pytest.approx(-0.2))


def test_claim_alpha_equals_the_krippendorff_package(crafted):
    project, *_ = crafted
    codes = {"not_claim": 0, "claim": 1, "checkworthy": 2}
    matrix = [[np.nan if c is None else codes[c] for c in labels] for labels in CLAIMS.values()]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    alpha = label(agreement_report(project), "claim").agreement.krippendorff_alpha
    assert alpha == pytest.approx(expected, abs=1e-12)


def test_derived_fields_checkworthiness_claim_types_and_stance(crafted):
    project, *_ = crafted
    report = agreement_report(project)
    checkworthy = label(report, "checkworthiness").agreement
    assert (checkworthy.n_items, checkworthy.observed) == (4, pytest.approx(5 / 6))
    # "quantity" present for ann and bob on S0 only, absent everywhere else.
    quantity = label(report, "claim_type", "quantity").agreement
    assert (quantity.n_items, quantity.observed) == (4, pytest.approx(5 / 6))
    assert label(report, "claim_type", "prediction").agreement.krippendorff_alpha is None
    # Only S1 has stances: favor, favor, against -> one item, alpha exactly 0.
    stance = label(report, "stance", TARGET).agreement
    assert (stance.n_items, stance.observed) == (1, pytest.approx(1 / 3))
    assert stance.krippendorff_alpha == pytest.approx(0.0)
    assert [x.field for x in report.labels].count("claim_type") == 7


def test_span_f1_and_speaker_agreement(crafted):
    project, *_ = crafted
    spans = {s.role: s for s in agreement_report(project).spans}
    # ann-bob: S1 sources differ ("The minister" / "minister"), S3 equal; cy marked none.
    source = spans["source"]
    assert source.n_items == 4
    assert (source.exact.matched, source.exact.n_spans) == (1, 6)
    assert source.exact.f1 == pytest.approx(1 / 3)
    assert source.overlap.f1 == pytest.approx(2 / 3)
    by_pair = {p.annotators: p.f1 for p in source.exact.pairs}
    assert by_pair == {("ann", "bob"): 0.5, ("ann", "cy"): 0.0, ("bob", "cy"): 0.0}
    assert spans["cue"].exact.f1 == pytest.approx(2 / 3)
    assert spans["content"].overlap.f1 == pytest.approx(2 / 3)
    # Same minister on S1, John vs Jane Smith on S3.
    report = agreement_report(project)
    assert tuple(report.speakers) == (1, 2, 0.5)


def test_per_annotator_figures(crafted):
    project, sentences, users, reviewer = crafted
    summaries = {s.username: s for s in agreement_report(project).annotators}
    assert set(summaries) == {"ann", "bob", "cy"}
    ann, cy = summaries["ann"], summaries["cy"]
    assert (ann.done, ann.submitted, ann.median_lead_time_ms) == (4, 4, 2500)
    assert (cy.done, cy.submitted, cy.median_lead_time_ms) == (3, 3, 200)
    assert (ann.agreement_with_others, ann.compared_with_others) == (pytest.approx(5 / 7), 7)
    assert ann.kappa_with_others == pytest.approx((5 / 9 * 4 + 0.5 * 3) / 7)
    assert ann.agreement_with_gold is None and ann.compared_with_gold == 0

    # Gold for S2 copies cy's not_claim: ann agrees with it, bob does not.
    cy_s2 = sentences[2].annotations.get(annotator=users["cy"])
    gold_adopt(annotation=cy_s2, reviewer=reviewer, version=None)
    summaries = {s.username: s for s in agreement_report(project).annotators}
    assert (summaries["ann"].agreement_with_gold, summaries["ann"].compared_with_gold) == (1.0, 1)
    assert summaries["bob"].agreement_with_gold == 0.0
    assert summaries["ann"].kappa_with_gold is None  # one label only: undefined, not 1
    report = agreement_report(project)
    assert report.sentences.adjudicated == 1
    assert "rev" not in summaries


def test_sentence_counts_and_json_shape(crafted):
    project, *_ = crafted
    report = agreement_report(project)
    assert report.sentences.to_label == 4
    assert (report.sentences.annotated, report.sentences.comparable) == (4, 4)
    assert report.sentences.complete == 3  # S3 has two of the three annotations wanted
    data = report.as_dict()
    assert data["labels"][0]["pairs"][0] == {
        "annotators": ["ann", "bob"],
        "n_items": 4,
        "observed": 0.75,
        "cohen_kappa": pytest.approx(5 / 9),
    }
    assert data["speakers"] == {"agreeing": 1, "compared": 2, "share": 0.5}
    assert data["spans"][0]["role"] == "source"


def test_report_query_count_does_not_grow_with_data(crafted, django_assert_num_queries):
    project, sentences, users, _ = crafted
    more = list(make_article(project, TEXT.replace("May", "June"), "more").sentences.all())
    for sentence in more:
        for name, user in users.items():
            save_annotation(
                sentence,
                user,
                {"status": "submitted", "claim": "claim", **extras(name, sentence.index)},
            )
    with django_assert_num_queries(10):  # four more per 2,000 sentences
        report = agreement_report(project)
    assert label(report, "claim").agreement.n_items == 8


def test_an_empty_project_has_no_figures(db):
    report = agreement_report(make_project("empty"))
    claim = label(report, "claim").agreement
    assert (claim.n_items, claim.observed, claim.krippendorff_alpha) == (0, None, None)
    assert report.spans[0].exact.f1 is None
    assert tuple(report.speakers) == (0, 0, None)


def test_disagreement_queue_content_and_order(crafted, django_assert_num_queries):
    project, sentences, users, reviewer = crafted
    with django_assert_num_queries(5):
        queue = disagreement_queue(project)
    ids = {s.id: s.index for s in sentences}
    assert [ids[item.sentence_id] for item in queue] == [1, 3, 2, 0]
    s1, s3, s2, s0 = queue
    # S1: claim 2/3 + stance 2/3 + attributions (all three differ) 1.
    assert s1.score == Fraction(7, 3)
    assert s1.fields == ("claim", f"stance: {TARGET}", "attributions")
    assert s1.claims == {"checkworthy": 2, "claim": 1}
    assert (s3.score, s3.fields, s3.annotators) == (1, ("attributions",), ("ann", "bob"))
    # S2 and S0 tie at 2/3; S2's split is on the claim label, so it comes first.
    assert (s2.score, s2.fields, s2.claim_score) == (Fraction(2, 3), ("claim",), Fraction(2, 3))
    assert (s0.score, s0.fields) == (Fraction(2, 3), ("claim types",))


def test_adjudicated_sentences_leave_the_queue_unless_asked_for(crafted):
    project, sentences, users, reviewer = crafted
    cy_s2 = sentences[2].annotations.get(annotator=users["cy"])
    gold_adopt(annotation=cy_s2, reviewer=reviewer, version=None)
    assert sentences[2].id not in [item.sentence_id for item in disagreement_queue(project)]
    everything = disagreement_queue(project, include_adjudicated=True)
    assert [item.adjudicated for item in everything] == [False, False, True, False]


def test_unanimous_sentences_are_not_in_the_queue(db):
    project = make_project(per_sentence=2)
    a, b = make_member(project), make_member(project)
    sentence = make_article(project, TEXT).sentences.get(index=0)
    for user in (a, b):
        save_annotation(
            sentence, user, {"status": "submitted", "claim": "claim", "lead_time_ms": 7}
        )
    assert disagreement_queue(project) == []


def test_sentence_states(crafted):
    project, sentences, users, reviewer = crafted
    save_annotation(sentences[2], reviewer, {"status": "draft"})
    states = sentence_states(project, project.sentences.all())
    assert states[sentences[0].id].label == "disagree on claim types"
    assert states[sentences[3].id].submitted == 2
    gold_adopt(
        annotation=sentences[2].annotations.get(annotator=users["cy"]),
        reviewer=reviewer,
        version=None,
    )
    states = sentence_states(project, project.sentences.filter(index=2))
    assert list(states) == [sentences[2].id]
    assert states[sentences[2].id].label == "disagree on claim; adjudicated"
