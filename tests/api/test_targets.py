from claims.labels import project_labels
from claims.models import StanceTarget
from tests.api.test_annotations import client_for
from tests.factories import TARGET, make_project, make_user

TARGETS = "/api/v1/projects/demo/targets/"


def test_a_reviewer_adds_a_target_that_annotations_may_then_name(reviewer, project):
    response = client_for(reviewer).post(TARGETS, {"name": "  Brexit  "}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Brexit" and body["position"] == 1
    assert project_labels(project).target_id("Brexit") == body["id"]
    listed = client_for(reviewer).get(TARGETS).json()
    assert [t["name"] for t in listed] == [TARGET, "Brexit"]


def test_annotators_read_the_targets_but_may_not_add_one(annotator, project):
    assert [t["name"] for t in client_for(annotator).get(TARGETS).json()] == [TARGET]
    response = client_for(annotator).post(TARGETS, {"name": "Brexit"}, format="json")
    assert response.status_code == 403
    assert not StanceTarget.objects.filter(name="Brexit").exists()


def test_outsiders_find_no_project(project):
    outsider = make_user("outsider")
    assert client_for(outsider).get(TARGETS).status_code == 404
    response = client_for(outsider).post(TARGETS, {"name": "Brexit"}, format="json")
    assert response.status_code == 404
    assert not StanceTarget.objects.filter(name="Brexit").exists()


def test_a_duplicate_or_blank_name_is_refused_naming_the_field(reviewer, project):
    client = client_for(reviewer)
    duplicate = client.post(TARGETS, {"name": TARGET.upper()}, format="json")
    assert duplicate.status_code == 400
    assert "already target" in duplicate.json()["name"][0]
    for bad in ({"name": "   "}, {"name": "x" * 301}, {}, {"name": ["a"]}):
        response = client.post(TARGETS, bad, format="json")
        assert response.status_code == 400, bad
        assert list(response.json()) == ["name"], response.json()
    assert StanceTarget.objects.filter(project=project).count() == 1


def test_targets_are_per_project(reviewer, project):
    other = make_project("elsewhere")
    response = client_for(reviewer).post(TARGETS, {"name": "Brexit"}, format="json")
    assert response.status_code == 201
    assert not StanceTarget.objects.filter(project=other, name="Brexit").exists()


def test_the_schema_documents_the_targets_endpoint(reviewer):
    client = client_for(reviewer)
    schema = client.get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/projects/{slug}/targets/"]
    assert {"get", "post"} <= set(operations)
    assert {"201", "400", "403"} <= set(operations["post"]["responses"])
