"""Store checked batches of a project backup: bulk inserts, then timestamps written back."""

from dataclasses import dataclass, field

from django.db.models import Model

from claims.backup.checks import LineError, SentenceRow
from claims.learning.models import Prediction, Uncertainty
from claims.models import (
    Annotation,
    AnnotationEvent,
    Article,
    Attribution,
    Project,
    Sentence,
    Stance,
)


@dataclass
class Batch:
    articles: list[tuple[Article, list[SentenceRow]]] = field(default_factory=list)
    annotations: list[tuple[int, dict]] = field(default_factory=list)  # (line, fields)
    events: list[tuple[int, dict]] = field(default_factory=list)
    predictions: list[tuple[int, dict]] = field(default_factory=list)
    scores: list[tuple] = field(default_factory=list)  # (line, article, model id, rows)


@dataclass
class Stored:
    articles: int = 0
    sentences: int = 0
    annotations: int = 0
    events: int = 0
    merges: int = 0
    models: int = 0
    predictions: int = 0
    scores: int = 0


class BatchStore:
    """Insert batches of one project's articles with everything that belongs to them."""

    def __init__(self, project: Project, speaker_ids: dict[str, int], target_ids: dict[str, int]):
        self.project = project
        self.speaker_ids = speaker_ids
        self.target_ids = target_ids
        self.summary = Stored()
        # (line, object, attribute, reference): links to annotations stored later in the file
        self.deferred: list[tuple[int, Model, str, dict]] = []

    def store(self, batch: Batch) -> None:
        """Store the batch: articles, sentences, annotations with details, events."""
        if not batch.articles:
            return
        sentence_ids = self.articles_store(batch.articles)
        annotation_ids = self.annotations_store(batch.annotations, sentence_ids)
        self.events_store(batch.events, sentence_ids, annotation_ids)
        self.summary.predictions += predictions_store(self.project, batch.predictions, sentence_ids)
        self.summary.scores += scores_store(self.project, batch.scores, sentence_ids)

    def articles_store(self, articles: list[tuple[Article, list[SentenceRow]]]) -> dict:
        objs = [article for article, _ in articles]
        times = [article.created_at for article in objs]
        Article.objects.bulk_create(objs)
        times_restore(Article, objs, created_at=times)
        sentences = [
            Sentence(
                project=self.project, article=article, index=row.index, start=row.start,
                end=row.end, kind=row.kind, text=article.text[row.start : row.end],
            )
            for article, rows in articles
            for row in rows
        ]  # fmt: skip
        Sentence.objects.bulk_create(sentences)
        self.summary.articles += len(objs)
        self.summary.sentences += len(sentences)
        return {(s.article.external_id, s.index): s.pk for s in sentences}

    def annotations_store(self, items: list[tuple[int, dict]], sentence_ids: dict) -> dict:
        objs = [
            Annotation(
                sentence_id=sentence_ids[(f["article"], f["sentence"])],
                **{k: f[k] for k in ANNOTATION_FIELDS},
            )
            for _, f in items
        ]
        Annotation.objects.bulk_create(objs)
        ids = {
            (f["article"], f["sentence"], f["kind"], f["annotator"]): obj.pk
            for (_, f), obj in zip(items, objs, strict=True)
        }
        for (line, f), obj in zip(items, objs, strict=True):
            obj.based_on_id = f["based_on"] and self.annotation_id(f["based_on"], ids)
            if f["based_on"] and obj.based_on_id is None:
                self.deferred.append((line, obj, "based_on_id", f["based_on"]))
        times_restore(
            Annotation, objs, created_at=[f["created_at"] for _, f in items],
            updated_at=[f["updated_at"] for _, f in items], based_on=None,
        )  # fmt: skip
        Attribution.objects.bulk_create(
            Attribution(annotation=obj, position=position, speaker_id=self.speaker_ids.get(
                a["speaker"]), **{k: v for k, v in a.items() if k != "speaker"})
            for (_, f), obj in zip(items, objs, strict=True)
            for position, a in enumerate(f["attributions"])
        )  # fmt: skip
        Stance.objects.bulk_create(
            Stance(annotation=obj, target_id=self.target_ids[target], label=label)
            for (_, f), obj in zip(items, objs, strict=True)
            for target, label in f["stances"]
        )
        self.summary.annotations += len(objs)
        return ids

    def annotation_id(self, ref: dict, ids: dict) -> int | None:
        """Return the id of the referenced annotation: in this batch, else already stored."""
        key = (ref["article"], ref["sentence"], ref["kind"], ref["annotator"])
        if key in ids:
            return ids[key]
        found = Annotation.objects.filter(
            sentence__project=self.project, sentence__article__external_id=ref["article"],
            sentence__index=ref["sentence"], kind=ref["kind"],
            annotator__username=ref["annotator"],
        ).values_list("pk", flat=True)  # fmt: skip
        return next(iter(found), None)

    def events_store(self, items: list[tuple[int, dict]], sentence_ids: dict, ids: dict) -> None:
        objs = []
        for line, f in items:
            event = AnnotationEvent(
                sentence_id=sentence_ids[(f["article"], f["sentence"])],
                **{k: f[k] for k in ("actor_id", "action", "version", "before", "after")},
            )
            event.annotation_id = f["ref"] and self.annotation_id(f["ref"], ids)
            if f["ref"] and event.annotation_id is None:
                self.deferred.append((line, event, "annotation_id", f["ref"]))
            objs.append(event)
        AnnotationEvent.objects.bulk_create(objs)
        times_restore(AnnotationEvent, objs, created_at=[f["created_at"] for _, f in items])
        self.summary.events += len(objs)

    def resolve_deferred(self) -> None:
        """Link references to annotations stored after the line that referred to them."""
        for line, obj, attribute, ref in self.deferred:
            annotation_id = self.annotation_id(ref, {})
            if annotation_id is None:
                raise LineError(f"line {line} refers to an annotation not in the file: {ref}")
            type(obj).objects.filter(pk=obj.pk).update(**{attribute: annotation_id})


ANNOTATION_FIELDS = (
    "kind", "annotator_id", "claim", "claim_types", "status", "skip_reason", "lead_time_ms",
    "version",
)  # fmt: skip


def times_restore(model: type[Model], objs: list[Model], **values: list | None) -> None:
    """Write the given timestamps (and fields already set on the objects) back after insert.

    bulk_update() sends the values as they are, without the fields' pre_save() hooks, so
    auto_now / auto_now_add do not overwrite them again.
    """
    if not objs:
        return
    for name, column in values.items():
        if column is not None:
            for obj, value in zip(objs, column, strict=True):
                setattr(obj, name, value)
    model.objects.bulk_update(objs, list(values), batch_size=500)


def predictions_store(project, items: list[tuple[int, dict]], sentence_ids: dict) -> int:
    objs = [
        Prediction(
            sentence_id=sentence_ids[(f["article"], f["sentence"])],
            claim=f["claim"],
            attributions=f["attributions"],
        )
        for _, f in items
    ]
    Prediction.objects.bulk_create(objs)
    times_restore(
        Prediction, objs, created_at=[f["created_at"] for _, f in items],
        updated_at=[f["updated_at"] for _, f in items],
    )  # fmt: skip
    return len(objs)


def scores_store(project, items: list[tuple], sentence_ids: dict) -> int:
    Uncertainty.objects.bulk_create(
        Uncertainty(
            project=project, model_id=model_id, score=score,
            sentence_id=sentence_ids[(article, index)],
        )
        for _, article, model_id, rows in items
        for index, score in rows
    )  # fmt: skip
    return len(items)
