"""X-Forwarded-For and X-Forwarded-Proto count only from the proxies' addresses
(FORWARDED_ALLOW_IPS): a client that reaches an app server directly forges neither its address
nor HTTPS, whatever address the server listens on."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from tests.test_settings import settings_in_process

TOKEN = "/api/v1/auth/token/"
PROXY = "10.0.0.5"
OUTSIDER = "203.0.113.66"


@pytest.fixture
def behind_one_proxy(settings):
    """docs/deploy.md's settings: HTTPS, one proxy at 10.0.0.5."""
    settings.PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.FORWARDED_ALLOW_IPS = PROXY
    return settings


def test_https_claimed_by_an_outsider_is_not_believed(behind_one_proxy):
    forged = Client(REMOTE_ADDR=OUTSIDER).get(
        "/accounts/login/", headers={"x-forwarded-proto": "https"}
    )
    assert forged.status_code == 301
    assert forged["Location"] == "https://testserver/accounts/login/"
    proxied = Client(REMOTE_ADDR=PROXY).get(
        "/accounts/login/", headers={"x-forwarded-proto": "https"}
    )
    assert proxied.status_code == 200


def test_an_outsiders_forged_client_address_is_ignored_by_the_throttle(behind_one_proxy, db):
    def attempt(forwarded_for: str):
        client = APIClient(REMOTE_ADDR=OUTSIDER, HTTP_X_FORWARDED_FOR=forwarded_for)
        # secure: as if over HTTPS (the redirect is not under test here)
        data = {"username": f"u{forwarded_for}", "password": "x"}
        return client.post(TOKEN, data, "json", secure=True)

    limit = behind_one_proxy.AXES_FAILURE_LIMIT
    # Each attempt claims another address: were it believed, none would reach the limit.
    statuses = [attempt(f"6.6.6.{number}").status_code for number in range(limit + 1)]
    assert statuses[0] == 400 and statuses[-1] == 429
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {OUTSIDER}


def test_the_proxy_still_tells_the_client_address(behind_one_proxy, db):
    client = APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    client.post(TOKEN, {"username": "someone", "password": "x"}, "json", secure=True)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


def test_proxies_may_be_given_as_networks(behind_one_proxy):
    behind_one_proxy.FORWARDED_ALLOW_IPS = "192.0.2.1, 10.0.0.0/24"
    response = Client(REMOTE_ADDR="10.0.0.77").get(
        "/accounts/login/", headers={"x-forwarded-proto": "https"}
    )
    assert response.status_code == 200


def test_a_bad_proxy_address_names_the_variable():
    with pytest.raises(AssertionError, match="FORWARDED_ALLOW_IPS: 'proxy.internal' is not an IP"):
        settings_in_process(["FORWARDED_ALLOW_IPS"], FORWARDED_ALLOW_IPS="10.0.0.5,proxy.internal")
