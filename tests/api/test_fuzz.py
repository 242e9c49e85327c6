"""Schema-driven fuzzing: schemathesis sends generated requests to every operation in-process.

Every answer must be a non-5xx response that the OpenAPI schema documents (status code, media
type, body shape and headers). The requests carry the token of a reviewer of a project with
articles, annotations and speakers. Most cases name that data in their path (so generated bodies
and filters reach the real code), some get generated path values; half are valid by the
schema, half are not.

(Hypothesis drives each operation's strategy directly: schemathesis's pytest fixture loader
does not run under pytest 9.)
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.wsgi import application
from claims.jobs.kinds.gold import GOLD_FROM_UNANIMOUS
from claims.jobs.services import job_start
from claims.models import Role, Speaker
from tests.api.test_annotations import SECOND_SENTENCE
from tests.factories import TARGET, make_article, make_member, make_project, save_annotation
from tests.services.test_annotations import LAVROV_NOTED

EXAMPLES_PER_OPERATION = 30
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
pytestmark = pytest.mark.fuzz


@pytest.fixture
def keep_the_test_connection():
    """Serve raw WSGI calls without closing the database connection after each request.

    Django's handler closes old connections on every request_started/request_finished; that
    would end the test's transaction (Django's test client disconnects the same handler).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def known_path_parameters(project, article, quote_sentence, annotator, reviewer):
    """Data in project demo (reviewer1 reviews it) and in a project reviewer1 is not in."""
    save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    mine = save_annotation(article.sentences.get(index=0), reviewer, SECOND_SENTENCE)
    Speaker.objects.create(project=project, name="Nicolas Maduro", kind="person", aliases=["he"])
    elsewhere = make_article(make_project("elsewhere"), "Somewhere else. Someone said so.")
    outsider = make_member(elsewhere.project, Role.ANNOTATOR)
    job = job_start(kind=GOLD_FROM_UNANIMOUS, user=reviewer, project=project)
    not_mine = job_start(kind=GOLD_FROM_UNANIMOUS, user=outsider, project=elsewhere.project)
    return {
        "slug": st.sampled_from(["demo", "demo", "demo", "elsewhere"]),
        "article_id": st.sampled_from([article.id, elsewhere.id]),
        "sentence_id": st.sampled_from([quote_sentence.id, elsewhere.sentences.first().id]),
        "annotation_id": st.sampled_from([mine.id, mine.id + 1]),
        "job_id": st.sampled_from([job.id, not_mine.id]),
    }


def case_strategy(operation, known: dict):
    """Return cases for the operation, valid or not; mostly with known path values."""
    names = [p.name for p in operation.path_parameters]
    generated = [operation.as_strategy(mode) for mode in MODES]
    if not names:
        return st.one_of(generated)
    fixed = st.fixed_dictionaries({name: known[name] for name in names})
    with_known = [
        fixed.flatmap(lambda path, m=mode: operation.as_strategy(m, path_parameters=path))
        for mode in MODES
    ]
    return st.integers(0, 3).flatmap(lambda i: st.one_of(generated if i == 0 else with_known))


def test_no_5xx_and_every_answer_matches_the_schema(
    known_path_parameters, reviewer, keep_the_test_connection
):
    token = Token.objects.create(user=reviewer).key
    config = schemathesis.Config.from_dict(
        {
            "headers": {"Authorization": f"Token {token}"},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        }
    )
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)
    failures, requests = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            database=None,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=case_strategy(operation, known_path_parameters))
        def send(case):
            nonlocal requests
            requests += 1
            # DELETE /auth/token/ is fuzzed too: bring the same token back for the next case.
            Token.objects.get_or_create(user=reviewer, defaults={"key": token})
            case.call_and_validate()

        try:
            send()
        except Exception as failure:  # noqa: BLE001 - collected and reported below
            failures[operation.label] = failure
    assert requests >= 300
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())


WRONG_TYPES = ([], ["x"], {}, {"x": 1}, 0, -1, 2**70, 1.5, True, None, "", "x" * 300, "\u0000")


def with_wrong_type(body, path=()):
    """Yield (path, body) with the value at each path, at every depth, of a wrong JSON type."""
    if isinstance(body, dict):
        items = body.items()
    elif isinstance(body, list):
        items = enumerate(body)
    else:
        return
    for key, value in items:
        for wrong in WRONG_TYPES:
            if type(wrong) is not type(value):
                copy = json.loads(json.dumps(body))
                copy[key] = wrong
                yield (*path, key), copy
        for inner_path, inner in with_wrong_type(value):
            copy = json.loads(json.dumps(body))
            copy[key] = inner
            yield (*path, key, *inner_path), copy


def test_every_body_field_of_a_wrong_json_type_is_a_4xx(
    project, quote_sentence, annotator, reviewer
):
    """Each request body the API takes, with each field in turn of every wrong JSON type."""
    bodies = {
        ("put", f"/api/v1/sentences/{quote_sentence.id}/annotation/", annotator): {
            **LAVROV_NOTED,
            "stance": [{"target": TARGET, "label": "favor"}],
            "version": None,
        },
        ("post", f"/api/v1/projects/{project.slug}/articles/", reviewer): [
            {
                "id": "a1",
                "title": "T",
                "source": "S",
                "url": "https://example.org/a",
                "published": "2026-01-30",
                "meta": {"k": "v"},
                "text": "Lavrov said so.",
            }
        ],  # fmt: skip
        ("post", f"/api/v1/projects/{project.slug}/speakers/", annotator): {
            "name": "Nicolás Maduro",
            "kind": "person",
            "aliases": ["Maduro"],
        },  # fmt: skip
        ("post", "/api/v1/auth/token/", None): {"username": "annotator1", "password": "x"},
    }
    sent = 0
    for (method, url, user), body in bodies.items():
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        for path, wrong in with_wrong_type(body):
            response = getattr(client, method)(url, wrong, format="json")
            sent += 1
            assert response.status_code < 500, (method, url, path, wrong, response.content)
    assert sent > 300


@pytest.mark.parametrize("wrong", [["claim"], {"value": "claim"}])
def test_a_claim_or_stance_label_that_is_a_list_or_object_is_a_400_naming_it(
    quote_sentence, annotator, wrong
):
    client = APIClient()
    client.force_authenticate(annotator)
    url = f"/api/v1/sentences/{quote_sentence.id}/annotation/"
    claim = client.put(url, {**LAVROV_NOTED, "claim": wrong}, format="json")
    assert claim.status_code == 400
    assert "claim" in claim.json()
    stance = [{"target": TARGET, "label": wrong}]
    label = client.put(url, {**LAVROV_NOTED, "stance": stance}, format="json")
    assert label.status_code == 400
    assert list(label.json()["stance"][0]) == ["label"]
