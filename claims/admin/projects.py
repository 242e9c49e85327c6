from django.contrib import admin

from claims.models import (
    Article,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    Sentence,
    Speaker,
    StanceTarget,
)


class LabelOptionInline(admin.TabularInline):
    model = LabelOption
    extra = 0


@admin.register(LabelSchema)
class LabelSchemaAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    inlines = [LabelOptionInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class StanceTargetInline(admin.TabularInline):
    model = StanceTarget
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "schema", "annotations_per_sentence", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [StanceTargetInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role", "created_at"]
    list_filter = ["project", "role"]
    list_select_related = ["user", "project"]
    autocomplete_fields = ["user"]


class SentenceInline(admin.TabularInline):
    model = Sentence
    fields = ["index", "kind", "start", "end", "text"]
    readonly_fields = ["index", "start", "end", "text"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "external_id", "project", "source", "published", "created_at"]
    list_filter = ["project", "source"]
    list_select_related = ["project"]
    search_fields = ["title", "external_id", "text"]
    readonly_fields = ["content_hash", "created_at"]
    inlines = [SentenceInline]


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "index", "kind"]
    list_filter = ["project", "kind"]
    list_select_related = ["article"]
    search_fields = ["text"]
    readonly_fields = ["project", "article", "index", "start", "end", "text"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "project", "aliases"]
    list_filter = ["project", "kind"]
    list_select_related = ["project"]
    search_fields = ["name", "aliases"]
