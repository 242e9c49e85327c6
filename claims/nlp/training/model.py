"""A trained model as one value: the span tagger, the claim classifier and their settings.

``to_bytes`` / ``from_bytes`` give the form stored in the database (versioned there, loaded
once per process). Each pipeline is kept as its config and its weights, so loading needs no
files and no downloads, only spaCy's built-in components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import spacy
import srsly
from spacy.language import Language
from thinc.api import Config

# Registers claims.NgramBOW.v1, which stored stance pipelines name, before any is loaded.
from claims.nlp.training import ngrams  # noqa: F401

FORMAT = 1
PIPELINES = ("tagger", "classifier", "stance")


@dataclass
class ClaimModel:
    """The span tagger, the claim classifier and the stance classifier (any may be missing),
    with metadata.

    ``meta`` holds what training measured and chose: the decode settings
    (``meta["decode"]``), dev figures, label set, sizes and timings.
    """

    tagger: Language | None = None
    classifier: Language | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    stance: Language | None = None

    def to_bytes(self) -> bytes:
        """Return the model as bytes (msgpack: format, meta, each pipeline's config and weights)."""
        payload: dict[str, Any] = {"format": FORMAT, "spacy": spacy.__version__, "meta": self.meta}
        for name in PIPELINES:
            nlp = getattr(self, name)
            if nlp is not None:
                payload[name] = {"config": nlp.config.to_str(), "weights": nlp.to_bytes()}
        return srsly.msgpack_dumps(payload)

    @classmethod
    def from_bytes(cls, data: bytes) -> ClaimModel:
        """Return the model stored by ``to_bytes``."""
        payload = srsly.msgpack_loads(data)
        if payload.get("format") != FORMAT:
            raise ValueError(f"unknown model format {payload.get('format')!r}; expected {FORMAT}")
        pipelines = {name: _load(payload[name]) for name in PIPELINES if name in payload}
        return cls(meta=payload.get("meta", {}), **pipelines)

    def decode_settings(self):
        """Return the decode settings chosen in training (defaults for older models)."""
        from claims.nlp.training.suggester import DecodeSettings

        chosen = self.meta.get("decode") or {}
        thresholds = tuple(sorted(chosen.get("thresholds", {}).items()))
        defaults = DecodeSettings()
        return DecodeSettings(
            thresholds=thresholds or defaults.thresholds,
            fill=chosen.get("fill", defaults.fill),
            fallback=chosen.get("fallback", defaults.fallback),
            outside_scale=chosen.get("outside_scale", defaults.outside_scale),
        )


def _load(stored: dict[str, Any]) -> Language:
    config = Config().from_str(stored["config"])
    nlp = spacy.blank(config["nlp"]["lang"]).from_config(config)
    return nlp.from_bytes(stored["weights"])
