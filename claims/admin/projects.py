"""Projects, their label schemas and members, and articles, with links to the review pages."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from claims.admin import exports, review
from claims.admin.actions import export_articles_jsonl
from claims.admin.filters import ProjectFilter
from claims.admin.scoping import (
    ChecksLookups,
    KeepsAnnotations,
    ProjectScopedAdmin,
    reviewed_project_ids,
)
from claims.admin.sentences import SentenceInline
from claims.labeling.queue import queue_rules_changed
from claims.learning.admin_training import training_page
from claims.learning.uncertainty import queue_order_state, scores_missing, scoring_start
from claims.models import (
    Article,
    ClaimBuster,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    QueueOrder,
    StanceTarget,
)
from claims.models.annotation import Stance


class LabelOptionForm(forms.ModelForm):
    """Narrow boxes and short ClaimBuster names: with the admin's 20em boxes, its large text box
    and the classes' long names the options' table was twice as wide as a laptop's window."""

    class Meta:
        model = LabelOption
        fields = [
            "field",
            "value",
            "title",
            "description",
            "shortcut",
            "position",
            "takes_types",
            "claimbuster",
        ]
        widgets = {
            "value": forms.TextInput(attrs={"style": "width: 6.5em"}),
            "title": forms.TextInput(attrs={"style": "width: 7.5em"}),
            "description": forms.Textarea(attrs={"rows": 3, "style": "width: 12em"}),
            "shortcut": forms.TextInput(attrs={"style": "width: 1.5em"}),
            "position": forms.NumberInput(attrs={"style": "width: 3em"}),
        }
        labels = {"shortcut": "Key", "position": "Order", "takes_types": "Types"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claimbuster"].choices = [
            ("", "---------"),
            *((value, value.upper()) for value in ClaimBuster.values),
        ]
        self.fields["claimbuster"].help_text = "Claim values only: " + "; ".join(
            f"{value.upper()}: {label}" for value, label in ClaimBuster.choices
        )


class LabelOptionInline(admin.TabularInline):
    model = LabelOption
    form = LabelOptionForm
    extra = 0


@admin.register(LabelSchema)
class LabelSchemaAdmin(ChecksLookups, admin.ModelAdmin):
    list_display = ["name", "description"]
    inlines = [LabelOptionInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


def reviews(request, project) -> bool:
    """Tell whether the user reviews the project (None: asked of no project in particular,
    whether they review any; the objects are limited to theirs elsewhere)."""
    ids = reviewed_project_ids(request)
    if ids is None:
        return True  # a superuser
    return bool(ids) if project is None else project.pk in ids


class StanceTargetInline(admin.TabularInline):
    """The project's stance targets: its reviewers add, rename and remove unused ones."""

    model = StanceTarget
    extra = 0
    fields = ["name", "description", "position", "uses"]
    readonly_fields = ["uses"]
    # Two rows, not the admin's large text box: the table stays within a laptop's width.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})},
        models.PositiveSmallIntegerField: {
            "widget": forms.NumberInput(attrs={"style": "width: 4em"})
        },
    }

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stance_count=Count("stances"))

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class TargetForm(formset.form):
            def hand_clean_DELETE(self):
                """Refuse to remove a target stances name, in words (the admin's own refusal
                lists every stance label)."""
                if not (self.cleaned_data.get(DELETION_FIELD_NAME) and self.instance.pk):
                    return
                used = Stance.objects.filter(target_id=self.instance.pk).count()
                if used:
                    raise ValidationError(
                        f"The target {self.instance.name!r} cannot be removed: {used} stance "
                        "label(s) name it. Rename it instead."
                    )

        formset.form = TargetForm
        return formset

    @admin.display(description="stance labels")
    def uses(self, target) -> int:
        return getattr(target, "stance_count", 0)

    def has_view_permission(self, request, obj=None):
        return reviews(request, obj)

    def has_add_permission(self, request, obj=None):
        return reviews(request, obj)

    def has_change_permission(self, request, obj=None):
        return reviews(request, obj)

    def has_delete_permission(self, request, obj=None):
        return reviews(request, obj)


@admin.action(description="Train a suggestion model…", permissions=["view"])
def train_suggestion_model(modeladmin, request, queryset):
    """Open the training page of the selected project (its form chooses what and how long)."""
    projects = list(queryset[:2])
    if len(projects) != 1:
        messages.error(request, "Select one project to train a model of.")
        return None
    return HttpResponseRedirect(reverse("admin:claims_project_train", args=[projects[0].pk]))


@admin.action(description="Make gold from unanimous sentences", permissions=["view"])
def make_gold_from_unanimous(modeladmin, request, queryset):
    for project in queryset:
        review.gold_from_unanimous_started(request, project)


# What a project's reviewers may change; the rest (name, slug, schema, members) is the
# superusers'.
REVIEWER_SETTINGS = (
    "annotations_per_sentence",
    "gold_in_queue",
    "guidelines",
    "queue_order",
    "suggestion_threshold",
)


@admin.register(Project)
class ProjectAdmin(KeepsAnnotations, ProjectScopedAdmin):
    project_lookup = "pk"
    annotation_lookup = "sentence__project"
    list_display = ["name", "slug", "schema", "annotations_per_sentence", "review", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [StanceTargetInline, MembershipInline]
    actions = [make_gold_from_unanimous, train_suggestion_model]
    fieldsets = [
        (None, {"fields": ["name", "slug", "schema"]}),
        ("Annotation", {"fields": ["annotations_per_sentence", "gold_in_queue", "guidelines"]}),
        (
            "Suggestions and queue order",
            {"fields": ["suggestion_threshold", "queue_order", "queue_order_state"]},
        ),
    ]

    def has_change_permission(self, request, obj=None):
        # A project's reviewers change its settings (REVIEWER_SETTINGS) without Django's
        # model permissions; other staff never reach a project they do not review.
        if super().has_change_permission(request, obj):
            return True
        return reviews(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fixed = ["queue_order_state"]
        if self.settings_only(request):
            fixed += ["name", "slug", "schema"]
        return fixed

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.settings_only(request) else super().get_prepopulated_fields(request, obj)

    def settings_only(self, request) -> bool:
        """Tell whether the user changes only REVIEWER_SETTINGS (a reviewer, no superuser)."""
        return not super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "gold_in_queue" in form.changed_data:
            queue_rules_changed(obj)
        if obj.queue_order == QueueOrder.UNCERTAIN and "queue_order" in form.changed_data:
            uncertain_first_explained(request, obj)

    @admin.display(description="what orders the queue")
    def queue_order_state(self, project):
        if project is None or project.pk is None:
            return "-"
        return queue_order_state(project).message

    def get_urls(self):
        def route(suffix: str, view, name: str):
            return path(
                f"<int:project_id>/{suffix}/",
                self.admin_site.admin_view(partial(view, self)),
                name=name,
            )

        return [
            route("agreement", review.agreement_page, "claims_project_agreement"),
            route("disagreements", review.disagreements_page, "claims_project_disagreements"),
            route("export", exports.export_page, "claims_project_export"),
            route("train", training_page, "claims_project_train"),
            *super().get_urls(),
        ]

    @admin.display(description="review")
    def review(self, project):
        return format_html(
            '<a href="{}">agreement</a> · <a href="{}">disagreements</a> · <a href="{}">export</a>'
            ' · <a href="{}">train</a> · <a href="{}?project={}">models</a>',
            reverse("admin:claims_project_agreement", args=[project.pk]),
            reverse("admin:claims_project_disagreements", args=[project.pk]),
            reverse("admin:claims_project_export", args=[project.pk]),
            reverse("admin:claims_project_train", args=[project.pk]),
            reverse("admin:learning_suggestionmodel_changelist"),
            project.pk,
        )


def uncertain_first_explained(request, project: Project) -> None:
    """Tell the reviewer who chose *uncertain first* whether it can order the queue (and start
    the scoring when the active model never scored it)."""
    if scores_missing(project):
        job = scoring_start(project=project, user=request.user)
        link = format_html('<a href="{}">job {}</a>', job.get_absolute_url(), job.pk)
        messages.info(request, format_html("The active model is scoring the queue ({}).", link))
        return
    state = queue_order_state(project)
    if not state.ordered:
        messages.warning(request, state.message)


@admin.register(Membership)
class MembershipAdmin(ChecksLookups, admin.ModelAdmin):
    list_display = ["user", "project", "role", "created_at"]
    list_filter = ["project", "role"]
    list_select_related = ["user", "project"]
    autocomplete_fields = ["user"]


# An article's page shows this much of its text.
TEXT_SHOWN = 20_000


@admin.register(Article)
class ArticleAdmin(KeepsAnnotations, ProjectScopedAdmin):
    annotation_lookup = "sentence__article"
    list_display = ["title", "external_id", "project_name", "source", "published"]
    list_filter = [ProjectFilter, "source"]
    list_select_related = ["project"]
    search_fields = ["title", "external_id", "text"]
    # Sentences are offsets into the text: it stays as imported (import_articles or the API).
    readonly_fields = ["project", "external_id", "text_shown", "content_hash", "created_at"]
    exclude = ["text"]  # shown by text_shown, cut short when long
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [SentenceInline]
    actions = [export_articles_jsonl]

    @admin.display(description="text")
    def text_shown(self, article) -> str:
        """The text, or its start when it is long (the page stays small; the API has it all)."""
        if len(article.text) <= TEXT_SHOWN:
            return article.text
        return format_html(
            "{}<br><em>… the first {} of {} characters; the whole text: {}</em>",
            article.text[:TEXT_SHOWN], f"{TEXT_SHOWN:,}", f"{len(article.text):,}",
            reverse("api-article-text", args=[article.pk]),
        )  # fmt: skip

    def has_add_permission(self, request):
        return False

    @admin.display(description="project", ordering="project__name")
    def project_name(self, article):
        return article.project.name  # as text: a foreign key's column would not wrap
