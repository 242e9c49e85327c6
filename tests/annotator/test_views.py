"""The browser pages' server side: progress on the home page, the labeling page's config, and
query counts that do not grow with the number of projects or annotators."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.labeling.progress import Progress, annotator_progress, project_progress
from claims.models import Role
from claims.services.projects import membership_set
from tests.conftest import LAVROV
from tests.factories import make_article, make_member, make_project, save_annotation
from tests.services.test_annotations import LAVROV_NOTED


def label_config(response) -> dict:
    html = response.content.decode()
    start = html.index('id="label-config"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def projects_with_work(user, count: int) -> list:
    """Make `count` projects the user annotates, each with an article and one done sentence."""
    projects = []
    for number in range(count):
        project = make_project(per_sentence=2)
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        article = make_article(project, LAVROV, f"lavrov-{number}")
        quote = article.sentences.get(index=1)
        save_annotation(quote, user, LAVROV_NOTED)
        projects.append(project)
    return projects


@pytest.mark.parametrize("count", [1, 4])
def test_home_page_costs_the_same_queries_for_any_number_of_projects(client, db, count):
    user = make_member(make_project(), Role.ANNOTATOR, "homer")
    projects_with_work(user, count)
    client.force_login(user)
    # Session and user 2, projects 1, queue sizes 1, own progress 1, completed sentences 1.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(queries) == 6


def test_home_page_progress_matches_each_projects_own_figures(client, db):
    user = make_member(make_project(), Role.ANNOTATOR, "homer")
    projects = projects_with_work(user, 2)
    other = make_member(projects[0], Role.ANNOTATOR, "other")
    save_annotation(projects[0].sentences.get(index=1), other, LAVROV_NOTED)
    client.force_login(user)
    rows = client.get(reverse("home")).context["projects"]
    shown = {row["project"].pk: (row["mine"], row["overall"]) for row in rows}
    for project in projects:
        assert shown[project.pk] == (annotator_progress(project, user), project_progress(project))
    assert shown[projects[0].pk][1] == Progress(done=1, total=3)
    assert shown[projects[1].pk][1] == Progress(done=0, total=3)


def test_labeling_page_config_comes_from_the_schema_at_a_fixed_cost(
    client, project, annotator, django_assert_num_queries
):
    client.force_login(annotator)
    # Session and user 2, project with role 1, label values and targets 2.
    with django_assert_num_queries(5):
        response = client.get(reverse("label", args=[project.slug]))
    config = label_config(response)
    assert [(c["value"], c["takesTypes"]) for c in config["claims"]] == [
        ("not_claim", False),
        ("claim", True),
        ("checkworthy", True),
    ]
    assert config["urls"]["annotation"] == "/api/v1/sentences/{id}/annotation/"
    assert [q["value"] for q in config["quoteTypes"]] == ["direct", "indirect", "mixed"]


@pytest.mark.parametrize("annotators", [2, 5])
def test_adjudication_page_costs_the_same_queries_for_any_number_of_annotators(
    client, project, article, annotators
):
    reviewer = make_member(project, Role.REVIEWER, "rita")
    reviewer.is_staff = True
    reviewer.save()
    quote = article.sentences.get(index=1)
    for _ in range(annotators):
        save_annotation(quote, make_member(project, Role.ANNOTATOR), LAVROV_NOTED)
    client.force_login(reviewer)
    url = reverse("admin:claims_sentence_adjudicate", args=[quote.id])
    # Session and user 2, sentence 1, annotations with spans and stances 3, labels 2,
    # neighbours 1, the admin's permissions 2 and reviewed projects 1 (sidebar), history 1 (the
    # editor's speaker picker asks the candidates endpoint).
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) == 13
