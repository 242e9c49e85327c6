"""Train and use the suggestion model: a span tagger and a claim classifier (spaCy, CPU).

No Django here: the app feeds labelled documents in and stores ``ClaimModel.to_bytes()``.

Each name below is imported from its module on first use (PEP 562 ``__getattr__``): most of
those modules import spaCy and thinc, seconds of start-up that the app (every manage.py
command, server, worker and test child process) should pay only when it trains or loads a
model. The modules that build a pipeline from a stored config (model, stance) register the
n-gram architecture (``ngrams``) themselves.
"""

from importlib import import_module

# Each public name and the module of this package it lives in.
_HOMES = {
    "CHECKWORTHY": "classifier",
    "build_classifier": "classifier",
    "GoldAttribution": "examples",
    "LabeledDocument": "examples",
    "LabeledSentence": "examples",
    "label_article": "examples",
    "split_documents": "examples",
    "LoopSettings": "loop",
    "Progress": "loop",
    "ClaimModel": "model",
    "SpanScores": "scoring",
    "average_precision": "scoring",
    "DecodeSettings": "suggester",
    "ModelSuggester": "suggester",
    "combine": "suggester",
    "SentenceSuggestions": "suggestion",
    "SuggestedAttribution": "suggestion",
    "SuggestedSpan": "suggestion",
    "TaggerShape": "tagger",
    "TrainingSettings": "train",
    "train_claim_classifier": "train",
    "train_model": "train",
    "train_span_tagger": "train",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # found here from now on, without this function
    return value
