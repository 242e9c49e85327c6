import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import Article, Membership, Project, Sentence, StanceTarget
from tests.factories import SEEDS


def test_import_articles_creates_the_project_and_reports(db, tmp_path, capsys):
    call_command("import_articles", str(SEEDS), "--project", "news", "--create")
    out = capsys.readouterr().out
    assert "Created project 'news' with the default label schema." in out
    project = Project.objects.get(slug="news")
    sentences = Sentence.objects.filter(project=project).count()
    assert f"Imported 2 articles ({sentences} sentences) into 'news'; skipped 0" in out
    assert project.schema.values("claim") == ["not_claim", "claim", "checkworthy"]


def test_import_articles_fails_when_any_article_fails(db, tmp_path, capsys):
    (tmp_path / "ok.txt").write_text("Fine text.", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="1 articles could not be imported"):
        call_command("import_articles", str(tmp_path), "--project", "news", "--create")
    captured = capsys.readouterr()
    assert f"error: {tmp_path / 'bad.jsonl'}:1: 'text' is required" in captured.err
    assert Article.objects.filter(external_id="ok").exists()


def test_import_articles_into_a_mistyped_project_creates_nothing(project):
    with pytest.raises(CommandError, match="no project 'demmo'; check the slug, or add --create"):
        call_command("import_articles", str(SEEDS), "--project", "demmo")
    assert list(Project.objects.values_list("slug", flat=True)) == ["demo"]
    assert not Article.objects.exists()


def test_setup_demo_is_idempotent_and_prints_passwords_once(db, capsys, monkeypatch):
    monkeypatch.delenv("CLAIMS_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CLAIMS_ANNOTATOR_PASSWORD", "annotator-secret-42")
    call_command("setup_demo")
    first = capsys.readouterr().out
    counts = (Article.objects.count(), Sentence.objects.count(), StanceTarget.objects.count())
    call_command("setup_demo")
    second = capsys.readouterr().out
    assert counts[0] == 2 and counts[2] == 1
    assert (
        Article.objects.count(),
        Sentence.objects.count(),
        StanceTarget.objects.count(),
    ) == counts
    assert "imported 2 seed articles" in first and "0 seed articles" in second
    admin_password = next(
        line.split()[-1] for line in first.splitlines() if line.strip().startswith("user admin")
    )
    users = get_user_model().objects
    assert users.get(username="admin").check_password(admin_password)
    assert users.get(username="admin").is_superuser
    assert users.get(username="annotator").check_password("annotator-secret-42")
    assert admin_password not in second
    demo = Project.objects.get(slug="demo")
    assert set(Membership.objects.filter(project=demo).values_list("user__username", "role")) == {
        ("admin", "reviewer"),
        ("annotator", "annotator"),
    }


def test_add_member_creates_user_with_password_from_environment(project, monkeypatch, capsys):
    monkeypatch.setenv("NEW_PASSWORD", "s3cret-pass-word")
    call_command(
        "add_member", "demo", "maria", "--role", "reviewer", "--password-env", "NEW_PASSWORD"
    )
    assert "Created user and added maria to demo as reviewer." in capsys.readouterr().out
    user = get_user_model().objects.get(username="maria")
    assert user.check_password("s3cret-pass-word")
    assert Membership.objects.get(project=project, user=user).role == "reviewer"
    call_command("add_member", "demo", "maria", "--role", "annotator")
    assert Membership.objects.get(project=project, user=user).role == "annotator"


def test_add_member_errors_name_the_problem(project, monkeypatch):
    with pytest.raises(CommandError, match="no project with slug 'nope'"):
        call_command("add_member", "nope", "maria", "--password-env", "X")
    monkeypatch.delenv("UNSET_VARIABLE", raising=False)
    with pytest.raises(CommandError, match="UNSET_VARIABLE is not set"):
        call_command("add_member", "demo", "maria", "--password-env", "UNSET_VARIABLE")
    assert not get_user_model().objects.filter(username="maria").exists()
