"""Write a whole project as JSONL without database ids: the backup import_project restores.

Lines, in this order (docs/export-format.md, "Project backup"): header, project (with its
label schema and settings), targets, members, speakers, speaker merges, suggestion models,
then per article (in creation order) the article with its text and sentences, its
annotations, its history events, its predictions and its uncertainty scores; last a trailer
with the counts, so a truncated file is refused. Everything refers to everything else by name
(article external id, sentence index, username, speaker name, target name, model version),
and keys are sorted, so the same project gives the same bytes from any database.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from claims.backup.owned import (
    SpeakerNames,
    merge_lines,
    model_lines,
    prediction_lines,
    score_lines,
    timestamp,
)
from claims.learning.models import SuggestionModel
from claims.models import (
    Annotation,
    AnnotationEvent,
    Article,
    Attribution,
    LabelOption,
    Membership,
    Project,
    Sentence,
    SpanRole,
    Speaker,
    Stance,
    StanceTarget,
)

FORMAT_NAME = "claims-project"
# Version 2 adds what claim values mean (takes_types, claimbuster); version 3 the queue order,
# speaker merges, models, predictions and uncertainty scores. Older versions still restore.
FORMAT_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)
ARTICLES_PER_CHUNK = 100

OPTION_FIELDS = (
    "field", "value", "title", "description", "shortcut", "position", "takes_types", "claimbuster",
)  # fmt: skip

dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def payload_with(payload: Any, speaker: Callable, target: Callable) -> Any:
    """Return a history payload with its speaker and target references mapped.

    History stores the content as saved (claims.content.history_record): speakers and stance
    targets by database id. The backup writes names instead, and the restore maps them back.
    """
    if not isinstance(payload, dict):
        return payload
    result = dict(payload)
    if isinstance(payload.get("attributions"), list):
        result["attributions"] = [
            {**item, "speaker": speaker(item["speaker"])}
            if isinstance(item, dict) and item.get("speaker") is not None
            else item
            for item in payload["attributions"]
        ]
    if isinstance(payload.get("stance"), list):
        result["stance"] = [
            [target(item[0]), *item[1:]] if isinstance(item, list) and item else item
            for item in payload["stance"]
        ]
    return result


@dataclass
class Counts:
    articles: int = 0
    annotations: int = 0
    events: int = 0
    merges: int = 0
    models: int = 0
    predictions: int = 0
    scores: int = 0  # lines: one per article and model
    speaker_names: SpeakerNames = field(default_factory=SpeakerNames)
    target_names: dict[int, str] = field(default_factory=dict)
    model_versions: dict[int, int] = field(default_factory=dict)

    def end_line(self) -> dict[str, Any]:
        return {"type": "end", **{name: getattr(self, name) for name in END_COUNTS}}


END_COUNTS = ("articles", "annotations", "events", "merges", "models", "predictions", "scores")


def project_backup_lines(project: Project) -> Iterator[str]:
    """Yield the project's backup, one JSON line at a time (without line ends)."""
    counts = Counts()
    yield dumps({"type": "header", "format": FORMAT_NAME, "version": FORMAT_VERSION})
    yield dumps(project_line(project))
    targets = StanceTarget.objects.filter(project=project).order_by("position", "id")
    for target_id, name, description, position in targets.values_list(
        "id", "name", "description", "position"
    ):
        counts.target_names[target_id] = name
        yield dumps(
            {"type": "target", "name": name, "description": description, "position": position}
        )
    members = Membership.objects.filter(project=project).order_by("user__username")
    for username, role, created in members.values_list("user__username", "role", "created_at"):
        yield dumps(
            {"type": "member", "username": username, "role": role, "created_at": timestamp(created)}
        )
    speakers = list(
        Speaker.objects.filter(project=project).order_by("name").values_list(
            "id", "name", "kind", "aliases", "created_at", "made_by_id"
        )
    )  # fmt: skip
    made_by = refs_outside({row[5] for row in speakers if row[5] is not None})
    for speaker_id, name, kind, aliases, created, maker in speakers:
        counts.speaker_names.live[speaker_id] = name
        yield dumps(
            {"type": "speaker", "name": name, "kind": kind, "aliases": aliases,
             "created_at": timestamp(created), "made_by": made_by.get(maker)}
        )  # fmt: skip
    for line in merge_lines(project, counts.speaker_names):
        counts.merges += 1
        yield dumps(line)
    counts.model_versions = dict(
        SuggestionModel.objects.filter(project=project).values_list("id", "version")
    )
    for line in model_lines(project):
        counts.models += 1
        yield dumps(line)
    articles = (
        Article.objects.filter(project=project)
        .order_by("id")
        .values_list(
            "id", "external_id", "title", "source", "url", "published", "text", "meta",
            "created_at",
        )
        .iterator(chunk_size=ARTICLES_PER_CHUNK)
    )  # fmt: skip
    while chunk := list(islice(articles, ARTICLES_PER_CHUNK)):
        yield from article_chunk_lines(chunk, counts)
    yield dumps(counts.end_line())


def project_line(project: Project) -> dict[str, Any]:
    options = (
        LabelOption.objects.filter(schema_id=project.schema_id)
        .order_by("field", "position", "value")
        .values(*OPTION_FIELDS)
    )
    return {
        "type": "project",
        "slug": project.slug,
        "name": project.name,
        "guidelines": project.guidelines,
        "annotations_per_sentence": project.annotations_per_sentence,
        "queue_order": project.queue_order,
        "gold_in_queue": project.gold_in_queue,
        "suggestion_threshold": project.suggestion_threshold,
        "created_at": timestamp(project.created_at),
        "schema": {
            "name": project.schema.name,
            "description": project.schema.description,
            "options": list(options),
        },
    }


def article_chunk_lines(chunk: list[tuple], counts: Counts) -> Iterator[str]:
    """Yield the lines of a chunk of articles in a fixed number of queries."""
    article_ids = [row[0] for row in chunk]
    sentences = defaultdict(list)
    where: dict[int, tuple[str, int]] = {}  # sentence id -> (article external id, index)
    external_ids = {row[0]: row[1] for row in chunk}
    for sentence_id, article_id, index, start, end, kind in (
        Sentence.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "index")
        .values_list("id", "article_id", "index", "start", "end", "kind")
    ):
        sentences[article_id].append([index, start, end, kind])
        where[sentence_id] = (external_ids[article_id], index)
    annotations = annotation_lines(article_ids, where, counts)
    events = event_lines(article_ids, where, counts)
    predictions = prediction_lines(article_ids, where, counts.speaker_names)
    scores = score_lines(article_ids, where, counts.model_versions)
    for article_id, external_id, title, source, url, published, text, meta, created in chunk:
        counts.articles += 1
        yield dumps(
            {
                "type": "article", "id": external_id, "title": title, "source": source,
                "url": url, "published": published and published.isoformat(), "meta": meta,
                "created_at": timestamp(created), "text": text,
                "sentences": sentences[article_id],
            }
        )  # fmt: skip
        for line in annotations[external_id]:
            counts.annotations += 1
            yield dumps(line)
        for line in events[external_id]:
            counts.events += 1
            yield dumps(line)
        for line in predictions[external_id]:
            counts.predictions += 1
            yield dumps(line)
        for line in scores[external_id]:
            counts.scores += 1
            yield dumps(line)


def annotation_lines(
    article_ids: list[int], where: dict[int, tuple[str, int]], counts: Counts
) -> dict[str, list[dict]]:
    """Return the annotation lines of the chunk by article, in sentence, kind, username order."""
    rows = list(
        Annotation.objects.filter(sentence__article_id__in=article_ids)
        .order_by()
        .values_list(
            "id", "sentence_id", "kind", "annotator__username", "claim", "claim_types", "status",
            "skip_reason", "lead_time_ms", "version", "based_on_id", "created_at", "updated_at",
        )
    )  # fmt: skip
    refs = {row[0]: annotation_ref(*where[row[1]], row[3], row[2]) for row in rows}
    missing = {row[10] for row in rows if row[10] is not None and row[10] not in refs}
    refs.update(refs_outside(missing))
    details = annotation_details(article_ids, counts)
    by_article: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        annotation_id, sentence_id, kind, username, claim, types, status, *rest = row
        skip_reason, lead_time, version, based_on_id, created, updated = rest
        external_id, index = where[sentence_id]
        attributions, stances = details.get(annotation_id, ([], []))
        by_article[external_id].append(
            {
                "type": "annotation", "article": external_id, "sentence": index, "kind": kind,
                "annotator": username, "claim": claim, "claim_types": types, "status": status,
                "skip_reason": skip_reason, "lead_time_ms": lead_time, "version": version,
                "based_on": refs.get(based_on_id), "created_at": timestamp(created),
                "updated_at": timestamp(updated), "attributions": attributions,
                "stance": stances,
            }
        )  # fmt: skip
    for lines in by_article.values():
        lines.sort(key=lambda a: (a["sentence"], a["kind"] != "annotator", a["annotator"]))
    return by_article


def annotation_ref(external_id: str, index: int, username: str, kind: str) -> dict[str, Any]:
    return {"article": external_id, "sentence": index, "annotator": username, "kind": kind}


def refs_outside(annotation_ids: set[int]) -> dict[int, dict[str, Any]]:
    """Return references to annotations outside the chunk (a gold's `based_on`), one query."""
    if not annotation_ids:
        return {}
    rows = Annotation.objects.filter(pk__in=annotation_ids).values_list(
        "id", "sentence__article__external_id", "sentence__index", "annotator__username", "kind"
    )
    return {row[0]: annotation_ref(*row[1:]) for row in rows}


def annotation_details(article_ids: list[int], counts: Counts) -> dict[int, tuple[list, list]]:
    """Return (attributions, stances) by annotation id, speakers and targets by name."""
    details: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    attributions = (
        Attribution.objects.filter(annotation__sentence__article_id__in=article_ids)
        .order_by("annotation_id", "position", "id")
        .values_list(
            "annotation_id", "speaker_id", *(name for role in SpanRole for name in role.fields),
            "quote_type", "suggested",
        )
    )  # fmt: skip
    for annotation_id, speaker_id, *offsets, quote_type, suggested in attributions:
        spans = {
            role.value: None if offsets[2 * i] is None else [offsets[2 * i], offsets[2 * i + 1]]
            for i, role in enumerate(SpanRole)
        }
        details[annotation_id][0].append(
            {
                "speaker": counts.speaker_names.live.get(speaker_id),
                **spans,
                "quote_type": quote_type,
                "suggested": suggested,
            }
        )
    stances = (
        Stance.objects.filter(annotation__sentence__article_id__in=article_ids)
        .order_by("annotation_id", "target__position", "target__name")
        .values_list("annotation_id", "target_id", "label")
    )
    for annotation_id, target_id, label in stances:
        details[annotation_id][1].append({"target": counts.target_names[target_id], "label": label})
    return details


def event_lines(
    article_ids: list[int], where: dict[int, tuple[str, int]], counts: Counts
) -> dict[str, list[dict]]:
    """Return the history events of the chunk by article, oldest first."""
    rows = (
        AnnotationEvent.objects.filter(sentence__article_id__in=article_ids)
        .order_by("created_at", "id")
        .values_list(
            "sentence_id", "annotation__sentence_id", "annotation__annotator__username",
            "annotation__kind", "actor__username", "action", "version", "before", "after",
            "created_at",
        )
    )  # fmt: skip
    by_article: dict[str, list[dict]] = defaultdict(list)
    speaker, target = counts.speaker_names, counts.target_names.get
    for sentence_id, annotated_id, username, kind, actor, action, version, *rest in rows:
        before, after, created = rest
        external_id, index = where[sentence_id]
        ref = None
        if annotated_id is not None:
            ref = {"annotator": username, "kind": kind}
            if annotated_id != sentence_id:
                ref = annotation_ref(*where_of(annotated_id, where), username, kind)
        by_article[external_id].append(
            {
                "type": "event", "article": external_id, "sentence": index, "annotation": ref,
                "actor": actor, "action": action, "version": version,
                "before": payload_with(before, speaker, target),
                "after": payload_with(after, speaker, target), "created_at": timestamp(created),
            }
        )  # fmt: skip
    return by_article


def where_of(sentence_id: int, where: dict[int, tuple[str, int]]) -> tuple[str, int]:
    if sentence_id in where:
        return where[sentence_id]
    sentence = Sentence.objects.values_list("article__external_id", "index").get(pk=sentence_id)
    return sentence[0], sentence[1]
