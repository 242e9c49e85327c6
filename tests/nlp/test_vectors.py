"""Word vectors learnt from a project's own text: words used alike end up alike."""

import numpy
import spacy

from claims.nlp.training import (
    ClaimModel,
    LoopSettings,
    ModelSuggester,
    TaggerShape,
    TrainingSettings,
    train_model,
)
from claims.nlp.training.vectors import learn_vectors
from tests.nlp.test_training import documents

PEOPLE = ["Lavrov", "Maduro", "the minister", "officials", "the envoy", "she", "Guaido"]
VERBS = ["said", "argued", "stressed", "insisted"]
THINGS = ["the bridge", "the road", "the border", "the port", "the airport"]
STATES = ["was closed", "reopened", "was repaired", "stayed open"]


def corpus() -> list[list[str]]:
    """Reports ("<person> <verb> that <thing> <state> .") and plain events, each word in many."""
    found = []
    for number in range(300):
        person, verb = PEOPLE[number % 7], VERBS[number % 4]
        thing, state = THINGS[number % 5], STATES[(number // 5) % 4]
        found.append(f"{person} {verb} that {thing} {state} .".split())
        event = f"{THINGS[(number + 2) % 5]} {STATES[number % 4]} on Monday ."
        found.append((event[0].upper() + event[1:]).split())
    return found


def similarity(nlp, a: str, b: str) -> float:
    vectors = nlp.vocab.vectors
    return float(numpy.dot(vectors[nlp.vocab.strings[a]], vectors[nlp.vocab.strings[b]]))


def test_words_used_alike_get_alike_vectors():
    nlp = spacy.blank("en")
    assert learn_vectors(nlp, corpus(), 8) > 8
    # Two reporting verbs share their neighbours; a verb and a place do not.
    assert similarity(nlp, "argued", "insisted") > similarity(nlp, "argued", "port") + 0.3
    assert similarity(nlp, "bridge", "airport") > similarity(nlp, "bridge", "stressed") + 0.3
    # Keyed by the words as written too: a capitalised form reads the same row.
    assert nlp.vocab.vectors.find(key="The") == nlp.vocab.vectors.find(key="the")


def test_too_little_text_gives_empty_vectors_not_an_error():
    nlp = spacy.blank("en")
    learn_vectors(nlp, [["Lavrov", "said", "so", "."]], 16)
    assert nlp.vocab.vectors.shape[1] == 16
    assert not nlp.vocab.vectors.data.any()


def test_a_model_with_vectors_keeps_them_when_stored():
    settings = TrainingSettings(
        dev_share=0.25,
        shape=TaggerShape(width=32, depth=2, window=1, rows=500, vectors=8),
        tagger_loop=LoopSettings(epochs=2, batch_words=200),
        classifier_kind="bow",
        classifier_loop=LoopSettings(epochs=1, batch_words=200),
    )
    model = train_model(documents(), settings)
    assert model.tagger.vocab.vectors.shape[1] == 8
    loaded = ClaimModel.from_bytes(model.to_bytes())
    assert numpy.array_equal(loaded.tagger.vocab.vectors.data, model.tagger.vocab.vectors.data)
    texts = ["The envoy noted talks would resume.", "Officials said the border is closed."]
    assert ModelSuggester(loaded).suggest(texts) == ModelSuggester(model).suggest(texts)
