"""Annotations and their history in the admin: read-only, because writes go through services.

An annotator's own work changes only through the API and the labeling page; gold changes
only through the adjudication page. Both write an AnnotationEvent for every change, which a
plain admin change form would not, so nothing here can add, change or delete an annotation.
"""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from claims.admin.filters import (
    AnnotatorFilter,
    ClaimLabelFilter,
    ProjectFilter,
    StanceLabelFilter,
)
from claims.admin.history import HistoryNames, pretty_json
from claims.admin.scoping import ProjectScopedAdmin, ReadOnly, ReviewerMayView
from claims.models import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    Attribution,
    SpanRole,
    Speaker,
    Stance,
)
from claims.selectors import AliasesText


class ReadOnlyInline(ReadOnly, ReviewerMayView, admin.TabularInline):
    extra = 0
    can_delete = False


class AttributionInline(ReadOnlyInline):
    model = Attribution
    fields = ["position", "speaker", "source", "cue", "content", "quote_type", "suggested"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker", "annotation__sentence")

    @admin.display(description="source")
    def source(self, attribution):
        return span_text(attribution, SpanRole.SOURCE)

    @admin.display(description="cue")
    def cue(self, attribution):
        return span_text(attribution, SpanRole.CUE)

    @admin.display(description="content")
    def content(self, attribution):
        return span_text(attribution, SpanRole.CONTENT)


def span_text(attribution: Attribution, role: SpanRole) -> str:
    span = attribution.span(role)
    if span is None:
        return "-"
    start, end = span
    return f"[{start}:{end}] {attribution.annotation.sentence.text[start:end]}"


class StanceInline(ReadOnlyInline):
    model = Stance
    fields = ["target", "label"]
    readonly_fields = fields


def changed_keys(event: AnnotationEvent) -> str:
    """Return which parts of the annotation the event changed, e.g. "claim, stance"."""
    if not event.before:
        return "created"
    after = event.after or {}
    keys = sorted(k for k in {*event.before, *after} if event.before.get(k) != after.get(k))
    return ", ".join(keys) or "-"


def names_for(event: AnnotationEvent) -> HistoryNames:
    """Return the names for the event's payloads (looked up for the inline all at once)."""
    names = getattr(event, "history_names", None)
    if names is None:
        names = event.history_names = HistoryNames.of([event])
    return names


class EventColumns:
    """Columns that show what a history event changed, for the inline and the changelist."""

    class Media:
        css = {"all": ["claims/history.css"]}

    @admin.display(description="changed")
    def changed(self, event):
        return changed_keys(event)

    @admin.display(description="before")
    def before_json(self, event):
        return pretty_json(event.before, names_for(event))

    @admin.display(description="after")
    def after_json(self, event):
        return pretty_json(event.after, names_for(event))


class EventFormSet(BaseInlineFormSet):
    """Name the speakers and targets of every event of the annotation in a few queries."""

    def get_queryset(self):
        if not hasattr(self, "_queryset"):
            events = super().get_queryset()
            names = HistoryNames.of(events)
            for event in events:
                event.history_names = names
        return self._queryset


class EventInline(EventColumns, ReadOnlyInline):
    """The annotation's history, newest first."""

    model = AnnotationEvent
    formset = EventFormSet
    fk_name = "annotation"
    fields = ["created_at", "actor", "action", "version", "changed", "before_json", "after_json"]
    readonly_fields = fields
    verbose_name_plural = "history"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


def annotation_link(annotation: Annotation | None) -> str:
    """Return a link to the annotation, named by its kind and its annotator's username."""
    if annotation is None:
        return "-"
    url = reverse("admin:claims_annotation_change", args=[annotation.pk])
    who = annotation.annotator.username
    kind = "gold by" if annotation.kind == AnnotationKind.GOLD else "annotation by"
    return format_html('<a href="{}">{} {}</a>, version {}', url, kind, who, annotation.version)


def adjudication_link(sentence_id: int) -> str:
    url = reverse("admin:claims_sentence_adjudicate", args=[sentence_id])
    return format_html('<a href="{}">adjudicate</a>', url)


@admin.register(Annotation)
class AnnotationAdmin(ReadOnly, ProjectScopedAdmin):
    project_lookup = "sentence__project"
    # Narrow enough for a laptop's admin beside the filters: who and what in two columns.
    list_display = ["sentence_text", "who", "labels", "updated", "review"]
    list_filter = [
        ProjectFilter,
        AnnotatorFilter,
        "kind",
        "status",
        ClaimLabelFilter,
        StanceLabelFilter,
        "updated_at",
    ]
    list_select_related = ["sentence__project", "annotator"]
    # Searched by get_search_results: sentence text, speaker names and aliases.
    search_fields = ["sentence__text"]
    search_help_text = "Sentence text, or a speaker's name or alias."
    ordering = ["-updated_at", "-id"]
    list_per_page = 50
    # Facet counts would scan the annotations once per filter choice.
    show_facets = admin.ShowFacets.NEVER
    fields = [
        "sentence_link",
        "project",
        "annotator",
        "kind",
        "based_on_shown",
        "status",
        "claim",
        "claim_types",
        "skip_reason",
        "lead_time_ms",
        "version",
        "created_at",
        "updated_at",
        "review",
    ]
    readonly_fields = fields
    inlines = [AttributionInline, StanceInline, EventInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("stances", queryset=Stance.objects.select_related("target")),
                Prefetch("attributions", queryset=Attribution.objects.select_related("speaker")),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        term = " ".join(search_term.split())
        if not term:
            return queryset, False
        speakers = Speaker.objects.alias(aliases_text=AliasesText("aliases")).filter(
            Q(name__icontains=term) | Q(aliases_text__icontains=term)
        )
        spoken = Attribution.objects.filter(annotation=OuterRef("pk"), speaker__in=speakers)
        return queryset.filter(Q(sentence__text__icontains=term) | Exists(spoken)), False

    @admin.display(description="sentence", ordering="sentence__text")
    def sentence_text(self, annotation):
        return format_html(
            '{}<br><span class="quiet">{}</span>',
            Truncator(annotation.sentence.text).chars(80),
            annotation.sentence.project.name,
        )

    @admin.display(description="sentence")
    def sentence_link(self, annotation):
        url = reverse("admin:claims_sentence_change", args=[annotation.sentence_id])
        return format_html('<a href="{}">{}</a>', url, annotation.sentence.text)

    @admin.display(description="based on")
    def based_on_shown(self, annotation):
        return annotation_link(annotation.based_on)

    @admin.display(description="project", ordering="sentence__project__name")
    def project(self, annotation):
        return annotation.sentence.project.name

    @admin.display(description="by", ordering="annotator__username")
    def who(self, annotation):
        state = "gold" if annotation.kind == "gold" else annotation.get_status_display().lower()
        return format_html("{}<br>{}, v{}", annotation.annotator, state, annotation.version)

    @admin.display(description="labels")
    def labels(self, annotation):
        """The claim (and types), the stances and the speakers, a line each where given."""
        claim = annotation.claim or "no claim label"
        if annotation.claim_types:
            claim += f" ({', '.join(annotation.claim_types)})"
        lines = [claim]
        stances = [f"{s.target}: {s.label}" for s in annotation.stances.all()]
        if stances:
            lines.append("stance " + "; ".join(Truncator(s).chars(40) for s in stances))
        speakers = [a.speaker.name for a in annotation.attributions.all() if a.speaker]
        if speakers:
            lines.append("speakers: " + ", ".join(speakers))
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    @admin.display(description="updated", ordering="updated_at")
    def updated(self, annotation):
        return f"{annotation.updated_at:%Y-%m-%d %H:%M}"

    @admin.display(description="claim types")
    def claim_types_shown(self, annotation):
        return ", ".join(annotation.claim_types) or "-"

    @admin.display(description="stance")
    def stance_labels(self, annotation):
        return ", ".join(s.label for s in annotation.stances.all()) or "-"

    @admin.display(description="speakers")
    def speakers(self, annotation):
        names = [a.speaker.name for a in annotation.attributions.all() if a.speaker]
        return ", ".join(names) or "-"

    @admin.display(description="review")
    def review(self, annotation):
        return adjudication_link(annotation.sentence_id)


@admin.register(AnnotationEvent)
class AnnotationEventAdmin(ReadOnly, EventColumns, ProjectScopedAdmin):
    """Every change to an annotation or to gold: who, when, before and after."""

    project_lookup = "sentence__project"
    list_display = ["when", "action", "who", "sentence_text", "changed"]
    list_filter = [ProjectFilter, "action", "created_at"]
    list_select_related = ["actor", "annotation", "sentence"]
    ordering = ["-created_at", "-id"]
    fields = [
        "created_at",
        "action",
        "actor",
        "annotation_shown",
        "sentence",
        "version",
        "changed",
        "before_json",
        "after_json",
    ]
    readonly_fields = fields

    @admin.display(description="sentence")
    def sentence_text(self, event):
        return Truncator(event.sentence.text).chars(60)

    @admin.display(description="when", ordering="created_at")
    def when(self, event):
        return f"{event.created_at:%Y-%m-%d %H:%M}"

    @admin.display(description="by", ordering="actor__username")
    def who(self, event):
        kind = event.annotation.kind if event.annotation else "deleted"
        return format_html("{}<br>{}, v{}", event.actor, kind, event.version)

    @admin.display(description="annotation")
    def annotation_shown(self, event):
        return annotation_link(event.annotation) if event.annotation_id else "deleted"

    @admin.display(description="kind")
    def kind(self, event):
        return event.annotation.kind if event.annotation else "-"
