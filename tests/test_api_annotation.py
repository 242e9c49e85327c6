from rest_framework.test import APIClient

from claims.models import Annotation
from tests.factories import make_member, make_project
from tests.test_annotation_service import LAVROV_NOTED


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.id}/annotation/"


def test_annotation_round_trip_with_versions(quote_sentence, annotator):
    client = client_for(annotator)
    assert client.get(url(quote_sentence)).status_code == 204
    created = client.put(url(quote_sentence), {**LAVROV_NOTED, "version": None}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["version"] == 1 and body["annotator"] == "annotator1"
    assert body["attributions"][0]["source"] == {"start": 98, "end": 104, "text": "Lavrov"}
    assert body["attributions"][0]["speaker"]["name"] == "Sergey Lavrov"
    assert client.get(url(quote_sentence)).json() == body

    repeat = client.put(url(quote_sentence), {**LAVROV_NOTED, "version": None}, format="json")
    assert (repeat.status_code, repeat.json()["version"]) == (200, 1)

    changed = {**LAVROV_NOTED, "claim": "checkworthy", "version": 1}
    assert client.put(url(quote_sentence), changed, format="json").json()["version"] == 2
    stale = client.put(url(quote_sentence), {**changed, "claim": "claim"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["claim"] == "checkworthy"
    assert Annotation.objects.get().version == 2


def test_errors_are_json_naming_the_field(quote_sentence, annotator):
    client = client_for(annotator)
    bad = {**LAVROV_NOTED, "attributions": [{"source": {"start": 0, "end": 999}}]}
    response = client.put(url(quote_sentence), bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "attributions": [{"source": {"end": ["must be >= 0 and <= 111 (sentence length)"]}}]
    }
    malformed = client.put(url(quote_sentence), "{nope", content_type="application/json")
    assert malformed.status_code == 400 and "JSON parse error" in malformed.json()["detail"]
    bad_version = client.put(url(quote_sentence), {"version": "one"}, format="json")
    assert bad_version.json() == {"version": ["must be an integer or null"]}
    assert not Annotation.objects.exists()


def test_outsiders_and_anonymous_get_nothing(quote_sentence):
    outsider = make_member(make_project(), username="outsider")
    assert client_for(outsider).get(url(quote_sentence)).status_code == 404
    assert (
        client_for(outsider).put(url(quote_sentence), LAVROV_NOTED, format="json").status_code
        == 404
    )
    assert APIClient().get(url(quote_sentence)).status_code in (401, 403)
    assert not Annotation.objects.exists()


def test_annotators_only_see_their_own(quote_sentence, annotator, reviewer):
    client_for(annotator).put(url(quote_sentence), LAVROV_NOTED, format="json")
    assert client_for(reviewer).get(url(quote_sentence)).status_code == 204
