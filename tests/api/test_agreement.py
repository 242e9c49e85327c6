"""The agreement report through the API and the management command."""

import json
from io import StringIO

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from claims.models import Role
from tests.factories import client_for, make_member, make_project, make_user, save_annotation
from tests.quality.test_report import crafted_project


@pytest.fixture
def crafted(db):
    return crafted_project()


def url(project) -> str:
    return f"/api/v1/projects/{project.slug}/agreement/"


def test_reviewers_and_staff_get_the_report(crafted, django_assert_num_queries):
    project, _, users, reviewer = crafted
    client_for(reviewer).get(url(project))  # the first request computes them (a job)
    # project with role, whether the stored figures are behind (2), the stored figures
    with django_assert_num_queries(4):
        response = client_for(reviewer).get(url(project))
    assert response.status_code == 200
    body = response.json()
    assert body["up_to_date"] is True and body["job"] is None
    claim = body["labels"][0]
    assert (claim["field"], claim["n_items"]) == ("claim", 4)
    assert claim["krippendorff_alpha"] == pytest.approx(0.375)
    assert body["speakers"] == {"agreeing": 1, "compared": 2, "share": 0.5}
    assert [a["username"] for a in body["annotators"]] == ["ann", "bob", "cy"]
    staff = make_user("staff-member", is_staff=True, is_superuser=True)
    assert client_for(staff).get(url(project)).json() == body


def test_the_figures_follow_a_new_submission(crafted):
    project, sentences, users, reviewer = crafted
    client = client_for(reviewer)
    before = client.get(url(project)).json()
    save_annotation(sentences[3], users["cy"], {"status": "submitted", "claim": "claim"}, 1)
    after = client.get(url(project)).json()  # behind: recomputed (at once under the tests)
    assert (before["labels"][0]["n_items"], after["labels"][0]["n_items"]) == (4, 4)
    assert after["sentences"]["complete"] == before["sentences"]["complete"] + 1
    assert after["computed_at"] > before["computed_at"]


def test_annotators_get_403_outsiders_404_anonymous_401(crafted):
    project, _, users, _ = crafted
    assert client_for(users["ann"]).get(url(project)).status_code == 403
    outsider = make_member(make_project("elsewhere"), Role.REVIEWER)
    response = client_for(outsider).get(url(project))
    assert response.status_code == 404 and "detail" in response.json()
    assert APIClient().get(url(project)).status_code == 401


def test_the_response_matches_the_published_schema(crafted):
    project, _, _, reviewer = crafted
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/projects/{slug}/agreement/"]["get"]
    response_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    body = client_for(reviewer).get(url(project)).json()
    # OpenAPI 3.0 "nullable" is not JSON Schema: validate with it mapped to a null type.
    jsonschema.validate(body, openapi_to_json_schema(response_schema, schema))
    assert set(operation["responses"]) >= {"200", "403", "404"}


def openapi_to_json_schema(node, schema):
    """Return the node with references inlined and OpenAPI's `nullable` as a null type."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            return openapi_to_json_schema(schema["components"]["schemas"][name], schema)
        converted = {k: openapi_to_json_schema(v, schema) for k, v in node.items()}
        if converted.pop("nullable", False):
            if "type" in converted:
                converted["type"] = [converted["type"], "null"]
            elif "enum" in converted:
                converted = {"anyOf": [converted, {"type": "null"}]}
        if "allOf" in converted and len(converted["allOf"]) == 1:
            return {**converted["allOf"][0], **{k: v for k, v in converted.items() if k != "allOf"}}
        return converted
    if isinstance(node, list):
        return [openapi_to_json_schema(item, schema) for item in node]
    return node


def test_command_prints_a_table(crafted):
    project, *_ = crafted
    out = StringIO()
    call_command("agreement", "--project", project.slug, stdout=out)
    text = out.getvalue()
    assert "Claim label" in text and "0.375" in text
    assert "ann / bob: 0.556 over 4" in text
    assert "source" in text and "Speaker agreement: 1 of 2" in text


def test_command_json_equals_the_api(crafted):
    project, _, _, reviewer = crafted
    out = StringIO()
    call_command("agreement", "--project", project.slug, "--json", stdout=out)
    api = client_for(reviewer).get(url(project)).json()
    for stored_only in ("computed_at", "up_to_date", "job"):
        api.pop(stored_only)
    assert json.loads(out.getvalue()) == api


def test_command_names_an_unknown_project(db):
    with pytest.raises(CommandError, match="no project with slug 'missing'"):
        call_command("agreement", "--project", "missing")
