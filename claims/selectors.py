"""Reads that the API, the pages and the services share."""

from django.db.models import Prefetch, QuerySet

from claims.models import (
    Annotation,
    AnnotationKind,
    Attribution,
    LabelField,
    LabelOption,
    Project,
    Stance,
    StanceTarget,
)
from claims.payloads import LabelContext


def label_context(project: Project) -> LabelContext:
    """Return the project's allowed label values and targets (two queries)."""
    options = LabelOption.objects.filter(schema_id=project.schema_id).values_list("field", "value")
    by_field: dict[str, set[str]] = {field: set() for field in LabelField.values}
    for field, value in options:
        by_field[field].add(value)
    targets = StanceTarget.objects.filter(project=project).values_list("name", "id")
    return LabelContext(
        claims=frozenset(by_field[LabelField.CLAIM]),
        claim_types=frozenset(by_field[LabelField.CLAIM_TYPE]),
        stances=frozenset(by_field[LabelField.STANCE]),
        target_ids=dict(targets),
    )


def annotations_with_details(queryset: QuerySet[Annotation] | None = None) -> QuerySet[Annotation]:
    """Return annotations with everything a record needs, in a fixed number of queries."""
    queryset = Annotation.objects.all() if queryset is None else queryset
    return queryset.select_related("annotator", "sentence").prefetch_related(
        Prefetch("attributions", queryset=Attribution.objects.select_related("speaker")),
        Prefetch("stances", queryset=Stance.objects.select_related("target")),
    )


def annotation_of(*, sentence_id: int, user_id: int, kind: str = AnnotationKind.ANNOTATOR):
    """Return the user's own annotation of the sentence (or its gold), with details, or None."""
    queryset = Annotation.objects.filter(sentence_id=sentence_id, kind=kind)
    if kind == AnnotationKind.ANNOTATOR:
        queryset = queryset.filter(annotator_id=user_id)
    return annotations_with_details(queryset).first()
