"""`spacy train` runs on the exported DocBin as it is, with the config in docs/spacy/: the
claim label (exclusive) from doc.cats, the claim types (multi-label) from their span group."""

import subprocess
import sys

import pytest
import spacy
from django.conf import settings
from django.db import connection

from claims.exporting.options import options_from_strings
from claims.exporting.pipeline import export_to_path, formatter_for
from tests.exporting.test_dataset import make_labeled_project

CONFIG = settings.BASE_DIR / "docs" / "spacy" / "claims.cfg"


def spacy_command(*arguments: str, cwd) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "spacy", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="training reads a file; the export's bytes are the same from either database",
)
def test_spacy_train_runs_on_the_exported_docbin_with_the_documented_config(db, tmp_path):
    labeled = make_labeled_project()
    data = tmp_path / "news.spacy"
    options = options_from_strings({})
    formatter = formatter_for("spacy", project=labeled.project, options=options)
    assert export_to_path(data, project=labeled.project, formatter=formatter).examples == 3

    spacy_command("init", "fill-config", str(CONFIG), "config.cfg", cwd=tmp_path)
    trained = spacy_command(
        "train", "config.cfg", "--paths.train", str(data), "--paths.dev", str(data),
        "--training.max_steps", "4", "--training.eval_frequency", "2", "--output", "model",
        cwd=tmp_path,
    )  # fmt: skip
    assert "Saved pipeline to output directory" in trained.stdout

    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert nlp.pipe_names == ["textcat", "sentence", "claim_types"]
    assert set(nlp.get_pipe("textcat").labels) == {"not_claim", "claim", "checkworthy"}
    assert set(nlp.get_pipe("claim_types").labels) == {"position_intention", "prediction"}
    doc = nlp("Maduro said the talks would resume next week.")
    assert set(doc.cats) == {"not_claim", "claim", "checkworthy"}
    assert abs(sum(doc.cats.values()) - 1.0) < 1e-4  # exclusive
    assert "claim_types" in doc.spans
