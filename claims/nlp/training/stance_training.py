"""Train the stance classifier from labelled documents; measure it per target on dev.

The dev part is split off by document, as for the other components. The window of neighbours
read and the number of epochs are those with the best dev F_avg; the temperature that turns
the outputs into probabilities is the one with the lowest dev log loss, so a served 0.9 means
about nine in ten. The dev figures stored are those of that choice; the classifier served is
then trained again, as chosen, on every labelled document (dev included).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from spacy.language import Language

from claims.nlp.training.examples import LabeledDocument, split_documents
from claims.nlp.training.loop import LoopSettings, ProgressCallback, fit, staged
from claims.nlp.training.stance import (
    PIPE,
    StanceItem,
    best_label,
    build_stance_classifier,
    f_avg,
    in_window,
    stance_examples,
    stance_probabilities,
)

TEMPERATURES = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
# A linear model over sparse n-grams, each seen a few times: larger steps than a CNN takes.
STANCE_LEARN_RATE = 0.01
# Neighbours read each side of a sentence, tried in turn and chosen on dev: a stance often
# lies in the sentence before (a tweet is one stance over a few sentences), but in news the
# neighbours may say the opposite.
WINDOWS = (0, 2)


# What the job's page calls the training after the choice (it has no dev figures).
FINAL = "final: every labelled article, dev included"


def window_words(window: int) -> str:
    """Return how a window reads a sentence, in words ("the sentence alone")."""
    if not window:
        return "the sentence alone"
    return f"{window} sentence{'s' if window > 1 else ''} each side"


def has_stances(documents: Sequence[LabeledDocument]) -> bool:
    """Tell whether any sentence was labelled with a stance."""
    return any(s.stances for d in documents for s in d.sentences)


def stance_items(documents: Sequence[LabeledDocument], window: int) -> list[tuple[str, StanceItem]]:
    """Return (document key, item) for each labelled stance, the text read with its window."""
    items = []
    for document in documents:
        texts = [s.text for s in document.sentences]
        for index, sentence in enumerate(document.sentences):
            for target, label in sentence.stances:
                items.append(
                    (document.key, StanceItem(in_window(texts, index, window), target, label))
                )
    return items


def train_stance_classifier(
    documents: Sequence[LabeledDocument],
    *,
    loop: LoopSettings,
    dev_share: float = 0.1,
    seed: int = 0,
    progress: ProgressCallback | None = None,
) -> tuple[Language, dict[str, Any]]:
    """Train one classifier for every target the documents name; return it and a report
    (targets, labels, the window and epoch kept, temperature, dev F_avg overall and per
    target). With a dev part, each window of ``WINDOWS`` is trained and the best kept."""
    train, dev = split_documents(documents, dev_share, seed=seed)
    targets = sorted({t for d in documents for s in d.sentences for t, _ in s.stances})
    labels = sorted({label for d in documents for s in d.sentences for _, label in s.stances})
    started = time.perf_counter()
    windows = WINDOWS if dev else WINDOWS[:1]
    runs = len(windows) + 1 if dev else 1  # each window tried, then the final training
    tried = []
    for run, window in enumerate(windows):
        told = staged(progress, window_words(window), run, runs) if dev else progress
        nlp, history = _fit_window(train, dev, targets, labels, window, loop, told)
        best = max((h.get("f_avg", 0.0) for h in history), default=0.0)
        tried.append((best, -window, window, nlp, history))
    _, _, window, nlp, history = max(tried, key=lambda t: t[:2])
    dev_items = [item for _, item in stance_items(dev, window)]
    temperature = choose_temperature(nlp, dev_items, targets) if dev_items else 1.0
    figures = stance_figures(nlp, dev_items, targets, labels, temperature) if dev_items else {}
    per_target = per_target_figures(nlp, dev_items, targets, labels, temperature)
    kept = best_epoch(history, "f_avg")
    if dev_items and kept:
        # The window and the epochs are chosen; the dev part's labels are too few to spare
        # (a tenth of a few hundred a target): train again on every labelled document.
        final = f"{FINAL}, {window_words(window)}"
        told = staged(progress, final, runs - 1, runs)
        nlp, _ = _fit_window(
            [*train, *dev], [], targets, labels, window, replace(loop, epochs=kept), told
        )
    report = {
        "targets": targets,
        "labels": labels,
        "window": window,
        "windows_tried": {t[2]: t[0] for t in tried},
        "temperature": temperature,
        "train_documents": len(train),
        "dev_documents": [d.key for d in dev],
        "examples": len(stance_items(train, window)),
        "seconds": round(time.perf_counter() - started, 1),
        "history": history,
        "best_epoch": kept,
        "refit": bool(dev_items and kept),
        "dev": figures,
        "per_target": per_target,
    }
    return nlp, report


def _fit_window(train, dev, targets, labels, window, loop, progress):
    nlp = build_stance_classifier(targets, labels)
    dev_items = [item for _, item in stance_items(dev, window)]
    examples = stance_examples(nlp, [item for _, item in stance_items(train, window)], targets)
    history = fit(
        nlp,
        PIPE,
        examples,
        loop,
        evaluate=(lambda: stance_figures(nlp, dev_items, targets, labels)) if dev_items else None,
        progress=progress,
        select=(lambda figures: figures.get("f_avg", 0.0)) if dev_items else None,
    )
    return nlp, history


def best_epoch(history: Sequence[dict[str, float]], figure: str) -> int | None:
    """Return the epoch (from 1) ``fit`` kept when selecting by ``figure``: the first best."""
    scored = [(h.get(figure, 0.0), -i) for i, h in enumerate(history) if figure in h]
    return -max(scored)[1] + 1 if scored else None


def predict(
    nlp: Language, items: Sequence[StanceItem], targets: Sequence[str], temperature: float = 1.0
) -> list[dict[str, float]]:
    """Return each item's probabilities toward its own target."""
    found = stance_probabilities(nlp, [i.text for i in items], targets, temperature)
    return [p[item.target] for p, item in zip(found, items, strict=True)]


def stance_figures(
    nlp: Language,
    items: Sequence[StanceItem],
    targets: Sequence[str],
    labels: Sequence[str],
    temperature: float = 1.0,
) -> dict[str, float]:
    """Return the dev F_avg and accuracy over every target's items."""
    found = [best_label(p) for p in predict(nlp, items, targets, temperature)]
    gold = [i.label for i in items]
    correct = sum(g == p for g, p in zip(gold, found, strict=True))
    return {
        "f_avg": round(f_avg(gold, found, labels), 4),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
    }


def per_target_figures(
    nlp: Language,
    items: Sequence[StanceItem],
    targets: Sequence[str],
    labels: Sequence[str],
    temperature: float,
) -> dict[str, dict[str, float]]:
    """Return each target's dev F_avg and its number of dev sentences."""
    figures = {}
    for target in targets:
        mine = [i for i in items if i.target == target]
        if mine:
            figures[target] = {
                **stance_figures(nlp, mine, targets, labels, temperature),
                "sentences": len(mine),
            }
    return figures


def choose_temperature(nlp: Language, items: Sequence[StanceItem], targets: Sequence[str]) -> float:
    """Return the temperature with the lowest dev log loss (ties: the one nearest 1)."""

    def loss(temperature: float) -> float:
        found = predict(nlp, items, targets, temperature)
        return -sum(math.log(max(p[i.label], 1e-9)) for p, i in zip(found, items, strict=True))

    return min(TEMPERATURES, key=lambda t: (round(loss(t), 6), abs(math.log(t))))
