"""export_project -> import_project: the same bytes again, timestamps too; bad files refused."""

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.backup.restore import RestoreError, project_restore
from claims.backup.write import project_backup_lines
from claims.models import (
    Annotation,
    AnnotationEvent,
    Article,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    Speaker,
    SpeakerKey,
)
from tests.exporting.test_dataset import export_records, make_labeled_project
from tests.factories import save_annotation

ROOT = Path(__file__).resolve().parents[2]
TRAINING_OPTIONS = {"status": "all", "split": "80/10/10", "seed": "5"}


def backup_of(slug: str = "news") -> str:
    project = Project.objects.select_related("schema").get(slug=slug)
    return "".join(line + "\n" for line in project_backup_lines(project))


def timestamps() -> dict:
    """Return every stored timestamp keyed by what it belongs to (no database ids)."""
    return {
        "project": list(Project.objects.values_list("slug", "created_at")),
        "articles": sorted(Article.objects.values_list("external_id", "created_at")),
        "speakers": sorted(Speaker.objects.values_list("name", "created_at")),
        "members": sorted(Membership.objects.values_list("user__username", "created_at")),
        "annotations": sorted(
            Annotation.objects.values_list(
                "sentence__article__external_id", "sentence__index", "kind",
                "annotator__username", "created_at", "updated_at",
            )
        ),
        "events": sorted(
            AnnotationEvent.objects.values_list(
                "sentence__article__external_id", "sentence__index", "action", "version",
                "created_at",
            )
        ),
    }  # fmt: skip


def drop_everything() -> None:
    """Empty the database of projects and users, leaving the label schemas."""
    AnnotationEvent.objects.all().delete()
    Annotation.objects.all().delete()
    Project.objects.all().delete()
    get_user_model().objects.all().delete()


def make_rich_project():
    labeled = make_labeled_project()
    Article.objects.filter(pk=labeled.maduro.pk).update(
        source="Example Wire", url="https://example.org/maduro", published=dt.date(2019, 1, 30),
        meta={"section": "world", "authors": ["A. Writer"], "words": 17},
    )  # fmt: skip
    Speaker.objects.filter(name="Sergey Lavrov").update(aliases=["Lavrov", "the Russian FM"])
    Project.objects.update(queue_order="uncertain", gold_in_queue=True, suggestion_threshold=0.35)
    # A history event whose annotation is gone (deleted drafts leave their history behind).
    draft = save_annotation(
        labeled.maduro.sentences.get(index=2), labeled.ann2, {"status": "draft", "claim": "claim"}
    )
    draft.delete()
    # Timestamps far from "now", so a restore that let auto_now overwrite them would show.
    long_ago = dt.datetime(2020, 5, 17, 8, 30, 15, 123456, tzinfo=dt.UTC)
    Annotation.objects.filter(annotator=labeled.ann2).update(
        created_at=long_ago, updated_at=long_ago + dt.timedelta(days=2)
    )
    AnnotationEvent.objects.filter(actor=labeled.ann2).update(created_at=long_ago)
    Article.objects.update(created_at=long_ago - dt.timedelta(days=1))
    Speaker.objects.update(created_at=long_ago)
    Membership.objects.update(created_at=long_ago)
    return labeled


def learnt() -> list:
    rows = SpeakerKey.objects.filter(origin="learnt")
    return sorted(rows.values_list("speaker__name", "text", "uses"))


def test_restore_gives_back_the_same_bytes_and_the_same_training_data(db):
    make_rich_project()
    backup = backup_of()
    before = timestamps()
    taught = learnt()
    assert taught
    training = {fmt: export_records(Project.objects.get(), fmt, **TRAINING_OPTIONS)
                for fmt in ("jsonl", "hf", "prodigy")}  # fmt: skip
    assert '"type":"event"' in backup and '"annotation":null' in backup
    assert '"based_on":{"annotator":"ann1"' in backup

    drop_everything()
    summary = project_restore(lines=io.StringIO(backup), origin="backup.jsonl")

    assert (summary.slug, summary.articles, summary.annotations) == ("news", 2, 7)
    restored = Project.objects.get()
    assert (restored.queue_order, restored.gold_in_queue, restored.suggestion_threshold) == (
        "uncertain",
        True,
        0.35,
    )
    assert sorted(summary.users_created) == ["ann1", "ann2", "rev1"]
    assert backup_of() == backup
    assert timestamps() == before
    assert learnt() == taught  # what annotations taught is learnt again
    for fmt, records in training.items():
        assert export_records(Project.objects.get(), fmt, **TRAINING_OPTIONS) == records
    users = get_user_model().objects.all()
    assert not any(user.has_usable_password() for user in users)
    gold = Annotation.objects.get(kind="gold")
    assert gold.based_on.annotator.username == "ann1"
    assert gold.based_on.sentence_id == gold.sentence_id
    assert AnnotationEvent.objects.filter(annotation__isnull=True).count() == 1
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    assert lavrov.aliases == ["Lavrov", "the Russian FM"]
    event = AnnotationEvent.objects.filter(annotation__attributions__speaker=lavrov).first()
    assert event.after["attributions"][0]["speaker"] == lavrov.pk  # history ids point here


def run_manage(*args: str, database: Path) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_commands_move_a_project_to_a_fresh_database(db, tmp_path):
    make_rich_project()
    backup, training = tmp_path / "news.jsonl", tmp_path / "training.jsonl"
    call_command("export_project", "news", "--output", str(backup), stdout=io.StringIO())
    call_command(
        "export_dataset", "--project", "news", "--status", "all", "--split", "80/10/10",
        "--output", str(training), stdout=io.StringIO(),
    )  # fmt: skip

    fresh = tmp_path / "fresh.sqlite3"
    run_manage("migrate", "--no-input", database=fresh)
    out = run_manage("import_project", str(backup), database=fresh)
    assert "Restored project 'news': 2 articles" in out
    assert "Users created without a password: ann1, ann2, rev1." in out
    run_manage("export_project", "news", "--output", str(tmp_path / "again.jsonl"), database=fresh)
    run_manage(
        "export_dataset", "--project", "news", "--status", "all", "--split", "80/10/10",
        "--output", str(tmp_path / "training-again.jsonl"), database=fresh,
    )  # fmt: skip
    assert (tmp_path / "again.jsonl").read_bytes() == backup.read_bytes()
    assert (tmp_path / "training-again.jsonl").read_bytes() == training.read_bytes()


def corrupt(backup: str, kind: str) -> str:
    lines = backup.splitlines()
    if kind == "truncated":
        return "\n".join(lines[:-1])
    if kind == "not json":
        lines[6] = lines[6][:-3]
    if kind == "span outside":
        index = next(i for i, line in enumerate(lines) if '"source":[98,104]' in line)
        lines[index] = lines[index].replace('"source":[98,104]', '"source":[98,999]')
    if kind == "unknown speaker":
        index = next(i for i, line in enumerate(lines) if '"speaker":"Sergey Lavrov"' in line)
        lines[index] = lines[index].replace('"Sergey Lavrov"', '"Somebody Else"')
    if kind == "same speaker twice":  # as a backup from before names were folded may be
        index = next(i for i, x in enumerate(lines) if '"type":"speaker"' in x and "Lavrov" in x)
        lines.insert(index + 1, lines[index].replace('"Sergey Lavrov"', '"SERGEY LAVROV"'))
    if kind == "wrong count":
        lines[-1] = lines[-1].replace('"articles":2', '"articles":3')
    if kind == "bad threshold":
        lines[1] = lines[1].replace('"suggestion_threshold":0.35', '"suggestion_threshold":2')
    if kind == "out of order":
        lines.insert(2, lines.pop(next(i for i, x in enumerate(lines) if '"type":"article"' in x)))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("truncated", "ends before its 'end' line (truncated?)"),
        ("not json", "not valid JSON"),
        ("span outside", "source span [98, 999] is not [start, end] within 0..111"),
        ("unknown speaker", "speaker 'Somebody Else' has no speaker line"),
        ("same speaker twice", "speaker 'SERGEY LAVROV' is speaker 'Sergey Lavrov' written"),
        ("wrong count", "the file says it holds {'articles': 3"),
        ("out of order", "a line of type 'target' cannot follow one of type 'article'"),
        ("bad threshold", "'suggestion_threshold' must be within 0 and 1, not 2"),
    ],
)
def test_a_bad_backup_is_refused_and_changes_nothing(db, kind, message):
    make_rich_project()
    broken = corrupt(backup_of(), kind)
    drop_everything()
    with pytest.raises(RestoreError, match=r"^backup\.jsonl:\d+: ") as caught:
        project_restore(lines=io.StringIO(broken), origin="backup.jsonl")
    assert message in str(caught.value)
    assert not Project.objects.exists() and not get_user_model().objects.exists()
    assert not Article.objects.exists() and not Annotation.objects.exists()


def test_an_existing_project_is_not_overwritten(db, tmp_path):
    make_rich_project()
    path = tmp_path / "news.jsonl"
    path.write_text(backup_of(), encoding="utf-8")
    with pytest.raises(CommandError, match=r"news.jsonl:2: a project 'news' already exists"):
        call_command("import_project", str(path))
    assert Project.objects.count() == 1 and Article.objects.count() == 2
    out = io.StringIO()
    call_command("import_project", str(path), "--slug", "news-copy", stdout=out)
    assert "Restored project 'news-copy'" in out.getvalue()
    assert Annotation.objects.filter(sentence__project__slug="news-copy").count() == 7


def test_a_different_schema_of_the_same_name_needs_a_new_name(db):
    make_rich_project()
    backup = backup_of()
    drop_everything()
    LabelOption.objects.filter(value="quantity").update(title="Numbers")
    with pytest.raises(RestoreError, match="has a label schema 'default' with other options"):
        project_restore(lines=io.StringIO(backup), origin="b")
    project_restore(lines=io.StringIO(backup), origin="b", schema_name="news-schema")
    assert Project.objects.get().schema.name == "news-schema"
    assert LabelSchema.objects.get(name="news-schema").options.get(value="quantity").title == (
        "Quantity"
    )


def test_unreadable_files_get_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_project", str(tmp_path / "missing.jsonl"))
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(json.dumps({"type": "header"}).encode() + b"\xe9\n")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_project", str(latin1))
