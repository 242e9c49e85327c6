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
