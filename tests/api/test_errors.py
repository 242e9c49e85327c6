"""Every 4xx is JSON naming the problem, and bad input changes nothing."""

import json
from urllib.parse import urlencode

import pytest
import yaml
from django.core.management import call_command
from django.test import override_settings
from django.urls import resolve
from rest_framework.test import APIClient

from claims.api import urls as api_urls
from claims.api.errors import api_not_found
from claims.models import Annotation, Article
from tests.api.test_annotations import client_for
from tests.services.test_annotations import LAVROV_NOTED

LIMIT = 400


def annotation_url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.id}/annotation/"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_json_body_over_the_limit_gets_413_and_writes_nothing(quote_sentence, annotator):
    big = {**LAVROV_NOTED, "skip_reason": "x" * 300}
    assert len(json.dumps(big)) > LIMIT
    response = client_for(annotator).put(annotation_url(quote_sentence), big, format="json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"Request body is larger than the configured limit of {LIMIT} bytes."
    }
    assert not Annotation.objects.exists()
    small = {"status": "draft", "claim": "claim"}
    ok = client_for(annotator).put(annotation_url(quote_sentence), small, format="json")
    assert ok.status_code == 201


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_an_import_over_the_limit_gets_413(project, reviewer):
    articles = [{"text": f"Article number {i} is here."} for i in range(20)]
    response = client_for(reviewer).post("/api/v1/projects/demo/articles/", articles, format="json")
    assert response.status_code == 413
    assert not Article.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_form_over_the_limit_gets_413(annotator):
    form = urlencode({"username": "annotator1", "password": "p" * LIMIT})
    response = APIClient().post(
        "/api/v1/auth/token/", form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413 and "limit" in response.json()["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_form_read_by_djangos_csrf_check_still_gets_413_json(annotator):
    """A session form post is read first by the CSRF check, before DRF parses it."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(annotator)
    client.cookies["csrftoken"] = "c" * 32
    form = urlencode({"username": "annotator1", "password": "p" * LIMIT})
    response = client.post(
        "/api/v1/auth/token/", form, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response.json()["detail"].endswith(f"limit of {LIMIT} bytes.")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{nope", "JSON parse error - Expecting property name"),
        ("[" * 100_000 + "]" * 100_000, "JSON parse error"),
        ('{"skip_reason": "a\\u0000b"}', "NUL characters"),
        ('{"skip_reason": "\\ud800"}', "lone surrogates"),
        (b'{"claim": "\xff"}', "JSON parse error"),
        ('{"lead_time_ms": NaN}', "JSON parse error"),
    ],
)
def test_malformed_json_is_400_and_writes_nothing(quote_sentence, annotator, body, problem):
    response = client_for(annotator).put(
        annotation_url(quote_sentence), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert problem in response.json()["detail"]
    assert not Annotation.objects.exists()


def test_other_media_types_get_415(quote_sentence, annotator):
    response = client_for(annotator).put(
        annotation_url(quote_sentence), "status=draft", content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_a_wrong_method_gets_405_json(annotator, project):
    response = client_for(annotator).delete("/api/v1/projects/demo/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


def test_unknown_api_paths_get_json_404(annotator):
    client = client_for(annotator)
    response = client.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at /api/v1/nothing/here/."}
    assert client.get("/api/v1/articles/abc/").status_code == 404


def test_a_missing_trailing_slash_is_named_even_for_a_post(project, reviewer):
    response = client_for(reviewer).post(
        "/api/v1/projects/demo/articles", {"text": "Hello."}, format="json"
    )
    assert response.status_code == 404
    assert response.json()["detail"].endswith(
        "Did you mean /api/v1/projects/demo/articles/ (with the trailing slash)?"
    )
    assert not Article.objects.exists()


def test_the_json_404_route_is_the_last_api_route():
    """A route added after the catch-all would never be reached."""
    assert api_urls.urlpatterns[-1].callback is api_not_found
    assert resolve("/api/v1/anything").func is api_not_found
    assert resolve("/api/v1/projects/").func is not api_not_found


def test_the_schema_documents_every_operation_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 13
    for path, method, operation in operations:
        responses = operation["responses"]
        assert {"401", "403"} <= set(responses), (path, method)
        if "{" in path:
            assert "404" in responses, (path, method)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (path, method)
        for code, response in responses.items():
            if code.startswith("4"):
                assert "application/json" in response["content"], (path, method, code)


def test_the_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/projects/{slug}/articles/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_a_misspelt_field_or_parameter_is_named_not_dropped(project, reviewer, annotator):
    from claims.models import Speaker, StanceTarget

    client = client_for(reviewer)
    base = f"/api/v1/projects/{project.slug}"
    speaker = {"name": "Mu Nu", "kind": "person", "alias": ["MN"]}
    response = client.post(f"{base}/speakers/", speaker, format="json")
    assert response.status_code == 400
    assert response.json() == {"alias": ["unknown field; expected one of name, kind, aliases"]}
    assert not Speaker.objects.filter(name="Mu Nu").exists()
    target = {"name": "Rent caps", "descripton": "typo"}
    response = client.post(f"{base}/targets/", target, format="json")
    assert response.status_code == 400 and set(response.json()) == {"descripton"}
    assert not StanceTarget.objects.filter(name="Rent caps").exists()
    # A filter that is not one returns nothing rather than everything unfiltered.
    for path in ("annotations/?anotator=bob", "speakers/?serach=x", "next/?articel=1"):
        response = client_for(annotator if "next" in path else reviewer).get(f"{base}/{path}")
        assert response.status_code == 400, path
        assert list(response.json()) == [path.split("?")[1].split("=")[0]]
    # Paging passes.
    assert client.get(f"{base}/annotations/?page=1&page_size=5").status_code == 200


def test_the_next_sentence_of_an_article_not_in_the_project_is_refused(project, annotator):
    other = Article.objects.order_by("-pk").first()
    missing = (other.pk if other else 0) + 1000
    response = client_for(annotator).get(f"/api/v1/projects/{project.slug}/next/?article={missing}")
    assert response.status_code == 400
    assert response.json() == {"article": [f"no article {missing} in this project"]}


def test_sentences_to_exclude_that_are_not_ids_are_named(project, annotator):
    base = f"/api/v1/projects/{project.slug}/next/"
    response = client_for(annotator).get(f"{base}?exclude=12,abc")
    assert response.status_code == 400
    assert response.json() == {"exclude": ["'abc' is not a sentence id (ids are numbers)"]}
    many = ",".join(str(n) for n in range(1, 30))
    response = client_for(annotator).get(f"{base}?exclude={many}")
    assert response.json() == {"exclude": ["29 sentence ids: expected at most 20, comma-separated"]}


@pytest.mark.parametrize("size", ["0", "-3", "ten"])
def test_a_page_size_that_is_not_one_is_refused_naming_it(project, reviewer, size):
    """?page_size=0 was taken as the default and written into the next page's link."""
    response = client_for(reviewer).get(
        f"/api/v1/projects/{project.slug}/speakers/?page_size={size}"
    )
    assert response.status_code == 400
    assert response.json() == {
        "page_size": [f"'{size}' is not a page size: a whole number from 1 to 500"]
    }
