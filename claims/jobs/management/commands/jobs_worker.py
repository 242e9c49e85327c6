"""`manage.py jobs_worker`: django-tasks' db_worker that also takes back dead workers' jobs.

Every option of db_worker applies. Beside running queued jobs, the worker looks for running
jobs whose worker died (their lease ran out, claims.jobs.leases) when it starts and every
sixth of CLAIMS_JOB_LEASE_SECONDS after, and queues them again or fails them with the reason.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from claims.jobs.leases import Sweeper, jobs_recover


class Command(DatabaseWorkerCommand):
    help = (
        "Run queued background jobs; take back the jobs of workers that died "
        "(queued again or failed, within CLAIMS_JOB_LEASE_SECONDS)"
    )

    def handle(self, *args, **options) -> None:
        # Before the first job: in batch mode the sweeper thread may not get a turn first.
        jobs_recover()
        sweeper = Sweeper().start()
        try:
            super().handle(*args, **options)
        finally:
            sweeper.stop()
