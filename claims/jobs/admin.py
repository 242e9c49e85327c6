"""Background jobs in the admin: read-only, shown to their starter and their project's reviewers."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.admin.filters import ProjectFilter
from claims.admin.scoping import ReadOnly, reviews_anything
from claims.jobs.leases import jobs_recover
from claims.jobs.models import Job
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
        "kind",
        "project",
        "started_by",
        "status",
        "progress",
        "attempts",
        "error",
        "result_json",
        "params_json",
        "created_at",
        "started_at",
        "finished_at",
        "task_id",
    ]
    readonly_fields = fields
    view_on_site = False  # its absolute URL is this page

    def get_queryset(self, request):
        return jobs_visible_to(request.user).select_related("project", "started_by")

    def changelist_view(self, request, extra_context=None):
        jobs_recover()  # a job whose worker died shows as failed or queued again, not running
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        jobs_recover()
        return super().change_view(request, object_id, form_url, extra_context)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        # Objects outside get_queryset() answer "not found" before this is asked about them.
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return user.is_superuser or reviews_anything(request) or user.jobs.exists()

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        if not job.total:
            return "-" if job.finished else "…"
        return f"{job.done} of {job.total}"

    @admin.display(description="outcome")
    def outcome(self, job: Job) -> str:
        """The reason it failed, or its result, in one short line."""
        text = job.error or (json.dumps(job.result, ensure_ascii=False) if job.result else "")
        return Truncator(text.splitlines()[0] if text else "").chars(80) or "-"

    @admin.display(description="result")
    def result_json(self, job: Job) -> str:
        return pretty(job.result)

    @admin.display(description="params")
    def params_json(self, job: Job) -> str:
        return pretty(job.params)


def pretty(value) -> str:
    if value in (None, {}):
        return "-"
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))
