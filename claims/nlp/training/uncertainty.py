"""How unsure a trained model is of each sentence, per part: spans, claim label, stance.

Each part's uncertainty is in [0, 1]: 0 when the model is certain, 1 when its top answer is no
likelier than a guess among its labels (``1 - top probability``, divided by ``1 - 1/labels``,
so a two-label and a seven-label decision read alike). A sentence's uncertainty is its most
uncertain part: active learning asks a person where any answer the model would suggest is in
doubt.

- spans: the tagger's least sure token (the smallest top tag probability in the sentence), a
  sentence with no attribution included: the model may be unsure it has none;
- claim: the claim classifier's top label;
- stance: each target's top label (whatever stance classifier the model has; read from the
  suggestions, so any model that suggests a stance is scored by it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy

from claims.nlp.training.features import chunks, featurize
from claims.nlp.training.model import ClaimModel
from claims.nlp.training.suggester import ModelSuggester
from claims.nlp.training.suggestion import MODEL

PARTS = ("spans", "claim", "stance")


def spread(probabilities: Iterable[float]) -> float | None:
    """Return how far the top probability is from certain, scaled to [0, 1] (None: none)."""
    values = list(probabilities)
    if len(values) < 2:
        return None
    top, chance = max(values), 1.0 / len(values)
    return min(max((1.0 - top) / (1.0 - chance), 0.0), 1.0)


def model_parts(model: ClaimModel) -> list[str]:
    """Return the parts of ``PARTS`` the model can say how unsure it is of."""
    parts = []
    if model.tagger is not None:
        parts.append("spans")
    if model.classifier is not None:
        parts.append("claim")
    if getattr(model, "stance", None) is not None or model.meta.get("stance"):
        parts.append("stance")
    return parts


def sentence_uncertainties(
    suggester: ModelSuggester, texts: Sequence[str]
) -> list[dict[str, float]]:
    """Return, for each of an article's consecutive sentences, each part's uncertainty."""
    model = suggester.model
    found: list[dict[str, float]] = [{} for _ in texts]
    if model is None or not texts:
        return found
    if model.tagger is not None:
        spans = tag_uncertainty(model.tagger, texts, suggester.features)
        for parts, value in zip(found, spans, strict=True):
            if value is not None:
                parts["spans"] = value
    if model.classifier is not None or "stance" in model_parts(model):
        for parts, suggested in zip(found, suggester.suggest(texts), strict=True):
            if suggested.claim and suggested.claim_origin == MODEL:
                value = spread(suggested.claim.values())
                if value is not None:
                    parts["claim"] = value
            value = stance_uncertainty(getattr(suggested, "stance", None))
            if value is not None:
                parts["stance"] = value
    return found


def tag_uncertainty(tagger, texts: Sequence[str], version: int) -> list[float | None]:
    """Return each sentence's least sure token's spread (None for a sentence without tokens);
    ``version``: the features the tagger was trained on."""
    features = featurize(tagger, texts, version=version)
    found: list[float | None] = [None] * len(texts)
    model = tagger.get_pipe("tagger").model
    every = list(chunks(tagger, features))
    for first in range(0, len(every), 64):
        batch = every[first : first + 64]
        for chunk, scores in zip(batch, model.predict([c.doc for c in batch]), strict=True):
            scores = numpy.asarray(scores)
            for index, start in zip(chunk.indexes, chunk.token_starts, strict=True):
                rows = scores[start : start + len(features[index].doc)]
                if len(rows) and rows.shape[1] > 1:
                    top, chance = float(rows.max(axis=1).min()), 1.0 / rows.shape[1]
                    found[index] = min(max((1.0 - top) / (1.0 - chance), 0.0), 1.0)
    return found


def stance_uncertainty(stance: Any) -> float | None:
    """Return the largest spread over the targets of a sentence's stance suggestion.

    Accepts ``{target: {label: probability}}`` or ``[{"target", "probabilities"}]`` (or
    objects with a ``probabilities`` attribute); None when there is none.
    """
    if not stance:
        return None
    if isinstance(stance, Mapping):
        tables = list(stance.values())
    else:
        tables = [
            item.get("probabilities") if isinstance(item, Mapping) else item.probabilities
            for item in stance
        ]
    spreads = [spread(t.values()) for t in tables if t]
    spreads = [s for s in spreads if s is not None]
    return max(spreads) if spreads else None


def combined(parts: Mapping[str, float]) -> tuple[float, str] | None:
    """Return a sentence's uncertainty (its most uncertain part) and that part's name."""
    if not parts:
        return None
    name = max(parts, key=lambda p: (parts[p], -PARTS.index(p)))
    return parts[name], name
