"""Check-worthiness in context: the classifier's score read with what the label depends on.

Whether a sentence is worth checking depends on more than its words: on the sentences around
it (a claim comes with its figures) and on who speaks (a moderator's questions, a transcript's
stage directions and an audience's questions are never checked). Transcripts start each turn
with ``NAME:``; ``turns`` follows the speaker through the turn's sentences.

A small logistic regression, fitted on the dev documents (never on the sentences the
classifier learnt from, whose scores are overconfident), reads the classifier's log-odds of
the sentence and of its neighbours, how often the speaker's sentences were check-worthy in
training, whether the sentence opens a turn or asks a question, its length, how far into its
turn it is and how near the turn's end (a speaker's check-worthy sentences sit inside the
answer, not in its first words or last), whether it states a figure and whether it answers
a question. Training keeps the feature set (these, the first seven, or the score alone) whose
calibration ranks best on documents left out of its fit. Its output is
both the ranking score and a calibrated probability: on dev, about as many sentences are
check-worthy as the probabilities add up to.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy

from claims.nlp.training.scoring import average_precision

# "TRUMP: ", "MR. SCHWAB: ", "AUDIENCE MEMBERS: ": a speaker's name in capitals, a colon.
TURN = re.compile(r"^([A-Z][A-Z.'\- ]{1,40}):\s")
# A speaker counts when the training documents give them this many sentences.
MIN_SPEAKER_SENTENCES = 20
FEATURES = (
    "score",
    "previous",
    "next",
    "speaker",
    "turn_start",
    "question",
    "length",
    "turn_position",
    "turn_rest",
    "number",
    "after_question",
)
# How far into its turn and before its end a sentence is counts up to this many sentences:
# the suggestions of one sentence are served with two sentences either side, so a count
# that went further would be known by article and not for one sentence.
TURN_SEEN = 2
# The features of the first calibrations (models stored before the turn's shape was read).
CONTEXT = FEATURES[:7]
# A figure, a share, an amount: what a checkable claim usually states.
NUMBER = re.compile(
    r"\d|\b(?:percent|million|billion|trillion|thousand|hundred|twice|half|doubled|tripled)\b",
    re.IGNORECASE,
)
# The penalties and feature sets tried; training keeps the pair with the best MAP over its own
# labelled documents, each scored by a fit on the others (``choose_calibration``). A
# stronger penalty suits fewer check-worthy sentences to fit on.
PENALTIES = (1.0, 10.0, 100.0)
FEATURE_SETS = {"turns": FEATURES, "context": CONTEXT, "score": ("score",)}
L2 = 100.0
TEMPERATURES = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0)


@dataclass(frozen=True)
class Turn:
    """Who speaks a sentence (None: no turn seen yet), whether the sentence opens the turn,
    how many of the turn's sentences come before it and how many after (as far as the texts
    show)."""

    speaker: str | None = None
    opens: bool = False
    position: int = 0
    remaining: int = 0


def turn_speaker(text: str) -> str | None:
    """Return the speaker a sentence opens a turn for (``TRUMP: ...``), else None."""
    found = TURN.match(text)
    return found.group(1).strip() if found else None


def turns(texts: Sequence[str], carried: str | None = None) -> list[Turn]:
    """Return each consecutive sentence's turn; ``carried``: the speaker before the first,
    whose turn opened before the texts (its sentences count as at least ``TURN_SEEN`` in)."""
    opened = [turn_speaker(text) for text in texts]
    found, speaker, start = [], carried, 0 if carried is None else -TURN_SEEN
    for index, name in enumerate(opened):
        if name is not None:
            start = index
        speaker = name or speaker
        found.append((speaker, name is not None, index - start))
    ends = [len(texts)] * len(texts)  # where each sentence's turn ends
    for index in range(len(texts) - 2, -1, -1):
        ends[index] = index + 1 if opened[index + 1] is not None else ends[index + 1]
    return [
        Turn(speaker, opens, position, ends[i] - i - 1)
        for i, (speaker, opens, position) in enumerate(found)
    ]


def speaker_rates(
    documents: Sequence[Sequence[tuple[str, bool | None]]],
) -> dict[str, list[int]]:
    """Return speaker -> [check-worthy sentences, labelled sentences] over documents, each a
    sequence of (text, check-worthy or None when unlabelled) in reading order; speakers with
    few labelled sentences are left out."""
    positives, totals = Counter(), Counter()
    for sentences in documents:
        for turn, (_, worthy) in zip(turns([t for t, _ in sentences]), sentences, strict=True):
            if turn.speaker and worthy is not None:
                totals[turn.speaker] += 1
                positives[turn.speaker] += worthy
    return {
        name: [positives[name], total]
        for name, total in totals.items()
        if total >= MIN_SPEAKER_SENTENCES
    }


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def features(
    texts: Sequence[str],
    scores: Sequence[float],
    turn_list: Sequence[Turn],
    rates: Mapping[str, Sequence[int]],
    prior: float,
) -> numpy.ndarray:
    """Return one row of FEATURES per sentence (scores: the classifier's probabilities)."""
    odds = [_logit(s) for s in scores]
    rows = []
    for i, text in enumerate(texts):
        before = odds[i - 1] if i > 0 else odds[i]
        after = odds[i + 1] if i + 1 < len(odds) else odds[i]
        turn = turn_list[i]
        positive, total = rates.get(turn.speaker or "", (0, 0))
        # Smoothed toward the prior: a speaker seen 20 times is not known for sure.
        rate = (positive + 10 * prior) / (total + 10)
        rows.append(
            (
                odds[i],
                before,
                after,
                _logit(rate),
                float(turn.opens),
                float(text.rstrip().endswith("?")),
                math.log(1 + len(text.split())),
                # Outside turns (news, or before a transcript's first) a sentence's place
                # says nothing of a speaker's answer: read as none.
                float(min(turn.position, TURN_SEEN)) if turn.speaker else 0.0,
                float(min(turn.remaining, TURN_SEEN)) if turn.speaker else 0.0,
                float(NUMBER.search(text) is not None),
                float(i > 0 and texts[i - 1].rstrip().endswith("?")),
            )
        )
    return numpy.asarray(rows, dtype="f8").reshape(len(texts), len(FEATURES))


@dataclass(frozen=True)
class ContextCalibration:
    """The fitted regression: a weight per feature, a bias, the speakers' rates, the prior."""

    weights: tuple[float, ...]
    bias: float
    rates: dict[str, list[int]]
    prior: float

    def score(
        self, texts: Sequence[str], scores: Sequence[float], carried: str | None = None
    ) -> list[float]:
        """Return each consecutive sentence's calibrated check-worthiness probability."""
        if not texts:
            return []
        rows = features(texts, scores, turns(texts, carried), self.rates, self.prior)
        return [float(p) for p in _sigmoid(rows @ numpy.asarray(self.weights) + self.bias)]

    @property
    def reads_turns(self) -> bool:
        """Tell whether the score depends on whose turn a sentence is in and where in it."""
        turn = ("speaker", "turn_position", "turn_rest")
        return bool(self.rates) or any(self.weights[FEATURES.index(n)] for n in turn)

    def meta(self) -> dict:
        """Return the calibration as stored in the model's meta."""
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "speakers": self.rates,
            "prior": self.prior,
        }

    @classmethod
    def from_meta(cls, meta: Mapping | None) -> ContextCalibration | None:
        """Return the stored calibration, or None when there is none (older models)."""
        names = list(meta.get("features", ())) if meta else []
        if not names or any(name not in FEATURES for name in names):
            return None
        # A calibration stored with fewer features weighs the others 0.
        stored = dict(zip(names, meta["weights"], strict=True))
        weights = tuple(float(stored.get(name, 0.0)) for name in FEATURES)
        return cls(weights, meta["bias"], dict(meta["speakers"]), meta["prior"])


def fit_calibration(
    documents: Sequence[tuple[Sequence[str], Sequence[float], Sequence[bool | None]]],
    rates: dict[str, list[int]],
    prior: float,
    *,
    penalty: float = L2,
    kept: Sequence[str] = FEATURES,
) -> ContextCalibration:
    """Fit the regression on documents the classifier did not learn from, each (texts,
    classifier scores, check-worthy or None for an unlabelled sentence, which is context
    only). ``kept``: the features read (the others weigh 0); ``penalty``: the L2 penalty on
    the standardised features."""
    rows = [features(t, s, turns(t), rates, prior) for t, s, _ in documents]
    x = numpy.concatenate(rows) if rows else numpy.zeros((0, len(FEATURES)))
    worthy = [w for _, _, labels in documents for w in labels]
    keep = numpy.asarray([w is not None for w in worthy], dtype=bool)
    x = x[keep] if len(x) else x
    columns = [FEATURES.index(name) for name in kept]
    y = numpy.asarray([bool(w) for w in worthy if w is not None], dtype="f8")
    fitted, bias = _logistic_regression(x[:, columns], y, penalty)
    weights = numpy.zeros(len(FEATURES))
    weights[columns] = fitted
    return ContextCalibration(tuple(float(w) for w in weights), float(bias), rates, prior)


def choose_calibration(
    documents: Sequence[tuple[Sequence[str], Sequence[float], Sequence[bool | None]]],
    rates: dict[str, list[int]],
    prior: float,
) -> tuple[ContextCalibration, dict]:
    """Return the calibration fitted on every document with the penalty and feature set whose
    scores rank best on documents left out of the fit, and a report: the choice, the MAP of
    each pair tried, and the average precision per document of the choice (each document
    scored by a fit on the others, as an unseen document would be)."""
    tried, per_document = {}, {}
    for name, kept in FEATURE_SETS.items():
        for penalty in PENALTIES:
            found = {}
            for index, (texts, scores, worthy) in enumerate(documents):
                if not any(worthy):
                    continue
                others = [x for i, x in enumerate(documents) if i != index]
                fitted = fit_calibration(others, rates, prior, penalty=penalty, kept=kept)
                found[index] = _ranked_ap(fitted.score(texts, scores), worthy)
            key = f"{name}, penalty {penalty:g}"
            tried[key] = round(sum(found.values()) / len(found), 4) if found else 0.0
            per_document[key] = (name, penalty, found)
    # Ties go to the simpler feature set and the stronger penalty (the later key).
    best = max(tried, key=lambda k: (tried[k], per_document[k][0] == "score", per_document[k][1]))
    name, penalty, found = per_document[best]
    calibration = fit_calibration(documents, rates, prior, penalty=penalty, kept=FEATURE_SETS[name])
    report = {"features": name, "penalty": penalty, "tried": tried, "map": tried[best]}
    return calibration, report | {"per_document": found}


def _ranked_ap(scores: Sequence[float], worthy: Sequence[bool | None]) -> float:
    kept = [(s, w) for s, w in zip(scores, worthy, strict=True) if w is not None]
    return average_precision([s for s, _ in kept], [bool(w) for _, w in kept])


def _sigmoid(z):
    return 1 / (1 + numpy.exp(-numpy.clip(z, -30, 30)))


def _logistic_regression(x: numpy.ndarray, y: numpy.ndarray, penalty: float = L2, steps: int = 50):
    """Return (weights, bias) of an L2-regularised logistic regression, by Newton's method.

    The features are standardised for the fit and the weights mapped back, so the penalty
    treats every feature alike.
    """
    if not len(y) or y.min() == y.max():
        rate = float(y.mean()) if len(y) else 0.5
        return numpy.zeros(x.shape[1]), _logit(rate)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = numpy.hstack([(x - mean) / scale, numpy.ones((len(x), 1))])
    w = numpy.zeros(z.shape[1])
    penalties = numpy.full(z.shape[1], penalty)
    penalties[-1] = 0.0  # the bias is not pulled toward zero
    for _ in range(steps):
        p = _sigmoid(z @ w)
        gradient = z.T @ (p - y) + penalties * w
        hessian = (z.T * (p * (1 - p))) @ z + numpy.diag(penalties + 1e-9)
        step = numpy.linalg.solve(hessian, gradient)
        w -= step
        if numpy.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / scale
    bias = w[-1] - float((w[:-1] * mean / scale).sum())
    return weights, bias


def temperature_of(
    probabilities: Sequence[Mapping[str, float]], gold: Sequence[str], grid=TEMPERATURES
) -> float:
    """Return the temperature with the lowest log loss of the gold labels (ties: nearest 1)."""

    def loss(t: float) -> float:
        return -sum(
            math.log(max(tempered(p, t)[label], 1e-12))
            for p, label in zip(probabilities, gold, strict=True)
        )

    return min(grid, key=lambda t: (round(loss(t), 6), abs(math.log(t)))) if gold else 1.0


def tempered(probabilities: Mapping[str, float], temperature: float) -> dict[str, float]:
    """Return the distribution softened (``temperature`` > 1) or sharpened (< 1)."""
    powered = {k: max(v, 1e-12) ** (1 / temperature) for k, v in probabilities.items()}
    total = sum(powered.values())
    return {k: v / total for k, v in powered.items()}


def with_checkworthiness(
    probabilities: Mapping[str, float], label: str, score: float
) -> dict[str, float]:
    """Return the distribution with ``label`` at the calibrated ``score``, the other labels
    sharing the rest as they did."""
    rest = sum(v for k, v in probabilities.items() if k != label)
    return {
        k: score if k == label else (1 - score) * (v / rest if rest else 0.0)
        for k, v in probabilities.items()
    }
