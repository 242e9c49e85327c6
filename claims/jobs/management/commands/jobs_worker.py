"""`manage.py jobs_worker`: django-tasks' db_worker that also takes back dead workers' jobs.

Every option of db_worker applies. Beside running queued jobs, the worker looks for running
jobs whose worker died (their lease ran out, claims.jobs.leases) when it starts and every
sixth of CLAIMS_JOB_LEASE_SECONDS after, and queues them again or fails them with the reason.
A database locked for longer than its timeout (SQLite while a large import writes) is waited
out: the worker goes on once it is free, instead of stopping and leaving every later job
queued.
"""

import logging
import time

from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.utils import is_locked_database_exception

from claims.jobs.leases import Sweeper, jobs_recover

logger = logging.getLogger(__name__)


def patiently(work, interval: float = 1.0):
    """Return work(), run again while the database is locked."""
    while True:
        try:
            return work()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            logger.warning("Jobs worker: the database is locked; trying again.")
            time.sleep(interval)


class PatientWorker(db_worker.Worker):
    """db_worker's loop, taken up again when the database was locked as it began a turn
    (the library waits out a lock met inside its transaction, not one met opening it)."""

    def run(self) -> None:
        return patiently(super().run, self.interval)


class Command(DatabaseWorkerCommand):
    help = (
        "Run queued background jobs; take back the jobs of workers that died "
        "(queued again or failed, within CLAIMS_JOB_LEASE_SECONDS)"
    )

    def handle(self, *args, **options) -> None:
        # Before the first job: in batch mode the sweeper thread may not get a turn first.
        patiently(jobs_recover)
        sweeper = Sweeper().start()
        # db_worker's command builds its Worker by this name: it builds ours instead.
        db_worker.Worker = PatientWorker
        try:
            super().handle(*args, **options)
        finally:
            sweeper.stop()
