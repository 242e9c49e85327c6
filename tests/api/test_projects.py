import pytest

from claims.models import Role
from claims.services.projects import membership_set
from tests.api.test_annotations import client_for
from tests.factories import TARGET, make_article, make_project, make_user
from tests.factories import save_annotation as annotate

DONE = {"status": "submitted", "claim": "not_claim"}


def test_members_list_only_their_projects_with_their_role(project, annotator):
    other = make_project("other")
    make_project("hidden")
    membership_set(project=other, user=annotator, role=Role.REVIEWER)
    body = client_for(annotator).get("/api/v1/projects/").json()
    assert body["count"] == 2
    assert [(p["slug"], p["role"]) for p in body["results"]] == [
        ("demo", "annotator"),
        ("other", "reviewer"),
    ]


def test_staff_list_every_project_as_reviewers(project):
    make_project("hidden")
    body = client_for(make_user(is_staff=True, is_superuser=True)).get("/api/v1/projects/").json()
    assert {(p["slug"], p["role"]) for p in body["results"]} == {
        ("demo", "reviewer"),
        ("hidden", "reviewer"),
    }


def test_outsiders_list_nothing(project):
    assert client_for(make_user()).get("/api/v1/projects/").json()["results"] == []


def test_detail_has_schema_targets_guidelines_and_progress(project, annotator, reviewer, article):
    project.guidelines = "# Label *carefully*"
    project.save()
    annotate(article.sentences.get(index=1), annotator, DONE)
    body = client_for(annotator).get("/api/v1/projects/demo/").json()
    assert (body["slug"], body["role"], body["guidelines"]) == (
        "demo",
        "annotator",
        "# Label *carefully*",
    )
    assert [o["value"] for o in body["schema"]["claim"]] == ["not_claim", "claim", "checkworthy"]
    assert "position_intention" in [o["value"] for o in body["schema"]["claim_type"]]
    assert [o["value"] for o in body["schema"]["stance"]] == [
        "favor",
        "against",
        "neutral",
        "unrelated",
    ]
    assert [t["name"] for t in body["targets"]] == [TARGET]
    total = article.sentences.filter(kind__in=["body", "heading"]).count()
    assert body["progress"]["mine"] == {
        "done": 1,
        "total": total,
        "percent": round(100 / total, 1),
    }
    assert body["progress"]["project"]["done"] == 1
    assert body["progress"]["members"] is None
    assert body["articles"] == 1


def test_reviewers_see_each_members_progress(project, annotator, reviewer, article):
    annotate(article.sentences.get(index=1), annotator, DONE)
    annotate(article.sentences.get(index=0), annotator, {**DONE, "status": "draft"})
    members = client_for(reviewer).get("/api/v1/projects/demo/").json()["progress"]["members"]
    assert members == [
        {"username": "annotator1", "role": "annotator", "done": 1},
        {"username": "reviewer1", "role": "reviewer", "done": 0},
    ]


def test_project_b_is_404_for_a_member_of_project_a(annotator):
    make_project("b-side")
    assert client_for(annotator).get("/api/v1/projects/b-side/").status_code == 404
    assert client_for(annotator).get("/api/v1/projects/no-such/").status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_list_queries_do_not_grow_with_the_page(db, count, django_assert_num_queries):
    user = make_user()
    for _ in range(count):
        membership_set(project=make_project(), user=user, role=Role.ANNOTATOR)
    client = client_for(user)
    with django_assert_num_queries(2):  # count, page (roles by subquery)
        assert len(client.get("/api/v1/projects/").json()["results"]) == count


@pytest.mark.parametrize("articles", [1, 4])
def test_detail_queries_are_constant(
    project, reviewer, annotator, articles, django_assert_num_queries
):
    for number in range(articles):
        article = make_article(project, f"Article {number} says something. It ends here.")
        for sentence in article.sentences.all():
            annotate(sentence, annotator, DONE)
    client = client_for(reviewer)
    # project with role, schema, options, targets, articles, total, complete (and its
    # total again), mine, done by annotator, members
    with django_assert_num_queries(11):
        assert client.get("/api/v1/projects/demo/").status_code == 200
