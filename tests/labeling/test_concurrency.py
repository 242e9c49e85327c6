"""The queue under concurrent annotators: contention never reads as "nothing left".

Real threads, each with its own database connection: on PostgreSQL against the test
database, on SQLite in a child process with a database file (see tests/labeling/race.py).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.labeling import race

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def on_sqlite_file() -> dict:
    """Run every scenario once in a child process with an SQLite file; return the outcomes."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.labeling.race"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout.splitlines()[-1])


@pytest.fixture
def outcome(request):
    """Return a function running a scenario of race.py on this run's database."""
    if connection.vendor == "sqlite":
        return request.getfixturevalue("on_sqlite_file").__getitem__
    return lambda name: race.SCENARIOS[name]()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("per_sentence", ["one", "two"])
def test_sixteen_annotators_looping_at_once_are_never_told_nothing_is_left(outcome, per_sentence):
    found = outcome(f"loops of {per_sentence} wanted")
    assert found["nothing_left"] == 0, f"{found['nothing_left']} of {found['asks']} asks"
    assert found["most_holders"] <= {"one": 1, "two": 2}[per_sentence]
    assert found["most_annotations"] <= {"one": 1, "two": 2}[per_sentence]


@pytest.mark.django_db(transaction=True)
def test_the_last_free_sentences_go_to_exactly_as_many_annotators_as_wanted(outcome):
    # Three sentences, two annotators each: six get one, ten are told nothing is left.
    found = outcome("last free of two wanted")
    assert found == {"handed": [2, 2, 2], "none": race.ANNOTATORS - 6}
