"""Each role against each endpoint: anonymous, outsider, annotator, reviewer, superuser."""

import pytest
from rest_framework.test import APIClient

from claims.models import Article, Role, Speaker
from tests.api.test_annotations import client_for
from tests.factories import make_member, make_project, make_user, save_annotation
from tests.services.test_annotations import LAVROV_NOTED

ROLES = ("anonymous", "outsider", "annotator", "reviewer", "staff")


@pytest.fixture
def world(project, article, quote_sentence, annotator, reviewer):
    """Project demo with an article, the annotator's annotation and another annotator's."""
    other = make_member(project, Role.ANNOTATOR, "annotator2")
    # A reviewer elsewhere, with the staff flag that opens the admin: still an outsider here.
    outsider = make_member(make_project("elsewhere"), Role.REVIEWER, "outsider")
    outsider.is_staff = True
    outsider.save()
    return {
        "anonymous": None,
        "outsider": outsider,
        "annotator": annotator,
        "reviewer": reviewer,
        "staff": make_user("staff", is_staff=True, is_superuser=True),
        "article": article,
        "sentence": quote_sentence,
        "mine": save_annotation(quote_sentence, annotator, LAVROV_NOTED),
        "theirs": save_annotation(quote_sentence, other, {**LAVROV_NOTED, "claim": "checkworthy"}),
    }


def request(world, role: str, method: str, path: str, body=None):
    client = APIClient() if role == "anonymous" else client_for(world[role])
    send = getattr(client, method)
    return send(path) if body is None else send(path, body, format="json")


def expect(anonymous, outsider, annotator, reviewer, staff):
    return dict(zip(ROLES, (anonymous, outsider, annotator, reviewer, staff), strict=True))


CASES = {
    "list projects": ("get", "/api/v1/projects/", None, expect(401, 200, 200, 200, 200)),
    "project": ("get", "/api/v1/projects/demo/", None, expect(401, 404, 200, 200, 200)),
    "list articles": (
        "get",
        "/api/v1/projects/demo/articles/",
        None,
        expect(401, 404, 200, 200, 200),
    ),
    "import articles": (
        "post",
        "/api/v1/projects/demo/articles/",
        [{"text": "A new article. It is short."}],
        expect(401, 404, 403, 201, 201),
    ),
    "article": ("get", "/api/v1/articles/{article}/", None, expect(401, 404, 200, 200, 200)),
    "list annotations": (
        "get",
        "/api/v1/projects/demo/annotations/",
        None,
        expect(401, 404, 200, 200, 200),
    ),
    "my annotation by id": (
        "get",
        "/api/v1/annotations/{mine}/",
        None,
        expect(401, 404, 200, 200, 200),
    ),
    "another annotator's annotation by id": (
        "get",
        "/api/v1/annotations/{theirs}/",
        None,
        expect(401, 404, 404, 200, 200),
    ),
    "own annotation of a sentence": (
        "get",
        "/api/v1/sentences/{sentence}/annotation/",
        None,
        expect(401, 404, 200, 204, 204),
    ),
    "save own annotation": (
        "put",
        "/api/v1/sentences/{sentence}/annotation/",
        {"status": "draft", "claim": "not_claim"},
        expect(401, 404, 409, 201, 201),
    ),
    "list speakers": (
        "get",
        "/api/v1/projects/demo/speakers/",
        None,
        expect(401, 404, 200, 200, 200),
    ),
    "add a speaker": (
        "post",
        "/api/v1/projects/demo/speakers/",
        {"name": "New Speaker", "kind": "person"},
        expect(401, 404, 201, 201, 201),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_role_against_endpoint(world, case, role):
    method, template, body, expected = CASES[case]
    path = template.format(
        article=world["article"].id,
        mine=world["mine"].id,
        theirs=world["theirs"].id,
        sentence=world["sentence"].id,
    )
    articles, speakers = Article.objects.count(), Speaker.objects.count()
    response = request(world, role, method, path, body)
    assert response.status_code == expected[role], response.content
    assert response.status_code == 204 or response["Content-Type"] == "application/json"
    if response.status_code >= 400:
        assert response.json()["detail"]
        assert (Article.objects.count(), Speaker.objects.count()) == (articles, speakers)


def test_outsiders_cannot_tell_a_hidden_project_from_a_missing_one(world):
    hidden = request(world, "outsider", "get", "/api/v1/projects/demo/")
    missing = request(world, "outsider", "get", "/api/v1/projects/no-such-project/")
    assert hidden.json() == missing.json()


def test_a_reviewer_of_project_a_cannot_read_project_bs_annotations(world):
    """The outsider reviews project 'elsewhere'; that role gives nothing in 'demo'."""
    for path in (
        "/api/v1/projects/demo/annotations/",
        f"/api/v1/annotations/{world['theirs'].id}/",
        f"/api/v1/articles/{world['article'].id}/",
    ):
        assert request(world, "outsider", "get", path).status_code == 404
