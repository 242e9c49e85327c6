"""A job whose worker died is taken back within the lease time: run again or failed, and
nothing (the agreement figures) waits on it for ever."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from claims.jobs.kinds.quality import REVIEW_FIGURES
from claims.jobs.leases import jobs_recover
from claims.jobs.models import Job, JobStatus
from claims.jobs.registry import JobFailed, job_kind
from claims.jobs.services import job_start
from claims.models import AgreementSnapshot
from tests.jobs import stalling

# Short for a test, yet a loaded machine's worker must not miss its renewals (every third).
LEASE_SECONDS = 12


def database_url() -> str:
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


def start_worker() -> subprocess.Popen:
    """Start a worker in a process of its own, with the stalling kinds and a short lease."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.stalling", "--no-reload", "--no-startup-delay",
         "--interval", "0.2", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(),
             "DJANGO_SETTINGS_MODULE": "annotator.settings",
             "CLAIMS_JOB_LEASE_SECONDS": str(LEASE_SECONDS)},
    )  # fmt: skip


def wait_for(job: Job, condition, seconds: float) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job.pk} still {job.status}, {job.done} of {job.total}")


@pytest.fixture
def short_lease(settings):
    settings.CLAIMS_JOB_LEASE_SECONDS = LEASE_SECONDS


@pytest.mark.django_db(transaction=True)
def test_jobs_whose_workers_are_killed_are_run_again_or_failed_within_the_lease(
    unanimous, queued_jobs, short_lease
):
    """Two workers each stall on a job (one that may run again, one that may not) and are
    killed with SIGKILL; a third worker takes both jobs back within the lease time."""
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database cannot be opened by another process")
    project, reviewer, _ = unanimous
    rerun = job_start(kind=stalling.STALL_RERUN, user=reviewer, project=project)
    once = job_start(kind=stalling.STALL_ONCE, user=reviewer, project=project)
    running = lambda j: j.status == JobStatus.RUNNING and j.done == 1  # noqa: E731
    workers = [start_worker()]
    try:
        wait_for(rerun, running, 120)  # the first worker takes the oldest job
        workers.append(start_worker())
        wait_for(once, running, 120)
        # Alive, the workers keep their jobs past the lease time, however often we sweep.
        deadline = time.monotonic() + 1.5 * LEASE_SECONDS
        while time.monotonic() < deadline:
            assert jobs_recover() == 0
            time.sleep(0.5)
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait(30)
        killed_at = time.monotonic()
        workers.append(start_worker())
        wait_for(once, lambda j: j.finished, 120)
        wait_for(rerun, lambda j: j.finished, 120)
        # Within the lease time and the new worker's start-up (a live worker has none).
        assert time.monotonic() - killed_at < LEASE_SECONDS + 60
        assert (rerun.status, rerun.result, rerun.attempts) == ("succeeded", {"attempt": 2}, 2)
        assert (rerun.done, rerun.total) == (4, 4)
        assert (once.status, once.attempts, once.result) == ("failed", 1, None)
        assert once.error == (
            "The worker running this job stopped at 1 of 4 (killed or lost) before it "
            "finished. Start the job again."
        )
        for job in (rerun, once):
            assert job.lease_holder == "" and job.lease_expires_at is None
    finally:
        for worker in workers:
            worker.kill()
            worker.wait(30)


def dead_job(project, user, kind: str, **fields) -> Job:
    """Return a job left running by a worker that died a minute ago."""
    return Job.objects.create(
        kind=kind, project=project, started_by=user, status=JobStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=2),
        lease_holder="dead-worker", lease_expires_at=timezone.now() - dt.timedelta(minutes=1),
        **{"attempts": 1, **fields},
    )  # fmt: skip


def test_the_agreement_figures_are_computed_again_after_their_worker_died(unanimous):
    project, reviewer, _ = unanimous
    dead = dead_job(project, reviewer, REVIEW_FIGURES, done=3, total=10)
    client = APIClient()
    client.force_authenticate(reviewer)

    response = client.get(f"/api/v1/projects/{project.slug}/agreement/")

    # Taken back and run again (at once, under the tests' immediate job backend).
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (JobStatus.SUCCEEDED, 2)
    assert response.status_code == 200 and response.json()["up_to_date"] is True
    assert AgreementSnapshot.objects.filter(project=project).exists()
    page = client.get(f"/api/v1/projects/{project.slug}/agreement/")
    assert page.json()["up_to_date"] is True


def test_a_job_that_killed_its_worker_three_times_is_failed_not_run_again(unanimous):
    project, reviewer, _ = unanimous
    dead = dead_job(project, reviewer, REVIEW_FIGURES, done=3, total=10, attempts=3)
    client = APIClient()
    client.force_authenticate(reviewer)
    body = client.get(f"/api/v1/jobs/{dead.pk}/").json()
    assert body["status"] == "failed"
    assert body["error"].startswith("The worker running this job stopped at 3 of 10 (killed or")
    assert "3 times" in body["error"]


def test_a_job_not_safe_to_run_twice_is_failed_with_the_reason(unanimous, client):
    project, reviewer, _ = unanimous
    dead = dead_job(project, reviewer, "train_suggester", done=100, total=100)
    client.force_login(reviewer)
    page = client.get(dead.get_absolute_url()).content.decode()
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.finished_at is not None
    assert "stopped at 100 of 100 (killed or lost) before it finished. Start the job again." in (
        page
    )


def test_a_live_lease_is_left_alone(unanimous):
    project, reviewer, _ = unanimous
    alive = dead_job(project, reviewer, REVIEW_FIGURES)
    Job.objects.filter(pk=alive.pk).update(
        lease_expires_at=timezone.now() + dt.timedelta(minutes=1)
    )
    assert jobs_recover() == 0
    assert Job.objects.get(pk=alive.pk).status == JobStatus.RUNNING


TAKEN_BACK_MEANWHILE = "test_taken_back_meanwhile"


@job_kind(TAKEN_BACK_MEANWHILE)
def taken_back_meanwhile(job, progress) -> dict:
    """Stall past the lease: another worker's sweep takes the job back, then report progress."""
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - dt.timedelta(1))
    assert jobs_recover() == 1
    progress(2, 4)
    raise JobFailed("never reached: the progress report stops a worker that lost its job")


def test_a_worker_that_lost_its_lease_stops_and_writes_nothing(unanimous):
    project, reviewer, _ = unanimous
    job = job_start(kind=TAKEN_BACK_MEANWHILE, user=reviewer, project=project)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The worker running this job stopped (killed or lost)")
    assert job.done == 0
