"""Training the suggestion model on a handful of hand-written sentences, end to end."""

import pytest

from claims.nlp.training import (
    ClaimModel,
    LabeledDocument,
    LoopSettings,
    ModelSuggester,
    TaggerShape,
    TrainingSettings,
    average_precision,
    label_article,
    train_model,
)
from claims.nlp.training.examples import GoldAttribution, LabeledSentence
from claims.nlp.training.scoring import SpanScores

NAMES = ["Lavrov", "Maduro", "The minister", "Guaido", "She", "The envoy", "Officials"]
CUES = ["said", "noted", "stressed", "told reporters"]
CONTENTS = ["talks would resume", "the border is closed", "aid will arrive soon"]


def sentence(name: str, cue: str, content: str, claim: str) -> LabeledSentence:
    """Return '<name> <cue> <content>.' labelled by role."""
    text = f"{name} {cue} {content}."
    cue_start = len(name) + 1
    content_start = cue_start + len(cue) + 1
    attribution = GoldAttribution(
        source=((0, len(name)),),
        cue=((cue_start, content_start - 1),),
        content=((content_start, content_start + len(content)),),
    )
    return LabeledSentence(text, (attribution,), claim)


def documents() -> list[LabeledDocument]:
    found = []
    for number in range(12):
        sentences = [
            sentence(NAMES[(number + i) % 7], CUES[i % 4], CONTENTS[(number + i) % 3], "claim")
            for i in range(3)
        ]
        sentences.append(LabeledSentence("Will the talks go ahead?", (), "not_claim"))
        sentences.append(
            LabeledSentence(
                f"Unemployment rose {number + 3} percent in {2000 + number}.", (), "checkworthy"
            )
        )
        found.append(LabeledDocument(f"doc-{number}", tuple(sentences)))
    return found


SETTINGS = TrainingSettings(
    dev_share=0.25,
    shape=TaggerShape(width=32, depth=2, window=1, rows=500),
    tagger_loop=LoopSettings(epochs=8, batch_words=200),
    classifier_kind="bow",
    classifier_loop=LoopSettings(epochs=8, batch_words=200),
)


PROGRESS = []


@pytest.fixture(scope="module")
def model() -> ClaimModel:
    return train_model(documents(), SETTINGS, progress=PROGRESS.append)


def test_training_reports_progress_and_dev_figures(model):
    seen, trained = PROGRESS, model
    components = {p.component for p in seen}
    assert components == {"tagger", "textcat"}
    assert all(0 <= p.done <= 1 for p in seen)
    assert any(p.dev for p in seen)
    assert set(trained.meta["tagger"]["dev"]) >= {"source_precision", "cue_recall"}
    assert trained.meta["classifier"]["labels"] == ["checkworthy", "claim", "not_claim"]


def test_the_model_learns_the_tiny_set(model):
    scores = SpanScores()
    suggester = ModelSuggester(model)
    for document in documents()[-3:]:
        found = suggester.suggest([s.text for s in document.sentences])
        for gold, suggested in zip(document.sentences, found, strict=True):
            scores.add(suggested.attributions, gold.attributions)
    assert all(tally.f1 > 0.8 for tally in scores.roles.values()), scores.line()


def test_bytes_round_trip_gives_the_same_suggestions(model):
    texts = ["The envoy noted talks would resume.", "Unemployment rose 9 percent in 2011."]
    loaded = ClaimModel.from_bytes(model.to_bytes())
    assert loaded.meta == model.meta
    assert ModelSuggester(loaded).suggest(texts) == ModelSuggester(model).suggest(texts)


def test_suggestions_carry_origin_and_confidence(model):
    text = "Maduro stressed the border is closed."
    found = ModelSuggester(model).suggest([text])[0]
    record = found.attributions[0].record(text)
    assert record["origin"] == "model"
    assert record["source"]["text"] == "Maduro"
    assert 0 < record["confidence"] <= 1
    assert set(found.claim) == {"checkworthy", "claim", "not_claim"}
    assert 0 <= found.checkworthiness <= 1
    assert found.claim_origin == "model"


def test_without_a_model_the_rules_suggest():
    text = '"We are ready," Lavrov noted.'
    found = ModelSuggester().suggest([text, "Is it over?"])
    record = found[0].attributions[0].record(text)
    assert (record["origin"], record["source"]["text"], record["cue"]["text"]) == (
        "rules",
        "Lavrov",
        "noted",
    )
    assert 0 < record["confidence"] < 1
    assert found[1].claim == {"not_claim": 1.0} and found[1].claim_origin == "rules"


def test_article_spans_are_cut_at_sentence_boundaries():
    text = 'He said: "Talks resume. Aid arrives." Nothing else.'
    start = text.index("Talks")
    end = text.index('"', start)
    document = label_article(
        "a", text, [{"source": [[0, 2]], "cue": [[3, 7]], "content": [[start, end]]}]
    )
    parts = [s.attributions[0].content if s.attributions else () for s in document.sentences]
    texts = [[s.text[a:b] for a, b in p] for s, p in zip(document.sentences, parts, strict=True)]
    assert texts == [["Talks resume."], ["Aid arrives."], []]


def test_average_precision():
    assert average_precision([0.9, 0.8, 0.1], [True, False, True]) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision([0.1, 0.2], [False, False]) == 0.0


def test_a_decoded_span_never_ends_or_starts_on_a_space_token():
    """A source tagged up to a no-break space kept it: "the ones\\xa0" was suggested."""
    from types import SimpleNamespace

    import numpy
    import spacy

    from claims.nlp.training.tagger import TAGS, decode_spans

    text = "Tallies of the ones\xa0showing gains"
    doc = spacy.blank("en")(text)
    tags = ["B-source", "I-source", "I-source", "I-source", "I-source", "B-cue", "O"]
    assert [t.text for t in doc][4] == "\xa0"
    probabilities = numpy.full((len(doc), len(TAGS)), 0.01)
    for i, tag in enumerate(tags):
        probabilities[i, TAGS.index(tag)] = 0.9
    [spans] = decode_spans([SimpleNamespace(doc=doc)], [probabilities])
    source = next(s for s in spans if s.role == "source")
    assert text[source.start : source.end] == "Tallies of the ones"
