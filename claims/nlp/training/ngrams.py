"""A bag of word and character n-grams for spaCy's text classifiers (``claims.NgramBOW.v1``).

spaCy's own bag (``TextCatBOW``) hashes n-grams of the exact words. Short, informal texts
(tweets, transcribed speech) spell one word many ways ("#ProLife", "pro-life", "prolife"):
n-grams of the lower-cased characters catch what the words share, as the usual SVM baselines
of stance detection do. Both kinds are hashed into one sparse linear layer; each kind's
values are scaled to unit length per text, so a long text does not outweigh a short one.

Registered on import; the modules that build pipelines naming it (``model``, which loads
stored ones, and ``stance``) import this module first.
"""

from __future__ import annotations

from functools import partial

import numpy
from spacy.attrs import LOWER
from spacy.ml.models.textcat import resize_and_set_ref
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation
from thinc.layers.resizable import resize_linear_weighted

# Character n-grams are hashed from code points moved past every word id's range, so a
# character n-gram and a word n-gram never share a key by construction.
_CHAR_OFFSET = numpy.uint64(1 << 40)
NEG_VALUE = -5000


@registry.architectures("claims.NgramBOW.v1")
def ngram_bow(
    exclusive_classes: bool,
    word_ngrams: int = 2,
    char_ngrams: list[int] = (2, 5),  # smallest and largest n
    length: int = 262144,
    nO: int | None = None,
) -> Model:
    """Return a linear classifier over hashed word and character n-grams."""
    length = 2 ** (length - 1).bit_length()
    sparse = SparseLinear_v2(nO=nO, length=length)
    fill = {"b": NEG_VALUE, "W": 0}
    layer = resizable(sparse, resize_layer=partial(resize_linear_weighted, fill_defaults=fill))
    output = softmax_activation() if exclusive_classes else Logistic()
    extract = Model(
        "extract_word_char_ngrams",
        _extract_forward,
        attrs={"word_ngrams": word_ngrams, "char_ngrams": tuple(char_ngrams)},
    )
    model = chain(extract, layer, output)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=layer)
    return model


def _extract_forward(model: Model, docs, is_train: bool):
    word_n, (char_lo, char_hi) = model.attrs["word_ngrams"], model.attrs["char_ngrams"]
    keys, values, lengths = [], [], []
    for doc in docs:
        groups = text_keys(model.ops, doc, word_n, char_lo, char_hi)
        keys += groups
        values += [numpy.full(len(g), 1 / numpy.sqrt(len(g)), dtype="f") for g in groups]
        lengths.append(sum(len(g) for g in groups))
    arrays = (
        numpy.concatenate(keys) if keys else numpy.zeros((0,), dtype="uint64"),
        model.ops.asarray1f(numpy.concatenate(values) if values else numpy.zeros((0,), "f")),
        model.ops.asarray1i(lengths),
    )
    return arrays, lambda d_keys: []


def text_keys(ops, doc, word_n: int, char_lo: int, char_hi: int) -> list[numpy.ndarray]:
    """Return the hashed word n-grams (1 to ``word_n``) and character n-grams of a text."""
    words = doc.to_array(LOWER).astype("uint64") if len(doc) else numpy.zeros(0, "uint64")
    word_keys = [ops.ngrams(n, words) for n in range(1, word_n + 1) if len(words) >= n]
    text = " ".join(doc.text.lower().split())
    chars = numpy.frombuffer(text.encode("utf-32-le"), dtype="uint32").astype("uint64")
    chars = chars + _CHAR_OFFSET
    char_keys = [ops.ngrams(n, chars) for n in range(char_lo, char_hi + 1) if len(chars) >= n]
    return [numpy.unique(numpy.concatenate(k)) for k in (word_keys, char_keys) if k]
