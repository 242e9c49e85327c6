"""The claim classifier's best epoch, its calibration in context, and the turns it reads."""

import random

import pytest

from claims.nlp.training import LoopSettings, TrainingSettings, train_model
from claims.nlp.training.checkworthiness import (
    ContextCalibration,
    fit_calibration,
    speaker_rates,
    tempered,
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
