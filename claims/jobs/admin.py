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
from claims.jobs.leases import jobs_recover
from claims.jobs.models import Job
from claims.jobs.presenting import job_view, params_words
from claims.jobs.selectors import jobs_visible_to


@admin.register(Job)
class JobAdmin(ReadOnly, admin.ModelAdmin):
    # Narrow enough for a laptop's admin beside the filters: the job (a link), its state, its
    # outcome in words, and who started it where, when.
    list_display = ["job", "state_short", "outcome", "started"]
    list_filter = ["status", ProjectFilter, "kind"]
    list_select_related = ["project", "started_by"]
    # The state (status, progress, times, outcome) is shown above these, refreshing itself.
    fields = ["title", "project", "started_by", "params_view", "created_at"]
    readonly_fields = fields
    view_on_site = False  # its absolute URL is this page
    change_form_template = "admin/jobs/job/change_form.html"

    class Media:
        js = ["annotator/refresh.js"]

    def get_queryset(self, request):
        return jobs_visible_to(request.user).select_related("project", "started_by")

    def get_urls(self):
        fragment = self.admin_site.admin_view(self.state_fragment)
        return [path("<int:job_id>/state/", fragment, name="jobs_job_state"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        jobs_recover()  # a job whose worker died shows as failed or queued again, not running
        return super().changelist_view(request, extra_context)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        # Objects outside get_queryset() answer "not found" before this is asked about them.
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or reviews_anything(request) or user.jobs.exists()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        jobs_recover()
        job = (
            self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        )
        extra = {"state": self.state(job)} if job is not None else {}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def state_fragment(self, request, job_id: int) -> HttpResponse:
        """Return the job's state as the HTML fragment its page shows (and refreshes)."""
        jobs_recover(Job.objects.filter(pk=job_id))  # a dead worker's job ends the refreshing
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

    @admin.display(description="job", ordering="id")
    def job(self, job: Job) -> str:
        return f"{job.pk}: {job.title}"

    @admin.display(description="status", ordering="status")
    def state_short(self, job: Job) -> str:
        """The status, and how far a running job is."""
        if job.finished or not job.total:
            return job.get_status_display()
        return f"{job.get_status_display()} ({round(100 * job.done / job.total)}%)"

    @admin.display(description="started", ordering="created_at")
    def started(self, job: Job) -> str:
        return format_html(
            "{}<br>{} by {}", job.project or "-", f"{job.created_at:%m-%d %H:%M}",
            job.started_by or "-",
        )  # fmt: skip

    @admin.display(description="outcome")
    def outcome(self, job: Job) -> str:
        """The reason it failed, or its result, in one short line."""
        view = job_view(job)
        text = job.error or strip_tags(view.outcome)
        return Truncator(text.splitlines()[0] if text else "").chars(90) or "-"

    @admin.display(description="asked for")
    def params_view(self, job: Job) -> str:
        return params_words(job.params) or "-"
