"""The claim classifier: one label per sentence, with a probability for each label.

The check-worthiness score of a sentence is the probability of the check-worthy label, so
ranking sentences by it is what the CLEF CheckThat! measure scores. Which label that is, is
the project's to say (its schema's ClaimBuster "cfs" value): training takes it as a setting
and keeps it in the model's meta; ``CHECKWORTHY`` is only the default schema's name.
"""

from __future__ import annotations

from collections.abc import Sequence

import spacy
from spacy.language import Language
from spacy.training import Example
from thinc.api import Config

CHECKWORTHY = "checkworthy"
KINDS = ("ensemble", "bow")


def build_classifier(labels: Sequence[str], kind: str = "ensemble") -> Language:
    """Return a blank English pipeline with an untrained exclusive text classifier.

    ``ensemble`` joins a CNN over the words (attention-pooled) to a bag of n-grams; ``bow``
    is the n-gram bag alone, the usual baseline.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown classifier kind {kind!r}; expected one of {KINDS}")
    config = Config().from_str(_BASE + (_ENSEMBLE if kind == "ensemble" else _BOW))
    nlp = spacy.blank("en").from_config(config)
    textcat = nlp.get_pipe("textcat")
    for label in labels:
        textcat.add_label(label)
    return nlp


_BASE = """
[nlp]
lang = "en"
pipeline = ["textcat"]

[components]

[components.textcat]
factory = "textcat"
threshold = 0.0
"""

_BOW = """
[components.textcat.model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = true
ngram_size = 2
no_output_layer = false
length = 262144
"""

_ENSEMBLE = """
[components.textcat.model]
@architectures = "spacy.TextCatEnsemble.v2"
nO = null

[components.textcat.model.linear_model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = true
ngram_size = 2
no_output_layer = false
length = 262144

[components.textcat.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.textcat.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.textcat.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
window_size = 1
maxout_pieces = 3
depth = 2
"""


def classifier_examples(
    nlp: Language, texts: Sequence[str], labels: Sequence[str]
) -> list[Example]:
    """Return one example per labelled sentence (every label of the classifier in ``cats``)."""
    known = list(nlp.get_pipe("textcat").labels)
    examples = []
    for text, label in zip(texts, labels, strict=True):
        cats = {name: float(name == label) for name in known}
        examples.append(Example.from_dict(nlp.make_doc(text), {"cats": cats}))
    return examples


def claim_probabilities(
    nlp: Language, texts: Sequence[str], batch_size: int = 256
) -> list[dict[str, float]]:
    """Return each sentence's probability per claim label."""
    return [dict(doc.cats) for doc in nlp.pipe(texts, batch_size=batch_size)]


def checkworthiness(
    probabilities: dict[str, float], label: str | None = CHECKWORTHY
) -> float | None:
    """Return the probability of the check-worthy ``label`` (None when the model lacks it)."""
    return probabilities.get(label) if label else None


def in_context(scores: Sequence[float], weight: float) -> list[float]:
    """Blend each consecutive sentence's score with its neighbours' mean.

    Check-worthy sentences come in runs (a claim, then its figures), so a sentence between
    two likely ones is likelier too; ``weight`` 0 leaves the scores as they are.
    """
    if not weight or len(scores) < 2:
        return list(scores)
    blended = []
    for i, score in enumerate(scores):
        around = [scores[j] for j in (i - 1, i + 1) if 0 <= j < len(scores)]
        blended.append((score + weight * sum(around) / len(around)) / (1 + weight))
    return blended
