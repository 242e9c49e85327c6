"""add_member: a reviewer can open the admin; passwords go through Django's validators."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import Membership

GOOD = "a-long-unusual-passphrase"


@pytest.fixture
def demo(project):
    return project


def test_a_new_reviewer_can_log_in_to_the_admin(client, demo, monkeypatch, capsys):
    monkeypatch.setenv("REVIEWER_PASSWORD", GOOD)
    call_command(
        "add_member", "demo", "rita", "--role", "reviewer", "--password-env", "REVIEWER_PASSWORD"
    )
    assert "rita can now log in to the admin (/admin/)." in capsys.readouterr().out
    response = client.post("/admin/login/?next=/admin/", {"username": "rita", "password": GOOD})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    page = client.get(f"/admin/claims/project/{demo.pk}/disagreements/")
    assert page.status_code == 200


def test_an_existing_annotator_made_reviewer_can_open_the_admin_too(client, demo, annotator):
    call_command("add_member", "demo", "annotator1", "--role", "reviewer")
    annotator.refresh_from_db()
    assert annotator.is_staff and not annotator.is_superuser
    client.force_login(annotator)
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("abc", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("84736251904", "This password is entirely numeric."),
        ("rita-the-reviewer", "The password is too similar to the username."),
    ],
)
def test_a_weak_password_is_refused_and_no_user_is_made(demo, monkeypatch, password, problem):
    monkeypatch.setenv("NEW_PASSWORD", password)
    with pytest.raises(CommandError) as refused:
        call_command(
            "add_member", "demo", "rita-the-reviewer", "--role", "reviewer",
            "--password-env", "NEW_PASSWORD",
        )  # fmt: skip
    assert str(refused.value).startswith("password refused: password: ")
    assert problem in str(refused.value)
    assert not get_user_model().objects.filter(username="rita-the-reviewer").exists()
    assert not Membership.objects.filter(user__username="rita-the-reviewer").exists()


def test_setup_demo_refuses_a_weak_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("CLAIMS_ADMIN_PASSWORD", "abc")
    with pytest.raises(
        CommandError, match="CLAIMS_ADMIN_PASSWORD refused: This password is too short"
    ):
        call_command("setup_demo")
