"""The reviewers' export page: the same streamed export as the command, and its counts."""

import json

import pytest
from django.urls import reverse

from claims.exporting.options import options_from_strings
from claims.exporting.pipeline import export_bytes, formatter_for
from tests.admin.test_curation import staff_reviewer
from tests.exporting.test_resolve import make_split_votes
from tests.factories import make_project


@pytest.fixture
def votes(db):
    return make_split_votes()


def url_of(project) -> str:
    return reverse("admin:claims_project_export", args=[project.pk])


def test_the_download_is_the_streamed_export_the_command_writes(client, votes):
    client.force_login(staff_reviewer(votes, "rita"))
    form = client.get(url_of(votes))
    assert form.status_code == 200
    assert set(form.context["form"].fields["annotator"].choices) == {
        ("", "-"), ("ann1", "ann1"), ("ann2", "ann2"),
    }  # fmt: skip
    asked = {"do": "download", "format": "hf", "status": "submitted", "resolve": "union",
             "split": "80/20", "seed": "3", "per": "sentence"}  # fmt: skip
    response = client.get(url_of(votes), asked)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="votes-hf.jsonl"'
    options = options_from_strings({"resolve": "union", "split": "80/20", "seed": "3"})
    expected = export_bytes(
        project=votes, formatter=formatter_for("hf", project=votes, options=options)
    )
    assert b"".join(response.streaming_content) == b"".join(expected)


def test_count_shows_what_was_resolved_how_and_what_was_left_out(client, votes):
    client.force_login(staff_reviewer(votes, "rita"))
    page = client.get(url_of(votes), {"do": "count", "format": "hf", "status": "submitted",
                                      "resolve": "majority", "per": "sentence"})  # fmt: skip
    assert page.status_code == 200
    counts = page.context["counted"]
    assert counts.examples == 1
    assert counts.report.lines() == [
        "resolved with --resolve majority: 1 by majority",
        "left out 2 span(s): 2 without a majority",
    ]
    assert "left out 2 span(s): 2 without a majority" in page.content.decode()


def test_bad_choices_are_named_on_the_form(client, votes):
    client.force_login(staff_reviewer(votes, "rita"))
    base = {"do": "download", "format": "doccano", "status": "submitted", "per": "sentence"}
    page = client.get(url_of(votes), {**base, "resolve": "annotator", "split": "70/20"})
    assert page.status_code == 200 and not page.streaming
    assert page.context["form"].errors == {
        "annotator": ["Choose the annotator whose labels to use."],
    }
    page = client.get(url_of(votes), {**base, "resolve": "gold", "split": "70/20"})
    assert page.context["form"].errors == {
        "split": ["the parts of '70/20' add up to 90, not 100"],
    }
    chosen = client.get(url_of(votes), {**base, "resolve": "annotator", "annotator": "ann2"})
    (line,) = [json.loads(x) for x in b"".join(chosen.streaming_content).splitlines()]
    assert line["id"] == "votes/said/0"


def test_only_the_projects_reviewers_reach_the_page(client, votes):
    elsewhere = staff_reviewer(make_project("other"), "olga")
    client.force_login(elsewhere)
    assert client.get(url_of(votes), {"do": "download", "format": "jsonl"}).status_code == 404
    client.force_login(votes.memberships.get(user__username="ann1").user)
    assert client.get(url_of(votes)).status_code == 302  # annotators: to the admin login
    client.force_login(staff_reviewer(votes, "rita"))
    listed = client.get(reverse("admin:claims_project_changelist")).content.decode()
    assert f'href="{url_of(votes)}"' in listed
