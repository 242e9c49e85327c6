"""The streaming export endpoint, the admin action and the export_dataset command."""

import io
import json

import pytest
import spacy
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import StreamingHttpResponse
from rest_framework.test import APIClient
from spacy.tokens import DocBin

from claims.api.export import LEFT_OUT_HEADER, RECORDS_HEADER, REPORT_HEADER
from claims.exporting import dataset
from claims.models import Article, Role
from tests.exporting import native_records
from tests.exporting.test_dataset import make_labeled_project
from tests.factories import (
    client_for,
    make_article,
    make_member,
    make_project,
    make_user,
    save_annotation,
)


def url(slug: str = "news", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/projects/{slug}/export/" + (f"?{query}" if query else "")


def lines_of(response) -> list[dict]:
    """Return the records of a download, checked as a client can: trailer, or length and count."""
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    if not response.has_header(RECORDS_HEADER):
        return native_records(body)
    assert int(response["Content-Length"]) == len(body)
    records = [json.loads(line) for line in body.splitlines()]
    assert int(response[RECORDS_HEADER]) == len(records)
    return records


@pytest.fixture
def labeled(db):
    return make_labeled_project()


def test_reviewers_download_the_stream(labeled):
    response = client_for(labeled.reviewer).get(url(split="80/10/10", seed="2"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert response["Content-Disposition"] == 'attachment; filename="news-jsonl.jsonl"'
    records = lines_of(response)
    assert [r["id"] for r in records] == ["news/lavrov/1", "news/lavrov/2", "news/maduro/1"]
    assert {r["split"] for r in records} <= {"train", "dev", "test"}


def test_superusers_download_any_format(labeled):
    staff = make_user("curator", is_staff=True, is_superuser=True)
    response = client_for(staff).get(url(format="spacy", status="gold"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="news-spacy.spacy"'
    docs = DocBin().from_bytes(b"".join(response.streaming_content))
    assert [d.user_data["id"] for d in docs.get_docs(spacy.blank("en").vocab)] == ["news/lavrov/1"]
    hf = client_for(staff).get(url(format="hf", per="annotation", annotator="ann1"))
    assert len(lines_of(hf)) == 4


def test_an_unknown_annotator_is_a_400_naming_it(labeled):
    """Not an empty export that looks like that annotator's (lack of) work."""
    client = client_for(labeled.reviewer)
    response = client.get(url(format="hf", resolve="annotator:nobody"))
    assert response.status_code == 400
    assert response.json() == {
        "resolve": [
            "unknown annotator 'nobody': no one of that username is or was an annotator of the "
            "project"
        ]
    }
    response = client.get(url(format="hf", annotator="nobody"))
    assert list(response.json()) == ["annotator"]
    assert client.get(url(format="hf", resolve="annotator:ann2")).status_code == 200


def test_a_reviewer_or_superuser_who_never_annotated_is_no_annotator_to_export(labeled):
    """Their gold is stored under their name, but exporting it as an annotator's work would
    leave out every sentence (no_annotation_by_the_annotator), not say the name is wrong."""
    make_member(labeled.project, Role.REVIEWER, "rev2")
    make_user("admin", is_staff=True, is_superuser=True)
    client = client_for(labeled.reviewer)
    for name in ("rev2", "admin", labeled.reviewer.username):
        response = client.get(url(format="hf", annotator=name))
        assert response.status_code == 400, name
        assert "is or was an annotator" in response.json()["annotator"][0]
    # One who annotated and is now a reviewer still is.
    make_member(labeled.project, Role.REVIEWER, "rev3")
    sentence = labeled.project.sentences.get(article__external_id="lavrov", index=1)
    save_annotation(sentence, get_user_model().objects.get(username="rev3"),
                    {"status": "submitted", "claim": "claim"})  # fmt: skip
    assert client.get(url(format="hf", annotator="rev3")).status_code == 200


def test_single_label_downloads_say_what_was_left_out_and_why(labeled):
    response = client_for(labeled.reviewer).get(url(format="hf", resolve="gold"))
    assert len(lines_of(response)) == 1  # only lavrov/1 has gold
    report = json.loads(response[REPORT_HEADER])
    assert report["resolve"] == "gold"
    assert report["resolved"] == {"gold": 1}
    left_out = sum(report["left_out"]["sentences"].values())
    assert left_out == int(response[LEFT_OUT_HEADER]) > 0


def test_annotators_get_403_outsiders_404_and_anonymous_401(labeled):
    forbidden = client_for(labeled.ann1).get(url())
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "Only the project's reviewers may do this."}
    outsider = make_member(make_project("other"), Role.REVIEWER, "outsider")
    assert client_for(outsider).get(url()).status_code == 404
    assert client_for(labeled.reviewer).get(url("missing")).status_code == 404
    assert APIClient().get(url()).status_code in (401, 403)


def test_bad_parameters_get_400_naming_each(labeled):
    response = client_for(labeled.reviewer).get(url(format="csv", split="50/40"))
    assert response.status_code == 400
    assert response.json() == {"split": ["the parts of '50/40' add up to 90, not 100"]}
    response = client_for(labeled.reviewer).get(url(format="csv"))
    assert response.status_code == 400
    assert list(response.json()) == ["format"]
    response = client_for(labeled.reviewer).get(url(since="soon", colour="red"))
    assert set(response.json()) == {"since", "colour"}


def annotated_project(slug: str, sentences_wanted: int):
    """Return a reviewer of a project with that many annotated sentences (several articles)."""
    project = make_project(slug)
    reviewer = make_member(project, Role.REVIEWER, f"{slug}-reviewer")
    annotators = [make_member(project, Role.ANNOTATOR, f"{slug}-a{n}") for n in range(2)]
    made = 0
    while made < sentences_wanted:
        text = " ".join(f"Minister {made} said claim {n} held." for n in range(5))
        article = make_article(project, text, f"{slug}-{made}")
        for sentence in article.sentences.all()[: sentences_wanted - made]:
            for annotator in annotators:
                save_annotation(
                    sentence, annotator,
                    {"status": "submitted", "claim": "claim",
                     "attributions": [{"speaker": {"name": f"Minister {made}", "kind": "person"},
                                       "source": {"start": 0, "end": 8}}],
                     "stance": [{"target": project.targets.get().name, "label": "favor"}]},
                )  # fmt: skip
            made += 1
    return reviewer


@pytest.mark.parametrize("fmt", ["jsonl", "hf"])
def test_the_endpoint_query_count_stays_flat_as_rows_grow(db, django_assert_num_queries, fmt):
    # project with role, [schema options, targets,] sentences, and one chunk's two reads
    expected = 4 if fmt == "jsonl" else 6
    for slug, size in (("small", 2), ("large", 24)):
        client = client_for(annotated_project(slug, size))
        with django_assert_num_queries(expected):
            records = lines_of(client.get(url(slug, format=fmt)))
        assert len(records) == size


def test_each_chunk_costs_two_queries_whatever_its_rows(db, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(dataset, "CHUNK_SIZE", 4)
    client = client_for(annotated_project("chunked", 10))
    # project with role, sentences; then 3 chunks (4 + 4 + 2 sentences) of 2 reads each:
    # articles, and annotations joined to their attributions and stances
    with django_assert_num_queries(2 + 3 * 2):
        records = lines_of(client.get(url("chunked")))
    assert len(records) == 10
    assert all(len(r["annotations"]) == 2 for r in records)


def test_admin_action_streams_the_selected_articles(labeled, client):
    admin_user = make_user("site-admin", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/claims/article/",
        {"action": "export_articles_jsonl", "_selected_action": [labeled.maduro.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="news-selected.jsonl"'
    assert [r["id"] for r in lines_of(response)] == ["news/maduro/1"]


def test_export_dataset_command_writes_files_and_stdout(labeled, tmp_path):
    out = io.StringIO()
    call_command(
        "export_dataset", "--project", "news", "--output", "-", stdout=out, stderr=io.StringIO()
    )
    assert [record["id"] for record in native_records(out.getvalue().encode())] == [
        "news/lavrov/1", "news/lavrov/2", "news/maduro/1",
    ]  # fmt: skip
    target = tmp_path / "news.jsonl"
    out = io.StringIO()
    call_command(
        "export_dataset", "--project", "news", "--format", "doccano", "--annotator", "ann2",
        "--output", str(target), stdout=out,
    )  # fmt: skip
    assert len(target.read_text().splitlines()) == 1
    assert "Exported 1 doccano records of 'news'" in out.getvalue()
    assert "resolved with --resolve annotator:ann2: 1 from the gold" in out.getvalue()
    assert (
        "left out 2 sentence(s): 2 without a submitted annotation by the chosen annotator"
        in out.getvalue()
    )
    assert not list(tmp_path.glob(".*partial"))


def test_export_dataset_command_rejects_bad_options(labeled, tmp_path):
    with pytest.raises(CommandError, match=r"--min-annotations: 'x' is not a whole number"):
        call_command(
            "export_dataset", "--project", "news", "--min-annotations", "x", "--output", "-"
        )
    with pytest.raises(CommandError, match="no project 'nope'"):
        call_command("export_dataset", "--project", "nope", "--output", "-")
    with pytest.raises(CommandError, match="writes a directory"):
        call_command(
            "export_dataset", "--project", "news", "--format", "spacy", "--split", "80/10/10",
            "--output", "-",
        )  # fmt: skip
    assert Article.objects.count() == 2
