"""The admin's suggestion models: a project's models with their dev figures, which is active,
and the actions a reviewer takes on them (activate, deactivate)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import format_html

from claims.access import may_review
from claims.admin.filters import ProjectFilter
from claims.admin.scoping import ProjectScopedAdmin
from claims.jobs.kinds.learning import SCORE_UNCERTAINTY, TRAIN_SUGGESTER
from claims.jobs.models import JobStatus
from claims.jobs.services import job_start
from claims.learning.activation import ModelsBusy, model_activate, model_deactivate
from claims.learning.models import SuggestionModel

ROLES = ("source", "cue", "content")


@admin.action(
    description="Activate: the project's suggestions use this model", permissions=["view"]
)
def activate(modeladmin, request, queryset):
    for model in queryset.select_related("project"):
        try:
            with transaction.atomic():
                model_activate(model=model, user=request.user)
                if model.meta.get("classifier"):
                    job_start(
                        kind=SCORE_UNCERTAINTY,
                        user=request.user,
                        project=model.project,
                        params={"model": model.pk},
                    )
        except (PermissionDenied, ModelsBusy) as error:
            messages.error(request, f"{model}: {error}")
        else:
            messages.success(request, f"{model} is now active.")


@admin.action(description="Deactivate: back to the rules", permissions=["view"])
def deactivate(modeladmin, request, queryset):
    for model in queryset.select_related("project").filter(active=True):
        try:
            model_deactivate(model=model, user=request.user)
        except (PermissionDenied, ModelsBusy) as error:
            messages.error(request, f"{model}: {error}")
        else:
            messages.success(request, f"{model} is no longer active.")


@admin.register(SuggestionModel)
class SuggestionModelAdmin(ProjectScopedAdmin):
    list_display = ["__str__", "project", "version", "active", *ROLES, "claim", "size_mb"]
    list_display += ["trained_by", "created_at"]
    list_filter = [ProjectFilter, "active"]
    list_select_related = ["project", "trained_by"]
    actions = [activate, deactivate]
    fields = ["project", "version", "active", "activated_at", "figures", "meta", "size"]
    fields += ["trained_by", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False  # models come from training (train_suggester, the project's action)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or (
            obj is not None and not obj.active and may_review(request.user, obj.project)
        )

    @admin.display(description="size (MB)")
    def size_mb(self, obj):
        return f"{obj.size / 1e6:.1f}"

    def source(self, obj):
        return figure(obj, "source")

    def cue(self, obj):
        return figure(obj, "cue")

    def content(self, obj):
        return figure(obj, "content")

    @admin.display(description="claim (dev)")
    def claim(self, obj):
        found = obj.figures.get("claim") or {}
        parts = [f"{k} {v:.2f}" for k, v in found.items()]
        return ", ".join(parts) or "-"


def figure(obj: SuggestionModel, role: str):
    found = obj.figures.get(role)
    if not found:
        return "-"
    return format_html("P {} R {}", f"{found['precision']:.2f}", f"{found['recall']:.2f}")


def training_started(request, project) -> None:
    """Start training a model of the project in a worker; say where to follow it."""
    if not may_review(request.user, project):
        messages.error(request, f"{project}: only its reviewers can train its models.")
        return
    job = job_start(kind=TRAIN_SUGGESTER, user=request.user, project=project)
    link = format_html('<a href="{}">job {}</a>', job.get_absolute_url(), job.pk)
    if job.status == JobStatus.FAILED:
        messages.error(request, format_html("{}: {} failed: {}", project, link, job.error))
    elif job.status == JobStatus.SUCCEEDED:
        version = job.result.get("version")
        messages.success(request, format_html("{}: model v{} trained ({})", project, version, link))
    else:
        messages.info(
            request, format_html("{}: started {}; its page shows its progress.", project, link)
        )
