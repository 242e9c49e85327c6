"""The stance classifier: for each target of a project, a label per sentence (favor, ...).

One pipeline for every target: spaCy's multi-label text classifier with one output per
(target, stance label), trained on each sentence only for the target it was labelled toward
(the multi-label classifier leaves the other targets' outputs out of the loss): the claims'
machinery, conditioned on the target. Its model is a bag of word and character n-grams
(``claims.NgramBOW.v1``): on SemEval's tweets that alone scored above spaCy's ensemble of a
CNN and a bag of words, a few hundred labelled sentences a target being too few for the CNN.
A sentence may be read with its neighbours (``window`` each side, within the article): a
stance often lies in the sentence before ("She is a liar. Vote for anyone else.").

The measure is SemEval-2016 Task 6's F_avg: the mean F1 of ``favor`` and ``against``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.training import Example
from thinc.api import Config

from claims.nlp.training import ngrams  # noqa: F401 (registers claims.NgramBOW.v1)

PIPE = "textcat_multilabel"
# The two labels SemEval-2016's F_avg averages; a schema without them is scored by the
# macro F1 of all its labels.
MEASURED = ("favor", "against")
SEPARATOR = "\n"


@dataclass(frozen=True)
class StanceItem:
    """One labelled sentence toward one target: the text read (with context) and the label."""

    text: str
    target: str
    label: str


def output_name(target_index: int, label: str) -> str:
    """Return the classifier's output for a target (by position) and a stance label."""
    return f"{target_index}:{label}"


def build_stance_classifier(targets: Sequence[str], labels: Sequence[str]) -> Language:
    """Return a blank English pipeline with an untrained multi-label classifier, one output
    per target and stance label."""
    nlp = spacy.blank("en").from_config(Config().from_str(_CONFIG))
    textcat = nlp.get_pipe(PIPE)
    for index in range(len(targets)):
        for label in labels:
            textcat.add_label(output_name(index, label))
    return nlp


def in_window(texts: Sequence[str], index: int, window: int) -> str:
    """Return the sentence at ``index`` with ``window`` neighbours each side, in order."""
    lo, hi = max(index - window, 0), min(index + window + 1, len(texts))
    return SEPARATOR.join(texts[lo:hi])


def stance_examples(
    nlp: Language, items: Sequence[StanceItem], targets: Sequence[str]
) -> list[Example]:
    """Return one example per item: its target's outputs set, the other targets' missing."""
    labels = _labels(nlp, len(targets))
    position = {name: i for i, name in enumerate(targets)}
    examples = []
    for item in items:
        index = position[item.target]
        cats = {output_name(index, label): float(label == item.label) for label in labels}
        examples.append(Example.from_dict(nlp.make_doc(item.text), {"cats": cats}))
    return examples


def stance_probabilities(
    nlp: Language,
    texts: Sequence[str],
    targets: Sequence[str],
    temperature: float = 1.0,
    batch_size: int = 256,
) -> list[dict[str, dict[str, float]]]:
    """Return, per text, each target's probability per stance label (summing to 1).

    The outputs are independent sigmoids; per target they are turned into one distribution
    by a softmax of their log-odds divided by ``temperature`` (chosen on dev).
    """
    labels = _labels(nlp, len(targets))
    found = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        per_target = {}
        for index, target in enumerate(targets):
            odds = [_logit(doc.cats[output_name(index, label)]) / temperature for label in labels]
            top = max(odds)
            weights = [math.exp(o - top) for o in odds]
            total = sum(weights)
            per_target[target] = {
                label: w / total for label, w in zip(labels, weights, strict=True)
            }
        found.append(per_target)
    return found


def best_label(probabilities: dict[str, float]) -> str:
    """Return the most probable label (the first in label order on a tie)."""
    return max(probabilities, key=probabilities.__getitem__)


def f_avg(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    """Return SemEval-2016's F_avg (mean F1 of favor and against), else the macro F1."""
    measured = [m for m in MEASURED if m in labels] if set(MEASURED) <= set(labels) else labels
    scores = []
    for label in measured:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        guessed = sum(p == label for p in predicted)
        true = sum(g == label for g in gold)
        scores.append(2 * tp / (guessed + true) if guessed + true else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def _labels(nlp: Language, targets: int) -> list[str]:
    """Return the stance labels in the order they were added (those of target 0)."""
    names = nlp.get_pipe(PIPE).labels
    return [name.split(":", 1)[1] for name in names if name.startswith("0:")] if targets else []


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


_CONFIG = """
[nlp]
lang = "en"
pipeline = ["textcat_multilabel"]

[components]

[components.textcat_multilabel]
factory = "textcat_multilabel"
threshold = 0.5

[components.textcat_multilabel.model]
@architectures = "claims.NgramBOW.v1"
exclusive_classes = false
word_ngrams = 2
char_ngrams = [2, 5]
length = 262144
"""


def suggest_stances(model, texts: Sequence[str], index: int) -> list[dict]:
    """Return the stance suggestions of ``texts[index]`` toward each target the model knows:
    ``[{"target", "label", "probabilities", "confidence"}]`` (none without a stance model).

    ``texts``: consecutive sentences of one article, the sentence's neighbours included.
    """
    if model is None or model.stance is None:
        return []
    report = model.meta.get("stance", {})
    targets = report.get("targets", [])
    text = in_window(texts, index, report.get("window", 0))
    found = stance_probabilities(model.stance, [text], targets, report.get("temperature", 1.0))
    suggestions = []
    for target in targets:
        probabilities = found[0][target]
        label = best_label(probabilities)
        suggestions.append(
            {
                "target": target,
                "label": label,
                "probabilities": {k: round(v, 4) for k, v in probabilities.items()},
                "confidence": round(probabilities[label], 4),
            }
        )
    return suggestions
