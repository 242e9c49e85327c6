"""job_start and the worker's side: results, failures in words, progress as it goes."""

import logging

import pytest

from claims.errors import InvalidInput
from claims.jobs.models import Job, JobStatus
from claims.jobs.registry import JobFailed, job_kind
from claims.jobs.services import job_start
from tests.factories import make_user


@job_kind("test_counts", title="Count to three")
def counts(job: Job, progress) -> dict:
    seen = []
    for done in range(1, 4):
        progress(done, 3)
        stored = Job.objects.get(pk=job.pk)
        seen.append([stored.status, stored.done, stored.total])
    return {"seen": seen, "params": job.params}


@job_kind("test_invalid_input")
def invalid_input(job: Job, progress) -> dict:
    raise InvalidInput({"attributions": [{}, {"source": {"end": ["must be <= 57"]}}]})


@job_kind("test_job_failed")
def job_failed(job: Job, progress) -> dict:
    raise JobFailed("The file export.jsonl is gone.")


@job_kind("test_bug")
def bug(job: Job, progress) -> dict:
    return {"ratio": 1 / 0}


@job_kind("test_not_json")
def not_json(job: Job, progress) -> dict:
    return {"when": object()}


def test_progress_is_stored_as_the_job_goes_and_the_result_at_the_end(db):
    job = job_start(kind="test_counts", user=make_user(), params={"n": 3})
    assert job.status == JobStatus.SUCCEEDED
    # The first step is written at once; the next ones within half a second, the last always.
    assert job.result["seen"][0] == ["running", 1, 3]
    assert job.result["seen"][-1] == ["running", 3, 3]
    assert job.result["params"] == {"n": 3}
    assert (job.done, job.total) == (3, 3)
    assert job.started_at <= job.finished_at and job.task_id


def test_invalid_input_fails_the_job_with_its_lines(db):
    job = job_start(kind="test_invalid_input", user=make_user())
    assert job.status == JobStatus.FAILED
    assert job.error == "attribution 2, source end: must be <= 57"


def test_job_failed_says_its_message(db):
    assert job_start(kind="test_job_failed", user=make_user()).error == (
        "The file export.jsonl is gone."
    )


def test_an_unexpected_error_is_named_for_the_user_and_logged_for_operators(db, caplog):
    with caplog.at_level(logging.ERROR, logger="claims.jobs.runner"):
        job = job_start(kind="test_bug", user=make_user())
    assert job.status == JobStatus.FAILED
    assert job.error == (
        f"Unexpected error (ZeroDivisionError) in job {job.pk}; the worker's log has the details."
    )
    assert "ZeroDivisionError: division by zero" in caplog.text


def test_a_result_that_is_not_json_fails_the_job(db):
    job = job_start(kind="test_not_json", user=make_user())
    assert job.status == JobStatus.FAILED and "TypeError" in job.error


def test_job_start_refuses_an_unknown_kind_and_params_that_are_not_json(db):
    user = make_user()
    with pytest.raises(InvalidInput) as unknown:
        job_start(kind="no_such_kind", user=user)
    assert unknown.value.lines()[0].startswith("kind: unknown job kind 'no_such_kind'; known: [")
    with pytest.raises(InvalidInput) as bad:
        job_start(kind="test_counts", user=user, params={"when": object()})
    assert bad.value.lines() == ["params: must be a JSON object"]
    assert not Job.objects.exists()
