"""The admin's suggestion models: a project's models with their dev figures, each model's page
(compared with the rules and the active model on the same dev articles, its reliability), and
activating or deactivating one after being told what changes (the project's reviewers)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from claims.access import may_review
from claims.admin.filters import ProjectFilter
from claims.admin.scoping import ProjectScopedAdmin
from claims.jobs.services import job_start
from claims.learning.activation import ModelsBusy, model_activate, model_deactivate
from claims.learning.comparison import COMPARE_MODEL, comparison_current
from claims.learning.model_page import (
    activation_effects,
    comparison_table,
    deactivation_effects,
    reliability_table,
    training_facts,
)
from claims.learning.models import SuggestionModel
from claims.learning.uncertainty import scoring_start


def one_model_page(request, queryset, view: str):
    """Open the confirmation page of the one selected model (it says what changes)."""
    models = list(queryset[:2])
    if len(models) != 1:
        messages.error(request, "Select one model.")
        return None
    return HttpResponseRedirect(
        reverse(f"admin:learning_suggestionmodel_{view}", args=[models[0].pk])
    )


@admin.action(description="Activate the selected model…", permissions=["view"])
def activate(modeladmin, request, queryset):
    return one_model_page(request, queryset, "activate")


@admin.action(description="Deactivate the selected model…", permissions=["view"])
def deactivate(modeladmin, request, queryset):
    return one_model_page(request, queryset, "deactivate")


@admin.register(SuggestionModel)
class SuggestionModelAdmin(ProjectScopedAdmin):
    # Narrow enough for a laptop's admin beside the filters: one column holds the dev figures.
    list_display = ["name", "project", "active", "dev_figures", "trained"]
    list_filter = [ProjectFilter, "active"]
    list_select_related = ["project", "trained_by"]
    actions = [activate, deactivate]

    class Media:
        js = ["annotator/refresh.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    def get_urls(self):
        def route(suffix: str, view, name: str):
            return path(f"<int:model_id>/{suffix}/", self.admin_site.admin_view(view), name=name)

        return [
            route("activate", self.activate_view, "learning_suggestionmodel_activate"),
            route("deactivate", self.deactivate_view, "learning_suggestionmodel_deactivate"),
            route("comparison", self.comparison_fragment, "learning_suggestionmodel_comparison"),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        return False  # models come from training (train_suggester, the training page)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or (
            obj is not None and not obj.active and may_review(request.user, obj.project)
        )

    # --- the list ---------------------------------------------------------------------------

    @admin.display(description="model", ordering="version")
    def name(self, obj):
        return f"v{obj.version}"

    @admin.display(description="on its dev articles")
    def dev_figures(self, obj):
        lines = []
        spans = [(role[:3], obj.figures.get(role)) for role in ("source", "cue", "content")]
        shown = [f"{name} {f['precision']:.2f}/{f['recall']:.2f}" for name, f in spans if f]
        if shown:
            lines.append("spans P/R: " + " · ".join(shown))
        claim = obj.figures.get("claim") or {}
        names = {"accuracy": "accuracy", "map": "MAP"}  # in this order, whatever the JSON's
        parts = [f"{short} {claim[k]:.2f}" for k, short in names.items() if k in claim]
        if parts:
            lines.append("claim: " + " · ".join(parts))
        stance = obj.figures.get("stance") or {}
        if isinstance(stance.get("f_avg"), float):
            lines.append(f"stance: F_avg {stance['f_avg']:.2f}")
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "-"

    @admin.display(description="trained", ordering="created_at")
    def trained(self, obj):
        return format_html("{}<br>by {}", f"{obj.created_at:%Y-%m-%d %H:%M}", obj.trained_by or "-")

    # --- a model's page -----------------------------------------------------------------------

    def model_of(self, request, model_id) -> SuggestionModel:
        return get_object_or_404(self.get_queryset(request).select_related("project"), pk=model_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        model = self.model_of(request, object_id)
        if request.method == "POST" and request.POST.get("action") == "compare":
            job_start(kind=COMPARE_MODEL, user=request.user, project=model.project,
                      params={"model": model.pk})  # fmt: skip
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Model v{model.version} of {model.project}",
            "model": model,
            "facts": training_facts(model),
            "comparison": self.comparison(request, model),
            "may_review": may_review(request.user, model.project),
            "may_delete": self.has_delete_permission(request, model),
        }
        return TemplateResponse(request, "admin/learning/model.html", context)

    def comparison(self, request, model: SuggestionModel) -> str:
        """Return the comparison section (computed in the background when missing)."""
        found, job = comparison_current(model, request.user)
        context = {"model": model, "job": job, "found": found}
        context["may_review"] = may_review(request.user, model.project)
        tagger = (model.meta or {}).get("tagger") or {}
        context["tuned_on_dev"] = bool(tagger.get("calibration") or tagger.get("decode"))
        context["stance_refit"] = bool(((model.meta or {}).get("stance") or {}).get("refit"))
        if found is not None:
            context["columns"], context["rows"] = comparison_table(found)
            parts, bins, errors = reliability_table(found)
            context |= {"parts": parts, "bins": bins, "errors": errors}
        context["url"] = reverse("admin:learning_suggestionmodel_comparison", args=[model.pk])
        return render_to_string("admin/learning/comparison.html", context, request=request)

    def comparison_fragment(self, request, model_id: int) -> HttpResponse:
        return HttpResponse(self.comparison(request, self.model_of(request, model_id)))

    def confirm(
        self, request, model, *, verb: str, effects: list[str], act, idle=False, button=""
    ) -> HttpResponse:
        """Show what the change does (`idle`: nothing, so no button; `button`: its words when
        not the verb's); on POST do it and go back to the model's page."""
        if not may_review(request.user, model.project):
            raise PermissionDenied("Only a reviewer of this project can change its models.")
        if request.method == "POST":
            try:
                message = act()
            except ModelsBusy as busy:  # another reviewer is changing the project's models
                messages.error(request, str(busy))
            else:
                messages.success(request, message)
            return HttpResponseRedirect(
                reverse("admin:learning_suggestionmodel_change", args=[model.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{verb} model v{model.version} of {model.project}?",
            "model": model,
            "verb": verb,
            "effects": effects,
            "idle": idle,
            "button": button or verb,
        }
        return TemplateResponse(request, "admin/learning/confirm.html", context)

    def activate_view(self, request, model_id: int) -> HttpResponse:
        model = self.model_of(request, model_id)

        def act():
            with transaction.atomic():
                model_activate(model=model, user=request.user)
                job = scoring_start(project=model.project, user=request.user)
            link = format_html('<a href="{}">job {}</a>', job.get_absolute_url(), job.pk)
            return format_html(
                "Model v{} is now active: the suggestions of project {} come from it. The queue's "
                "uncertainty is being scored ({}).",
                model.version, model.project, link,
            )  # fmt: skip

        return self.confirm(
            request,
            model,
            verb="Activate",
            effects=activation_effects(model),
            act=act,
            button="Score the queue again with" if model.active else "",
        )

    def deactivate_view(self, request, model_id: int) -> HttpResponse:
        model = self.model_of(request, model_id)

        def act():
            if not model.active:
                return f"Model v{model.version} was not active: nothing changed."
            model_deactivate(model=model, user=request.user)
            return f"Model v{model.version} is no longer active: the rules suggest."

        return self.confirm(
            request,
            model,
            verb="Deactivate",
            effects=deactivation_effects(model),
            act=act,
            idle=not model.active,
        )
