"""The claim classifier's best epoch, its calibration in context, and the turns it reads."""

import random

import pytest

from claims.nlp.training import LoopSettings, TrainingSettings, train_model
from claims.nlp.training.checkworthiness import (
    CONTEXT,
    ContextCalibration,
    features,
    fit_calibration,
    speaker_rates,
    tempered,
    turn_speaker,
    turns,
    with_checkworthiness,
)
from claims.nlp.training.classifier import build_classifier, classifier_examples
from claims.nlp.training.loop import fit
from tests.nlp.test_training import documents


def test_fit_keeps_the_epoch_scoring_best_on_dev_not_the_last():
    nlp = build_classifier(["claim", "checkworthy"], "bow")
    examples = classifier_examples(
        nlp, ["Unemployment rose.", "He said so."] * 20, ["checkworthy", "claim"] * 20
    )
    dev_scores, weights = iter([0.2, 0.9, 0.4, 0.3]), {}

    def evaluate():
        epoch = len(weights) + 1
        weights[epoch] = nlp.to_bytes()
        return {"map": next(dev_scores)}

    history = fit(nlp, "textcat", examples, LoopSettings(epochs=4), evaluate=evaluate,
                  select=lambda figures: figures["map"])  # fmt: skip
    assert [h["map"] for h in history] == [0.2, 0.9, 0.4, 0.3]
    assert nlp.to_bytes() == weights[2]
    assert nlp.to_bytes() != weights[4]


def test_without_select_the_last_epoch_is_kept():
    nlp = build_classifier(["claim", "checkworthy"], "bow")
    examples = classifier_examples(nlp, ["A.", "B."] * 10, ["checkworthy", "claim"] * 10)
    weights = []
    fit(nlp, "textcat", examples, LoopSettings(epochs=3),
        evaluate=lambda: weights.append(nlp.to_bytes()) or {})  # fmt: skip
    assert nlp.to_bytes() == weights[-1]


def test_the_report_names_the_epoch_kept_and_the_baseline():
    settings = TrainingSettings(
        dev_share=0.25,
        classifier_kind="ensemble",
        classifier_loop=LoopSettings(epochs=3, batch_words=200),
    )
    report = train_model(documents(), settings).meta["classifier"]
    history = [h["map"] for h in report["history"]]
    assert report["best_epoch"] == history.index(max(history)) + 1
    assert report["dev"]["map"] == max(history)
    assert 0 <= report["dev"]["baseline_map"] <= 1
    assert 0 <= report["dev"]["calibrated_map"] <= 1
    assert report["calibration"]["features"][0] == "score"


def test_turns_follow_the_speaker_until_the_next_name():
    texts = [
        "HOLT: Good evening.",
        "Welcome.",
        "TRUMP: Thank you.",
        "We will win.",
        "MR. SCHWAB: Hi.",
    ]
    found = turns(texts)
    assert [t.speaker for t in found] == ["HOLT", "HOLT", "TRUMP", "TRUMP", "MR. SCHWAB"]
    assert [t.opens for t in found] == [True, False, True, False, True]
    assert turns(["We will win."], carried="TRUMP")[0].speaker == "TRUMP"
    assert turns(["Lavrov: no."])[0].speaker is None  # a name in capitals opens a turn


def test_a_sentence_knows_how_far_into_its_turn_it_is_and_how_near_the_end():
    texts = ["HOLT: Good evening.", "TRUMP: Thank you.", "Jobs left.", "Ford left.", "So."]
    found = turns(texts)
    assert [t.position for t in found] == [0, 0, 1, 2, 3]
    assert [t.remaining for t in found] == [0, 3, 2, 1, 0]


def test_one_sentence_served_with_two_either_side_reads_its_turn_as_the_whole_article_does():
    article = ["HOLT: Why?", "TRUMP: Jobs.", "Ford left.", "It did.", "So.", "Yes.", "HOLT: Next?"]
    by_article = features(article, [0.5] * len(article), turns(article), {}, 0.1)
    for index in range(len(article)):
        before, after = article[max(index - 2, 0) : index], article[index + 1 : index + 3]
        earlier = [turn_speaker(t) for t in article[: index - len(before)] if turn_speaker(t)]
        # As serving does: whose turn the text before the window is in, when none opens in it.
        carried = None if any(map(turn_speaker, before)) or not earlier else earlier[-1]
        window = [*before, article[index], *after]
        served = features(window, [0.5] * len(window), turns(window, carried), {}, 0.1)
        assert served[len(before)].tolist() == by_article[index].tolist(), article[index]


def test_a_calibration_stored_before_the_turn_features_scores_as_it_did():
    dev = overconfident_documents()
    rates = speaker_rates([list(zip(t, w, strict=True)) for t, _, w in dev])
    calibration = fit_calibration(dev, rates, prior=0.1, kept=CONTEXT)
    stored = calibration.meta()
    stored["weights"] = stored["weights"][: len(CONTEXT)]
    stored["features"] = list(CONTEXT)
    texts, scores, _ = dev[0]
    old = ContextCalibration.from_meta(stored)
    assert old.score(texts, scores) == pytest.approx(calibration.score(texts, scores))
    assert ContextCalibration.from_meta(stored | {"features": ["score", "unheard_of"]}) is None


def overconfident_documents(seed: int = 0):
    """Documents whose classifier scores are all 0.999+, one sentence in ten check-worthy,
    the check-worthy ones scored a little higher and all spoken by SMITH."""
    rng = random.Random(seed)
    found = []
    for _ in range(4):
        texts, scores, worthy = [], [], []
        for i in range(100):
            positive = rng.random() < 0.1
            speaker = "SMITH" if positive or rng.random() < 0.3 else "JONES"
            texts.append(f"{speaker}: sentence {i}." if i % 5 == 0 else f"Sentence {i}.")
            scores.append(0.9999 if positive else 0.999)
            worthy.append(positive)
        found.append((texts, scores, worthy))
    return found


def test_calibration_brings_overconfident_scores_to_the_rate_seen_on_dev():
    dev = overconfident_documents()
    rates = speaker_rates([list(zip(t, w, strict=True)) for t, _, w in overconfident_documents(1)])
    calibration = fit_calibration(dev, rates, prior=0.1)
    probabilities = [p for texts, scores, _ in dev for p in calibration.score(texts, scores)]
    positives = sum(w for _, _, worthy in dev for w in worthy)
    assert all(0 < p < 1 for p in probabilities)
    assert max(probabilities) < 0.99
    assert sum(probabilities) == pytest.approx(positives, rel=0.15)
    stored = ContextCalibration.from_meta(calibration.meta())
    texts, scores, _ = dev[0]
    assert stored.score(texts, scores) == pytest.approx(calibration.score(texts, scores))


def test_the_claim_distribution_keeps_summing_to_one():
    softened = tempered({"claim": 0.999, "checkworthy": 0.001}, 3.0)
    assert 0.5 < softened["claim"] < 0.95 and sum(softened.values()) == pytest.approx(1)
    spread = with_checkworthiness({"a": 0.6, "b": 0.3, "checkworthy": 0.1}, "checkworthy", 0.4)
    assert spread == pytest.approx({"a": 0.4, "b": 0.2, "checkworthy": 0.4})


def test_check_worthiness_is_calibrated_and_judged_on_documents_each_classifier_never_saw():
    docs = documents()
    settings = TrainingSettings(
        dev_share=0.25,
        classifier_kind="bow",
        classifier_folds=3,
        classifier_loop=LoopSettings(epochs=3, batch_words=200),
        baseline_loop=LoopSettings(epochs=2, batch_words=200),
    )
    report = train_model(docs, settings).meta["classifier"]
    # The dev part stays apart (the model's page compares models on it); every other document
    # was scored by a classifier trained on the other folds, for the served model and for the
    # bag of n-grams it is compared with.
    dev = set(report["dev_documents"])
    assert len(dev) == 3 and report["train_documents"] == len(docs) - 3
    keys = {d.key for d in docs} - dev
    assert set(report["dev_ap"]["served"]) == keys == set(report["dev_ap"]["baseline"])
    choice = report["calibration_choice"]
    assert choice["folds"] == 3 and choice["documents"] == len(keys)
    assert choice["map"] == max(choice["tried"].values()) == report["dev"]["calibrated_map"]
    history = [h["map"] for h in report["history"]]
    assert report["best_epoch"] == history.index(max(history)) + 1


def test_too_few_documents_to_cross_fit_are_calibrated_on_the_dev_part():
    docs = documents()[:5]
    settings = TrainingSettings(
        dev_share=0.4, classifier_kind="bow", classifier_loop=LoopSettings(epochs=2)
    )
    report = train_model(docs, settings).meta["classifier"]
    assert "calibration_choice" not in report
    assert len(report["dev_documents"]) == 2 and report["train_documents"] == 3


def test_serving_looks_up_the_turn_only_for_a_calibration_that_reads_it():
    dev = overconfident_documents()
    rates = speaker_rates([list(zip(t, w, strict=True)) for t, _, w in dev])
    assert not fit_calibration(dev, {}, prior=0.1, kept=("score",)).reads_turns
    assert fit_calibration(dev, rates, prior=0.1).reads_turns
    # No speaker known well enough, but where a sentence sits in its turn still counts.
    assert fit_calibration(dev, {}, prior=0.1, kept=("score", "turn_position")).reads_turns
