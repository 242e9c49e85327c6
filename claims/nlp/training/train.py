"""Train the span tagger and the claim classifier from labelled documents.

Both split off a dev part by document (never by sentence: sentences of one article share
names and quotations), report progress and dev figures through a callback, and return the
trained pipeline with a report. The tagger's decode settings (confidence floors, how much
the rules help) are chosen on that same dev part, after training.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from spacy.language import Language

from claims.nlp.training.calibration import calibrate
from claims.nlp.training.claim_training import train_claim_classifier
from claims.nlp.training.classifier import CHECKWORTHY
from claims.nlp.training.examples import ROLES, LabeledDocument, split_documents
from claims.nlp.training.features import FEATURES, featurize
from claims.nlp.training.loop import LoopSettings, ProgressCallback, fit
from claims.nlp.training.model import ClaimModel
from claims.nlp.training.scoring import SpanScores
from claims.nlp.training.stance_training import (
    STANCE_LEARN_RATE,
    has_stances,
    train_stance_classifier,
)
from claims.nlp.training.suggester import DecodeSettings, served_attributions
from claims.nlp.training.tagger import (
    TaggerShape,
    build_tagger,
    decode_spans,
    tag_probabilities,
    tagger_examples,
)
from claims.nlp.training.vectors import learn_vectors

THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
OUTSIDE_SCALES = (1.0, 0.6, 0.45, 0.35, 0.25)
# (fill, fallback): how much the rules may add to the model's attributions.
RULE_HELP = ((True, False), (True, True), (False, False))


@dataclass(frozen=True)
class TrainingSettings:
    """What to train and for how long; the dev share is of documents."""

    dev_share: float = 0.1
    seed: int = 0
    shape: TaggerShape = field(default_factory=TaggerShape)
    tagger_loop: LoopSettings = field(
        default_factory=lambda: LoopSettings(epochs=4, batch_words=1000)
    )
    classifier_kind: str = "ensemble"
    classifier_loop: LoopSettings = field(default_factory=lambda: LoopSettings(epochs=4))
    # Parts the claim-labelled documents are cut into to calibrate check-worthiness on scores
    # of documents the scoring classifier never saw (``claim_training``); below 2, or with
    # fewer than two documents a part, the dev part alone calibrates.
    classifier_folds: int = 3
    # The claim label whose probability is the check-worthiness score (None: no such label).
    checkworthy: str | None = CHECKWORTHY
    stance_loop: LoopSettings = field(
        default_factory=lambda: LoopSettings(epochs=8, learn_rate=STANCE_LEARN_RATE)
    )
    # Train the bag of n-grams beside the classifier on the same split, to compare with
    # (for as long as the classifier unless ``baseline_loop`` says otherwise).
    baseline: bool = True
    baseline_loop: LoopSettings | None = None


def train_model(
    documents: Sequence[LabeledDocument],
    settings: TrainingSettings | None = None,
    progress: ProgressCallback | None = None,
) -> ClaimModel:
    """Train whatever the documents have labels for: spans, claim labels, or both."""
    settings = settings or TrainingSettings()
    model = ClaimModel(meta={"settings": _plain(settings)})
    if any(a for d in documents for s in d.sentences for a in s.attributions):
        model.tagger, model.meta["tagger"] = train_span_tagger(documents, settings, progress)
        model.meta["decode"] = model.meta["tagger"]["decode"]
    if any(s.claim for d in documents for s in d.sentences):
        model.classifier, model.meta["classifier"] = train_claim_classifier(
            documents, settings, progress
        )
    if has_stances(documents):
        model.stance, model.meta["stance"] = train_stance_classifier(
            documents,
            loop=settings.stance_loop,
            dev_share=settings.dev_share,
            seed=settings.seed,
            progress=progress,
        )
    return model


def train_span_tagger(
    documents: Sequence[LabeledDocument],
    settings: TrainingSettings | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Language, dict[str, Any]]:
    """Train the tagger; return it and a report (dev figures, chosen decode settings)."""
    settings = settings or TrainingSettings()
    train, dev = split_documents(documents, settings.dev_share, seed=settings.seed)
    started = time.perf_counter()
    nlp = build_tagger(settings.shape)
    examples = tagger_examples(nlp, train)
    if settings.shape.vectors:
        words = [[token.text for token in example.reference] for example in examples]
        learn_vectors(nlp, words, settings.shape.vectors)
    prepared = time.perf_counter() - started
    history = fit(
        nlp,
        "tagger",
        examples,
        settings.tagger_loop,
        evaluate=(lambda: span_figures(nlp, dev, DecodeSettings()).flat()) if dev else None,
        progress=progress,
    )
    decode, figures = choose_decode(nlp, dev) if dev else (DecodeSettings(), {})
    calibration = calibrate(nlp, dev, decode) if dev else {}
    report = {
        "train_documents": len(train),
        "dev_documents": [d.key for d in dev],
        "examples": len(examples),
        "prepare_seconds": round(prepared, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "history": history,
        "decode": _decode_meta(decode),
        "dev": figures,
        "features": FEATURES,
        **calibration,
    }
    return nlp, report


@dataclass
class Figures:
    """Span scores of one decode setting: per role and flattened for progress reports."""

    scores: SpanScores

    def flat(self) -> dict[str, float]:
        """Return ``{"source_precision": ..., ...}``."""
        return {
            f"{role}_{name}": round(value, 4)
            for role, values in self.scores.as_dict().items()
            for name, value in values.items()
        }


def span_figures(
    nlp: Language, dev: Sequence[LabeledDocument], decode: DecodeSettings, cached=None
) -> Figures:
    """Score the tagger (grouped and combined with the rules as ``decode`` says) on ``dev``."""
    scores = SpanScores()
    for document, (features, spans) in zip(
        dev, cached or _tag_documents(nlp, dev, decode.outside_scale), strict=True
    ):
        for sentence, sentence_features, found in zip(
            document.sentences, features, spans, strict=True
        ):
            if not sentence.labelled:
                continue
            scores.add(served_attributions(sentence_features, found, decode), sentence.attributions)
    return Figures(scores)


def _tag_documents(nlp: Language, documents: Sequence[LabeledDocument], outside_scale: float):
    return _decode_documents(_documents_probabilities(nlp, documents), outside_scale)


def _documents_probabilities(nlp: Language, documents: Sequence[LabeledDocument]):
    """Return each document's features and tag probabilities (decoded per setting later)."""
    tagged = []
    for document in documents:
        features = featurize(nlp, [s.text for s in document.sentences])
        tagged.append((features, tag_probabilities(nlp, features)))
    return tagged


def _decode_documents(probabilities, outside_scale: float):
    return [
        (features, decode_spans(features, found, outside_scale))
        for features, found in probabilities
    ]


def choose_decode(
    nlp: Language, dev: Sequence[LabeledDocument]
) -> tuple[DecodeSettings, dict[str, Any]]:
    """Pick, on the dev documents, the decode settings with the best balance for each role.

    The balance of a role is the lower of its precision and recall (what a target "P and R
    at least x" asks), F1 breaking ties. The outside scale and rule help change every role's
    spans, so they are chosen by the mean balance; each role's confidence floor is the one
    with that role's best balance (a floor barely moves the other roles' figures, so all
    floors are tried at once).
    """
    best: tuple[float, DecodeSettings, Figures] | None = None
    probabilities = _documents_probabilities(nlp, dev)
    for scale in OUTSIDE_SCALES:
        cached = _decode_documents(probabilities, scale)
        for fill, fallback in RULE_HELP:
            tried = {
                floor: span_figures(
                    nlp, dev, _settings(dict.fromkeys(ROLES, floor), fill, fallback, scale), cached
                ).scores
                for floor in THRESHOLDS
            }
            floors = {
                role: max(THRESHOLDS, key=lambda t, role=role: _balance(tried[t].roles[role]))
                for role in ROLES
            }
            chosen = _settings(floors, fill, fallback, scale)
            figures = span_figures(nlp, dev, chosen, cached)
            mean = sum(_balance(t) for t in figures.scores.roles.values()) / len(ROLES)
            if best is None or mean > best[0]:
                best = (mean, chosen, figures)
    assert best is not None
    return best[1], best[2].flat()


def _balance(tally) -> float:
    return min(tally.precision, tally.recall) + tally.f1 / 1000


def _settings(floors: dict[str, float], fill: bool, fallback: bool, scale: float):
    return DecodeSettings(
        thresholds=tuple(floors.items()), fill=fill, fallback=fallback, outside_scale=scale
    )


def _decode_meta(decode: DecodeSettings) -> dict[str, Any]:
    return {
        "thresholds": dict(decode.thresholds),
        "fill": decode.fill,
        "fallback": decode.fallback,
        "outside_scale": decode.outside_scale,
    }


def _plain(settings: TrainingSettings) -> dict[str, Any]:
    return asdict(settings)
