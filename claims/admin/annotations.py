from django.contrib import admin

from claims.models import Annotation, AnnotationEvent, Attribution, Stance


class AttributionInline(admin.TabularInline):
    model = Attribution
    extra = 0
    autocomplete_fields = ["speaker"]


class StanceInline(admin.TabularInline):
    model = Stance
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["sentence", "annotator", "kind", "status", "claim", "version", "updated_at"]
    list_filter = ["kind", "status", "claim", "sentence__project", "updated_at"]
    list_select_related = ["sentence", "annotator"]
    search_fields = ["sentence__text", "annotator__username"]
    raw_id_fields = ["sentence", "based_on"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [AttributionInline, StanceInline]


@admin.register(AnnotationEvent)
class AnnotationEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "annotation", "version"]
    list_filter = ["action"]
    list_select_related = ["actor", "annotation"]
    readonly_fields = ["annotation", "sentence", "actor", "action", "version", "before", "after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
