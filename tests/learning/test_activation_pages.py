"""The activate / deactivate pages of a model that is already so: they say nothing would change
and offer no button, and a POST anyway changes nothing (no queue rescoring job)."""

from django.urls import reverse

from claims.jobs.models import Job
from claims.learning.models import SuggestionModel
from claims.learning.uncertainty import SCORE_UNCERTAINTY
from claims.models import Role
from tests.factories import make_member, make_project


def test_activating_the_active_model_offers_no_button_and_starts_no_job(db, client):
    project = make_project("models")
    model = SuggestionModel.objects.create(project=project, version=1, data=b"-", meta={})
    SuggestionModel.objects.filter(pk=model.pk).update(active=True)
    client.force_login(make_member(project, Role.REVIEWER))
    url = reverse("admin:learning_suggestionmodel_activate", args=[model.pk])

    page = client.get(url).content.decode()
    assert "is already the one" in page
    assert "Activate model v1</button>" not in page

    answer = client.post(url, follow=True).content.decode()
    assert "Model v1 was already active: nothing changed." in answer
    assert "is now active" not in answer
    assert not Job.objects.filter(kind=SCORE_UNCERTAINTY).exists()  # no queue rescoring
    assert SuggestionModel.objects.get(pk=model.pk).active


def test_deactivating_an_inactive_model_offers_no_button(db, client):
    project = make_project("models")
    model = SuggestionModel.objects.create(project=project, version=1, data=b"-", meta={})
    client.force_login(make_member(project, Role.REVIEWER))
    url = reverse("admin:learning_suggestionmodel_deactivate", args=[model.pk])
    page = client.get(url).content.decode()
    assert "Deactivate model v1</button>" not in page
