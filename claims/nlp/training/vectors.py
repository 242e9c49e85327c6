"""Word vectors learnt from the project's own articles, for the span tagger to start from.

No pretrained vectors can be downloaded here, and the words that matter (the verbs and nouns
that report speech) are too many for the labels to show each as a cue. Words used alike have
alike neighbours ("officials *said* that", "officials *argued* that"), so a vector of the words
around each word, over all the project's text, tells the tagger that a word never labelled
behaves like one that was. The vectors are counts, not a network: positive pointwise mutual
information of a word with the words just left and just right of it, reduced by a truncated
SVD (Levy, Goldberg and Dagan 2015: on small corpora this matches word2vec), a few CPU seconds
for a million words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy
from spacy.language import Language
from spacy.vectors import Vectors

# Words seen fewer times than this get no vector (too few neighbours to say anything).
MIN_COUNT = 3
# At most this many words get a vector, the most frequent first.
MAX_WORDS = 20000
# The context words: the most frequent, counted apart on each side.
CONTEXT_WORDS = 1000
WINDOW = 2
# Context distribution smoothing and the singular values' weight (Levy et al.'s settings).
SMOOTHING = 0.75
EIGEN_POWER = 0.5


def learn_vectors(nlp: Language, sentences: Iterable[Sequence[str]], dims: int) -> int:
    """Set ``nlp``'s vectors (``dims`` wide, keyed by lower-cased word) from tokenised
    sentences; return how many words got one.

    With too little text for ``dims`` dimensions every vector is 0 (the tagger then learns
    from its other features alone, as without vectors).
    """
    forms = {word for words in sentences for word in words}
    sentences = [[word.lower() for word in words] for words in sentences]
    counts = Counter(word for words in sentences for word in words)
    vocabulary = [w for w, n in counts.most_common(MAX_WORDS) if n >= MIN_COUNT]
    if len(vocabulary) <= dims:
        vocabulary = vocabulary or [""]
        table = numpy.zeros((len(vocabulary), dims), dtype="float32")
    else:
        table = _reduce(_ppmi(_cooccurrences(sentences, vocabulary)), dims)
    # Keyed by every form seen ("Said", "SAID" share "said"'s row): a table's key attribute is
    # not saved with it, so the default (the word as written) is the one that lasts.
    vectors = Vectors(strings=nlp.vocab.strings, data=table, keys=vocabulary)
    rows = {word: index for index, word in enumerate(vocabulary)}
    for form in sorted(forms):
        if form != form.lower() and form.lower() in rows:
            vectors.add(form, row=rows[form.lower()])
    nlp.vocab.vectors = vectors
    return len(vocabulary)


def _cooccurrences(sentences: list[list[str]], vocabulary: list[str]) -> numpy.ndarray:
    """Count, for each word, each context word on each side within the window."""
    row = {word: index for index, word in enumerate(vocabulary)}
    context = {word: index for index, word in enumerate(vocabulary[:CONTEXT_WORDS])}
    width = len(context)
    # One stream of word indexes; WINDOW gaps (-1) between sentences keep them apart.
    gap = [-1] * WINDOW
    rows = numpy.asarray([r for w in sentences for r in (*[row.get(x, -1) for x in w], *gap)])
    contexts = numpy.asarray(
        [c for w in sentences for c in (*[context.get(x, -1) for x in w], *gap)]
    )
    counts = numpy.zeros((len(vocabulary), 2 * width), dtype="float32")
    for offset in (*range(-WINDOW, 0), *range(1, WINDOW + 1)):
        words = rows[max(0, -offset) : len(rows) - max(0, offset)]
        around = contexts[max(0, offset) : len(contexts) - max(0, -offset)]
        keep = (words >= 0) & (around >= 0)
        side = width if offset > 0 else 0
        numpy.add.at(counts, (words[keep], around[keep] + side), 1.0)
    return counts


def _ppmi(counts: numpy.ndarray) -> numpy.ndarray:
    """Return max(0, log p(w, c) / (p(w) p(c))) in place, p(c) smoothed."""
    total = float(counts.sum()) or 1.0
    words = counts.sum(axis=1, keepdims=True) / total
    smoothed = counts.sum(axis=0, keepdims=True) ** SMOOTHING
    contexts = smoothed / (float(smoothed.sum()) or 1.0)
    counts /= total
    counts /= numpy.maximum(words, 1e-12)
    counts /= numpy.maximum(contexts, 1e-12)
    numpy.log(counts, out=counts, where=counts > 0)
    return numpy.maximum(counts, 0.0, out=counts)


def _reduce(matrix: numpy.ndarray, dims: int) -> numpy.ndarray:
    """Return unit-length rows of the truncated SVD U * S^p (from the eigenvectors of M'M)."""
    values, vectors = numpy.linalg.eigh((matrix.T @ matrix).astype("float64"))
    top = numpy.argsort(values)[::-1][:dims]
    singular = numpy.sqrt(numpy.maximum(values[top], 1e-12))
    table = matrix @ (vectors[:, top] * singular ** (EIGEN_POWER - 1.0)).astype("float32")
    norms = numpy.linalg.norm(table, axis=1, keepdims=True)
    return (table / numpy.maximum(norms, 1e-12)).astype("float32")
