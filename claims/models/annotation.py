"""Annotations of a sentence (an annotator's own, or a reviewer's gold), with history."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from claims.models.article import Sentence
from claims.models.project import Speaker, StanceTarget


class AnnotationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"


class AnnotationKind(models.TextChoices):
    """An annotator's own work, or the adjudicated gold copy (one per sentence)."""

    ANNOTATOR = "annotator", "Annotator"
    GOLD = "gold", "Gold"


DONE_STATUSES = (AnnotationStatus.SUBMITTED, AnnotationStatus.SKIPPED)


class AnnotationQuerySet(models.QuerySet):
    def annotators_work(self) -> "AnnotationQuerySet":
        """Return annotators' own annotations (not gold)."""
        return self.filter(kind=AnnotationKind.ANNOTATOR)

    def done(self) -> "AnnotationQuerySet":
        """Return annotators' annotations that count as done: submitted or skipped."""
        return self.annotators_work().filter(status__in=DONE_STATUSES)

    def submitted(self) -> "AnnotationQuerySet":
        return self.filter(status=AnnotationStatus.SUBMITTED)

    def gold(self) -> "AnnotationQuerySet":
        return self.filter(kind=AnnotationKind.GOLD)


class Annotation(models.Model):
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="annotations")
    # For gold, the annotator is the reviewer who adjudicated it.
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_annotations"
    )
    kind = models.CharField(
        max_length=10, choices=AnnotationKind.choices, default=AnnotationKind.ANNOTATOR
    )
    claim = models.CharField(max_length=50, blank=True, help_text="Empty until chosen.")
    claim_types = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT
    )
    skip_reason = models.CharField(max_length=500, blank=True)
    lead_time_ms = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    # Gold only: the annotation it was copied from, if any.
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["sentence_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sentence", "annotator"],
                condition=Q(kind=AnnotationKind.ANNOTATOR),
                name="annotation_one_per_annotator",
            ),
            models.UniqueConstraint(
                fields=["sentence"],
                condition=Q(kind=AnnotationKind.GOLD),
                name="annotation_one_gold_per_sentence",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AnnotationStatus.values), name="annotation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AnnotationKind.values), name="annotation_kind_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
        ]
        indexes = [
            models.Index(fields=["sentence", "kind", "status"], name="annotation_by_sentence"),
            models.Index(fields=["annotator", "kind", "status"], name="annotation_by_annotator"),
            models.Index(fields=["updated_at"], name="annotation_updated"),
        ]

    def __str__(self) -> str:
        # Shown in the admin's titles and history: the username, not the user's id.
        return f"{self.kind} by {self.annotator.username} on sentence {self.sentence_id}"


def has_gold() -> Exists:
    """Return the condition on sentences (the query's rows): the sentence has gold."""
    return Exists(Annotation.objects.filter(sentence=OuterRef("pk"), kind=AnnotationKind.GOLD))


def gold_before_work() -> Q:
    """Return the condition on sentences: gold and no annotator's annotation (imported gold)."""
    work = Annotation.objects.filter(sentence=OuterRef("pk"), kind=AnnotationKind.ANNOTATOR)
    return Q(has_gold()) & ~Q(Exists(work))


def sentences_to_label(sentences: QuerySet, *, gold_too: bool) -> QuerySet:
    """Return the queue sentences that are annotators' work, as the queue and progress count.

    Unless gold is handed out too (``gold_too``, the project's ``gold_in_queue``), a sentence
    that had gold before any annotator's annotation (imported training labels) is not: the
    queue never offers it. A sentence annotated before its gold was made (adjudicated) is.
    """
    queue = sentences.in_queue()
    return queue if gold_too else queue.exclude(gold_before_work())


def sentences_to_label_by_project(sentences: QuerySet) -> QuerySet:
    """Return ``sentences_to_label`` of several projects, each by its own ``gold_in_queue``."""
    return sentences.in_queue().exclude(Q(project__gold_in_queue=False) & gold_before_work())


class QuoteType(models.TextChoices):
    DIRECT = "direct", "Direct"
    INDIRECT = "indirect", "Indirect"
    MIXED = "mixed", "Mixed"


class SpanRole(models.TextChoices):
    """The spans of an attribution: who (source), the reporting phrase (cue), what (content)."""

    SOURCE = "source", "Source"
    CUE = "cue", "Cue"
    CONTENT = "content", "Content"

    @property
    def fields(self) -> tuple[str, str]:
        """Return the names of Attribution's start and end columns for this span."""
        return f"{self.value}_start", f"{self.value}_end"


def span_constraints(role: SpanRole) -> list[models.CheckConstraint]:
    """Return constraints making a span either absent or a non-empty, ordered range."""
    start, end = role.fields
    absent = Q(**{f"{start}__isnull": True, f"{end}__isnull": True})
    ordered = Q(**{f"{start}__isnull": False, f"{end}__isnull": False, f"{end}__gt": F(start)})
    return [models.CheckConstraint(condition=absent | ordered, name=f"attribution_{role}_span")]


class Attribution(models.Model):
    """Who says the sentence's content: source, cue and content spans, relative to the sentence."""

    annotation = models.ForeignKey(
        Annotation, on_delete=models.CASCADE, related_name="attributions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    speaker = models.ForeignKey(
        Speaker, on_delete=models.PROTECT, null=True, blank=True, related_name="attributions"
    )
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    content_start = models.PositiveIntegerField(null=True, blank=True)
    content_end = models.PositiveIntegerField(null=True, blank=True)
    quote_type = models.CharField(max_length=10, choices=QuoteType.choices, blank=True)
    # True when the spans were proposed by the suggester and accepted unchanged.
    suggested = models.BooleanField(default=False)

    class Meta:
        ordering = ["annotation_id", "position"]
        constraints = [
            *(constraint for role in SpanRole for constraint in span_constraints(role)),
            models.CheckConstraint(
                condition=Q(quote_type__in=[*QuoteType.values, ""]),
                name="attribution_quote_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"attribution {self.position} of {self.annotation_id}"

    def span(self, role: SpanRole) -> tuple[int, int] | None:
        """Return the (start, end) of the role's span, or None when it is not marked."""
        start, end = (getattr(self, name) for name in SpanRole(role).fields)
        return None if start is None else (start, end)

    def set_span(self, role: SpanRole, span: tuple[int, int] | None) -> None:
        for name, value in zip(SpanRole(role).fields, span or (None, None), strict=True):
            setattr(self, name, value)


class Stance(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="stances")
    target = models.ForeignKey(StanceTarget, on_delete=models.PROTECT, related_name="stances")
    label = models.CharField(max_length=50)

    class Meta:
        ordering = ["annotation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "target"], name="stance_one_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.label} toward {self.target_id}"


class AnnotationEvent(models.Model):
    """One change to an annotation or to gold: who, when, and the payload before and after."""

    annotation = models.ForeignKey(
        Annotation, on_delete=models.SET_NULL, null=True, related_name="events"
    )
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_events"
    )
    action = models.CharField(max_length=20)
    version = models.PositiveIntegerField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["annotation", "created_at"], name="event_by_annotation")]

    def __str__(self) -> str:
        return f"{self.action} v{self.version} by {self.actor.username}"
