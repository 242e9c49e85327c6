"""Make gold from the unanimous sentences of a project (claims.services.gold)."""

from claims.jobs.models import Job
from claims.jobs.registry import JobFailed, Progress, job_kind
from claims.services.gold import gold_from_unanimous

GOLD_FROM_UNANIMOUS = "gold_from_unanimous"


def describe_unanimous(job: Job) -> str:
    result = job.result or {}
    text = f"Made gold for {result.get('created', 0)} unanimous sentence(s)."
    if result.get("stale"):
        text += f" {result['stale']} changed meanwhile and were left for a reviewer to look at."
    if job.attempts > 1:
        # A worker died during an earlier attempt: what that attempt made is not counted here.
        text += (
            f" This was attempt {job.attempts}: the gold made by the attempts before it is not "
            "counted."
        )
    return text


# Runs again after a dead worker: sentences given gold by the first run are skipped.
@job_kind(
    GOLD_FROM_UNANIMOUS,
    title="Make gold from unanimous sentences",
    describe=describe_unanimous,
    rerun=True,
)
def gold_from_unanimous_job(job: Job, progress: Progress) -> dict:
    """Params: {"sentences": [ids]} to look only at those (default: the whole project)."""
    if job.project is None or job.started_by is None:
        raise JobFailed("The job has lost its project or the reviewer who started it.")
    result = gold_from_unanimous(
        project=job.project,
        reviewer=job.started_by,
        sentences=job.params.get("sentences"),
        progress=progress,
    )
    return {"created": result.created, "stale": result.stale}
