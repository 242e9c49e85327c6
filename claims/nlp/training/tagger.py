"""The span tagger: one tag per token (begin or inside a source, cue or content, or outside).

Why a tagger and not spaCy's NER or span categorizer: contents are long (a whole clause or
sentence), which a span categorizer's n-gram suggester cannot propose without enumerating
thousands of candidates per sentence, and PolNeAR's spans never overlap (one attribution per
token), so one tag per token loses nothing. Unlike the transition-based NER, a tagger gives a
probability for every tag of every token, which the constrained decoding below turns into
well-formed spans and each span's confidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy
import spacy
from spacy.language import Language
from spacy.training import Example
from thinc.api import Config

from claims.nlp.training.examples import ROLES, LabeledDocument, LabeledSentence
from claims.nlp.training.features import Chunk, SentenceFeatures, chunks, featurize

TAGS = ("O", *(f"{edge}-{role}" for role in ROLES for edge in "BI"))
_OUTSIDE = TAGS.index("O")


@dataclass(frozen=True)
class TaggerShape:
    """The size of the tagger's network: embedding width, CNN depth and window; ``vectors``:
    the width of the word vectors learnt from the project's text (0: none)."""

    width: int = 96
    depth: int = 4
    # Two tokens each side per layer, eight in all: a source is often further from its cue
    # than four ("Dana Ortiz, a strategist who managed the campaign, said"); on PolNeAR train's
    # dev part, source F1 0.760 after two epochs against 0.748 with one token per layer.
    window: int = 2
    rows: int = 5000
    vectors: int = 0


@dataclass(frozen=True)
class TaggedSpan:
    """A decoded span of one sentence: role, character offsets, mean tag probability."""

    role: str
    start: int
    end: int
    confidence: float
    first_token: int
    last_token: int


def build_tagger(shape: TaggerShape = TaggerShape()) -> Language:
    """Return a blank English pipeline with an untrained tagger over words and rule features."""
    config = Config().from_str(_CONFIG)
    model = config["components"]["tagger"]["model"]["tok2vec"]
    model["embed"]["width"] = shape.width
    model["embed"]["rows"] = [
        shape.rows,
        shape.rows // 5,
        shape.rows // 2,
        shape.rows // 2,
        256,
        64,
    ]
    model["embed"]["include_static_vectors"] = shape.vectors > 0
    model["encode"].update(width=shape.width, depth=shape.depth, window_size=shape.window)
    return spacy.blank("en").from_config(config)


_CONFIG = """
[nlp]
lang = "en"
pipeline = ["tagger"]

[components]

[components.tagger]
factory = "tagger"

[components.tagger.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = true

[components.tagger.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.tagger.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "LEMMA", "MORPH"]
rows = [5000, 1000, 2500, 2500, 256, 64]
include_static_vectors = false

[components.tagger.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
window_size = 2
maxout_pieces = 3
depth = 4
"""


def gold_tags(sentence: LabeledSentence, features: SentenceFeatures) -> list[str]:
    """Return a tag per token: a part's first token begins it, the others are inside.

    An unlabelled sentence's tokens get "" (missing: no loss either way).
    """
    if not sentence.labelled:
        return [""] * len(features.doc)
    tags = ["O"] * len(features.doc)
    for attribution in sentence.attributions:
        for role in ROLES:
            for start, end in attribution.parts(role):
                inside = [t.i for t in features.doc if t.idx < end and start < t.idx + len(t)]
                for position, index in enumerate(inside):
                    tags[index] = f"{'B' if position == 0 else 'I'}-{role}"
    return tags


def tagger_examples(nlp: Language, documents: Sequence[LabeledDocument]) -> list[Example]:
    """Return one example per chunk of consecutive sentences, tags as the reference."""
    examples = []
    for document in documents:
        features = featurize(nlp, [s.text for s in document.sentences])
        for chunk in chunks(nlp, features):
            tags = [
                tag
                for index in chunk.indexes
                for tag in gold_tags(document.sentences[index], features[index])
            ]
            examples.append(Example.from_dict(chunk.doc, {"tags": tags}))
    return examples


def tag_spans(
    nlp: Language,
    features: Sequence[SentenceFeatures],
    *,
    outside_scale: float = 1.0,
    batch_size: int = 64,
) -> list[list[TaggedSpan]]:
    """Return the decoded spans of each featurised sentence (consecutive, one document).

    ``outside_scale`` multiplies the probability of "outside" before decoding: below 1 the
    decoder starts spans it would otherwise leave out.
    """
    probabilities = tag_probabilities(nlp, features, batch_size=batch_size)
    return decode_spans(features, probabilities, outside_scale)


def tag_probabilities(
    nlp: Language, features: Sequence[SentenceFeatures], *, batch_size: int = 64
) -> list[numpy.ndarray]:
    """Return each sentence's tag probabilities (a row per token, a column per TAGS tag)."""
    found: list[numpy.ndarray] = [numpy.zeros((0, len(TAGS)), dtype="f") for _ in features]
    model = nlp.get_pipe("tagger").model
    labels = list(nlp.get_pipe("tagger").labels)
    order = [labels.index(tag) if tag in labels else None for tag in TAGS]
    all_chunks = list(chunks(nlp, features))
    for first in range(0, len(all_chunks), batch_size):
        batch = all_chunks[first : first + batch_size]
        for chunk, scores in zip(batch, model.predict([c.doc for c in batch]), strict=True):
            probabilities = _in_tag_order(numpy.asarray(scores), order)
            for index, sentence_probs in _per_sentence(chunk, probabilities, features):
                found[index] = sentence_probs
    return found


def decode_spans(
    features: Sequence[SentenceFeatures],
    probabilities: Sequence[numpy.ndarray],
    outside_scale: float = 1.0,
) -> list[list[TaggedSpan]]:
    """Return the spans of each sentence decoded from its tag probabilities."""
    return [
        _spans(sentence, found, outside_scale)
        for sentence, found in zip(features, probabilities, strict=True)
    ]


def _in_tag_order(scores: numpy.ndarray, order: list[int | None]) -> numpy.ndarray:
    """Reorder tagger columns into TAGS order (tags never seen in training get 0)."""
    result = numpy.zeros((scores.shape[0], len(TAGS)), dtype="f")
    for column, index in enumerate(order):
        if index is not None:
            result[:, column] = scores[:, index]
    return result


def _per_sentence(
    chunk: Chunk, probabilities: numpy.ndarray, features: Sequence[SentenceFeatures]
) -> Iterator[tuple[int, numpy.ndarray]]:
    for index, start in zip(chunk.indexes, chunk.token_starts, strict=True):
        yield index, probabilities[start : start + len(features[index].doc)]


def _spans(
    sentence: SentenceFeatures, probabilities: numpy.ndarray, outside_scale: float = 1.0
) -> list[TaggedSpan]:
    """Decode the best well-formed tag sequence and cut it into spans."""
    if not len(probabilities):
        return []
    scaled = probabilities.copy()
    scaled[:, _OUTSIDE] *= outside_scale
    path = viterbi(scaled)
    spans, current = [], None
    for i, tag in enumerate(path):
        name = TAGS[tag]
        if current is not None and name != f"I-{current[0]}":
            spans.append(_span(sentence, probabilities, path, *current, i - 1))
            current = None
        if name.startswith("B-"):
            current = (name[2:], i)
    if current is not None:
        spans.append(_span(sentence, probabilities, path, *current, len(path) - 1))
    return spans


def _span(sentence, probabilities, path, role: str, first: int, last: int) -> TaggedSpan:
    doc = sentence.doc
    picked = [probabilities[i, path[i]] for i in range(first, last + 1)]
    # A space token at an edge (a no-break space is one) is no part of the span's text: a
    # source tagged up to one ended with it ("the ones\xa0"). Its tokens stay as
    # tagged: a source's distance to each cue (group_spans) is counted in them.
    head, tail = first, last
    while tail > head and doc[tail].is_space:
        tail -= 1
    while head < tail and doc[head].is_space:
        head += 1
    end = doc[tail].idx + len(doc[tail])
    return TaggedSpan(role, doc[head].idx, end, float(numpy.mean(picked)), first, last)


def _transitions() -> tuple[numpy.ndarray, numpy.ndarray]:
    """Return log-weights of tag pairs and of a first tag: "inside" only continues its role."""
    allowed = numpy.zeros((len(TAGS), len(TAGS)), dtype="f")
    start = numpy.zeros(len(TAGS), dtype="f")
    for cur, name in enumerate(TAGS):
        if name.startswith("I-"):
            start[cur] = -numpy.inf
            for prev, before in enumerate(TAGS):
                if before[2:] != name[2:]:
                    allowed[prev, cur] = -numpy.inf
    return allowed, start


_ALLOWED, _START = _transitions()


def viterbi(probabilities: numpy.ndarray) -> list[int]:
    """Return the most probable tag sequence in which every "inside" follows its role."""
    greedy = probabilities.argmax(axis=1).tolist()
    if _START[greedy[0]] == 0 and all(
        _ALLOWED[a, b] == 0 for a, b in zip(greedy, greedy[1:], strict=False)
    ):
        return greedy  # already well formed: the common case, and much cheaper
    logp = numpy.log(numpy.clip(probabilities, 1e-9, 1.0))
    score = _START + logp[0]
    back = numpy.zeros(logp.shape, dtype="i")
    for i in range(1, len(logp)):
        candidates = score[:, None] + _ALLOWED
        back[i] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + logp[i]
    path = [int(score.argmax())]
    for i in range(len(logp) - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return path[::-1]
