"""A project's reviewers run it from the admin: its settings and stance targets, not only
superusers; a reviewer of another project changes nothing."""

import pytest
from django.urls import reverse

from claims.models import Project, QueueOrder, Role, StanceTarget
from tests.admin.helpers import form_data
from tests.factories import TARGET, make_article, make_member, make_project, save_annotation


def staff_reviewer(project, username):
    user = make_member(project, Role.REVIEWER, username)
    user.is_staff = True
    user.save()
    return user


def change_url(project) -> str:
    return reverse("admin:claims_project_change", args=[project.pk])


def target_row(data: dict, name: str) -> str:
    """Return the form prefix of the target row showing ``name``."""
    return next(k[: -len("-name")] for k, v in data.items() if k.endswith("-name") and v == name)


@pytest.fixture
def rita(project):
    return staff_reviewer(project, "rita")


def test_a_reviewer_edits_the_settings_and_targets_of_a_project_they_review(client, project, rita):
    client.force_login(rita)
    page = client.get(change_url(project))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert {"annotations_per_sentence", "queue_order", "gold_in_queue", "guidelines"} <= set(
        form.fields
    )
    assert "suggestion_threshold" in form.fields
    # Name, slug and schema stay the superusers'.
    assert not {"name", "slug", "schema"} & set(form.fields)
    data = form_data(page)
    data |= {
        "annotations_per_sentence": 3,
        "queue_order": QueueOrder.UNCERTAIN,
        "gold_in_queue": "on",
        "suggestion_threshold": "0.4",
        "guidelines": "Mark every **quotation**.",
        f"{target_row(data, TARGET)}-name": "Mediation in Venezuela",
    }
    prefix = target_row(data, "Mediation in Venezuela").rsplit("-", 1)[0]
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {f"{prefix}-TOTAL_FORMS": total + 1, f"{prefix}-{total}-name": "Sanctions"}
    data[f"{prefix}-{total}-position"] = 1
    response = client.post(change_url(project), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    project.refresh_from_db()
    assert project.annotations_per_sentence == 3
    assert project.queue_order == QueueOrder.UNCERTAIN
    assert project.gold_in_queue and project.suggestion_threshold == 0.4
    assert project.guidelines == "Mark every **quotation**."
    assert list(project.targets.values_list("name", flat=True)) == [
        "Mediation in Venezuela",
        "Sanctions",
    ]
    # With no active model, the reviewer is told why uncertain first cannot order the queue.
    followed = client.get(response.url)
    assert "no active suggestion model" in followed.content.decode()


def test_zero_annotations_per_sentence_is_named_by_the_field(client, project, rita):
    """Not the database's constraint name at the top of the page."""
    client.force_login(rita)
    data = form_data(client.get(change_url(project))) | {"annotations_per_sentence": 0}
    response = client.post(change_url(project), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {
        "annotations_per_sentence": ["Ensure this value is greater than or equal to 1."]
    }
    assert "Constraint" not in response.content.decode()
    project.refresh_from_db()
    assert project.annotations_per_sentence == 1


def test_a_reviewer_cannot_change_a_project_they_do_not_review(client, project, rita):
    other = make_project("other")
    client.force_login(rita)
    response = client.get(change_url(other))
    assert response.status_code in (302, 404)
    assert "other" not in client.get(reverse("admin:claims_project_changelist")).content.decode()
    client.post(change_url(other), {"annotations_per_sentence": 5, "guidelines": "Mine now"})
    other.refresh_from_db()
    assert (other.annotations_per_sentence, other.guidelines) == (1, "")
    # An annotator of the project (staff or not) cannot change it either.
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    annotator.is_staff = True
    annotator.save()
    client.force_login(annotator)
    client.post(change_url(project), {"annotations_per_sentence": 5})
    project.refresh_from_db()
    assert project.annotations_per_sentence == 1


def test_a_target_in_use_cannot_be_removed_an_unused_one_can(client, project, rita, article):
    unused = StanceTarget.objects.create(project=project, name="Sanctions", position=1)
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    save_annotation(
        article.sentences.get(index=1),
        annotator,
        {"status": "submitted", "claim": "claim", "stance": [{"target": TARGET, "label": "favor"}]},
    )
    client.force_login(rita)
    data = form_data(client.get(change_url(project)))
    response = client.post(change_url(project), data | {f"{target_row(data, TARGET)}-DELETE": "on"})
    assert response.status_code == 200
    assert "cannot be removed: 1 stance label(s) name it. Rename it instead." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert project.targets.filter(name=TARGET).exists()
    data = form_data(client.get(change_url(project)))
    response = client.post(
        change_url(project), data | {f"{target_row(data, 'Sanctions')}-DELETE": "on"}
    )
    assert response.status_code == 302
    assert not StanceTarget.objects.filter(pk=unused.pk).exists()
    assert Project.objects.get(pk=project.pk).targets.filter(name=TARGET).exists()


def test_handing_out_gold_again_reopens_the_queue_at_once(client, project, rita):
    gold_article = make_article(project, "Prices rose. Talks resumed.", "gold")
    todo = make_article(project, "Nobody came.", "todo")
    for sentence in gold_article.sentences.all():
        save_annotation(sentence, rita, {"status": "submitted", "claim": "claim"})
        sentence.annotations.update(kind="gold")
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    client.force_login(annotator)
    first = client.get(f"/api/v1/projects/{project.slug}/next/").json()
    assert first["sentence"]["id"] == todo.sentences.get().pk
    assert first["progress"]["total"] == 1
    save_annotation(todo.sentences.get(), annotator, {"status": "submitted", "claim": "claim"})
    assert client.get(f"/api/v1/projects/{project.slug}/next/").status_code == 204

    client.force_login(rita)
    data = form_data(client.get(change_url(project)))
    assert client.post(change_url(project), data | {"gold_in_queue": "on"}).status_code == 302
    client.force_login(annotator)
    again = client.get(f"/api/v1/projects/{project.slug}/next/").json()
    assert again["sentence"]["id"] == gold_article.sentences.order_by("index")[0].pk
    assert again["progress"]["total"] == 3
