"""Run a job in the worker: call its kind's function, record progress, result or failure.

The worker holds a lease on the job while it runs (claims.jobs.leases): renewed by a thread
and by every progress report; if it was lost (this worker stalled past it and the job was
taken back), the run stops and writes nothing more.
"""

import json
import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone

from claims.errors import InvalidInput
from claims.jobs.leases import Lease, LeaseLost, lease_end, new_holder
from claims.jobs.models import Job, JobStatus
from claims.jobs.registry import JobFailed, registered_kind

logger = logging.getLogger(__name__)

# Write progress at most this often (seconds): a job may report thousands of steps.
PROGRESS_INTERVAL = 0.5


def is_json(value) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def job_run(job_id: int) -> str:
    """Run the job's function, record its result or why it failed; return the final status.

    A job that is not queued any more (already taken) is left alone.
    """
    holder = new_holder()
    taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        lease_holder=holder,
        lease_expires_at=lease_end(),
    )
    job = Job.objects.select_related("project", "started_by").get(pk=job_id)
    if not taken:
        return job.status
    kind = registered_kind(job.kind)
    with Lease(job.pk, holder) as lease:
        try:
            if kind is None:
                raise JobFailed(f"No job kind {job.kind!r} is registered in this worker.")
            result = kind.function(job, ProgressReporter(job, lease))
            if not isinstance(result, dict) or not is_json(result):
                raise TypeError(
                    f"job kind {job.kind!r} returned {type(result).__name__}, not a dict"
                )
        except LeaseLost:
            return Job.objects.get(pk=job_id).status
        except Exception as error:  # noqa: BLE001 - every failure is recorded for the user
            message = failure_message(job, error)
            return job_finish(job, lease, status=JobStatus.FAILED, error=message)
        return job_finish(job, lease, status=JobStatus.SUCCEEDED, result=result)


def failure_message(job: Job, error: Exception) -> str:
    """Return why the job failed, in words for its starter (details only for operators)."""
    if isinstance(error, InvalidInput):
        return "\n".join(error.lines())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, JobFailed | PermissionDenied):
        return str(error)
    logger.exception("job %s (%s) failed", job.pk, job.kind)
    return (
        f"Unexpected error ({type(error).__name__}) in job {job.pk}; "
        "the worker's log has the details."
    )


def job_finish(
    job: Job, lease: Lease, *, status: str, result: dict | None = None, error: str = ""
) -> str:
    """Record the outcome if this worker still holds the job; return the job's status."""
    fields = {"status": status, "result": result, "error": error, "finished_at": timezone.now()}
    # The last progress may not have been written yet; a success has done it all.
    fields["done"] = job.total if status == JobStatus.SUCCEEDED and job.total else job.done
    fields.update(total=job.total, detail=job.detail, lease_holder="", lease_expires_at=None)
    if not lease.held().update(**fields):
        logger.warning("job %s: lost its lease; its outcome (%s) was not stored", job.pk, status)
        return Job.objects.get(pk=job.pk).status
    return status


class ProgressReporter:
    """The `progress(done, total, detail=None, now=False)` a job function calls; stores it at
    most twice a second, unless `now` (a milestone: an epoch's dev figures) or the last step,
    with the lease renewed (it raises LeaseLost when another worker has taken the job)."""

    def __init__(self, job: Job, lease: Lease):
        self.job, self.lease = job, lease
        self.written_at = 0.0

    def __call__(self, done: int, total: int, detail: dict | None = None, now: bool = False):
        total = max(0, int(total))
        done = max(0, int(done))
        if total:
            done = min(done, total)
        self.job.done, self.job.total = done, total
        fields = {"done": done, "total": total}
        if detail is not None and is_json(detail):
            self.job.detail = fields["detail"] = detail
        if self.lease.lost:
            raise LeaseLost(f"job {self.job.pk}: another worker has taken it")
        moment = time.monotonic()
        if now or done == total or moment - self.written_at >= PROGRESS_INTERVAL:
            self.lease.renew(**fields)
            self.written_at = moment
