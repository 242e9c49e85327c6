"""Who may be speaking: the item's speaker fields, the pronoun rule, and picking an article."""

import pytest

from claims.labeling.queue import queue_next
from claims.models import Role, Sentence, Speaker
from claims.services.speakers import speaker_create
from tests.factories import client_for, make_article, make_member, save_annotation

QUOTE = (
    "Talks resume in Oslo\n"
    'Russia is ready to help, Sergey Lavrov said. "There is the EU initiative to set up a '
    'contact group. Some ideas came from Uruguay and Mexico" he said. Lavrov noted the talks.\n'
)


@pytest.fixture
def oslo(project):
    article = make_article(project, QUOTE, "oslo")
    return list(article.sentences.order_by("index"))


@pytest.fixture
def lavrov(project):
    return speaker_create(
        project_id=project.id, name="Sergey Lavrov", kind="person", aliases=["Lavrov"]
    )


def next_item(client, project, **params) -> dict:
    response = client.get(f"/api/v1/projects/{project.slug}/next/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_closing_sentence_lists_the_quotations_earlier_sentences(project, annotator, oslo):
    heading, said, opening, closing, noted = oslo
    for sentence in (heading, said, opening):
        save_annotation(sentence, annotator, {"status": "submitted", "claim": "not_claim"})
    item = next_item(client_for(annotator), project)
    assert item["sentence"]["id"] == closing.id
    # "... Mexico" he said.": it closes the quotation the sentence before opened.
    content = item["quotation"]["sentences"][0]["content"]
    assert item["quotation"]["sentences"][0]["id"] == opening.id
    assert opening.text[content["start"] : content["end"]] == (
        "There is the EU initiative to set up a contact group"
    )


def test_suggestions_carry_the_speaker_resolved_for_their_source(project, annotator, oslo, lavrov):
    for sentence in oslo[:4]:
        save_annotation(sentence, annotator, {"status": "submitted", "claim": "not_claim"})
    item = next_item(client_for(annotator), project)
    assert item["sentence"]["text"] == "Lavrov noted the talks."
    suggested = item["suggestions"]["attributions"][0]
    assert suggested["speaker"] == {"id": lavrov.id, "name": "Sergey Lavrov", "kind": "person"}
    assert "previous_speakers" not in item and "named_speakers" not in item


LONG_QUOTE = (
    "Lynch speaks\n"
    "Attorney General Loretta Lynch said on Monday that the inquiry would go on. "
    '"We will not stop. The inquiry goes on. It has support. It has money. '
    'Nobody is above the law," Lynch said.\n'
)


def test_a_quotations_other_sentences_are_suggested_its_speaker(project, annotator):
    sentences = list(make_article(project, LONG_QUOTE, "long").sentences.order_by("index"))
    middle = sentences[3]
    assert middle.text == "The inquiry goes on."
    item = client_for(annotator).get(f"/api/v1/sentences/{middle.id}/suggestions/").json()
    quoted = item["attributions"][0]
    assert quoted["speaker"] == {"id": None, "name": "Loretta Lynch", "kind": "person"}
    assert (quoted["content"]["text"], quoted["quote_type"]) == ("The inquiry goes on", "direct")
    assert (quoted["source"], quoted["origin"]) == (None, "quotation")

    # Once someone names the speaker in any of its sentences, that speaker is suggested, and
    # the sentence naming it is shown when it is further away than the context.
    speaker = speaker_create(project_id=project.id, name="L. Lynch", kind="person")
    closing = sentences[6]
    start = closing.text.index("Lynch said")
    attributed = {"speaker": {"id": speaker.id}, "source": {"start": start, "end": start + 5},
                  "content": {"start": 0, "end": closing.text.index(",")}}  # fmt: skip
    save_annotation(
        closing,
        make_member(project, Role.ANNOTATOR, "other"),
        {"status": "submitted", "claim": "claim", "attributions": [attributed]},
    )
    for sentence in sentences[:3]:
        save_annotation(sentence, annotator, {"status": "submitted", "claim": "not_claim"})
    item = next_item(client_for(annotator), project)
    assert item["sentence"]["id"] == middle.id
    assert item["suggestions"]["attributions"][0]["speaker"]["id"] == speaker.id
    assert item["speaker_sentence"]["id"] == closing.id


def test_the_sentences_own_labels_by_others_are_never_offered(project, annotator, oslo):
    other = make_member(project, Role.ANNOTATOR, "other")
    attributed = {"speaker": {"name": "Vladimir Putin", "kind": "person"}}
    save_annotation(
        oslo[1], other, {"status": "submitted", "claim": "claim", "attributions": [attributed]}
    )
    client = client_for(annotator)

    def names(sentence):
        url = f"/api/v1/sentences/{sentence.id}/speaker-candidates/"
        return [c["name"] for c in client.get(url).json()["candidates"]]

    assert "Vladimir Putin" not in names(oslo[1])  # blind: others' labels of this sentence
    assert "Vladimir Putin" in names(oslo[2])  # who spoke before in the article: anyone's


@pytest.mark.parametrize("name", ["he", "She", "they", "it", "we", "I", "you", "who", "the"])
def test_a_pronoun_or_function_word_never_becomes_a_speaker(project, annotator, oslo, name):
    client = client_for(annotator)
    body = {
        "version": None,
        "status": "draft",
        "attributions": [{"speaker": {"name": name, "kind": "person"}}],
    }
    response = client.put(f"/api/v1/sentences/{oslo[3].id}/annotation/", body, format="json")
    assert response.status_code == 400
    problem = response.json()["attributions"][0]["speaker"]["name"][0]
    assert problem.startswith(f"{name!r} is ")
    assert problem.endswith("choose the speaker it refers to instead")
    reviewer = make_member(project, Role.REVIEWER, "rev")
    added = client_for(reviewer).post(
        f"/api/v1/projects/{project.slug}/speakers/",
        {"name": name, "kind": "person"},
        format="json",
    )
    assert added.status_code == 400 and "refers to" in added.json()["name"][0]
    assert not Speaker.objects.filter(project=project).exists()


def test_a_name_with_a_pronoun_in_it_is_still_a_name(project, annotator, oslo):
    body = {
        "status": "draft",
        "attributions": [{"speaker": {"name": "We The People Party", "kind": "organization"}}],
    }
    response = client_for(annotator).put(
        f"/api/v1/sentences/{oslo[3].id}/annotation/", body, format="json"
    )
    assert response.status_code == 201
    assert Speaker.objects.get(project=project).name == "We The People Party"


def test_picking_an_article_starts_the_queue_there(project, annotator, oslo):
    second = make_article(project, "Norway will mediate. Guaido welcomed it.\n", "second")
    first_there = second.sentences.get(index=0)
    assert queue_next(project=project, user=annotator) == oslo[0].id
    picked = next_item(client_for(annotator), project, article=second.id)
    assert picked["sentence"]["id"] == first_there.id
    # Still the queue's rules: a sentence the annotator did is never offered again.
    save_annotation(first_there, annotator, {"status": "submitted", "claim": "claim"})
    after = next_item(client_for(annotator), project, article=second.id)
    assert after["sentence"]["text"] == "Guaido welcomed it."


def test_the_article_list_shows_only_my_work_and_whats_left_to_me(project, annotator, oslo):
    other = make_member(project, Role.ANNOTATOR, "other")
    save_annotation(oslo[0], annotator, {"status": "submitted", "claim": "not_claim"})
    save_annotation(oslo[1], other, {"status": "submitted", "claim": "claim"})  # k = 1: full
    save_annotation(oslo[2], annotator, {"status": "draft", "claim": "claim"})
    response = client_for(annotator).get(f"/api/v1/projects/{project.slug}/queue/articles/")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": oslo[0].article_id, "title": "Talks resume in Oslo", "sentences": 5, "done": 1,
         "left": 3},
    ]  # fmt: skip


def test_previous_without_before_is_my_last_annotated_sentence(project, annotator, oslo):
    client = client_for(annotator)
    url = f"/api/v1/projects/{project.slug}/previous/"
    assert client.get(url).status_code == 204
    for sentence in oslo[:3]:
        save_annotation(sentence, annotator, {"status": "submitted", "claim": "not_claim"})
    assert client.get(url).json()["sentence"]["id"] == oslo[2].id
    assert Sentence.objects.filter(pk=oslo[2].id).exists()
