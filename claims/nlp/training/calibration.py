"""Confidences that mean what they say: a suggestion shown at 80% is right four times in five.

"Right" is what the figures count: a span is right when it overlaps a gold span of its role in
the sentence; an attribution is right when every span it suggests is. Measured on labelled
sentences (the model's dev articles, or PolNeAR train for the rules alone):

- a model span's confidence (the mean probability of its tags) is mapped through an isotonic
  curve fitted per role (never decreasing: a surer span is never shown as less sure);
- a rule span's confidence is the share right of the rule spans of its role and kind (a source
  that is a pronoun, a name or another phrase; a cue of one word or several; a content that is
  a quotation or a clause): the rules have no score of their own;
- an attribution's confidence is an isotonic curve over its weakest span's calibrated
  confidence, fitted on whole attributions.

A calibration is plain data (``to_dict``), stored with the model it was measured for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy

from claims.nlp.training.examples import ROLES
from claims.nlp.training.suggestion import MODEL, SuggestedAttribution, SuggestedSpan

# Fewer points than this in a role: its curve is the identity (not enough to say better).
MIN_POINTS = 20
# How many observations the prior share of a rule kind counts for.
PRIOR_WEIGHT = 20
# The project thresholds the training report gives figures for.
THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
# The bins of the reliability table (share right per band of confidence).
BINS = 10
PRONOUNS = frozenset(
    {"he", "she", "they", "i", "we", "you", "him", "her", "them", "us", "me", "his", "their"}
)


@dataclass(frozen=True)
class Curve:
    """A non-decreasing piecewise-linear map from a raw confidence to the share right."""

    xs: tuple[float, ...] = (0.0, 1.0)
    ys: tuple[float, ...] = (0.0, 1.0)

    def __call__(self, x: float) -> float:
        return float(numpy.interp(x, self.xs, self.ys))

    @classmethod
    def fit(cls, raw: Sequence[float], right: Sequence[bool]) -> Curve:
        """Fit by pooling adjacent violators (isotonic regression).

        Each pooled block is flat over the raw confidences it holds (so a confidence seen in
        the data maps to exactly its block's share right) and the curve is linear between
        blocks.
        """
        if len(raw) < MIN_POINTS:
            return cls()
        xs, inverse, counts = numpy.unique(
            numpy.round(numpy.asarray(raw, dtype=float), 4), return_inverse=True, return_counts=True
        )
        hits = numpy.bincount(inverse, weights=numpy.asarray(right, dtype=float))
        blocks: list[list[float]] = []  # [hits, count, lowest x, highest x]
        for x, hit, count in zip(xs.tolist(), hits.tolist(), counts.tolist(), strict=True):
            blocks.append([hit, count, x, x])
            while len(blocks) > 1 and _mean(blocks[-2]) >= _mean(blocks[-1]):
                hit_sum, count_sum, _, high = blocks.pop()
                blocks[-1] = [
                    blocks[-1][0] + hit_sum,
                    blocks[-1][1] + count_sum,
                    blocks[-1][2],
                    high,
                ]
        knots_x = [x for block in blocks for x in (block[2], block[3])]
        knots_y = [round(_mean(block), 4) for block in blocks for _ in range(2)]
        return cls(tuple(knots_x), tuple(knots_y))

    def to_dict(self) -> dict[str, list[float]]:
        return {"x": list(self.xs), "y": list(self.ys)}

    @classmethod
    def from_dict(cls, stored: dict[str, list[float]] | None) -> Curve:
        if not stored or not stored.get("x"):
            return cls()
        return cls(tuple(stored["x"]), tuple(stored["y"]))


def _mean(block: list[float]) -> float:
    return block[0] / block[1]


def rule_kind(role: str, text: str, quote_type: str = "") -> str:
    """Return the kind of a rule span: what its share right is measured by."""
    words = text.split()
    if role == "source":
        if len(words) == 1 and words[0].casefold() in PRONOUNS:
            return "pronoun"
        return "name" if all(w[:1].isupper() for w in words) else "phrase"
    if role == "cue":
        return "word" if len(words) == 1 and text.isalpha() else "phrase"
    return "quotation" if quote_type == "direct" else "clause"


@dataclass(frozen=True)
class Calibration:
    """How raw confidences become shares right: per model role, per rule kind, per attribution.

    A rule kind never measured falls back on its role's share (``rules[role]``), then 0.5.
    """

    model: dict[str, Curve] = field(default_factory=dict)
    rules: dict[str, float] = field(default_factory=dict)
    attribution: Curve = field(default_factory=Curve)

    def span(self, role: str, span: SuggestedSpan, text: str, quote_type: str = "") -> float:
        """Return the calibrated confidence of one suggested span."""
        if span.origin == MODEL:
            return self.model.get(role, Curve())(span.confidence)
        kind = rule_kind(role, text[span.start : span.end], quote_type)
        return self.rules.get(f"{role}:{kind}", self.rules.get(role, 0.5))

    def apply(
        self, text: str, attributions: Iterable[SuggestedAttribution]
    ) -> list[SuggestedAttribution]:
        """Return the attributions with calibrated span and attribution confidences."""
        calibrated = []
        for attribution in attributions:
            parts = {
                role: tuple(
                    replace(s, confidence=self.span(role, s, text, attribution.quote_type))
                    for s in getattr(attribution, role)
                )
                for role in ROLES
            }
            weakest = min((s.confidence for spans in parts.values() for s in spans), default=0.0)
            calibrated.append(
                replace(attribution, **parts, calibrated=round(self.attribution(weakest), 4))
            )
        return calibrated

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": {role: curve.to_dict() for role, curve in self.model.items()},
            "rules": dict(self.rules),
            "attribution": self.attribution.to_dict(),
        }

    @classmethod
    def from_dict(cls, stored: dict[str, Any] | None) -> Calibration:
        stored = stored or {}
        return cls(
            model={role: Curve.from_dict(c) for role, c in (stored.get("model") or {}).items()},
            rules=dict(stored.get("rules") or {}),
            attribution=Curve.from_dict(stored.get("attribution")),
        )


@dataclass
class Points:
    """What calibration is fitted on: (raw confidence, right) per model role, rights per rule
    kind, and (weakest span, right) per attribution."""

    model: dict[str, list[tuple[float, bool]]] = field(default_factory=dict)
    rules: dict[str, list[bool]] = field(default_factory=dict)

    def add(self, text: str, suggested: Sequence[SuggestedAttribution], gold: Sequence) -> None:
        """Count one sentence's suggestions against its gold attributions."""
        for attribution in suggested:
            for role in ROLES:
                gold_parts = [p for g in gold for p in g.parts(role)]
                for span in getattr(attribution, role):
                    hit = _touches(span, gold_parts)
                    if span.origin == MODEL:
                        self.model.setdefault(role, []).append((span.confidence, hit))
                    else:
                        kind = rule_kind(role, text[span.start : span.end], attribution.quote_type)
                        self.rules.setdefault(f"{role}:{kind}", []).append(hit)
                        self.rules.setdefault(role, []).append(hit)

    def fit(self, prior: Calibration | None = None) -> Calibration:
        """Return the span calibration (the attribution curve is fitted by ``fit_attributions``).

        A rule kind's share is shrunk toward ``prior``'s (as if it had been seen
        ``PRIOR_WEIGHT`` more times at that share): a few rule spans on a small dev part say
        little.
        """
        prior = prior or Calibration()
        rules = {}
        for key, hits in self.rules.items():
            expected = prior.rules.get(key, prior.rules.get(key.split(":")[0], 0.5))
            share = (sum(hits) + PRIOR_WEIGHT * expected) / (len(hits) + PRIOR_WEIGHT)
            rules[key] = round(share, 4)
        return Calibration(
            model={
                role: Curve.fit(*zip(*found, strict=True)) for role, found in self.model.items()
            },
            rules=rules,
        )


def attribution_right(suggested: SuggestedAttribution, gold: Sequence) -> bool:
    """Tell whether every span of a suggested attribution overlaps gold of its role."""
    return all(
        _touches(span, [p for g in gold for p in g.parts(role)])
        for role in ROLES
        for span in getattr(suggested, role)
    )


def fit_attributions(
    spans: Calibration, sentences: Iterable[tuple[str, Sequence[SuggestedAttribution], Sequence]]
) -> tuple[Calibration, list[tuple[float, bool]]]:
    """Fit the attribution curve on (text, suggested, gold) sentences calibrated by ``spans``;
    return the whole calibration and the (confidence, right) pairs it yields."""
    raw, pairs = [], []
    for text, suggested, gold in sentences:
        for attribution in spans.apply(text, suggested):
            weakest = min((s.confidence for s in attribution.spans()), default=0.0)
            raw.append((weakest, attribution_right(attribution, gold)))
    calibration = replace(spans, attribution=Curve.fit(*zip(*raw, strict=True)) if raw else Curve())
    pairs = [(calibration.attribution(x), right) for x, right in raw]
    return calibration, pairs


def calibrate(nlp, dev: Sequence, decode) -> dict[str, Any]:
    """Measure the calibration of a trained tagger's served suggestions on its dev documents;
    return ``{"calibration": ..., "reliability": ...}`` for the model's report."""
    from claims.nlp.training.features import featurize
    from claims.nlp.training.suggester import served_attributions
    from claims.nlp.training.tagger import tag_spans

    points, sentences = Points(), []
    for document in dev:
        features = featurize(nlp, [s.text for s in document.sentences])
        spans = tag_spans(nlp, features, outside_scale=decode.outside_scale)
        for sentence, sentence_features, found in zip(
            document.sentences, features, spans, strict=True
        ):
            if not sentence.labelled:
                continue
            suggested = served_attributions(sentence_features, found, decode)
            points.add(sentence.text, suggested, sentence.attributions)
            sentences.append((sentence.text, suggested, sentence.attributions))
    calibration, pairs = fit_attributions(points.fit(RULES_ALONE), sentences)
    return {
        "calibration": calibration.to_dict(),
        "reliability": reliability(pairs),
        "thresholds": threshold_figures(calibration, sentences),
    }


def threshold_figures(calibration: Calibration, sentences: Sequence) -> dict[str, Any]:
    """Return P / R / F1 per role of the attributions shown at each threshold."""
    from claims.nlp.training.scoring import SpanScores

    calibrated = [(calibration.apply(text, found), gold) for text, found, gold in sentences]
    figures = {}
    for threshold in THRESHOLDS:
        scores = SpanScores()
        for found, gold in calibrated:
            scores.add([a for a in found if a.confidence >= threshold], gold)
        figures[f"{threshold:.1f}"] = {
            role: {name: round(value, 4) for name, value in values.items()}
            for role, values in scores.as_dict().items()
        }
    return figures


def reliability(pairs: Sequence[tuple[float, bool]], bins: int = BINS) -> list[dict[str, Any]]:
    """Return, per band of confidence, how many suggestions there were and the share right."""
    table = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        inside = [r for c, r in pairs if low <= c < high or (index == bins - 1 and c == 1.0)]
        if inside:
            mean = sum(c for c, _ in pairs if low <= c < high or (index == bins - 1 and c == 1.0))
            table.append(
                {
                    "from": low,
                    "to": high,
                    "count": len(inside),
                    "confidence": round(mean / len(inside), 4),
                    "right": round(sum(inside) / len(inside), 4),
                }
            )
    return table


def _touches(span: SuggestedSpan, parts) -> bool:
    return any(span.start < end and start < span.end for start, end in parts)


# The rules alone (no model), measured on PolNeAR train by `bench/calibration.py` (15,175
# attributions; bench/RESULTS.md).
RULES_ALONE = Calibration(
    rules={
        "content": 0.9078,
        "content:clause": 0.8719,
        "content:quotation": 0.9476,
        "cue": 0.8782,
        "cue:phrase": 0.8319,
        "cue:word": 0.8809,
        "source": 0.8874,
        "source:name": 0.9116,
        "source:phrase": 0.8333,
        "source:pronoun": 0.8885,
    },
    attribution=Curve(
        (0.8319, 0.8319, 0.8333, 0.8719, 0.8809, 0.9476),
        (0.6332, 0.6332, 0.7516, 0.7516, 0.9281, 0.9281),
    ),
)
