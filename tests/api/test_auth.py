from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"


def token_of(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post(TOKEN, {"username": username, "password": password}, "json")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def test_a_member_trades_username_and_password_for_a_token_and_uses_it(project, annotator):
    key = token_of("annotator1")
    assert Token.objects.get(user=annotator).key == key
    assert token_of("annotator1") == key
    client = APIClient(headers={"Authorization": f"Token {key}"})
    projects = client.get("/api/v1/projects/").json()["results"]
    assert [p["slug"] for p in projects] == ["demo"]


def test_a_form_encoded_request_works_too(annotator):
    """What `curl -d username=...&password=...` sends."""
    form = urlencode({"username": "annotator1", "password": PASSWORD})
    response = APIClient().post(TOKEN, form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_wrong_or_missing_credentials_are_named(annotator):
    client = APIClient()
    wrong = client.post(TOKEN, {"username": "annotator1", "password": "nope"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    missing = client.post(TOKEN, {"username": "annotator1"}, format="json")
    assert missing.json() == {"password": ["This field is required."]}
    inactive = get_user_model().objects.create_user("gone", password=PASSWORD, is_active=False)
    assert client.post(TOKEN, {"username": "gone", "password": PASSWORD}, "json").status_code == 400
    assert not Token.objects.filter(user=inactive).exists()


@pytest.mark.parametrize(
    "header",
    ["Token 0123456789abcdef0123456789abcdef01234567", "Token", "Token a b", "Token \u00e9t\u00e9"],
)
def test_a_bad_token_gets_401_naming_the_problem(project, header):
    response = APIClient(headers={"Authorization": header}).get("/api/v1/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "token" in response.json()["detail"].lower()


def test_no_credentials_get_401(project):
    response = APIClient().get("/api/v1/projects/demo/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_revoking_a_token_ends_it(annotator):
    key = token_of("annotator1")
    client = APIClient(headers={"Authorization": f"Token {key}"})
    assert client.delete(TOKEN).status_code == 204
    assert client.get("/api/v1/projects/").status_code == 401
    assert token_of("annotator1") != key
    assert APIClient().delete(TOKEN).status_code == 401


def test_session_requests_need_the_csrf_token(quote_sentence, annotator):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(annotator)
    url = f"/api/v1/sentences/{quote_sentence.id}/annotation/"
    assert client.get(url).status_code == 204
    refused = client.put(url, {"status": "draft"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    # What the page does: send back the csrftoken cookie's value in X-CSRFToken.
    client.cookies["csrftoken"] = secret = "s3cr3t" * 5 + "ab"
    accepted = client.put(url, {"status": "draft"}, format="json", headers={"X-CSRFToken": secret})
    assert accepted.status_code == 201
