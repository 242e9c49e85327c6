"""Export files appear whole or not at all: a killed export leaves the old files as they were."""

import io
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.exporting import native_records
from tests.exporting.test_dataset import make_labeled_project

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, database: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", **popen.pop("env", {})}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen,
    )  # fmt: skip


def kill_once_writing(process: subprocess.Popen, directory: Path) -> bool:
    """SIGKILL the process as soon as it has a file open in `directory`; False if it ended
    first."""
    fds = Path(f"/proc/{process.pid}/fd")
    while process.poll() is None:
        try:
            links = [os.readlink(fd) for fd in fds.iterdir()]
        except OSError:  # a descriptor closed while it was read, or the process ended
            continue
        if any(link.startswith(f"{directory}/") for link in links):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        os.sched_yield()
    return False


def killed_while_writing(command: list[str], database: Path, directory: Path, reset) -> None:
    """Run the export until one run is killed while it writes (the last step can be short)."""
    for _ in range(5):
        reset()
        if kill_once_writing(manage(*command, database=database), directory):
            return
    raise AssertionError("five exports ended before they could be killed while writing")


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs Linux's /proc")
def test_a_killed_export_leaves_the_previous_files_and_nothing_else(tmp_path):
    database = tmp_path / "db.sqlite3"
    articles = tmp_path / "articles.jsonl"
    sentence = "The minister said the talks in Oslo would resume next week. "
    with articles.open("w", encoding="utf-8") as out:
        for n in range(150):
            out.write(json.dumps({"id": f"a{n}", "text": f"Report {n}. " + sentence * 40}) + "\n")
    setup = (
        "from django.core.management import call_command as run; run('migrate', verbosity=0); "
        f"run('import_articles', {str(articles)!r}, '--project', 'news', '--create')"
    )
    assert manage("shell", "-c", setup, database=database).wait(timeout=600) == 0
    export = ["export_dataset", "--project", "news", "--status", "all"]

    output = tmp_path / "out"
    output.mkdir()
    previous = output / "news.jsonl"
    killed_while_writing(
        [*export, "--format", "hf", "--output", str(previous)], database, output,
        reset=lambda: previous.write_text("the previous export\n"),
    )  # fmt: skip
    assert [p.name for p in output.iterdir()] == ["news.jsonl"]
    assert previous.read_text() == "the previous export\n"

    splits = tmp_path / "splits"
    splits.mkdir()
    names = ("train", "dev", "test")

    def previous_splits() -> None:
        for name in names:
            (splits / f"{name}.spacy").write_text(f"previous {name}")

    killed_while_writing(
        [*export, "--format", "spacy", "--split", "80/10/10", "--output", str(splits)],
        database, splits, reset=previous_splits,
    )  # fmt: skip
    assert sorted(p.name for p in splits.iterdir()) == ["dev.spacy", "test.spacy", "train.spacy"]
    assert {p.read_text() for p in splits.iterdir()} == {f"previous {name}" for name in names}


def test_a_symbolic_link_keeps_pointing_at_the_new_export(db, tmp_path):
    make_labeled_project()
    target = tmp_path / "exports" / "news.jsonl"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    call_command("export_dataset", "--project", "news", "--output", str(link), stdout=io.StringIO())
    assert link.is_symlink() and link.resolve() == target
    assert len(native_records(target.read_bytes())) == 3
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["exports", "latest.jsonl", "news.jsonl"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_written_in_place(db, tmp_path):
    make_labeled_project()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    call_command("export_dataset", "--project", "news", "--output", str(pipe), stdout=io.StringIO())
    reader.join(timeout=60)
    assert pipe.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["pipe"]
    assert len(native_records(received[0])) == 3
