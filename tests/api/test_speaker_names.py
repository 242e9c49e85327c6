"""What may name a speaker, whatever the door (the speakers API, an annotation's save, a
label import): never a pronoun or function word, as a name or as an alias."""

from claims.models import Annotation, Role, Speaker
from tests.api.test_annotations import url
from tests.factories import client_for, make_member
from tests.learning.test_label_import import TEXT, lavrov

SPEAKERS = "/api/v1/projects/demo/speakers/"
ARTICLES = "/api/v1/projects/demo/articles/"


def test_a_pronoun_is_refused_as_an_alias_as_it_is_as_a_name(project, annotator):
    response = client_for(annotator).post(
        SPEAKERS, {"name": "Q", "kind": "person", "aliases": ["Mr Q", "he"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "aliases": ["'he' is a pronoun: choose the speaker it refers to instead"]
    }
    assert not Speaker.objects.exists()


def test_a_pronoun_alias_stored_before_never_resolves(project, annotator, quote_sentence):
    # As a database from before aliases were checked may hold.
    Speaker.objects.create(project=project, name="Q", kind="person", aliases=["he", "Mr Q"])
    body = {"version": None, "status": "draft",
            "attributions": [{"speaker": {"name": "he", "kind": "person"}}]}  # fmt: skip
    response = client_for(annotator).put(url(quote_sentence), body, format="json")
    assert response.status_code == 400
    assert response.json()["attributions"][0]["speaker"]["name"] == [
        "'he' is a pronoun: choose the speaker it refers to instead"
    ]
    body["attributions"][0]["speaker"]["name"] = "mr q"
    assert client_for(annotator).put(url(quote_sentence), body, format="json").status_code == 201


def test_a_label_import_never_resolves_a_pronoun_through_an_alias(project):
    Speaker.objects.create(project=project, name="Q", kind="person", aliases=["he"])
    reviewer = make_member(project, Role.REVIEWER, "rev")
    item = {"id": "oslo", "text": TEXT, "attributions": [{**lavrov(), "speaker": "he"}]}
    response = client_for(reviewer).post(ARTICLES + "?as=gold", item, format="json")
    assert response.status_code == 400
    assert "'he' is a pronoun" in str(response.json()["labels"])
    assert not project.articles.exists() and not Annotation.objects.exists()


def test_names_differing_only_in_unicode_form_are_one_speaker(project, annotator, quote_sentence):
    client = client_for(annotator)
    added = client.post(SPEAKERS, {"name": "Zoe\u0301 Combining", "kind": "person"}, format="json")
    assert added.status_code == 201
    assert added.json()["name"] == "Zo\u00e9 Combining"  # stored composed
    again = client.post(SPEAKERS, {"name": "ZO\u00c9 combining", "kind": "person"}, format="json")
    assert again.status_code == 400
    assert "already names speaker" in again.json()["name"][0]
    # One stored before names were composed: found by either form.
    old = Speaker.objects.create(project=project, name="Zoe\u0301 Smith", kind="person")
    composed = {"name": "Zo\u00e9 Smith", "kind": "person"}
    body = {"version": None, "status": "draft", "attributions": [{"speaker": composed}]}
    response = client.put(url(quote_sentence), body, format="json")
    assert response.status_code == 201
    assert response.json()["attributions"][0]["speaker"]["id"] == old.id
    assert Speaker.objects.count() == 2


def test_invisible_formatting_characters_are_refused_in_names_and_aliases(
    project, annotator, quote_sentence
):
    client = client_for(annotator)
    reversed_ = client.post(SPEAKERS, {"name": "Lav\u202erov", "kind": "person"}, format="json")
    assert reversed_.status_code == 400
    assert "invisible formatting character (U+202E" in reversed_.json()["name"][0]
    spaced = client.post(
        SPEAKERS, {"name": "Lavrov", "kind": "person", "aliases": ["Lav\u200brov"]}, format="json"
    )
    assert spaced.status_code == 400
    assert "(U+200B at character 3)" in spaced.json()["aliases"][0]
    body = {"version": None, "status": "draft",
            "attributions": [{"speaker": {"name": "\u200bLavrov", "kind": "person"}}]}  # fmt: skip
    response = client.put(url(quote_sentence), body, format="json")
    assert response.status_code == 400
    assert "U+200B" in response.json()["attributions"][0]["speaker"]["name"][0]
    assert not Speaker.objects.exists()
    # A zero-width non-joiner between Arabic-script letters is part of how a name is written.
    persian = "\u0645\u062d\u0645\u062f\u200c\u0631\u0636\u0627"
    assert (
        client.post(SPEAKERS, {"name": persian, "kind": "person"}, format="json").status_code == 201
    )


def test_stance_targets_differing_only_in_unicode_form_are_one(project):
    reviewer = make_member(project, Role.REVIEWER, "rev")
    targets = "/api/v1/projects/demo/targets/"
    added = client_for(reviewer).post(targets, {"name": "Zoe\u0301's plan"}, format="json")
    assert added.status_code == 201 and added.json()["name"] == "Zo\u00e9's plan"
    again = client_for(reviewer).post(targets, {"name": "ZO\u00c9'S PLAN"}, format="json")
    assert again.status_code == 400 and "already target" in again.json()["name"][0]


def test_an_acronym_in_capitals_is_a_name_not_a_pronoun(project, annotator):
    client = client_for(annotator)
    for name in ("WHO", "US"):
        response = client.post(SPEAKERS, {"name": name, "kind": "organization"}, format="json")
        assert response.status_code == 201, response.json()
    refused = client.post(SPEAKERS, {"name": "Who", "kind": "organization"}, format="json")
    assert refused.status_code == 400
    assert sorted(Speaker.objects.values_list("name", flat=True)) == ["US", "WHO"]
