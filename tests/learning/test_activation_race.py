"""Reviewers activating models of one project at the same moment: one wins, the others are
told (no error page), and the project ends with exactly one active model."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from claims.learning.models import SuggestionModel
from claims.models import Role
from tests.factories import make_member, make_project

REQUESTS = 16
BUSY = "Another reviewer is activating or deactivating a model of models at this moment"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
def test_sixteen_activations_at_once_answer_without_an_error_and_leave_one_active():
    project = make_project("models")
    models = [
        SuggestionModel.objects.create(project=project, version=n, data=b"-", meta={})
        for n in range(1, 5)
    ]
    reviewers = [make_member(project, Role.REVIEWER) for _ in range(REQUESTS)]
    barrier = threading.Barrier(REQUESTS)
    answers, failures = [], []

    def activate(n: int) -> None:
        try:
            client = Client()
            client.force_login(reviewers[n])
            barrier.wait(timeout=30)
            # The model page's "Activate…" confirmed (the list's action only opens that page).
            url = reverse("admin:learning_suggestionmodel_activate", args=[models[n % 4].pk])
            response = client.post(url, follow=True)
            # The page, not response.context: the test client's context capture is shared
            # between threads.
            page = response.content.decode()
            told = [t for t in (BUSY, "is now active") if t in page]
            answers.append((response.status_code, told))
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=activate, args=(n,)) for n in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert [status for status, _ in answers] == [200] * REQUESTS
    told = [texts for _, texts in answers]
    assert all(len(texts) == 1 for texts in told), told
    assert 0 < told.count(["is now active"]) <= REQUESTS  # one won, maybe more after it
    assert told.count(["is now active"]) + told.count([BUSY]) == REQUESTS
    assert SuggestionModel.objects.filter(project=project, active=True).count() == 1
