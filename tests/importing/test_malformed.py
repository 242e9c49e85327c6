"""Input that reads as something it is not: each is reported, never merged or dropped silently."""

import json

import pytest
from rest_framework.test import APIClient

from claims.models import Article
from tests.importing.test_import import import_paths


def test_a_csv_row_with_an_unterminated_quote_is_reported_not_merged(project, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        'id,text\na1,"It starts here\na2,Second article.\na3,"Third ""quoted"" one."\n'
        'a4,"Two\n\nparagraphs."\n',
        encoding="utf-8",
    )
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:2: this row's quotes do not close as CSV requires (',' expected after "
        "'\"'); "
        "it is not imported, and the next line is read as a new row"
    ]
    stored = dict(Article.objects.values_list("external_id", "text"))
    assert stored == {
        "a2": "Second article.", "a3": 'Third "quoted" one.', "a4": "Two\n\nparagraphs.",
    }  # fmt: skip


def test_a_csv_quote_open_to_the_end_of_the_file_is_reported(project, tmp_path):
    path = tmp_path / "news.csv"
    path.write_text('id,text\na1,First.\na2,"No end\na3,Last.\n', encoding="utf-8")
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:3: this row's quotes do not close as CSV requires (unexpected end of data); "
        "it is not imported, and the next line is read as a new row"
    ]
    assert set(Article.objects.values_list("external_id", flat=True)) == {"a1", "a3"}


@pytest.mark.parametrize("published", ["2024-01-01garbage", "2024-01-01T", "2024-13-01"])
def test_a_date_with_anything_after_it_is_refused_naming_the_field(project, tmp_path, published):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "A sentence.", "published": published}) + "\n")
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:1: 'published' is not an ISO date or date-time: {published!r}"
    ]


def test_a_date_time_gives_its_date(project, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "A sentence.", "published": "2024-01-31T23:10:00Z"}))
    assert import_paths(project, path).problems == []
    assert str(Article.objects.get().published) == "2024-01-31"


def test_the_api_refuses_a_bad_date_naming_the_field(project, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.post(
        f"/api/v1/projects/{project.slug}/articles/",
        {"text": "A sentence.", "published": "2024-01-01garbage"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "published": ["'published' is not an ISO date or date-time: '2024-01-01garbage'"]
    }


def test_a_trailer_line_in_the_middle_of_a_file_is_reported(project, tmp_path):
    trailer = json.dumps({"trailer": {"records": 1, "sha256": "00"}})
    path = tmp_path / "joined.jsonl"
    path.write_text(
        "\n".join([json.dumps({"id": "a", "text": "First."}), trailer,
                   json.dumps({"id": "b", "text": "Second."}), trailer, ""]),
        encoding="utf-8",
    )  # fmt: skip
    summary = import_paths(project, path)
    assert [str(p) for p in summary.problems] == [
        f"{path}:2: an export's trailer line (where the export ended) in the middle of the "
        "file: were two exports joined, or one cut short and another appended? The lines "
        "around it are read on"
    ]
    assert set(Article.objects.values_list("external_id", flat=True)) == {"a", "b"}
