import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Article, LabelOption, Membership, Project, Role, Sentence, StanceTarget
from tests.admin.helpers import form_data
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
    with pytest.raises(CommandError, match="1 article could not be imported"):
        call_command("import_articles", str(tmp_path), "--project", "news", "--create")
    captured = capsys.readouterr()
    assert f"error: {tmp_path / 'bad.jsonl'}:1: 'text' is required" in captured.err
    assert "Imported 1 article (1 sentence) into 'news'; skipped 0 already imported; 1 error." in (
        captured.out
    )
    assert Article.objects.filter(external_id="ok").exists()


def test_import_articles_into_a_mistyped_project_creates_nothing(project):
    with pytest.raises(CommandError, match="no project 'demmo'; check the slug, or add --create"):
        call_command("import_articles", str(SEEDS), "--project", "demmo")
    assert list(Project.objects.values_list("slug", flat=True)) == ["demo"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("slug", ["news 2024", "noticias-españa", "a/b", "x" * 101])
def test_a_project_slug_that_fits_no_url_is_refused(db, client, slug):
    """Such a project made the home page of every superuser fail (no URL to label it)."""
    with pytest.raises(CommandError, match="project: .*(not a slug|at most 100)"):
        call_command("import_articles", str(SEEDS), "--project", slug, "--create")
    assert not Project.objects.exists()
    call_command("import_articles", str(SEEDS), "--project", "news-2024", "--create")
    client.force_login(get_user_model().objects.create_superuser("root", password="x" * 12))
    home = client.get("/")
    assert home.status_code == 200 and b"/projects/news-2024/label/" in home.content


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
    assert "created: imported 2 seed articles" in first
    assert "Project 'demo' exists: left as it is." in second
    admin_password = next(
        line.split()[-1] for line in first.splitlines() if line.strip().startswith("user admin")
    )
    users = get_user_model().objects
    assert users.get(username="admin").check_password(admin_password)
    assert users.get(username="admin").is_superuser
    assert users.get(username="annotator").check_password("annotator-secret-42")
    assert "user annotator  password from CLAIMS_ANNOTATOR_PASSWORD" in first
    assert "user annotator  password (unchanged" in second
    assert admin_password not in second
    demo = Project.objects.get(slug="demo")
    assert set(Membership.objects.filter(project=demo).values_list("user__username", "role")) == {
        ("admin", "reviewer"),
        ("annotator", "annotator"),
    }


def test_setup_demo_again_keeps_what_a_curator_changed_in_the_admin(db, client, capsys):
    """`make run` runs setup_demo at every start: it must not undo the curator's edits."""
    call_command("setup_demo")
    demo = Project.objects.get(slug="demo")
    client.force_login(get_user_model().objects.get(username="admin"))
    url = reverse("admin:claims_project_change", args=[demo.pk])
    edited = {
        **form_data(client.get(url)),
        "annotations_per_sentence": 3,
        "guidelines": "Our own guidelines.",
        "targets-0-name": "Mediation talks",
    }
    assert client.post(url, edited).status_code == 302
    option = LabelOption.objects.get(schema__name="default", field="claim", value="checkworthy")
    option_url = reverse("admin:claims_labelschema_change", args=[option.schema_id])
    schema_form = form_data(client.get(option_url))
    row = next(k for k, v in schema_form.items() if v == option.pk).removesuffix("-id")
    assert (
        client.post(option_url, {**schema_form, f"{row}-title": "Worth checking"}).status_code
        == 302
    )
    annotator = get_user_model().objects.get(username="annotator")
    Membership.objects.filter(project=demo, user=annotator).update(role=Role.REVIEWER)

    call_command("setup_demo")

    demo.refresh_from_db()
    assert (demo.annotations_per_sentence, demo.guidelines) == (3, "Our own guidelines.")
    assert list(demo.targets.values_list("name", flat=True)) == ["Mediation talks"]
    option.refresh_from_db()
    assert option.title == "Worth checking"
    assert Membership.objects.get(project=demo, user=annotator).role == Role.REVIEWER


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
