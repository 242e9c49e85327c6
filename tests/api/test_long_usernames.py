"""Usernames no account can have (longer than the database column) are wrong credentials like
any other: a plain refusal on every login door, and counted by the login throttle."""

import pytest
from axes.models import AccessAttempt
from rest_framework.test import APIClient

LONG = "u" * 300
DOORS = ["/accounts/login/", "/admin/login/", "/api/v1/auth/token/"]


def attempt(url: str, username: str, address: str = "10.0.0.7"):
    if url.startswith("/api/"):
        client = APIClient(REMOTE_ADDR=address)
        return client.post(url, {"username": username, "password": "wrong"}, format="json")
    from django.test import Client

    return Client(REMOTE_ADDR=address).post(url, {"username": username, "password": "wrong"})


@pytest.mark.parametrize("url", DOORS)
@pytest.mark.parametrize("length", [256, 300, 5000])
def test_a_long_username_is_refused_plainly_and_counted(db, url, length):
    response = attempt(url, "u" * length)
    assert response.status_code in (200, 400), response.content[:300]
    assert AccessAttempt.objects.filter(ip_address="10.0.0.7").count() == 1


@pytest.mark.parametrize("url", DOORS)
def test_long_usernames_from_one_address_lock_it_out(db, url, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(url, f"{number}{LONG}")
    assert attempt(url, "someone", "10.0.0.7").status_code == 429
