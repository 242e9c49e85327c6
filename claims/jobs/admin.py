"""Background jobs in the admin: read-only, shown to their starter and their project's reviewers.

A job's page follows it as it runs: its state (and a training's part, epoch, loss, dev figures
and time left) is a fragment the page fetches again every two seconds until the job is done
(annotator/refresh.js; no inline script under the site's CSP); then it reads its outcome in
words, with links to what it made.
"""

from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html, strip_tags
from django.utils.text import Truncator

from claims.admin.filters import ProjectFilter
from claims.admin.scoping import ReadOnly, reviews_anything
from claims.jobs.models import Job
from claims.jobs.presenting import job_view, pretty
from claims.jobs.selectors import jobs_visible_to


@admin.register(Job)
class JobAdmin(ReadOnly, admin.ModelAdmin):
    # Status and outcome (why a job failed) first: the list is wider than a laptop's admin.
    list_display = [
        "id",
        "title",
        "status",
        "outcome",
        "progress",
        "project",
        "started_by",
        "created_at",
    ]
    list_display_links = ["id", "title"]
    list_filter = ["status", ProjectFilter, "kind"]
    list_select_related = ["project", "started_by"]
    fields = [
        "title",
        "project",
        "started_by",
        "state",
        "params_view",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    view_on_site = False  # its absolute URL is this page

    class Media:
        js = ["annotator/refresh.js"]

    def get_queryset(self, request):
        return jobs_visible_to(request.user).select_related("project", "started_by")

    def get_urls(self):
        fragment = self.admin_site.admin_view(self.state_fragment)
        return [path("<int:job_id>/state/", fragment, name="jobs_job_state"), *super().get_urls()]

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        # Objects outside get_queryset() answer "not found" before this is asked about them.
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or reviews_anything(request) or user.jobs.exists()

    def state_fragment(self, request, job_id: int) -> HttpResponse:
        """Return the job's state as the HTML fragment its page shows (and refreshes)."""
        job = get_object_or_404(self.get_queryset(request), pk=job_id)
        return HttpResponse(self.state(job))

    @admin.display(description="status")
    def state(self, job: Job) -> str:
        return render_to_string(
            "admin/jobs/job/state.html",
            {
                "job": job,
                "view": job_view(job),
                "url": reverse("admin:jobs_job_state", args=[job.pk]),
            },
        )

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        if not job.total:
            return "-" if job.finished else "…"
        if job.total == 100:
            return f"{job.done}%"
        return f"{job.done} of {job.total}"

    @admin.display(description="outcome")
    def outcome(self, job: Job) -> str:
        """The reason it failed, or its result, in one short line."""
        view = job_view(job)
        text = job.error or strip_tags(view.outcome)
        return Truncator(text.splitlines()[0] if text else "").chars(100) or "-"

    @admin.display(description="asked for")
    def params_view(self, job: Job) -> str:
        return format_html("{}", pretty(job.params))
