"""Start a job: record it and put it in the queue for the worker."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from claims.errors import InvalidInput
from claims.jobs.models import Job
from claims.jobs.registry import kind_names, registered_kind
from claims.jobs.runner import is_json
from claims.jobs.tasks import run_job
from claims.models import Project


@transaction.atomic
def job_start(
    *,
    kind: str,
    user: AbstractBaseUser,
    project: Project | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """Create a job of a registered kind and enqueue it for the worker.

    The job and its place in the queue are written in the caller's transaction. Raise
    InvalidInput for an unknown kind or params that are not a JSON object.
    """
    params = {} if params is None else params
    if registered_kind(kind) is None:
        raise InvalidInput({"kind": [f"unknown job kind {kind!r}; known: {kind_names()}"]})
    if not isinstance(params, dict) or not is_json(params):
        raise InvalidInput({"params": ["must be a JSON object"]})
    job = Job.objects.create(kind=kind, started_by=user, project=project, params=params)
    task_result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(task_result.id))
    job.refresh_from_db()  # an immediate backend has already run it
    return job
