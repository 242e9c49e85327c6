"""What the suggesters return: spans and attributions that say where they came from.

``origin`` is ``"model"`` or ``"rules"``; ``confidence`` is in [0, 1]: as decoded, for the
model the mean probability of the tags of the span's tokens; once calibrated
(``claims.nlp.training.calibration``), for every span and attribution the share of such
suggestions that were right on labelled articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from claims.nlp.attribution_rules import Suggestion
from claims.nlp.training.examples import ROLES, Offsets

MODEL, RULES = "model", "rules"
# Placeholders until calibrated (claims.nlp.training.calibration gives the measured shares).
RULE_CONFIDENCE = {"source": 0.5, "cue": 0.5, "content": 0.5}


@dataclass(frozen=True)
class SuggestedSpan:
    """A span of a sentence (character offsets) with its origin and confidence."""

    start: int
    end: int
    confidence: float
    origin: str


@dataclass(frozen=True)
class SuggestedAttribution:
    """Source, cue and content parts of one attribution (a role may have several parts)."""

    source: tuple[SuggestedSpan, ...] = ()
    cue: tuple[SuggestedSpan, ...] = ()
    content: tuple[SuggestedSpan, ...] = ()
    quote_type: str = ""
    # The share right of such attributions, once calibrated (None: not calibrated).
    calibrated: float | None = None

    def parts(self, role: str) -> tuple[Offsets, ...]:
        """Return the offsets of the parts of ``role``."""
        return tuple((span.start, span.end) for span in getattr(self, role))

    def spans(self) -> list[SuggestedSpan]:
        """Return every part of every role."""
        return [span for role in ROLES for span in getattr(self, role)]

    @property
    def origin(self) -> str:
        """Return ``model`` when the model found any part, else ``rules``."""
        return MODEL if any(s.origin == MODEL for s in self.spans()) else RULES

    @property
    def confidence(self) -> float:
        """Return the calibrated confidence, else that of the weakest part."""
        if self.calibrated is not None:
            return self.calibrated
        return min((s.confidence for s in self.spans()), default=0.0)

    def record(self, text: str) -> dict[str, Any]:
        """Return the attribution in the export's shape, one span per role (the longest part).

        The other parts of a discontinuous role stay in ``parts``.
        """

        def one(role: str) -> dict[str, Any] | None:
            spans = getattr(self, role)
            if not spans:
                return None
            best = max(spans, key=lambda s: s.end - s.start)
            return _span_record(text, best)

        return {
            "source": one("source"),
            "cue": one("cue"),
            "content": one("content"),
            "parts": {role: [_span_record(text, s) for s in getattr(self, role)] for role in ROLES},
            "quote_type": self.quote_type or None,
            "origin": self.origin,
            "confidence": round(self.confidence, 4),
            "suggested": True,
        }


@dataclass(frozen=True)
class SentenceSuggestions:
    """A sentence's suggested attributions and claim label probabilities.

    ``claim`` maps each label the classifier knows to its probability (empty without one);
    ``checkworthiness`` is the probability of ``checkworthy``; ``claim_origin`` says which
    suggester labelled the claim (the rules only know headings and questions).
    """

    attributions: tuple[SuggestedAttribution, ...] = ()
    claim: dict[str, float] = field(default_factory=dict)
    checkworthiness: float | None = None
    claim_origin: str | None = None

    @property
    def claim_label(self) -> str | None:
        """Return the most probable claim label, if any."""
        return max(self.claim, key=self.claim.__getitem__) if self.claim else None


def _span_record(text: str, span: SuggestedSpan) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "text": text[span.start : span.end],
        "origin": span.origin,
        "confidence": round(span.confidence, 4),
    }


def from_rules(suggestions: Sequence[Suggestion]) -> tuple[SuggestedAttribution, ...]:
    """Return the rule suggestions of a sentence as attributions of origin ``rules``."""
    found = []
    for suggestion in suggestions:
        parts = {
            role: (SuggestedSpan(*offsets, RULE_CONFIDENCE[role], RULES),)
            for role in ROLES
            if (offsets := getattr(suggestion, role))
        }
        found.append(SuggestedAttribution(**parts, quote_type=suggestion.quote_type))
    return tuple(found)
