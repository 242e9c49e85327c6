"""Speakers in the admin: edit, merge duplicates, delete unused ones; reviewers of the project.

Every write goes through claims.services.speaker_curation, which checks the reviewer again.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from claims.admin.filters import ProjectFilter
from claims.admin.scoping import ProjectScopedAdmin, ReadOnly, reviewed_project_ids, scoped
from claims.errors import InvalidInput
from claims.models import Attribution, Project, Speaker, SpeakerKey, SpeakerKeyOrigin, SpeakerMerge
from claims.services.speaker_curation import (
    in_use_message,
    learnt_aliases_forget,
    merge_plan,
    speaker_clashes,
    speaker_delete,
    speaker_save,
    speaker_uses,
    speakers_merge,
)


class AliasesField(forms.CharField):
    """A list of aliases typed one a line (stored as a JSON list)."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 40})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        lines = (" ".join(line.split()) for line in (value or "").splitlines())
        return [line for line in lines if line]


class SpeakerForm(forms.ModelForm):
    aliases = AliasesField(
        required=False,
        help_text="One alias a line: other names annotators may type or the text may use "
        '("Lavrov", "the Russian top diplomat"). No other speaker may have them.',
    )

    class Meta:
        model = Speaker
        fields = ["project", "name", "kind", "aliases"]

    def clean(self):
        data = super().clean()
        project = data.get("project") or (self.instance.pk and self.instance.project)
        if project and data.get("name"):
            clashes = speaker_clashes(project, data["name"], data["aliases"], self.instance)
            for field, problems in clashes.items():
                for problem in problems:
                    self.add_error(field, problem)
        return data


def curates(request, speaker: Speaker | None = None) -> bool:
    """Tell whether the user reviews the speaker's project (any project, for None)."""
    ids = reviewed_project_ids(request)
    if ids is None:
        return True
    return speaker.project_id in ids if speaker is not None else bool(ids)


class UseFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", "named by no attribution"), ("used", "named by attributions")]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.filter(attribution_count=0)
        if self.value() == "used":
            return queryset.filter(attribution_count__gt=0)
        return queryset


@admin.action(description="Merge the selected speakers into one…", permissions=["change"])
def merge_speakers(modeladmin, request, queryset):
    """Show what a merge would change, then merge into the speaker chosen to keep."""
    speakers = list(queryset.select_related("project").order_by("name", "pk"))
    projects = {s.project_id for s in speakers}
    if len(speakers) < 2 or len(projects) > 1:
        modeladmin.message_user(
            request, "Select two or more speakers of one project to merge.", messages.ERROR
        )
        return None
    chosen = request.POST.get("kept")
    if request.POST.get("confirm") == "yes" and chosen:
        return merge_confirmed(modeladmin, request, speakers, chosen)
    uses = speaker_uses([s.pk for s in speakers])
    options = [
        merge_plan(kept=kept, removed=[s for s in speakers if s.pk != kept.pk])
        for kept in sorted(speakers, key=lambda s: (-uses[s.pk].attributions, s.pk))
    ]
    return TemplateResponse(
        request,
        "admin/claims/speaker/merge.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": f"Merge {len(speakers)} speakers of {speakers[0].project}",
            "speakers": speakers,
            "uses": uses,
            "options": options,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def merge_confirmed(modeladmin, request, speakers: list[Speaker], chosen: str):
    kept = next((s for s in speakers if str(s.pk) == chosen), None)
    if kept is None:
        modeladmin.message_user(request, "Choose one of the selected speakers.", messages.ERROR)
        return None
    removed = [s for s in speakers if s.pk != kept.pk]
    try:
        result = speakers_merge(kept=kept, removed=removed, actor=request.user)
    except (InvalidInput, PermissionDenied) as refused:
        modeladmin.message_user(request, f"Nothing merged: {refused}", messages.ERROR)
        return None
    modeladmin.message_user(
        request,
        f"Merged {', '.join(repr(n) for n in result.removed)} into {result.kept.name!r}: "
        f"{result.attributions} attribution(s) in {result.annotations} annotation(s) re-pointed, "
        "each change recorded in the annotation's history.",
    )
    return None


class LearntAliasInline(admin.TabularInline):
    """What annotations taught: each source text linked to the speaker, and how many
    annotations link it now. Removing one forgets it until annotations link it again."""

    model = SpeakerKey
    fk_name = "speaker"
    fields = ["text", "uses"]
    readonly_fields = ["text", "uses"]
    extra = 0
    verbose_name = "learnt alias"
    verbose_name_plural = (
        "Learnt aliases: source texts annotations link to this speaker (proposed for it "
        "later); delete one to forget it"
    )

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows.filter(origin=SpeakerKeyOrigin.LEARNT, uses__gt=0).order_by("-uses", "text")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return curates(request, obj)

    def has_delete_permission(self, request, obj=None):
        return curates(request, obj)

    def has_view_permission(self, request, obj=None):
        return curates(request, obj)


@admin.register(Speaker)
class SpeakerAdmin(ProjectScopedAdmin):
    form = SpeakerForm
    inlines = [LearntAliasInline]
    list_display = ["name", "kind", "project", "aliases_shown", "attributions"]
    list_filter = [ProjectFilter, "kind", UseFilter]
    list_select_related = ["project"]
    search_fields = ["name", "aliases"]
    actions = [merge_speakers, "delete_selected"]

    def get_queryset(self, request):
        # A subquery per listed row (not a GROUP BY over every attribution of the project).
        named = (
            Attribution.objects.filter(speaker=OuterRef("pk"))
            .order_by()
            .values("speaker")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(attribution_count=Coalesce(Subquery(named), 0, output_field=IntegerField()))
        )

    def get_readonly_fields(self, request, obj=None):
        # Attributions point at the speaker: it stays in its project.
        return ["project"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project":
            kwargs["queryset"] = scoped(Project.objects.order_by("name"), request, "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) or curates(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or curates(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or curates(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InvalidInput as error:
            # Another curator took the name between the form's check and the save: nothing was
            # stored; say so on the same form rather than fail the request.
            for line in error.lines():
                messages.error(request, f"Not saved: {line}")
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        speaker_save(
            project=obj.project, name=data["name"], kind=data["kind"], aliases=data["aliases"],
            actor=request.user, speaker=obj,
        )  # fmt: skip

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not SpeakerKey:
            return super().save_formset(request, form, formset, change)
        forgotten = [f.instance for f in formset.deleted_forms if f.instance.pk]
        learnt_aliases_forget(
            speaker=form.instance, key_ids=[k.pk for k in forgotten], actor=request.user
        )
        # What the admin's change message reads (formset.save() would have set it).
        formset.new_objects, formset.changed_objects = [], []
        formset.deleted_objects = forgotten
        return None

    def delete_model(self, request, obj):
        speaker_delete(speaker=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for speaker in queryset:
            speaker_delete(speaker=speaker, actor=request.user)

    def get_deleted_objects(self, objs, request):
        """Say which speakers are in use (and what to do) instead of listing attributions."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        speakers = list(objs)
        uses = speaker_uses([s.pk for s in speakers])
        used = [in_use_message(s, uses[s.pk]) for s in speakers if uses[s.pk].attributions]
        return deleted, counts, perms_needed, used

    @admin.display(description="aliases")
    def aliases_shown(self, speaker):
        return ", ".join(speaker.aliases) or "-"

    @admin.display(description="attributions", ordering="attribution_count")
    def attributions(self, speaker):
        return speaker.attribution_count


@admin.register(SpeakerMerge)
class SpeakerMergeAdmin(ReadOnly, ProjectScopedAdmin):
    """The record of merges: who merged which speaker into which, and how much it changed."""

    list_display = ["created_at", "removed_name", "kept_link", "attributions", "annotations",
                    "actor", "project"]  # fmt: skip
    list_filter = [ProjectFilter, "created_at"]
    list_select_related = ["project", "actor", "kept"]
    search_fields = ["removed_name", "kept_name"]

    @admin.display(description="merged into", ordering="kept_name")
    def kept_link(self, merge):
        if merge.kept_id is None:
            return merge.kept_name
        url = reverse("admin:claims_speaker_change", args=[merge.kept_id])
        return format_html('<a href="{}">{}</a>', url, merge.kept_name)
