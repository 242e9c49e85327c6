"""Train and use the suggestion model: a span tagger and a claim classifier (spaCy, CPU).

No Django here: the app feeds labelled documents in and stores ``ClaimModel.to_bytes()``.
"""

# Registers the n-gram architecture stored models may name, before any model is loaded.
from claims.nlp.training import ngrams  # noqa: F401  # isort: skip
from claims.nlp.training.classifier import CHECKWORTHY, build_classifier
from claims.nlp.training.examples import (
    GoldAttribution,
    LabeledDocument,
    LabeledSentence,
    label_article,
    split_documents,
)
from claims.nlp.training.loop import LoopSettings, Progress
from claims.nlp.training.model import ClaimModel
from claims.nlp.training.scoring import SpanScores, average_precision
from claims.nlp.training.suggester import DecodeSettings, ModelSuggester, combine
from claims.nlp.training.suggestion import (
    SentenceSuggestions,
    SuggestedAttribution,
    SuggestedSpan,
)
from claims.nlp.training.tagger import TaggerShape
from claims.nlp.training.train import (
    TrainingSettings,
    train_claim_classifier,
    train_model,
    train_span_tagger,
)

__all__ = [
    "CHECKWORTHY",
    "ClaimModel",
    "DecodeSettings",
    "GoldAttribution",
    "LabeledDocument",
    "LabeledSentence",
    "LoopSettings",
    "ModelSuggester",
    "Progress",
    "SentenceSuggestions",
    "SpanScores",
    "SuggestedAttribution",
    "SuggestedSpan",
    "TaggerShape",
    "TrainingSettings",
    "average_precision",
    "build_classifier",
    "combine",
    "label_article",
    "split_documents",
    "train_claim_classifier",
    "train_model",
    "train_span_tagger",
]
