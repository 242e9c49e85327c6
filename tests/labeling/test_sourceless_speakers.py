"""The speaker a suggestion without a source is given: the previous sentence's speaker for a
content going on from that sentence, nobody for a report with a cue of its own."""

import pytest

from claims.learning.models import Prediction
from claims.services.speakers import speaker_create
from tests.factories import client_for, make_article, save_annotation

TEXT = (
    "Talks resume in Oslo\n"
    "Sergey Lavrov said on Monday that the talks would resume in Oslo. "
    "“The opposition will take part, and nobody will be left out.” "
    "Trump is expected to visit Oslo in May. "
    "In Oslo, the talks went on for a week.\n"
)


@pytest.fixture
def oslo(project, annotator):
    """The article, its second sentence saved naming Lavrov as the speaker."""
    sentences = list(make_article(project, TEXT, "oslo").sentences.order_by("index"))
    heading, said = sentences[:2]
    lavrov = speaker_create(project_id=project.id, name="Sergey Lavrov", kind="person")
    save_annotation(heading, annotator, {"status": "submitted", "claim": "not_claim"})
    cue, content = said.text.index("said"), said.text.index("the talks")
    save_annotation(said, annotator, {"status": "submitted", "claim": "claim", "attributions": [
        {"speaker": {"id": lavrov.id}, "source": {"start": 0, "end": cue - 1},
         "cue": {"start": cue, "end": cue + 4},
         "content": {"start": content, "end": len(said.text) - 1}, "quote_type": "indirect"},
    ]})  # fmt: skip
    return sentences, lavrov


def suggested_speaker(client, sentence, cue: str | None, content: str) -> dict | None:
    """Pre-annotate the sentence with an attribution without a source (an imported prediction,
    given no speaker) and return the speaker its suggestion carries."""
    text = sentence.text
    spans = {
        "source": None,
        "cue": cue and [text.index(cue), text.index(cue) + len(cue)],
        "content": [text.index(content), text.index(content) + len(content)],
    }
    Prediction.objects.create(sentence=sentence, attributions=[{**spans, "speaker": None}])
    response = client.get(f"/api/v1/sentences/{sentence.id}/suggestions/")
    assert response.status_code == 200, response.content
    found = [a for a in response.json()["attributions"] if a["content"]["text"] == content]
    assert len(found) == 1 and found[0]["source"] is None
    return found[0]["speaker"]


def test_a_content_going_on_from_the_sentence_before_gets_its_speaker(annotator, oslo):
    sentences, lavrov = oslo
    going_on = sentences[2]
    content = "The opposition will take part, and nobody will be left out."
    speaker = suggested_speaker(client_for(annotator), going_on, None, content)
    assert speaker == {"id": lavrov.id, "name": "Sergey Lavrov", "kind": "person"}


def test_a_report_with_its_own_cue_and_no_source_names_nobody(annotator, oslo):
    """A cue of its own and no source ("Trump is expected to ..."): nobody says it; the
    speaker of the sentence before is not given to it, although it is the best candidate."""
    sentences, lavrov = oslo
    expected = sentences[3]
    quoted = {"speaker": {"id": lavrov.id}, "source": None, "cue": None,
              "content": {"start": 1, "end": len(sentences[2].text) - 2}}  # fmt: skip
    save_annotation(
        sentences[2], annotator, {"status": "submitted", "claim": "claim", "attributions": [quoted]}
    )
    client = client_for(annotator)
    assert suggested_speaker(client, expected, "is expected", "to visit Oslo in May") is None
    best = client.get(f"/api/v1/sentences/{expected.id}/speaker-candidates/").json()
    assert best["candidates"][0]["name"] == "Sergey Lavrov"  # offered in the picker still


def test_a_content_that_does_not_open_its_sentence_names_nobody(annotator, oslo):
    sentences, _ = oslo
    client = client_for(annotator)
    later = sentences[2]
    assert suggested_speaker(client, later, None, "nobody will be left out") is None


@pytest.fixture
def trump_labelled(project, annotator, oslo):
    """The fourth sentence saved too, naming Trump: the annotator comes back to the third."""
    sentences, lavrov = oslo
    trump = speaker_create(project_id=project.id, name="Donald Trump", kind="person")
    expected = sentences[3]
    cue = expected.text.index("is expected")
    save_annotation(expected, annotator, {"status": "submitted", "claim": "claim", "attributions": [
        {"speaker": {"id": trump.id}, "source": {"start": 0, "end": cue - 1},
         "cue": {"start": cue, "end": cue + len("is expected")},
         "content": {"start": cue + len("is expected "), "end": len(expected.text) - 1}},
    ]})  # fmt: skip
    return sentences, lavrov, trump


def test_coming_back_a_content_going_on_gets_the_speaker_before_not_the_next(
    annotator, trump_labelled
):
    sentences, lavrov, _ = trump_labelled
    content = "The opposition will take part, and nobody will be left out."
    speaker = suggested_speaker(client_for(annotator), sentences[2], None, content)
    assert speaker == {"id": lavrov.id, "name": "Sergey Lavrov", "kind": "person"}


def test_coming_back_a_report_with_its_own_cue_is_not_given_the_next_sentences_speaker(
    annotator, trump_labelled
):
    sentences, _, _ = trump_labelled
    client = client_for(annotator)
    quote = sentences[2]
    assert suggested_speaker(client, quote, "will take part", "nobody will be left out") is None
    best = client.get(f"/api/v1/sentences/{quote.id}/speaker-candidates/").json()
    assert best["candidates"][0]["name"] == "Donald Trump"  # offered in the picker still


def test_coming_back_a_content_not_opening_its_sentence_names_nobody(annotator, trump_labelled):
    """No cue, running to its end, but not the whole sentence: the next sentence's source was
    right for such contents about two times in three on PolNeAR train, too few to be given."""
    sentences, _, _ = trump_labelled
    client = client_for(annotator)
    assert suggested_speaker(client, sentences[2], None, "nobody will be left out.") is None


def test_a_whole_sentence_quote_gets_the_speaker_named_in_the_next_sentence(project, annotator):
    text = "Talks in Oslo\n“Nobody will be left out.” Sergey Lavrov said so on Monday in Oslo.\n"
    sentences = list(make_article(project, text, "quoted").sentences.order_by("index"))
    heading, quote, said = sentences
    assert quote.text == "“Nobody will be left out.”"
    lavrov = speaker_create(project_id=project.id, name="Sergey Lavrov", kind="person")
    for sentence in (heading, quote):
        save_annotation(sentence, annotator, {"status": "submitted", "claim": "not_claim"})
    cue = said.text.index("said")
    save_annotation(said, annotator, {"status": "submitted", "claim": "claim", "attributions": [
        {"speaker": {"id": lavrov.id}, "source": {"start": 0, "end": cue - 1},
         "cue": {"start": cue, "end": cue + 4}, "content": {"start": cue + 5, "end": cue + 7}},
    ]})  # fmt: skip
    speaker = suggested_speaker(client_for(annotator), quote, None, "Nobody will be left out.")
    assert speaker == {"id": lavrov.id, "name": "Sergey Lavrov", "kind": "person"}
