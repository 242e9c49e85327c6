"""The speaker candidates a source span gets (GET /sentences/{id}/speaker-candidates/): named
sources matched or proposed as new speakers, pronouns and nominals resolved in the article,
what saved annotations teach, and who may ask."""

import pytest
from rest_framework.test import APIClient

from claims.models import Role, Speaker, SpeakerKey, SpeakerKeyOrigin
from claims.services.speakers import speaker_create
from tests.factories import client_for, make_article, make_member, make_project, save_annotation

ARTICLE = (
    "Lynch under fire\n"
    "Attorney General Loretta Lynch said the inquiry would go on. "
    "Lynch had urged patience, saying the facts would come out. "
    "She declined to comment further. "
    "The Washington Post reported the meeting. "
    "The newspaper said it was brief. "
    "Donald J. Trump said it was a disgrace. "
    "He has denied it, and has promised more.\n"
)


@pytest.fixture
def sentences(project):
    return list(make_article(project, ARTICLE, "lynch").sentences.order_by("index"))


def url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.id}/speaker-candidates/"


def span(sentence, source: str) -> dict:
    start = sentence.text.index(source)
    return {"start": start, "end": start + len(source)}


def candidates(user, sentence, source: str | None) -> list[dict]:
    params = span(sentence, source) if source else {}
    response = client_for(user).get(url(sentence), params)
    assert response.status_code == 200, response.content
    return response.json()["candidates"]


def first(user, sentence, source) -> tuple:
    best = candidates(user, sentence, source)[0]
    return best["id"], best["name"], best["kind"]


def attribution(sentence, source: str, speaker: dict) -> dict:
    return {"source": span(sentence, source), "speaker": speaker}


def label(sentence, user, *attributions) -> None:
    save_annotation(
        sentence,
        user,
        {"status": "submitted", "claim": "claim", "attributions": list(attributions)},
    )


def test_a_new_name_is_proposed_without_its_title(annotator, sentences):
    assert first(annotator, sentences[1], "Attorney General Loretta Lynch") == (
        None, "Loretta Lynch", "person"
    )  # fmt: skip
    best = candidates(annotator, sentences[1], "Attorney General Loretta Lynch")[0]
    assert best["reason"].startswith("new") and 0 < best["score"] <= 1


@pytest.mark.parametrize("written", ["Trump", "Mr. Trump", "Donald J. Trump", "DONALD TRUMP"])
def test_a_speaker_is_found_by_last_name_title_or_middle_initial(project, annotator, written):
    trump = speaker_create(project_id=project.id, name="Donald Trump", kind="person")
    speaker_create(project_id=project.id, name="Ivanka Trump", kind="person")
    speaker_create(project_id=project.id, name="Trump Organization", kind="organization")
    sentence = make_article(project, f"{written} said it was fine.\n").sentences.get()
    assert candidates(annotator, sentence, written)[0]["id"] == trump.id or written == "Trump"
    if written != "Trump":
        return
    # "Trump" alone: both Trumps fit; the one named nearby in the article wins.
    ivanka = Speaker.objects.get(name="Ivanka Trump")
    other = make_article(
        project, "Ivanka Trump said it was fine. Trump added more.\n", "ivanka"
    ).sentences.order_by("index")
    label(other[0], annotator, attribution(other[0], "Ivanka Trump", {"id": ivanka.id}))
    assert candidates(annotator, other[1], "Trump")[0]["id"] == ivanka.id


def test_a_surname_finds_the_speaker_an_earlier_sentence_created(annotator, sentences):
    label(sentences[1], annotator, attribution(
        sentences[1], "Attorney General Loretta Lynch", {"name": "Loretta Lynch", "kind": "person"}
    ))  # fmt: skip
    lynch = Speaker.objects.get(name="Loretta Lynch")
    assert first(annotator, sentences[2], "Lynch") == (lynch.id, "Loretta Lynch", "person")


def test_a_surname_finds_the_new_speaker_an_unlabelled_sentence_names(annotator, sentences):
    # Nobody labelled sentence 2 yet (another queue order): the rules read it.
    assert first(annotator, sentences[2], "Lynch") == (None, "Loretta Lynch", "person")


def test_he_and_she_get_the_nearest_fitting_speaker_of_anyones_labels(project, sentences):
    alice = make_member(project, Role.ANNOTATOR, "alice")
    bob = make_member(project, Role.ANNOTATOR, "bob")
    label(sentences[1], alice, attribution(
        sentences[1], "Attorney General Loretta Lynch", {"name": "Loretta Lynch", "kind": "person"}
    ))  # fmt: skip
    label(sentences[6], alice, attribution(
        sentences[6], "Donald J. Trump", {"name": "Donald Trump", "kind": "person"}
    ))  # fmt: skip
    # Bob labels sentence 3 first: alice's labels of the sentences before count.
    assert first(bob, sentences[3], "She")[1] == "Loretta Lynch"
    assert first(bob, sentences[7], "He")[1] == "Donald Trump"
    names = [c["name"] for c in candidates(bob, sentences[3], "She")]
    assert "Donald Trump" not in names[:1]


def test_a_last_name_takes_the_full_name_the_article_gives_it(project, annotator):
    filler = " ".join(f"The count reached {n} on Monday." for n in range(12))
    text = f"Gov. Mike Pence spoke in Ohio. {filler} Pence said it was over. Mr. Smith_ agreed.\n"
    sentences = list(make_article(project, text, "pence").sentences.order_by("index"))
    said = next(s for s in sentences if s.text.startswith("Pence said"))
    assert said.index > 8  # beyond the sentences read around it
    assert first(annotator, said, "Pence") == (None, "Mike Pence", "person")
    mike = speaker_create(project_id=project.id, name="Mike Pence", kind="person")
    speaker_create(project_id=project.id, name="Karen Pence", kind="person")
    assert first(annotator, said, "Pence")[0] == mike.id


def test_a_headline_or_a_department_is_no_part_of_a_full_name(project, annotator):
    text = (
        "Defiant Obama Says Nothing About Clinton Emails\n\n"
        "Secretary of State Helen Pell spoke on Monday. "
        "Obama said it was over. Pell said the rolls were clean.\n"
    )
    sentences = list(make_article(project, text, "headline").sentences.order_by("index"))
    obama = next(s for s in sentences if s.text.startswith("Obama said"))
    pell = next(s for s in sentences if s.text.startswith("Pell said"))
    assert first(annotator, obama, "Obama") == (None, "Obama", "person")
    assert first(annotator, pell, "Pell") == (None, "Helen Pell", "person")


def test_the_articles_full_name_outweighs_a_link_learnt_elsewhere(project, annotator):
    charlie = speaker_create(project_id=project.id, name="Charlie Reed", kind="person")
    walter = speaker_create(project_id=project.id, name="Walter Reed", kind="person")
    earlier = make_article(project, "Mr. Reed said the march was long.\n", "march")
    label(earlier.sentences.get(), annotator, attribution(
        earlier.sentences.get(), "Mr. Reed", {"id": charlie.id}
    ))  # fmt: skip
    text = "Walter Reed hosts a radio show. Mr. Reed said he had not read the report.\n"
    sentences = list(make_article(project, text, "radio").sentences.order_by("index"))
    assert first(annotator, sentences[-1], "Mr. Reed")[0] == walter.id


def test_he_is_the_one_of_two_people_of_a_last_name_who_speaks_nearby(project, annotator):
    donald = speaker_create(project_id=project.id, name="Donald Trump", kind="person")
    speaker_create(project_id=project.id, name="Ivanka Trump", kind="person")
    text = (
        "Trump said the plan was ready. Lester Holt asked about taxes. "
        "Although Trump once praised the loophole, he does not defend it now.\n"
    )
    sentences = list(make_article(project, text, "taxes").sentences.order_by("index"))
    label(sentences[0], annotator, attribution(sentences[0], "Trump", {"id": donald.id}))
    assert first(annotator, sentences[2], "he")[0] == donald.id


def test_who_stands_for_the_name_before_it(project, annotator):
    sentence = make_article(project, "Lynch, who had urged patience, left.\n").sentences.get()
    assert first(annotator, sentence, "who") == (None, "Lynch", "person")


def test_a_nominal_gets_the_nearest_speaker_of_its_kind(annotator, sentences):
    label(sentences[4], annotator, attribution(
        sentences[4], "The Washington Post", {"name": "The Washington Post", "kind": "media"}
    ))  # fmt: skip
    assert first(annotator, sentences[5], "The newspaper")[1:] == ("The Washington Post", "media")


def test_a_phrase_naming_no_one_lists_earlier_speakers_without_proposing_one(project, annotator):
    text = "Mayor Ann Carver spoke first. The new rule is cited in the plan.\n"
    sentence = make_article(project, text, "rule").sentences.order_by("index").last()
    found = candidates(annotator, sentence, "The new rule")
    assert found[0]["name"] == "Ann Carver" and found[0]["score"] < 0.5
    suggested = client_for(annotator).get(f"/api/v1/sentences/{sentence.pk}/suggestions/").json()
    [rule] = [
        a for a in suggested["attributions"] if (a["source"] or {}).get("text") == "The new rule"
    ]
    assert rule["speaker"] is None  # nothing to accept blind


def test_a_source_never_gets_a_pronoun_or_the_author(annotator, sentences):
    found = candidates(annotator, sentences[3], "She")
    assert all(c["kind"] != "author" for c in found)
    assert all(c["name"].casefold() not in ("she", "he", "they") for c in found)
    sourceless = candidates(annotator, sentences[3], None)
    assert "author" in [c["kind"] for c in sourceless]


def test_saved_links_teach_aliases_counted_per_annotation(project, annotator, sentences):
    post = speaker_create(project_id=project.id, name="The Washington Post", kind="media")
    speaker_create(project_id=project.id, name="The New York Post", kind="media")
    other = make_article(project, "The Post said it was brief. The Post added more.\n", "p")
    said, added = other.sentences.order_by("index")
    before = candidates(annotator, said, "The Post")
    assert {c["name"] for c in before[:2]} == {"The Washington Post", "The New York Post"}
    label(said, annotator, attribution(said, "The Post", {"id": post.id}))
    learnt = SpeakerKey.objects.get(speaker=post, origin=SpeakerKeyOrigin.LEARNT)
    assert (learnt.text, learnt.uses) == ("The Post", 1)
    best = candidates(annotator, added, "The Post")[0]
    assert best["id"] == post.id and best["reason"].startswith("“The Post” linked once before")
    # Saving again with the same link counts nothing more; dropping the link uncounts it.
    label(said, annotator, attribution(said, "The Post", {"id": post.id}))
    assert SpeakerKey.objects.get(pk=learnt.pk).uses == 1
    save_annotation(said, annotator, {"status": "submitted", "claim": "claim"}, version=1)
    assert SpeakerKey.objects.get(pk=learnt.pk).uses == 0
    assert "linked" not in candidates(annotator, added, "The Post")[0]["reason"]


def test_pronouns_are_never_learnt(annotator, sentences, project):
    lynch = speaker_create(project_id=project.id, name="Loretta Lynch", kind="person")
    label(sentences[3], annotator, attribution(sentences[3], "She", {"id": lynch.id}))
    assert not SpeakerKey.objects.filter(origin=SpeakerKeyOrigin.LEARNT).exists()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"start": 0}, "end"), ({"end": 3}, "start"), ({"start": 5, "end": 5}, "start"),
     ({"start": 0, "end": 9999}, "end"), ({"start": "x", "end": 3}, "start"),
     ({"start": -1, "end": 3}, "start")],
)  # fmt: skip
def test_bad_offsets_get_a_400_naming_the_field(annotator, sentences, params, field):
    response = client_for(annotator).get(url(sentences[1]), params)
    assert response.status_code == 400 and field in response.json()


def test_outsiders_get_404(sentences):
    outsider = make_member(make_project(), username="outsider")
    assert client_for(outsider).get(url(sentences[1])).status_code == 404
    assert APIClient().get(url(sentences[1])).status_code in (401, 403)


def test_candidates_cost_a_fixed_number_of_queries(
    project, annotator, sentences, django_assert_num_queries
):
    for n in range(40):
        speaker_create(project_id=project.id, name=f"Person Number{n}", kind="person")
    # Sentence with project and role 1, the sentences around it 1, the speakers its words
    # may name 1, who speaks around it 1.
    with django_assert_num_queries(4):
        client_for(annotator).get(url(sentences[2]), span(sentences[2], "Lynch"))


@pytest.mark.parametrize("source", ["He", "The official"])
def test_two_people_named_together_before_are_listed_but_neither_is_proposed(
    project, annotator, source
):
    text = f"Governor Tom Blake and Mayor Paul Carver met on Tuesday. {source} said it went well.\n"
    sentence = make_article(project, text, "met").sentences.order_by("index").last()
    found = candidates(annotator, sentence, source)
    assert {c["name"] for c in found[:2]} == {"Tom Blake", "Paul Carver"}
    assert found[0]["score"] < 0.5  # which of the two is a guess: nothing preselected
    suggested = client_for(annotator).get(f"/api/v1/sentences/{sentence.pk}/suggestions/").json()
    [said] = [a for a in suggested["attributions"] if (a["source"] or {}).get("text") == source]
    assert said["speaker"] is None  # a guess would be accepted blind


def test_one_person_named_before_is_proposed(project, annotator):
    text = "Governor Tom Blake met the mayor on Tuesday. He said it went well.\n"
    sentence = make_article(project, text, "met").sentences.order_by("index").last()
    found = candidates(annotator, sentence, "He")
    assert found[0]["name"] == "Tom Blake" and found[0]["score"] >= 0.5
    suggested = client_for(annotator).get(f"/api/v1/sentences/{sentence.pk}/suggestions/").json()
    [said] = [a for a in suggested["attributions"] if (a["source"] or {}).get("text") == "He"]
    assert said["speaker"]["name"] == "Tom Blake"


def test_a_sentences_first_word_alone_is_listed_but_not_proposed_as_a_new_speaker(
    project, annotator
):
    text = "Clarifying the goals\n\nThe talks went on for a week. The mayor said they would end.\n"
    heading = make_article(project, text, "goals").sentences.order_by("index").first()
    [new] = [c for c in candidates(annotator, heading, "Clarifying") if c["name"] == "Clarifying"]
    assert new["id"] is None and new["score"] < 0.5  # a mis-marked word creates no speaker


def test_a_one_word_name_the_article_capitalises_elsewhere_is_proposed(project, annotator):
    text = "Obama said it was over. Critics of Obama disagreed.\n"
    said = make_article(project, text, "over").sentences.order_by("index").first()
    best = candidates(annotator, said, "Obama")[0]
    assert (best["id"], best["name"]) == (None, "Obama") and best["score"] >= 0.5


def test_a_transcripts_speaker_in_capitals_is_a_person_not_an_acronym(project, annotator):
    text = (
        "Governor Mary Fallin spoke to Jake Tapper on Sunday.\n\n"
        "TAPPER: Do you think the race is close?\n\n"
        "FALLIN: I think it is very close.\n\n"
        "NATO said it would meet.\n"
    )
    _, asked, answered, nato = make_article(project, text, "turns").sentences.order_by("index")
    assert first(annotator, answered, "FALLIN") == (None, "Mary Fallin", "person")
    assert first(annotator, asked, "TAPPER") == (None, "Jake Tapper", "person")
    assert first(annotator, nato, "NATO") == (None, "NATO", "organization")  # no colon: an acronym
