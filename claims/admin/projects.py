"""Projects, their label schemas and members, and articles, with links to the review pages."""

from functools import partial

from django.contrib import admin
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html

from claims.admin import exports, review
from claims.admin.actions import export_articles_jsonl
from claims.admin.filters import ProjectFilter
from claims.admin.scoping import ChecksLookups, KeepsAnnotations, ProjectScopedAdmin
from claims.admin.sentences import SentenceInline
from claims.learning import admin as learning_admin
from claims.models import (
    Article,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    StanceTarget,
)


class LabelOptionInline(admin.TabularInline):
    model = LabelOption
    extra = 0


@admin.register(LabelSchema)
class LabelSchemaAdmin(ChecksLookups, admin.ModelAdmin):
    list_display = ["name", "description"]
    inlines = [LabelOptionInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class StanceTargetInline(admin.TabularInline):
    model = StanceTarget
    extra = 0


@admin.action(description="Train a suggestion model on the gold", permissions=["view"])
def train_suggestion_model(modeladmin, request, queryset):
    for project in queryset:
        learning_admin.training_started(request, project)


@admin.action(description="Make gold from unanimous sentences", permissions=["view"])
def make_gold_from_unanimous(modeladmin, request, queryset):
    for project in queryset:
        review.gold_from_unanimous_started(request, project)


@admin.register(Project)
class ProjectAdmin(KeepsAnnotations, ProjectScopedAdmin):
    project_lookup = "pk"
    annotation_lookup = "sentence__project"
    list_display = ["name", "slug", "schema", "annotations_per_sentence", "review", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [StanceTargetInline, MembershipInline]
    actions = [make_gold_from_unanimous, train_suggestion_model]

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
            *super().get_urls(),
        ]

    @admin.display(description="review")
    def review(self, project):
        return format_html(
            '<a href="{}">agreement</a> · <a href="{}">disagreements</a> · <a href="{}">export</a>'
            ' · <a href="{}?project={}">models</a>',
            reverse("admin:claims_project_agreement", args=[project.pk]),
            reverse("admin:claims_project_disagreements", args=[project.pk]),
            reverse("admin:claims_project_export", args=[project.pk]),
            reverse("admin:learning_suggestionmodel_changelist"),
            project.pk,
        )


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
    list_display = ["title", "external_id", "project", "source", "published", "created_at"]
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
