"""Compute and store a project's review figures (claims.quality.refresh)."""

from claims.jobs.leases import jobs_recover
from claims.jobs.models import Job, JobStatus
from claims.jobs.registry import JobFailed, Progress, job_kind
from claims.jobs.services import job_start
from claims.models import Project
from claims.quality.refresh import review_figures_behind, review_figures_refresh

REVIEW_FIGURES = "review_figures"


# Runs again after a dead worker: the figures are computed anew each time.
@job_kind(REVIEW_FIGURES, title="Compute agreement and disagreements", rerun=True)
def review_figures_job(job: Job, progress: Progress) -> dict:
    if job.project is None:
        raise JobFailed("The job has lost its project.")
    return review_figures_refresh(job.project, progress)


def review_figures_current(project: Project, user) -> Job | None:
    """Start computing the project's figures if they are behind and no job is on it already;
    return the job working on them (None when the stored figures are up to date)."""
    if not review_figures_behind(project):
        return None
    ours = Job.objects.filter(kind=REVIEW_FIGURES, project=project)
    jobs_recover(ours)  # a job whose worker died is taken back, not waited on
    running = ours.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if running is not None:
        return running
    job = job_start(kind=REVIEW_FIGURES, user=user, project=project)
    return None if job.status == JobStatus.SUCCEEDED else job
