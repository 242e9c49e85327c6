"""A job started from the admin is queued, run by the worker, and followed by its starter."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from claims.jobs.kinds.gold import GOLD_FROM_UNANIMOUS
from claims.jobs.models import Job, JobStatus
from claims.models import Annotation, AnnotationKind, Membership, Role
from tests.factories import make_member, make_project


def start_from_the_queue_page(client, project, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:claims_project_disagreements", args=[project.pk])
    return client.post(url, {"action": "unanimous"}, follow=True)


def api_job(user, job: Job):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(f"/api/v1/jobs/{job.pk}/")


def test_a_job_started_in_the_admin_runs_in_the_worker_and_its_result_is_shown(
    client, unanimous, run_worker
):
    project, reviewer, sentences = unanimous
    response = start_from_the_queue_page(client, project, reviewer)
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    message = [str(m) for m in response.context["messages"]]
    assert message == [
        f'{project}: started <a href="{job.get_absolute_url()}">job {job.pk}</a>, '
        "make gold from unanimous sentences; its page shows its progress."
    ]
    assert api_job(reviewer, job).json()["status"] == "queued"
    assert not Annotation.objects.filter(kind=AnnotationKind.GOLD).exists()

    run_worker()

    body = api_job(reviewer, job).json()
    assert body["status"] == "succeeded", body
    assert body["result"] == {"created": 2, "stale": 0}
    assert (body["done"], body["total"]) == (2, 2)
    assert body["started_by"] == "rita" and body["project"] == "jobs"
    assert body["title"] == "Make gold from unanimous sentences" and body["error"] == ""
    gold = Annotation.objects.filter(kind=AnnotationKind.GOLD)
    assert sorted(g.sentence.index for g in gold) == [0, 1]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Succeeded" in page and "2 of 2" in page and "&quot;created&quot;: 2" in page
    listing = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert job.get_absolute_url() in listing


def test_a_failed_job_says_why_to_its_starter(client, unanimous, run_worker):
    project, reviewer, _ = unanimous
    start_from_the_queue_page(client, project, reviewer)
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    # Before the worker gets to it, the reviewer is made an annotator.
    Membership.objects.filter(user=reviewer).update(role=Role.ANNOTATOR)

    run_worker()

    body = api_job(reviewer, job).json()
    assert body["status"] == "failed"
    assert body["error"] == "Only a reviewer of this project can adjudicate its sentences."
    assert body["result"] is None and body["finished_at"]
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Only a reviewer of this project can adjudicate its sentences." in page


def test_only_the_starter_and_the_projects_reviewers_see_a_job(client, unanimous, queued_jobs):
    project, reviewer, _ = unanimous
    start_from_the_queue_page(client, project, reviewer)
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    other_reviewer = make_member(project, Role.REVIEWER)
    annotator = Membership.objects.filter(project=project, role=Role.ANNOTATOR).first().user
    elsewhere = make_member(make_project("elsewhere"), Role.REVIEWER)
    assert api_job(other_reviewer, job).status_code == 200
    for outsider in (annotator, elsewhere):
        response = api_job(outsider, job)
        assert response.status_code == 404
        assert response.json() == {"detail": "No such job."}
    assert APIClient().get(f"/api/v1/jobs/{job.pk}/").status_code == 401

    elsewhere.is_staff = True
    elsewhere.save()
    client.force_login(elsewhere)
    listing = client.get(reverse("admin:jobs_job_changelist"))
    assert job.get_absolute_url() not in listing.content.decode()
    response = client.get(job.get_absolute_url(), follow=True)
    assert "doesn’t exist" in response.content.decode()


def test_the_admin_login_page_still_answers_anyone(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200 and "Background jobs" not in response.content.decode()


def test_the_project_admin_action_starts_the_job_too(client, unanimous, queued_jobs):
    project, reviewer, _ = unanimous
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:claims_project_changelist"),
        {"action": "make_gold_from_unanimous", "_selected_action": [project.pk]},
        follow=True,
    )
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    assert job.status == JobStatus.QUEUED and job.project == project
    message = str(list(response.context["messages"])[0])
    assert f'started <a href="{job.get_absolute_url()}">job {job.pk}</a>' in message


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_queued_jobs_in_a_process_of_its_own(
    client, unanimous, queued_jobs
):
    """`make worker`'s command, in a fresh process: it knows the job kinds and the database."""
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database cannot be opened by another process")
    project, reviewer, _ = unanimous
    start_from_the_queue_page(client, project, reviewer)
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    worker = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "jobs_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "annotator.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert worker.returncode == 0, worker.stderr
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.SUCCEEDED, {"created": 2, "stale": 0})


def test_the_worker_waits_out_a_locked_database_and_then_runs_the_job(
    client, unanimous, run_worker
):
    """The worker stopped when SQLite stayed locked past its timeout as it began a turn (a
    large import writing), and every later job stayed queued."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    import sqlite3
    import threading

    project, reviewer, _ = unanimous
    start_from_the_queue_page(client, project, reviewer)
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    # Another connection to the same (shared in-memory) database holds its write lock: the
    # worker's first turns meet "database table is locked" at once.
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    threading.Timer(1.5, other.rollback).start()
    try:
        run_worker()
    finally:
        other.close()
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.SUCCEEDED, {"created": 2, "stale": 0})


def test_a_worker_running_goes_on_past_a_locked_turn(client, unanimous, run_worker):
    """Locked as a turn of the loop begins (not at start): the library's loop raised."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    import sqlite3
    import threading

    from claims.jobs.management.commands.jobs_worker import PatientWorker

    project, reviewer, _ = unanimous
    start_from_the_queue_page(client, project, reviewer)
    job = Job.objects.get(kind=GOLD_FROM_UNANIMOUS)
    worker = PatientWorker(
        queue_names=["*"], interval=0.2, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="patient", excluded_queue_names=[],
    )  # fmt: skip
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    threading.Timer(1.0, other.rollback).start()
    try:
        worker.run()
    finally:
        other.close()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
