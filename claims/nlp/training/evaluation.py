"""Score a suggester's suggestions against labelled documents, per label, and how its
confidence relates to being right.

What an annotator would be offered is what is scored: ``ModelSuggester.suggest`` over each
article's sentences in order (the rules alone without a model), at the project's suggestion
threshold. Per label: overlap precision,
recall and F1 of each span role; the claim label's accuracy, each label's F1 and the mean
average precision of the check-worthiness ranking per article; the stance toward each target
(SemEval-2016's F_avg, the mean F1 of favor and against) when the model has a stance classifier,
as the suggestions API serves it: ``suggest_stances`` over the sentence and its neighbours
(``suggest`` has no stance). The reliability table puts every suggestion in a bin by its
confidence and tells the share right (an attribution is right when every span it suggests
is, as its calibration counts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from claims.nlp.training.calibration import attribution_right
from claims.nlp.training.examples import LabeledDocument
from claims.nlp.training.scoring import SpanScores, average_precision
from claims.nlp.training.stance import suggest_stances
from claims.nlp.training.suggester import ModelSuggester
from claims.nlp.training.suggestion import MODEL

BINS = 10
STANCE_MEASURED = ("favor", "against")


class Reliability:
    """Confidence bins (tenths) with how many suggestions fell in each and how many were right."""

    def __init__(self):
        self.counts = [[0, 0, 0.0] for _ in range(BINS)]  # n, right, sum of confidences

    def add(self, confidence: float, right: bool) -> None:
        row = self.counts[min(int(confidence * BINS), BINS - 1)]
        row[0] += 1
        row[1] += bool(right)
        row[2] += confidence

    def table(self) -> dict[str, Any]:
        """Return the bins (low, high, n, share right, mean confidence) and the expected
        calibration error (the gap between confidence and share right, weighted by n)."""
        total = sum(n for n, _, _ in self.counts)
        bins, gap = [], 0.0
        for index, (n, right, confidences) in enumerate(self.counts):
            if not n:
                continue
            share, mean = right / n, confidences / n
            gap += n / total * abs(share - mean)
            bins.append(
                {
                    "low": index / BINS,
                    "high": (index + 1) / BINS,
                    "n": n,
                    "right": round(share, 4),
                    "confidence": round(mean, 4),
                }
            )
        return {"bins": bins, "n": total, "ece": round(gap, 4) if total else None}


def evaluate(
    suggester: ModelSuggester, documents: Sequence[LabeledDocument], threshold: float = 0.0
) -> dict[str, Any]:
    """Return the suggester's figures on the documents' labelled sentences.

    The span figures count the attributions offered at ``threshold`` (a project's suggestion
    threshold); the reliability table counts them all, by their (calibrated) confidence, and
    an attribution is right when every span it suggests overlaps gold of its role.
    """
    spans, claims, stances = SpanScores(), ClaimTally(), StanceTally()
    reliability = defaultdict(Reliability)
    sentences = 0
    for document in documents:
        texts = [s.text for s in document.sentences]
        found = suggester.suggest(texts)
        ranked = []
        for index, (sentence, suggested) in enumerate(zip(document.sentences, found, strict=True)):
            if not sentence.labelled:
                continue
            sentences += 1
            offered = [a for a in suggested.attributions if a.confidence >= threshold]
            spans.add(offered, sentence.attributions)
            for attribution in suggested.attributions:
                right = attribution_right(attribution, sentence.attributions)
                reliability["spans"].add(attribution.confidence, right)
            if sentence.claim and suggested.claim and suggested.claim_origin == MODEL:
                label = suggested.claim_label
                claims.add(sentence.claim, label)
                reliability["claim"].add(suggested.claim[label], label == sentence.claim)
                ranked.append((suggested.checkworthiness, sentence.claim))
            if sentence.stances:
                truth = dict(sentence.stances)
                for served in suggest_stances(suggester.model, texts, index):
                    if served["target"] in truth:
                        right = served["label"] == truth[served["target"]]
                        stances.add(served["target"], truth[served["target"]], served["label"])
                        reliability["stance"].add(served["confidence"], right)
        claims.rank(ranked, suggester)
    figures: dict[str, Any] = {
        "sentences": sentences,
        "articles": len(documents),
        "threshold": threshold,
    }
    figures["spans"] = {role: rounded(v) for role, v in spans.as_dict().items()}
    if claims.total:
        figures["claim"] = claims.figures()
    if stances.pairs:
        figures["stance"] = stances.figures()
    figures["reliability"] = {part: r.table() for part, r in reliability.items()}
    return figures


def rounded(values: Mapping[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in values.items()}


class ClaimTally:
    """The claim label's confusion counts and the check-worthiness ranking of each article."""

    def __init__(self):
        self.pairs: Counter = Counter()
        self.precisions: list[float] = []

    @property
    def total(self) -> int:
        return sum(self.pairs.values())

    def add(self, truth: str, guess: str) -> None:
        self.pairs[truth, guess] += 1

    def rank(self, ranked: list[tuple[float | None, str]], suggester: ModelSuggester) -> None:
        report = suggester.model.meta.get("classifier", {}) if suggester.model else {}
        label = report.get("checkworthy")
        scored = [(score, truth) for score, truth in ranked if score is not None]
        if label and scored and any(truth == label for _, truth in scored):
            self.precisions.append(
                average_precision([s for s, _ in scored], [t == label for _, t in scored])
            )

    def figures(self) -> dict[str, Any]:
        labels = sorted({t for t, _ in self.pairs} | {g for _, g in self.pairs})
        found = {
            "accuracy": round(sum(n for (t, g), n in self.pairs.items() if t == g) / self.total, 4)
        }
        found["labels"] = {label: f1_of(self.pairs, label) for label in labels}
        if self.precisions:
            found["map"] = round(sum(self.precisions) / len(self.precisions), 4)
        return found


def f1_of(pairs: Counter, label: str) -> dict[str, float]:
    """Return precision, recall and F1 of one label from (truth, guess) counts."""
    hit = pairs[label, label]
    guessed = sum(n for (_, g), n in pairs.items() if g == label)
    true = sum(n for (t, _), n in pairs.items() if t == label)
    p = hit / guessed if guessed else 0.0
    r = hit / true if true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "n": true}


class StanceTally:
    """The stance toward each target: (truth, guess) counts per target."""

    def __init__(self):
        self.pairs: dict[str, Counter] = defaultdict(Counter)

    def add(self, target: str, truth: str, guess: str) -> None:
        self.pairs[target][truth, guess] += 1

    def figures(self) -> dict[str, Any]:
        found = {}
        for target, pairs in self.pairs.items():
            labels = {t for t, _ in pairs} | {g for _, g in pairs}
            measured = [label for label in STANCE_MEASURED if label in labels] or sorted(labels)
            scores = [f1_of(pairs, label)["f1"] for label in measured]
            found[target] = {"f_avg": round(sum(scores) / len(scores), 4), "n": sum(pairs.values())}
        return found
