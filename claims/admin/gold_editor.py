"""The reviewers' gold editor on the adjudication page: the labeling page's editor (its ES
modules and templates) given one sentence, the labels to start from, and the annotators'
attributions as suggestions to accept."""

from typing import Any

from django.middleware.csrf import get_token
from django.urls import reverse

from claims.content import content_of
from claims.content.records import attribution_record
from claims.labeling.page import editor_config
from claims.labels import ProjectLabels
from claims.models import Annotation, AnnotationKind, AnnotationStatus, Project, Sentence


def annotators_attributions(annotations: list[Annotation]) -> list[dict[str, Any]]:
    """Return the submitted annotations' attributions, each once, naming who made it."""
    found: dict[tuple, dict[str, Any]] = {}
    for annotation in annotations:
        if (annotation.kind, annotation.status) != (
            AnnotationKind.ANNOTATOR,
            AnnotationStatus.SUBMITTED,
        ):
            continue
        who = annotation.annotator.username
        for attribution in content_of(annotation).attributions:
            if attribution.key in found:
                found[attribution.key]["from"] += f", {who}"
            else:
                record = attribution_record(attribution, annotation.sentence.text)
                found[attribution.key] = {**record, "suggested": True, "from": who}
    return list(found.values())


def gold_item(
    sentence: Sentence, annotations: list[Annotation], start: dict[str, Any] | None
) -> dict[str, Any]:
    """Return the editor's item: the sentence, the labels to start from (`start`, a record as
    the API shows annotations, or None), and the annotators' speakers, which the picker
    offers after the server's candidates."""
    suggestions = annotators_attributions(annotations)
    used: dict[int, dict[str, Any]] = {}
    for s in suggestions:
        if s["speaker"]:
            used.setdefault(s["speaker"]["id"], {"speaker": s["speaker"], "note": s["from"]})
    return {
        "sentence": {"id": sentence.id, "index": sentence.index, "text": sentence.text},
        "article": {"id": sentence.article_id, "source": sentence.article.source},
        "annotation": start,
        "suggestions": {"attributions": suggestions, "claim": None},
        "extra_speakers": list(used.values()),
        "quotation": None,
    }


def gold_editor_config(
    request, project: Project, labels: ProjectLabels, item: dict[str, Any]
) -> dict[str, Any]:
    """Return the editor's config for the admin: offsets shown as a detail, speakers searched
    through the API."""
    urls = {
        "speakers": reverse("api-speakers", args=[project.slug]),
        "candidates": reverse("api-speaker-candidates", args=[0]).replace("/0/", "/{id}/"),
    }
    config = editor_config(labels, urls=urls, csrf_token=get_token(request))
    return {**config, "showOffsets": True, "item": item}
