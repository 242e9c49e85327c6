"""Leases: how a job whose worker died (SIGKILL, a lost machine) is found and dealt with.

A worker that takes a job holds a lease on it: the job row names the holder and when the
lease runs out. While the job's function runs, a thread of the worker renews the lease every
third of CLAIMS_JOB_LEASE_SECONDS (each renewal good for two thirds of it), so a live
worker never loses it, and a dead one's runs out at most two thirds of the lease time after
it died. Whoever next sweeps (every worker, every few seconds; the pages that wait on a job
before they read it) then takes the job back: a kind registered with ``rerun=True`` is queued
again for the next worker, any other is failed with the reason, so nothing waits on a dead job.

A worker that only stalled (and lost its lease meanwhile) finds out at its next renewal or
progress report and stops; what it would have written is not written.
"""

import logging
import os
import threading
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from claims.jobs.models import Job, JobStatus
from claims.jobs.registry import registered_kind

logger = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 180
# A job that killed its worker this many times is failed rather than run again.
MAX_ATTEMPTS = 3


def lease_seconds() -> float:
    """Return CLAIMS_JOB_LEASE_SECONDS (a setting, else the environment variable)."""
    value = getattr(settings, "CLAIMS_JOB_LEASE_SECONDS", None)
    if value is None:
        value = os.environ.get("CLAIMS_JOB_LEASE_SECONDS", "").strip() or DEFAULT_LEASE_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"CLAIMS_JOB_LEASE_SECONDS must be a number of seconds, not {value!r}"
        ) from None
    if not seconds >= 1:
        raise ImproperlyConfigured(f"CLAIMS_JOB_LEASE_SECONDS must be at least 1, not {value!r}")
    return seconds


def renew_every() -> float:
    return lease_seconds() / 3


def lease_end():
    return timezone.now() + timedelta(seconds=lease_seconds() * 2 / 3)


def new_holder() -> str:
    return uuid.uuid4().hex


class LeaseLost(BaseException):
    """This worker's lease on its job ran out and the job was taken back (see the module).

    A BaseException, like KeyboardInterrupt: a job function's own `except Exception` must not
    swallow it and carry on with work another worker now does.
    """


class Lease:
    """The lease a worker holds on the job it runs, renewed by a thread while it runs."""

    def __init__(self, job_id: int, holder: str):
        self.job_id, self.holder = job_id, holder
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def held(self):
        running = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING)
        return running.filter(lease_holder=self.holder)

    def renew(self, **fields) -> None:
        """Extend the lease (and write `fields` with it); raise LeaseLost if it is gone."""
        if self.lost or not self.held().update(lease_expires_at=lease_end(), **fields):
            self.lost = True
            raise LeaseLost(f"job {self.job_id}: the lease was lost; another worker has it")

    def __enter__(self) -> "Lease":
        # Run inside a transaction (the immediate backend in a request), the job is invisible
        # to everyone else until it commits: no one can take it back, nothing to renew.
        if not transaction.get_connection().in_atomic_block:
            self._thread = threading.Thread(
                target=self._keep, name=f"job-{self.job_id}-lease", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _keep(self) -> None:
        try:
            while not self._stop.wait(renew_every()):
                try:
                    self.renew()
                except LeaseLost:
                    logger.warning("job %s: lease lost; its result will not be stored", self.job_id)
                    return
                except Exception:  # noqa: BLE001 - a database hiccup: try again next time
                    logger.exception("job %s: could not renew the lease", self.job_id)
                    close_old_connections()
        finally:
            connections.close_all()  # this thread's own connections


def died_message(job: Job, *, exhausted: bool) -> str:
    where = f" at {job.done} of {job.total}" if job.total else ""
    if exhausted:
        return (
            f"The worker running this job stopped{where} (killed or lost) {job.attempts} times; "
            "it was not started again. Look at the workers' logs (memory?), then start it again."
        )
    return (
        f"The worker running this job stopped{where} (killed or lost) before it finished. "
        "Start the job again."
    )


def jobs_recover(jobs=None) -> int:
    """Take back the running jobs whose lease ran out: queue again the kinds that may run
    again (at most MAX_ATTEMPTS times), fail the others with the reason. Return how many.

    `jobs`: a queryset to look in (default: every job).
    """
    expired = (jobs if jobs is not None else Job.objects.all()).filter(
        status=JobStatus.RUNNING, lease_expires_at__lt=timezone.now()
    )
    taken = 0
    fields = ("id", "kind", "attempts", "done", "total", "lease_holder")
    for job in expired.select_related(None).only(*fields):
        kind = registered_kind(job.kind)
        rerun = kind is not None and kind.rerun and job.attempts < MAX_ATTEMPTS
        taken += job_take_back(job, rerun=rerun)
    return taken


def job_take_back(job: Job, *, rerun: bool) -> int:
    """Queue the job again, or fail it; 0 when someone else took it back first."""
    from claims.jobs.tasks import run_job

    same = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease_holder=job.lease_holder)
    lease = {"lease_holder": "", "lease_expires_at": None}
    if not rerun:
        failed = same.update(
            status=JobStatus.FAILED,
            error=died_message(job, exhausted=job.attempts >= MAX_ATTEMPTS),
            finished_at=timezone.now(),
            **lease,
        )
        if failed:
            logger.warning("job %s (%s): its worker died; failed", job.pk, job.kind)
        return failed
    with transaction.atomic():
        if not same.update(status=JobStatus.QUEUED, started_at=None, **lease):
            return 0
        task = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(task.id))
    logger.warning("job %s (%s): its worker died; queued again", job.pk, job.kind)
    return 1


class Sweeper:
    """A worker's thread that takes back dead workers' jobs every sixth of the lease time."""

    def __init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sweep, name="job-lease-sweeper", daemon=True)

    def start(self) -> "Sweeper":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _sweep(self) -> None:
        try:
            while True:
                try:
                    jobs_recover()
                except Exception:  # noqa: BLE001 - the database may be away for a moment
                    logger.exception("could not look for jobs whose worker died")
                    close_old_connections()
                if self._stop.wait(max(1.0, lease_seconds() / 6)):
                    return
        finally:
            connections.close_all()
