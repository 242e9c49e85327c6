"""Train the claim classifier; calibrate its check-worthiness on documents it never learnt from.

The calibration in context (``checkworthiness``) must be fitted on scores the classifier gives
to sentences it did not learn from. A dev part of a few documents is too little for that (two
debate transcripts hold a few dozen check-worthy sentences), so training cross-fits: the
labelled documents are cut into ``classifier_folds`` parts, a classifier is trained on all but
one part and scores that part, and so every document gets scores from a classifier that never
saw it. The number of epochs is the one whose out-of-fold scores rank best; the calibration's
penalty and features are chosen on those scores, each document scored by a fit on the others;
the same folds train the bag of n-grams, so the served model and the baseline are compared on
every labelled document (``dev_ap``), not on the two of a dev part. The classifier served then
learns from every document but the dev part for the epochs chosen; the dev part stays apart,
so its figures (and the model's page, which compares models on it) are of unseen documents.

With fewer documents than two a fold, the dev part alone is used for everything.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from spacy.language import Language

from claims.nlp.training.checkworthiness import (
    choose_calibration,
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
from claims.nlp.training.examples import LabeledDocument, split_documents
from claims.nlp.training.loop import ProgressCallback, fit
from claims.nlp.training.scoring import average_precision
from claims.nlp.training.stance_training import best_epoch

if TYPE_CHECKING:
    from claims.nlp.training.train import TrainingSettings

# (texts, check-worthy probabilities, check-worthy or None) of a document's sentences.
Scored = tuple[list[str], list[float], list[bool | None]]


def train_claim_classifier(
    documents: Sequence[LabeledDocument],
    settings: TrainingSettings | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Language, dict[str, Any]]:
    """Train the claim classifier on the sentences with a claim label; return it and a report.

    With enough documents to cross-fit (``cross_fitted``, on the documents left once the dev
    part is set apart), the epochs, the calibration and the comparison with the bag of n-grams
    are all made on out-of-fold scores. Otherwise the epoch kept is the one with
    the best dev MAP (else accuracy), and the calibration and the comparison are made on dev.
    """
    if settings is None:
        from claims.nlp.training.train import TrainingSettings

        settings = TrainingSettings()
    labels = sorted({s.claim for d in documents for s in d.sentences if s.claim})
    checkworthy = settings.checkworthy if settings.checkworthy in labels else None
    train, dev = split_documents(documents, settings.dev_share, seed=settings.seed)
    labelled = [d for d in train if any(s.claim for s in d.sentences)]
    folds = settings.classifier_folds
    started = time.perf_counter()
    base = {"labels": labels, "checkworthy": checkworthy, "context": 0.0}
    if checkworthy and folds > 1 and len(labelled) >= 2 * folds:
        nlp, report = cross_fitted(labelled, labels, checkworthy, settings, progress)
        report = base | report | {"dev_documents": [d.key for d in dev]}
        report["dev"] = claim_figures(nlp, dev, checkworthy=checkworthy) if dev else {}
    else:
        fitted = _fit_classifier(train, dev, labels, settings.classifier_kind, settings, progress)
        nlp = fitted.nlp
        report = base | {
            "train_documents": len(train),
            "dev_documents": [d.key for d in dev],
            "examples": sum(1 for d in train for s in d.sentences if s.claim),
            "history": fitted.history,
            "best_epoch": best_epoch(fitted.history, "map" if checkworthy else "accuracy"),
            "dev": claim_figures(nlp, dev, checkworthy=checkworthy) if dev else {},
        }
        if dev:
            report |= calibrate_on_dev(nlp, train, dev, labels, checkworthy, settings)
    report["dev"] |= report.pop("dev_figures", {})
    report["seconds"] = round(time.perf_counter() - started, 1)
    return nlp, report


def cross_fitted(
    documents: Sequence[LabeledDocument],
    labels: Sequence[str],
    checkworthy: str,
    settings: TrainingSettings,
    progress: ProgressCallback | None = None,
) -> tuple[Language, dict[str, Any]]:
    """Return the classifier trained on every document and its report.

    Each fold's classifier is trained on the other folds and scores its own documents after
    every epoch; the number of epochs is the one whose out-of-fold scores have the best
    MAP, the temperature and the calibration are fitted on those scores, and the bag of
    n-grams, trained on the same folds (its epochs chosen alike), gives the figures per
    document the served model is compared with.
    """
    order = sorted(documents, key=lambda d: d.key)
    parts = [order[i :: settings.classifier_folds] for i in range(settings.classifier_folds)]
    epochs: list[dict[str, _Scores]] = []
    baseline_epochs: list[dict[str, _Scores]] = []
    for part in parts:
        others = [d for d in order if d not in part]
        _record(epochs, others, part, labels, settings.classifier_kind, settings, checkworthy)
        if settings.baseline:
            bow = _baseline(settings)
            _record(baseline_epochs, others, part, labels, "bow", bow, checkworthy)
    # Training out of time (``max_seconds``) may leave a fold's last epochs unscored.
    epochs = [found for found in epochs if len(found) == len(order)]
    baseline_epochs = [found for found in baseline_epochs if len(found) == len(order)]
    history = [{"map": _mean_ap(found)} for found in epochs]
    kept = best_epoch(history, "map") or len(history)
    scored = epochs[kept - 1]
    nlp = build_classifier(labels, settings.classifier_kind)
    pairs = [(s.text, s.claim) for d in order for s in d.sentences if s.claim]
    examples = classifier_examples(nlp, [t for t, _ in pairs], [c for _, c in pairs])
    fit(nlp, "textcat", examples, replace(settings.classifier_loop, epochs=kept), progress=progress)
    rates = speaker_rates([_worthiness(d, checkworthy) for d in order])
    worthy = [s.claim == checkworthy for d in order for s in d.sentences if s.claim]
    prior = (sum(worthy) + 1) / (len(worthy) + 2)
    keys = [d.key for d in order]
    calibration, chosen = choose_calibration(
        [scored[k].calibration_input for k in keys], rates, prior
    )
    served = {keys[i]: round(ap, 4) for i, ap in chosen.pop("per_document").items()}
    labelled = [(c, p) for k in keys for c, p in scored[k].labelled()]
    report: dict[str, Any] = {
        "train_documents": len(order),
        "examples": len(examples),
        "history": history,
        "best_epoch": kept,
        "temperature": temperature_of([p for _, p in labelled], [c for c, _ in labelled]),
        "calibration": calibration.meta() | {"penalty": chosen["penalty"]},
        "calibration_choice": chosen | {"folds": len(parts), "documents": len(order)},
        "dev_ap": {"served": served},
        "dev_figures": {
            "out_of_fold_map": history[kept - 1]["map"],
            "calibrated_map": chosen["map"],
        },
    }
    if baseline_epochs:
        found = max(baseline_epochs, key=_mean_ap)  # the first best epoch
        report["dev_ap"]["baseline"] = {k: round(v.ap(), 4) for k, v in found.items() if v.any()}
        report["dev_figures"]["baseline_map"] = _mean_ap(found)
    return nlp, report


@dataclass
class _Scores:
    """A document's sentences as one fold's classifier scored them after one epoch."""

    texts: list[str]
    probabilities: list[dict[str, float]]
    claims: list[str | None]
    checkworthy: str

    @property
    def calibration_input(self) -> Scored:
        worthy = [(c == self.checkworthy) if c else None for c in self.claims]
        return self.texts, [p[self.checkworthy] for p in self.probabilities], worthy

    def labelled(self) -> list[tuple[str, dict[str, float]]]:
        return [(c, p) for c, p in zip(self.claims, self.probabilities, strict=True) if c]

    def any(self) -> bool:
        return any(c == self.checkworthy for c in self.claims)

    def ap(self) -> float:
        _, scores, worthy = self.calibration_input
        return _labelled_ap(scores, worthy)


def _record(epochs, train, held, labels, kind, settings, checkworthy) -> None:
    """Train on ``train``; after each epoch add the held documents' scores to ``epochs``."""
    nlp = build_classifier(labels, kind)
    pairs = [(s.text, s.claim) for d in train for s in d.sentences if s.claim]
    examples = classifier_examples(nlp, [t for t, _ in pairs], [c for _, c in pairs])
    seen = iter(range(settings.classifier_loop.epochs))

    def evaluate() -> dict[str, float]:
        epoch = next(seen)
        if epoch == len(epochs):
            epochs.append({})
        for document in held:
            texts = [s.text for s in document.sentences]
            epochs[epoch][document.key] = _Scores(
                texts,
                claim_probabilities(nlp, texts),
                [s.claim for s in document.sentences],
                checkworthy,
            )
        return {}

    fit(nlp, "textcat", examples, settings.classifier_loop, evaluate=evaluate)


def _mean_ap(found: dict[str, _Scores]) -> float:
    precisions = [scores.ap() for scores in found.values() if scores.any()]
    return round(sum(precisions) / len(precisions), 4) if precisions else 0.0


def calibrate_on_dev(nlp, train, dev, labels, checkworthy, settings) -> dict[str, Any]:
    """Return the calibration fitted on the dev part (too few documents to cross-fit) and the
    bag of n-grams' figures on the same dev part."""
    found = calibrate_claims(nlp, train, dev, checkworthy)
    found["dev_figures"] = {}
    if "calibrated_map" in found:
        found["dev_figures"]["calibrated_map"] = found.pop("calibrated_map")
    # A bag of n-grams trained as the classifier was would only repeat it.
    same = settings.classifier_kind == "bow" and settings.baseline_loop is None
    if checkworthy and settings.baseline and not same:
        baseline = _fit_classifier(train, dev, labels, "bow", _baseline(settings))
        figures = claim_figures(baseline.nlp, dev, checkworthy=checkworthy)
        if "map" in figures:
            found["dev_figures"]["baseline_map"] = figures["map"]
            found.setdefault("dev_ap", {})["baseline"] = document_aps(
                baseline.nlp, dev, checkworthy
            )
    return found


def _baseline(settings: TrainingSettings) -> TrainingSettings:
    loop = settings.baseline_loop or settings.classifier_loop
    return replace(settings, classifier_loop=loop)


@dataclass
class _Fitted:
    nlp: Language
    history: list[dict[str, float]]


def _fit_classifier(train, dev, labels, kind, settings, progress=None) -> _Fitted:
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


def _temperature(nlp: Language, documents: Sequence[LabeledDocument]) -> float:
    labelled = [(s, p) for d in documents for s, p in _scored(nlp, d) if s.claim]
    return temperature_of([p for _, p in labelled], [s.claim for s, _ in labelled])


def calibrate_claims(
    nlp: Language,
    train: Sequence[LabeledDocument],
    dev: Sequence[LabeledDocument],
    checkworthy: str | None,
) -> dict[str, Any]:
    """Return the temperature of the claim probabilities and, with a check-worthy label, the
    calibration in context fitted on dev, with its dev MAP measured on dev documents it was
    not fitted on (each dev document scored by a fit on the others)."""
    found: dict[str, Any] = {"temperature": _temperature(nlp, dev)}
    if not checkworthy:
        return found
    rates = speaker_rates([_worthiness(d, checkworthy) for d in train])
    worthy = [s.claim == checkworthy for d in train for s in d.sentences if s.claim]
    prior = (sum(worthy) + 1) / (len(worthy) + 2)
    scored = [_calibration_input(nlp, d, checkworthy) for d in dev]
    calibration = fit_calibration(scored, rates, prior)
    found["calibration"] = calibration.meta()
    precisions = {}
    for index, (document, (texts, scores, worthy_here)) in enumerate(zip(dev, scored, strict=True)):
        if not any(worthy_here):
            continue
        others = [x for i, x in enumerate(scored) if i != index]
        held_out = fit_calibration(others, rates, prior) if others else calibration
        calibrated = held_out.score(texts, scores)
        precisions[document.key] = round(_labelled_ap(calibrated, worthy_here), 4)
    if precisions:
        found["calibrated_map"] = round(sum(precisions.values()) / len(precisions), 4)
        found["dev_ap"] = {"served": precisions}
    return found


def document_aps(
    nlp: Language, documents: Sequence[LabeledDocument], checkworthy: str
) -> dict[str, float]:
    """Return the average precision of the bare check-worthy probability per document with a
    check-worthy sentence (the figures ``claim_figures`` averages)."""
    found = {}
    for document in documents:
        _, scores, worthy = _calibration_input(nlp, document, checkworthy)
        if any(worthy):
            found[document.key] = round(_labelled_ap(scores, worthy), 4)
    return found


def _worthiness(document: LabeledDocument, checkworthy: str) -> list[tuple[str, bool | None]]:
    return [(s.text, (s.claim == checkworthy) if s.claim else None) for s in document.sentences]


def _scored(nlp: Language, document: LabeledDocument):
    texts = [s.text for s in document.sentences]
    return zip(document.sentences, claim_probabilities(nlp, texts), strict=True)


def _calibration_input(nlp: Language, document: LabeledDocument, checkworthy: str) -> Scored:
    """Return (texts, check-worthy probabilities, check-worthy or None) of every sentence."""
    texts = [s.text for s in document.sentences]
    scores = [p[checkworthy] for p in claim_probabilities(nlp, texts)]
    worthy = [(s.claim == checkworthy) if s.claim else None for s in document.sentences]
    return texts, scores, worthy


def _labelled_ap(scores: Sequence[float], worthy: Sequence[bool | None]) -> float:
    kept = [(s, w) for s, w in zip(scores, worthy, strict=True) if w is not None]
    return average_precision([s for s, _ in kept], [w for _, w in kept])


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
