"""Train the span tagger and the claim classifier from labelled documents.

Both split off a dev part by document (never by sentence: sentences of one article share
names and quotations), report progress and dev figures through a callback, and return the
trained pipeline with a report. The tagger's decode settings (confidence floors, how much
the rules help) are chosen on that same dev part, after training.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from spacy.language import Language

from claims.nlp.training.calibration import calibrate
from claims.nlp.training.checkworthiness import (
    fit_calibration,
    speaker_rates,
    temperature_of,
)
from claims.nlp.training.classifier import (
    CHECKWORTHY,
    build_classifier,
    claim_probabilities,
    classifier_examples,
    in_context,
)
from claims.nlp.training.examples import ROLES, LabeledDocument, split_documents
from claims.nlp.training.features import FEATURES, featurize
from claims.nlp.training.loop import LoopSettings, ProgressCallback, fit
from claims.nlp.training.model import ClaimModel
from claims.nlp.training.scoring import SpanScores, average_precision
from claims.nlp.training.stance_training import (
    STANCE_LEARN_RATE,
    best_epoch,
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
CONTEXT_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
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


def train_claim_classifier(
    documents: Sequence[LabeledDocument],
    settings: TrainingSettings | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Language, dict[str, Any]]:
    """Train the claim classifier on the sentences with a claim label; return it and a report.

    The epoch kept is the one with the best dev MAP (else accuracy); the check-worthiness
    score is then calibrated in context on dev (``checkworthiness``), and the bag of n-grams
    is trained on the same split to compare with (``baseline_map``).
    """
    settings = settings or TrainingSettings()
    train, dev = split_documents(documents, settings.dev_share, seed=settings.seed)
    labels = sorted({s.claim for d in documents for s in d.sentences if s.claim})
    checkworthy = settings.checkworthy if settings.checkworthy in labels else None
    started = time.perf_counter()
    nlp = _fit_classifier(train, dev, labels, settings.classifier_kind, settings, progress)
    report = {
        "labels": labels,
        "checkworthy": checkworthy,
        "context": 0.0,
        "train_documents": len(train),
        "dev_documents": [d.key for d in dev],
        "examples": sum(1 for d in train for s in d.sentences if s.claim),
        "history": nlp.history,
        "best_epoch": best_epoch(nlp.history, "map" if checkworthy else "accuracy"),
        "dev": claim_figures(nlp.nlp, dev, checkworthy=checkworthy) if dev else {},
    }
    if dev:
        calibrated = calibrate_claims(nlp.nlp, train, dev, checkworthy)
        if "calibrated_map" in calibrated:
            report["dev"]["calibrated_map"] = calibrated.pop("calibrated_map")
        report |= calibrated
    # A bag of n-grams trained as the classifier was would only repeat it.
    same = settings.classifier_kind == "bow" and settings.baseline_loop is None
    if dev and checkworthy and settings.baseline and not same:
        loop = settings.baseline_loop or settings.classifier_loop
        baseline = _fit_classifier(
            train, dev, labels, "bow", replace(settings, classifier_loop=loop), None
        )
        found = claim_figures(baseline.nlp, dev, checkworthy=checkworthy)
        if "map" in found:
            report["dev"]["baseline_map"] = found["map"]
    report["seconds"] = round(time.perf_counter() - started, 1)
    return nlp.nlp, report


@dataclass
class _Fitted:
    nlp: Language
    history: list[dict[str, float]]


def _fit_classifier(train, dev, labels, kind, settings, progress) -> _Fitted:
    nlp = build_classifier(labels, kind)
    pairs = [(s.text, s.claim) for d in train for s in d.sentences if s.claim]
    examples = classifier_examples(nlp, [t for t, _ in pairs], [c for _, c in pairs])
    checkworthy = settings.checkworthy if settings.checkworthy in labels else None
    figure = "map" if checkworthy else "accuracy"
    history = fit(
        nlp,
        "textcat",
        examples,
        settings.classifier_loop,
        evaluate=(lambda: claim_figures(nlp, dev, checkworthy=checkworthy)) if dev else None,
        progress=progress,
        select=(lambda figures: figures.get(figure, 0.0)) if dev else None,
    )
    return _Fitted(nlp, history)


def calibrate_claims(
    nlp: Language,
    train: Sequence[LabeledDocument],
    dev: Sequence[LabeledDocument],
    checkworthy: str | None,
) -> dict[str, Any]:
    """Return the temperature of the claim probabilities and, with a check-worthy label, the
    calibration in context fitted on dev, with its dev MAP measured on dev documents it was
    not fitted on (each dev document scored by a fit on the others)."""
    labelled = [(s, p) for d in dev for s, p in _scored(nlp, d) if s.claim]
    found: dict[str, Any] = {
        "temperature": temperature_of([p for _, p in labelled], [s.claim for s, _ in labelled])
    }
    if not checkworthy:
        return found
    rates = speaker_rates([_worthiness(d, checkworthy) for d in train])
    worthy = [s.claim == checkworthy for d in train for s in d.sentences if s.claim]
    prior = (sum(worthy) + 1) / (len(worthy) + 2)
    scored = [_calibration_input(nlp, d, checkworthy) for d in dev]
    calibration = fit_calibration(scored, rates, prior)
    found["calibration"] = calibration.meta()
    precisions = []
    for index, (texts, scores, worthy_here) in enumerate(scored):
        if not any(worthy_here):
            continue
        others = [x for i, x in enumerate(scored) if i != index]
        held_out = fit_calibration(others, rates, prior) if others else calibration
        calibrated = held_out.score(texts, scores)
        precisions.append(_labelled_ap(calibrated, worthy_here))
    if precisions:
        found["calibrated_map"] = round(sum(precisions) / len(precisions), 4)
    return found


def _worthiness(document: LabeledDocument, checkworthy: str) -> list[tuple[str, bool | None]]:
    return [(s.text, (s.claim == checkworthy) if s.claim else None) for s in document.sentences]


def _scored(nlp: Language, document: LabeledDocument):
    texts = [s.text for s in document.sentences]
    return zip(document.sentences, claim_probabilities(nlp, texts), strict=True)


def _calibration_input(nlp: Language, document: LabeledDocument, checkworthy: str):
    """Return (texts, check-worthy probabilities, check-worthy or None) of every sentence."""
    texts = [s.text for s in document.sentences]
    scores = [p[checkworthy] for p in claim_probabilities(nlp, texts)]
    worthy = [(s.claim == checkworthy) if s.claim else None for s in document.sentences]
    return texts, scores, worthy


def _labelled_ap(scores: Sequence[float], worthy: Sequence[bool | None]) -> float:
    kept = [(s, w) for s, w in zip(scores, worthy, strict=True) if w is not None]
    return average_precision([s for s, _ in kept], [w for _, w in kept])


def choose_context(
    nlp: Language, dev: Sequence[LabeledDocument], checkworthy: str | None = CHECKWORTHY
) -> float:
    """Return the neighbour weight (``in_context``) with the best dev MAP (0 without one)."""
    if checkworthy not in nlp.get_pipe("textcat").labels:
        return 0.0
    found = {
        w: claim_figures(nlp, dev, context=w, checkworthy=checkworthy).get("map", 0.0)
        for w in CONTEXT_WEIGHTS
    }
    return max(CONTEXT_WEIGHTS, key=lambda w: (found[w], -w))


def claim_figures(
    nlp: Language,
    documents: Sequence[LabeledDocument],
    context: float = 0.0,
    checkworthy: str | None = CHECKWORTHY,
) -> dict[str, float]:
    """Return accuracy and, with a check-worthy label, the mean average precision per document
    (scores blended with their neighbours' by ``context``)."""
    correct = total = 0
    precisions = []
    for document in documents:
        labelled = [s for s in document.sentences if s.claim]
        if not labelled:
            continue
        found = claim_probabilities(nlp, [s.text for s in labelled])
        for sentence, probabilities in zip(labelled, found, strict=True):
            correct += max(probabilities, key=probabilities.__getitem__) == sentence.claim
            total += 1
        if checkworthy in nlp.get_pipe("textcat").labels:
            relevant = [s.claim == checkworthy for s in labelled]
            if any(relevant):
                scores = in_context([p[checkworthy] for p in found], context)
                precisions.append(average_precision(scores, relevant))
    figures = {"accuracy": round(correct / total, 4) if total else 0.0}
    if precisions:
        figures["map"] = round(sum(precisions) / len(precisions), 4)
    return figures


def _plain(settings: TrainingSettings) -> dict[str, Any]:
    return asdict(settings)
