"""Job kinds that stall on their first attempt, and a worker process that runs them.

`python -m tests.jobs.stalling [db_worker options]` runs `manage.py jobs_worker` with these
kinds registered (the worker imports only the app's kinds): a test starts it, waits until a
stalling job is running, and kills it with SIGKILL, as an operator's `kill -9` or the kernel's
out-of-memory killer would.
"""

import sys
import time

from claims.jobs.registry import job_kind

STALL_RERUN = "test_stall_rerun"
STALL_ONCE = "test_stall_once"
STALL_SECONDS = 600


def stall_then_finish(job, progress) -> dict:
    progress(1, 4)
    if job.attempts == 1:
        deadline = time.monotonic() + STALL_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
    progress(4, 4)
    return {"attempt": job.attempts}


job_kind(STALL_RERUN, title="Stall, then finish (runs again)", rerun=True)(stall_then_finish)
job_kind(STALL_ONCE, title="Stall, then finish (runs once)")(stall_then_finish)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("jobs_worker", *sys.argv[1:])


if __name__ == "__main__":
    main()
