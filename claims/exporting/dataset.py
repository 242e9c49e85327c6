"""The record stream: one native record per sentence (or per annotation), read in chunks.

Sentences come from one ordered cursor (`.iterator(chunk_size=...)`); for each chunk of them,
two more queries fetch their articles, and their annotations joined to the attributions (with
speakers) and stances (with targets). Nothing outlives its chunk, so memory stays flat however
large the project is.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.exporting.options import ExportOptions, ExportPer, ExportStatus
from claims.exporting.splits import split_of
from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Article,
    Project,
    Sentence,
    SpanRole,
)

CHUNK_SIZE = 5000

Record = dict[str, Any]


def annotator_filter(options: ExportOptions, prefix: str = "") -> Q:
    """Return the condition on the annotator annotations a record carries."""
    condition = Q(**{f"{prefix}kind": AnnotationKind.ANNOTATOR})
    if options.status != ExportStatus.ALL:
        condition &= Q(**{f"{prefix}status": AnnotationStatus.SUBMITTED})
    return condition


def gold_filter(options: ExportOptions, prefix: str = "") -> Q:
    """Return the condition on the gold annotation a record carries (submitted gold only)."""
    condition = Q(**{f"{prefix}kind": AnnotationKind.GOLD})
    if options.status != ExportStatus.ALL:
        condition &= Q(**{f"{prefix}status": AnnotationStatus.SUBMITTED})
    return condition


def included_filter(options: ExportOptions, prefix: str = "") -> Q:
    return annotator_filter(options, prefix) | gold_filter(options, prefix)


def sentence_conditions(
    options: ExportOptions, article_ids: Iterable[int] | QuerySet | None, path: str = ""
) -> Q:
    """Return the conditions on exported sentences, for the sentence at `path` ('' for itself).

    Sentences need an annotation of the wanted status (see --status), one updated since the
    given date (--since), and to be in the selected articles (the admin action).
    """
    outer, prefix = (path, f"{path}__") if path else ("pk", "")
    conditions = Q()
    if article_ids is not None:
        conditions &= Q(**{f"{prefix}article_id__in": article_ids})
    wanted = {
        ExportStatus.SUBMITTED: annotator_filter(options),
        ExportStatus.GOLD: gold_filter(options),
    }.get(options.status)
    if wanted is not None:
        conditions &= Q(Exists(Annotation.objects.filter(wanted, sentence=OuterRef(outer))))
    if options.since is not None:
        recent = Annotation.objects.filter(
            included_filter(options), sentence=OuterRef(outer), updated_at__gte=options.since
        )
        conditions &= Q(Exists(recent))
    return conditions


def sentence_rows(
    project: Project, options: ExportOptions, article_ids: Iterable[int] | QuerySet | None = None
) -> QuerySet:
    """Return the exported sentences in article and text order."""
    return (
        Sentence.objects.filter(sentence_conditions(options, article_ids), project=project)
        .order_by("article_id", "index")
        .values_list("id", "article_id", "index", "kind", "text", "start", "end")
    )


def sentence_records(
    *,
    project: Project,
    options: ExportOptions,
    article_ids: Iterable[int] | QuerySet | None = None,
    chunk_size: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    """Yield the native export records of the project, reading `chunk_size` sentences at once."""
    chunk_size = chunk_size or CHUNK_SIZE
    rows = sentence_rows(project, options, article_ids).iterator(chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        yield from Chunk(project, chunk, options, article_ids).records()
        if on_progress is not None:
            on_progress(len(chunk))


def raw_rows(queryset: QuerySet) -> list[tuple]:
    """Return the rows of a values_list() query as the database driver gives them.

    This skips Django's per-value converters, a measurable cost at a million rows; the few
    conversions the export needs are done below, with the same result on every backend.
    """
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def timestamp(value: dt.datetime | str) -> str:
    """Return an ISO 8601 UTC timestamp (SQLite gives naive UTC, PostgreSQL aware datetimes)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(dt.UTC).isoformat()


def day(value: dt.date | str | None) -> str | None:
    return value if value is None or isinstance(value, str) else value.isoformat()


class Chunk:
    """One chunk of sentences: reads what their records need in two queries, then builds them."""

    def __init__(
        self,
        project: Project,
        rows: list[tuple],
        options: ExportOptions,
        article_ids: Iterable[int] | QuerySet | None = None,
    ):
        self.project, self.rows, self.options = project, rows, options
        # The range from the first to the last sentence may hold many sentences the export
        # leaves out (a sparse filter, or articles picked far apart); then the reads of the
        # details repeat the sentence conditions, so they never read more than the chunk needs.
        # Under --status submitted or all they would exclude (next to) nothing and are skipped.
        self.sparse = (
            article_ids is not None
            or options.since is not None
            or options.status == ExportStatus.GOLD
        )
        self.article_ids = article_ids
        self.texts = {row[0]: (row[4], row[5]) for row in rows}  # sentence id -> (text, start)
        # The few distinct values that repeat on many lines (claim types, speakers, stances),
        # made once per chunk and shared: the output is only ever encoded, never changed.
        self.shared: dict[Any, Any] = {}

    def range(self, path: str) -> Q:
        """Return the condition on the chunk's sentences, for the sentence at `path`.

        The chunk is a run of consecutive (article_id, index) keys, so a range with constant
        parameters selects exactly its sentences (an IN list of ids would cost per id).
        """
        prefix = f"{path}__"
        (_, first_article, first_index, *_), (_, last_article, last_index, *_) = (
            self.rows[0],
            self.rows[-1],
        )
        condition = (
            Q(**{f"{prefix}project_id": self.project.pk,
                 f"{prefix}article_id__gte": first_article,
                 f"{prefix}article_id__lte": last_article})
            & ~Q(**{f"{prefix}article_id": first_article, f"{prefix}index__lt": first_index})
            & ~Q(**{f"{prefix}article_id": last_article, f"{prefix}index__gt": last_index})
        )  # fmt: skip
        if self.sparse:
            condition &= sentence_conditions(self.options, self.article_ids, path)
        return condition

    def records(self) -> Iterator[Record]:
        slug, options = self.project.slug, self.options
        articles = self.articles()
        annotations, golds = self.annotations()
        minimum, per_sentence = options.min_annotations, options.per == ExportPer.SENTENCE
        for sentence_id, article_id, index, kind, text, start, end in self.rows:
            own = annotations.get(sentence_id, [])
            if minimum and minimum > sum(a["status"] == AnnotationStatus.SUBMITTED for a in own):
                continue
            article, split = articles[article_id]
            record = {
                "id": f"{slug}/{article['id']}/{index}",
                "project": slug,
                "article": article,
                "sentence_index": index,
                "kind": kind,
                "text": text,
                "start": start,
                "end": end,
                "annotations": own,
                "gold": golds.get(sentence_id),
                "split": split,
            }
            if per_sentence or not own:
                yield record
            else:
                for annotation in own:
                    yield {**record, "annotations": [annotation]}

    def articles(self) -> dict[int, tuple[Record, str | None]]:
        """Return each article's record (and split) by id."""
        # The chunk's own articles: a few hundred usually, at most one per sentence.
        article_ids = sorted({row[1] for row in self.rows})
        rows = raw_rows(
            Article.objects.filter(id__in=article_ids)
            .order_by()
            .values_list("id", "external_id", "title", "source", "url", "published")
        )
        split, seed = self.options.split, self.options.seed
        return {
            article_id: (
                {
                    "id": external_id,
                    "title": title or None,
                    "source": source or None,
                    "url": url or None,
                    "published": day(published),
                },
                split and split_of(split, seed, external_id),
            )
            for article_id, external_id, title, source, url, published in rows
        }

    def annotations(self) -> tuple[dict[int, list[Record]], dict[int, Record]]:
        """Return the annotator annotations (by username) and the gold, by sentence id.

        One query joins each annotation to its attributions and stances: an annotation with
        A attributions and S stances comes as max(A, 1) * max(S, 1) rows, ordered so that the
        rows of one attribution are consecutive and the first attribution's rows carry every
        stance. Annotations of sentences in the range that the export leaves out (see
        sentence_rows) are read too, and dropped here.
        """
        rows = raw_rows(
            Annotation.objects.filter(included_filter(self.options), self.range("sentence"))
            .order_by(
                "id", "attributions__position", "attributions__id", "stances__target__position",
                "stances__target__name",
            )
            .values_list(
                "id", "sentence_id", "kind", "status", "claim", "claim_types", "lead_time_ms",
                "updated_at", "annotator__username", "based_on__annotator__username",
                "attributions__id", "attributions__speaker__name", "attributions__speaker__kind",
                *(f"attributions__{name}" for role in SpanRole for name in role.fields),
                "attributions__quote_type", "attributions__suggested",
                "stances__target__name", "stances__label",
            )
        )  # fmt: skip
        texts, shared = self.texts, self.shared
        annotations: dict[int, list[Record]] = defaultdict(list)
        golds: dict[int, Record] = {}
        current = record = first_attribution = last_attribution = None
        for row in rows:
            (annotation_id, sentence_id, kind, status, claim, types, lead_time, updated, username,
             based_on, attribution_id, name, speaker_kind, source_start, source_end, cue_start,
             cue_end, content_start, content_end, quote, suggested, target, label,
             ) = row  # fmt: skip
            if annotation_id != current:
                current, first_attribution, last_attribution = annotation_id, attribution_id, None
                sentence = texts.get(sentence_id)
                if sentence is None:
                    record = None
                    continue
                record = self.annotation(
                    kind, status, claim, types, lead_time, updated, username, based_on
                )
                if kind == AnnotationKind.GOLD:
                    golds[sentence_id] = record
                else:
                    annotations[sentence_id].append(record)
            elif record is None:
                continue
            if attribution_id is not None and attribution_id != last_attribution:
                last_attribution = attribution_id
                text, start = sentence
                speaker = None
                if name is not None:
                    speaker = shared.get((name, speaker_kind))
                    if speaker is None:
                        speaker = shared[name, speaker_kind] = {"name": name, "kind": speaker_kind}
                record["attributions"].append(
                    {
                        "speaker": speaker,
                        "source": span(text, start, source_start, source_end),
                        "cue": span(text, start, cue_start, cue_end),
                        "content": span(text, start, content_start, content_end),
                        "quote_type": quote or None,
                        "suggested": bool(suggested),
                    }
                )
            if target is not None and attribution_id == first_attribution:
                stance = shared.get((target, label))
                if stance is None:
                    stance = shared[target, label] = {"target": target, "label": label}
                record["stance"].append(stance)
        for own in annotations.values():
            if len(own) > 1:
                own.sort(key=lambda a: a["annotator"])
        return annotations, golds

    def annotation(self, kind, status, claim, types, lead_time, updated, username, based_on):
        claim_types = self.shared.get(types)
        if claim_types is None:
            claim_types = self.shared[types] = json.loads(types)
        record = {
            "annotator": username,
            "status": status,
            "claim": claim or None,
            "claim_types": claim_types,
            "attributions": [],
            "stance": [],
            "lead_time_ms": lead_time,
            "updated_at": timestamp(updated),
        }
        if kind == AnnotationKind.GOLD:
            record["based_on"] = based_on
        return record


def span(text: str, offset: int, start: int | None, end: int | None) -> Record | None:
    """Return a span relative to the sentence, with its text and its offsets in the article."""
    if start is None:
        return None
    return {
        "start": start,
        "end": end,
        "text": text[start:end],
        "article_start": offset + start,
        "article_end": offset + end,
    }
