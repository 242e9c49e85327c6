"""The one task the worker runs: a job, by id (Django's task framework, django-tasks backport)."""

from django_tasks import task

from claims.jobs.runner import job_run


@task()
def run_job(job_id: int) -> str:
    """Run the job and return its final status (the job row holds the rest)."""
    return job_run(job_id)
