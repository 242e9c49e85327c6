"""Background jobs: work too long for a request, run by a worker and watched by its starter.

A job is a row (claims.jobs.models.Job) that the user who started it, and the reviewers of its
project, can follow: status (queued, running, succeeded, failed), progress (done of total),
the result (JSON) or the reason it failed. The work runs in a worker process (`make worker`,
i.e. `manage.py jobs_worker`: django-tasks' `db_worker` that also takes back the jobs of
workers that died, claims.jobs.leases) through Django's task framework (the django-tasks
backport with its database backend: the queue is a table, so nothing beyond the database is
needed).

Public API (import from the submodules; this package is a Django app and imports nothing):

    from claims.jobs.registry import job_kind, JobFailed
    from claims.jobs.services import job_start
    from claims.jobs.models import Job, JobStatus

    @job_kind("export_project", title="Export a project")
    def export_project_job(job: Job, progress: Callable[[int, int], None]) -> dict:
        # job.project, job.started_by, job.params (the JSON given to job_start)
        for done, item in enumerate(items, start=1):
            ...
            progress(done, len(items))
        return {"path": "..."}            # JSON-able: becomes job.result

    job = job_start(kind="export_project", user=request.user, project=project, params={...})
    job.get_absolute_url()                # the admin page where its starter follows it

- Register a kind in a module under claims/jobs/kinds/ and import it in kinds/__init__.py (the
  worker imports that package when it starts). The function runs in the worker, outside any
  transaction; it must check itself whether job.started_by may do the work (the caller
  should check too, to refuse at once).
- `@job_kind(..., rerun=True)` for a kind that may simply run again from the start when its
  worker dies mid-job (idempotent); other kinds are then failed with the reason.
- An exception marks the job failed. InvalidInput (its lines), JobFailed, PermissionDenied and
  ValidationError show their message to the user; anything else shows "unexpected error" and
  the traceback goes to the worker's log.
- `job_start` checks that the kind is registered and the params are JSON, creates the job and
  enqueues it in the caller's transaction (a rolled-back request enqueues nothing). Under the
  test settings the immediate backend runs it before job_start returns.
- `GET /api/v1/jobs/{id}/` and the admin list (Background jobs) show a job to its starter and
  to the reviewers of its project; everyone else gets 404.
"""
