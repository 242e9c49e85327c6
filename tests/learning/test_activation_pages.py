"""The activate / deactivate pages of a model that is already so: activating the active model
says it only scores the queue again (the admin's remedy for a queue never or badly scored);
deactivating an inactive one offers no button."""

from django.urls import reverse

from claims.jobs.models import Job
from claims.learning.models import SuggestionModel
from claims.learning.uncertainty import SCORE_UNCERTAINTY
from claims.models import Role
from tests.factories import make_member, make_project


def test_activating_the_active_model_says_it_only_scores_the_queue_again(db, client):
    project = make_project("models")
    model = SuggestionModel.objects.create(project=project, version=1, data=b"-", meta={})
    SuggestionModel.objects.filter(pk=model.pk).update(active=True)
    client.force_login(make_member(project, Role.REVIEWER))
    url = reverse("admin:learning_suggestionmodel_activate", args=[model.pk])

    page = client.get(url).content.decode()
    assert "already come from model v1" in page
    assert "only scores the queue&#x27;s uncertainty again" in page
    assert "Score the queue again with model v1</button>" in page
    assert "Activate model v1</button>" not in page

    client.post(url, follow=True)
    # The admin's way to order the queue by an active model that never scored it.
    assert Job.objects.filter(kind=SCORE_UNCERTAINTY).count() == 1
    assert SuggestionModel.objects.get(pk=model.pk).active


def test_deactivating_an_inactive_model_offers_no_button(db, client):
    project = make_project("models")
    model = SuggestionModel.objects.create(project=project, version=1, data=b"-", meta={})
    client.force_login(make_member(project, Role.REVIEWER))
    url = reverse("admin:learning_suggestionmodel_deactivate", args=[model.pk])
    page = client.get(url).content.decode()
    assert "Deactivate model v1</button>" not in page
