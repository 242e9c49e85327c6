"""A large export loads in `datasets`: its `json` loader takes each column's type from the
first 10 MB of the file, so a column with no value there (no claim types or stance in the
first articles, every claim null in imported gold) used to fail a later row with "Couldn't
cast array of type string to null". The export format's documentation gives the recipes;
these tests run them on a file whose values first show after the loader's first chunk."""

import re
import textwrap
from pathlib import Path

import pytest

from claims.models import Role
from tests.exporting.test_formats import export_file
from tests.factories import TARGET, make_article, make_member, make_project, save_annotation

DOCS = Path(__file__).resolve().parents[2] / "docs" / "export-format.md"
CHUNK = 4096  # bytes; the loader's 10 MB, scaled down to a test


@pytest.fixture
def late_values(db, tmp_path, monkeypatch):
    """Plain sentences first (no claim types, no stance, no spans), the values in the last."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    project = make_project("late")
    user = make_member(project, Role.ANNOTATOR, "ann")
    plain = " ".join(f"The river number {n} ran quietly past the old mill." for n in range(60))
    for sentence in make_article(project, plain, "plain").sentences.all():
        save_annotation(sentence, user, {"status": "submitted", "claim": "not_claim"})
    said = make_article(project, "Mayor Quill said the bridge would reopen in May.", "said")
    sentence = said.sentences.get()
    text = sentence.text
    save_annotation(
        sentence, user,
        {"status": "submitted", "claim": "claim", "claim_types": ["prediction"],
         "attributions": [{"source": {"start": 0, "end": 11}, "cue": {"start": 12, "end": 16},
                           "content": {"start": 17, "end": len(text)},
                           "speaker": {"name": "Mayor Quill", "kind": "person"}}],
         "stance": [{"target": TARGET, "label": "favor"}]},
    )  # fmt: skip
    return project


def python_block_after(heading: str) -> str:
    """Return the first ```python block of the docs section under `heading`."""
    section = DOCS.read_text().split(heading, 1)[1].split("\n### ", 1)[0]
    return textwrap.dedent(re.search(r"```python\n(.*?)```", section, re.S).group(1))


def test_an_hf_file_whose_values_come_late_loads_with_the_documented_features(
    late_values, tmp_path, monkeypatch
):
    import datasets

    path, _ = export_file(tmp_path, late_values, "hf", "out.jsonl")
    assert path.stat().st_size > 4 * CHUNK
    with pytest.raises(datasets.exceptions.DatasetGenerationError):  # the pitfall
        datasets.load_dataset("json", data_files=str(path), chunksize=CHUNK)

    recipe = python_block_after("### `hf`")
    assert 'load_dataset("json", data_files="out.jsonl", features=features)' in recipe
    monkeypatch.chdir(tmp_path)
    names = {}
    exec(recipe.replace("features=features)", f"features=features, chunksize={CHUNK})"), names)
    rows = names["dataset"]["train"]
    assert rows.num_rows == 61
    last = rows[60]
    assert (last["claim"], last["claim_types"]) == ("claim", ["prediction"])
    assert (last["stance_target"], last["stance_label"]) == (TARGET, "favor")
    assert [s["label"] for s in last["spans"]] == ["SOURCE", "CUE", "CONTENT"]
    assert rows[0]["claim"] == "not_claim" and rows[0]["claim_types"] == []


def test_a_native_file_whose_values_come_late_loads_with_the_documented_recipe(
    late_values, tmp_path, monkeypatch
):
    path, _ = export_file(tmp_path, late_values, "jsonl", "out.jsonl")
    recipe = python_block_after("- **Native JSONL is records only**")
    monkeypatch.chdir(tmp_path)
    names = {}
    exec(recipe, names)
    rows = names["dataset"]
    assert rows.num_rows == 61
    attribution = rows[60]["annotations"][0]["attributions"][0]
    assert attribution["speaker"]["name"] == "Mayor Quill"
    assert rows[0]["annotations"][0]["attributions"] == []
