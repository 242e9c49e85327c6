"""The job's page in the admin: how long a finished job took, in words a person reads."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.jobs.models import Job, JobStatus
from tests.factories import make_project, make_user


def finished_job(seconds: float) -> Job:
    started = timezone.now() - timedelta(minutes=5)
    return Job.objects.create(
        kind="train_model",
        project=make_project(),
        status=JobStatus.SUCCEEDED,
        result={},
        started_at=started,
        finished_at=started + timedelta(seconds=seconds),
    )


@pytest.mark.parametrize(
    ("seconds", "took"),
    [(12, "(12 s)"), (0.4, "(0 s)"), (128, "(2 min 8 s)"), (3 * 3600 + 120, "(3 h 2 min)")],
)
def test_a_finished_job_says_how_long_it_took_also_under_a_minute(db, client, seconds, took):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    job = finished_job(seconds)
    state = client.get(reverse("admin:jobs_job_state", args=[job.pk])).content.decode()
    assert took in state
    assert "0 minutes" not in state


def test_a_job_queued_for_minutes_asks_whether_a_worker_runs(db, client):
    """A job no worker took said "Waiting for a worker" for ever, nothing more."""
    client.force_login(make_user(is_superuser=True, is_staff=True))
    job = Job.objects.create(kind="train_model", project=make_project())
    url = reverse("admin:jobs_job_state", args=[job.pk])
    assert "is a job worker running?" not in client.get(url).content.decode()
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    state = client.get(url).content.decode()
    assert "Queued 3 min " in state
    assert "ago: is a job worker running? Start one with make worker" in state


def test_a_gold_job_run_again_says_its_count_is_the_last_attempts(db, client):
    """Re-run after its worker died, the job said "Made gold for 2740" where 3,240 were made."""
    from claims.jobs.kinds.gold import GOLD_FROM_UNANIMOUS

    client.force_login(make_user(is_superuser=True, is_staff=True))
    started = timezone.now() - timedelta(minutes=5)
    job = Job.objects.create(
        kind=GOLD_FROM_UNANIMOUS, project=make_project(), status=JobStatus.SUCCEEDED,
        result={"created": 2740, "stale": 0}, attempts=2, started_at=started,
        finished_at=started + timedelta(seconds=30),
    )  # fmt: skip
    state = client.get(reverse("admin:jobs_job_state", args=[job.pk])).content.decode()
    assert (
        "Made gold for 2740 unanimous sentence(s). This was attempt 2: the gold made by the "
        "attempts before it is not counted."
    ) in state


def test_a_training_job_whose_model_was_deleted_does_not_link_it(db, client):
    """The finished job's page linked "model v1" to the page of a model deleted since."""
    from claims.jobs.kinds.learning import TRAIN_SUGGESTER

    client.force_login(make_user(is_superuser=True, is_staff=True))
    job = finished_job(30)
    Job.objects.filter(pk=job.pk).update(
        kind=TRAIN_SUGGESTER, result={"model": 987654, "version": 1, "figures": {}}
    )
    state = client.get(reverse("admin:jobs_job_state", args=[job.pk])).content.decode()
    assert "Trained model v1 (deleted since) of" in state
    assert "/987654/" not in state
