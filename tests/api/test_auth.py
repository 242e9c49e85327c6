from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
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


def wrong_token_request(username: str, address: str = "10.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        TOKEN, {"username": username, "password": "wrong"}, format="json"
    )


def test_failed_logins_lock_the_account_out_of_the_token_endpoint(annotator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_token_request("annotator1").status_code == 400
    locked = wrong_token_request("annotator1")
    assert locked.status_code == 429
    assert locked.json() == {
        "detail": "Too many failed logins for this account or from this address: try again "
        "in 15 minutes."
    }
    # The right password from another address does not get in either, until the pause ends.
    right = APIClient(REMOTE_ADDR="10.0.0.2").post(
        TOKEN, {"username": "annotator1", "password": PASSWORD}, format="json"
    )
    assert right.status_code == 429
    assert not Token.objects.exists()


def test_failed_logins_from_one_address_lock_it_out_whatever_the_username(annotator, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        wrong_token_request(f"guess{number}", address="10.0.0.9")
    response = APIClient(REMOTE_ADDR="10.0.0.9").post(
        TOKEN, {"username": "annotator1", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429
    assert token_of("annotator1")  # from another address the account still works


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_failed_logins_lock_the_login_pages_too(client, annotator, settings, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "annotator1", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    assert client.post(url, {"username": "annotator1", "password": "wrong"}).status_code == 429
    locked = client.post(url, {"username": "annotator1", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()


def test_a_successful_login_resets_the_count(annotator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong_token_request("annotator1")
    right = {"username": "annotator1", "password": PASSWORD}
    assert APIClient(REMOTE_ADDR="10.0.0.1").post(TOKEN, right, format="json").status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert wrong_token_request("annotator1").status_code == 400


def test_a_password_change_ends_the_users_tokens(annotator):
    key = token_of("annotator1")
    annotator.set_password("a-new-long-passphrase")
    annotator.save()
    response = APIClient(headers={"Authorization": f"Token {key}"}).get("/api/v1/projects/")
    assert response.status_code == 401
    assert token_of("annotator1", "a-new-long-passphrase") != key
    # Saving other fields leaves the token alone.
    annotator.first_name = "Ann"
    annotator.save()
    assert Token.objects.filter(user=annotator).exists()


def test_tokens_expire_after_the_configured_days(annotator, settings):
    key = token_of("annotator1")
    settings.CLAIMS_TOKEN_MAX_AGE_DAYS = 30
    client = APIClient(headers={"Authorization": f"Token {key}"})
    assert client.get("/api/v1/projects/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=31))
    expired = client.get("/api/v1/projects/")
    assert expired.status_code == 401
    assert expired.json()["detail"].startswith("Token expired; POST your username and password")
    fresh = token_of("annotator1")
    assert fresh != key
    assert (
        APIClient(headers={"Authorization": f"Token {fresh}"}).get("/api/v1/projects/").status_code
        == 200
    )


def test_the_admin_says_why_an_annotator_cannot_log_in(client, annotator):
    response = client.post("/admin/login/", {"username": "annotator1", "password": PASSWORD})
    assert "This account may not use the admin: it is for project reviewers." in (
        response.content.decode()
    )


def test_behind_a_proxy_the_throttle_counts_the_address_the_proxy_saw(annotator, settings):
    settings.PROXY_COUNT = 1
    proxy = "127.0.0.1"

    def attempt(forwarded_for: str):
        client = APIClient(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for)
        return client.post(TOKEN, {"username": f"u{forwarded_for}", "password": "x"}, "json")

    # One client forging a different X-Forwarded-For each time: the proxy appends its address.
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(f"192.0.2.{number}, 203.0.113.7")
    assert attempt("198.51.100.1, 203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out.
    assert attempt("203.0.113.8").status_code == 400


def test_the_test_clients_login_still_works(client, annotator):
    """No request, no client to count: authenticate() without one is not throttled."""
    assert client.login(username="annotator1", password=PASSWORD)
    assert client.get("/").status_code == 200


def test_logging_out_ends_the_session_for_every_app_server(client, quote_sentence, annotator):
    """The session lives in the database: a logout seen by one server ends it on all."""
    assert client.login(username="annotator1", password=PASSWORD)
    url = f"/api/v1/sentences/{quote_sentence.id}/annotation/"
    other_server = APIClient()
    # The same browser's cookie, kept: as if the logout's answer had never reached it.
    other_server.cookies["sessionid"] = client.cookies["sessionid"].value
    assert other_server.get(url).status_code == 204
    assert client.post("/accounts/logout/").status_code == 302
    assert other_server.get(url).status_code == 401


def test_an_expired_session_is_refused(client, quote_sentence, annotator):
    from django.contrib.sessions.models import Session

    assert client.login(username="annotator1", password=PASSWORD)
    url = f"/api/v1/sentences/{quote_sentence.id}/annotation/"
    assert client.get(url).status_code == 204
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 401


def test_deactivating_a_user_ends_their_open_sessions(client, quote_sentence, annotator):
    assert client.login(username="annotator1", password=PASSWORD)
    url = f"/api/v1/sentences/{quote_sentence.id}/annotation/"
    assert client.get(url).status_code == 204
    assert client.get("/").status_code == 200
    get_user_model().objects.filter(pk=annotator.pk).update(is_active=False)
    assert client.get(url).status_code == 401
    assert client.get("/").status_code == 302  # to the login page
