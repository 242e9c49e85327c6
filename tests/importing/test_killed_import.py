"""`kill -9` of an import leaves no segmentation worker behind."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import make_project


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(n) for n in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.django_db(transaction=True)
def test_killing_an_import_ends_its_segmentation_worker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database cannot be opened by another process")
    make_project("big")
    sentence = "Officials said on Monday that the talks would resume next week in Oslo. "
    path = tmp_path / "big.jsonl"
    with path.open("w") as stream:
        for n in range(4000):
            stream.write(json.dumps({"id": f"a{n}", "text": sentence * 40 + str(n)}) + "\n")
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    command = subprocess.Popen(
        [sys.executable, "manage.py", "import_articles", str(path), "--project", "big",
         "--workers", "1"],
        cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "annotator.settings"},
    )  # fmt: skip
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while not (workers := children(command.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert workers, "the import started no worker"
        time.sleep(1)  # at work now
        command.send_signal(signal.SIGKILL)
        command.wait(30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers)
    finally:
        command.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
