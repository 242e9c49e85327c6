"""Exports an ML engineer loads as they are: the native JSONL in `datasets` and pandas, one
row per sentence; the trailer only when asked for (old files with one still import); options
a format cannot apply are refused, not ignored."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from claims.api.export import RECORDS_HEADER
from claims.models import Annotation, AnnotationKind
from tests.exporting import native_records
from tests.exporting.test_dataset import make_labeled_project
from tests.factories import make_project

SENTENCES = ["news/lavrov/1", "news/lavrov/2", "news/maduro/1"]  # with a submitted annotation


@pytest.fixture
def labeled(db):
    return make_labeled_project()


def export(path, *options: str) -> str:
    out = io.StringIO()
    call_command("export_dataset", "--project", "news", "--output", str(path), *options, stdout=out)
    return out.getvalue()


def test_the_native_file_loads_in_datasets_with_one_row_per_sentence(
    labeled, tmp_path, monkeypatch
):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    import datasets

    path = tmp_path / "news.jsonl"
    assert "Exported 3 jsonl records" in export(path)
    dataset = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "hf-cache")
    )
    assert dataset.num_rows == 3
    assert dataset["id"] == SENTENCES  # no all-null row for a trailer
    assert "trailer" not in dataset.column_names
    quote = dataset[0]
    assert [a["annotator"] for a in quote["annotations"]] == ["ann1", "ann2"]
    assert quote["gold"]["annotator"] == "rev1"


def test_the_native_file_loads_in_pandas_with_one_row_per_sentence(labeled, tmp_path):
    import pandas

    path = tmp_path / "news.jsonl"
    export(path)
    frame = pandas.read_json(path, lines=True)
    assert list(frame["id"]) == SENTENCES
    assert frame["text"].notna().all() and len(frame) == 3


def test_the_trailer_comes_when_asked_and_old_files_with_it_still_import(labeled, tmp_path):
    plain, trailed = tmp_path / "plain.jsonl", tmp_path / "trailed.jsonl"
    export(plain, "--status", "gold")
    export(trailed, "--status", "gold", "--trailer")
    assert native_records(trailed.read_bytes(), trailer=True) == native_records(plain.read_bytes())

    stored = {}
    for path in (plain, trailed):
        project = make_project(path.stem)
        call_command("import_articles", str(path), project=project.slug, as_="gold")
        gold = Annotation.objects.filter(sentence__project=project, kind=AnnotationKind.GOLD)
        stored[path.stem] = sorted(
            (a.sentence.index, a.claim, a.attributions.count()) for a in gold if a.claim
        )
    assert stored["plain"] == stored["trailed"] == [(0, "claim", 1)]  # the gold, with Lavrov


def test_resolve_with_the_native_format_is_refused_not_ignored(labeled, tmp_path):
    for option in (["--resolve", "union"], ["--annotator", "ann1"]):
        with pytest.raises(CommandError, match="the jsonl format keeps every annotation"):
            export(tmp_path / "x.jsonl", *option)
    with pytest.raises(CommandError, match="--trailer: only the native jsonl format has a"):
        export(tmp_path / "x.jsonl", "--format", "hf", "--trailer")
    assert not list(tmp_path.iterdir())


def test_the_api_sends_the_native_file_with_its_length_or_streams_it_with_a_trailer(labeled):
    client = APIClient()
    client.force_authenticate(labeled.reviewer)
    url = "/api/v1/projects/news/export/"
    whole = client.get(url)
    body = b"".join(whole.streaming_content)
    assert int(whole["Content-Length"]) == len(body)
    assert whole[RECORDS_HEADER] == "3"
    assert [r["id"] for r in native_records(body)] == SENTENCES

    streamed = client.get(url, {"trailer": "1"})
    assert not streamed.has_header("Content-Length")
    records = native_records(b"".join(streamed.streaming_content), trailer=True)
    assert [r["id"] for r in records] == SENTENCES

    refused = client.get(url, {"resolve": "majority"})
    assert refused.status_code == 400
    assert "the jsonl format keeps every annotation" in json.dumps(refused.json()["resolve"])
    assert client.get(url, {"format": "hf", "trailer": "1"}).status_code == 400
