"""What the labeling page shows for one sentence: the text and its context, where it sits in
the project, the requester's own labels (never anyone else's), speakers and suggestions."""

from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from claims.content import annotation_record
from claims.labeling import item_sql
from claims.labeling.progress import Progress
from claims.labeling.speakers import speaker_parts
from claims.learning.serving import LOOK_UP
from claims.models import (
    ClaimBuster,
    LabelField,
    LabelOption,
    Project,
    QueueArticle,
    QueueSize,
    Sentence,
)
from claims.models.annotation import sentences_to_label
from claims.selectors import annotation_of
from claims.speakers.scene import ROWS_AFTER, WINDOW_AFTER, WINDOW_BEFORE, window_rows

CONTEXT_SENTENCES = 2


def queue_item(*, sentence_id: int, user) -> dict[str, Any]:
    """Return everything the page needs to label the sentence, as plain data."""
    window = {"before": WINDOW_BEFORE, "after": WINDOW_AFTER}
    rows = fetch(item_sql.around(), {"sentence": sentence_id, **window})
    here = next(row for row in rows if row["id"] == sentence_id)
    sentence = Sentence(
        id=sentence_id,
        project_id=here["project_id"],
        article_id=here["article_id"],
        index=here["index"],
        kind=here["kind"],
        text=here["text"],
    )
    around = [{name: row[name] for name in ("id", "index", "kind", "text")} for row in rows]
    context = [
        row
        for row in around
        if row["id"] != sentence_id and abs(row["index"] - sentence.index) <= CONTEXT_SENTENCES
    ]
    before = [c for c in context if c["index"] < sentence.index]
    after = [c for c in context if c not in before]
    numbers = position_numbers(sentence, user)
    mine = numbers["mine"] and annotation_of(sentence_id=sentence.id, user_id=user.id)
    return {
        "sentence": {
            "id": sentence.id,
            "index": sentence.index,
            "kind": sentence.kind,
            "text": sentence.text,
        },
        "article": {name: here[f"article_{name}"] for name in ("id", "title", "source", "url")},
        "position": numbers["position"],
        "context": {"before": before, "after": after},
        "annotation": annotation_record(mine) if mine else None,
        **speaker_parts(
            sentence,
            user,
            rows=around,
            article_source=here["article_source"],
            not_claim=numbers["not_claim"],
            model_id=numbers["active_model"],
            prediction_id=numbers["prediction_id"],
            threshold=numbers["suggestion_threshold"],
        ),
        "progress": numbers["progress"],
    }


def fetch(sql: str, values: dict) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def position_numbers(sentence: Sentence, user) -> dict[str, Any]:
    """Return 'sentence i of n, article j of m' (sentences numbered from 1 in their article,
    every kind counted, as in the admin), the user's progress, the
    project's "not a claim" value and whether the user has an annotation of the sentence, in
    one query (and a recount when the articles changed)."""
    (row,) = fetch(
        item_sql.numbers(),
        item_sql.params(
            project=sentence.project_id,
            article=sentence.article_id,
            index=sentence.index,
            sentence=sentence.id,
            user=user.id,
        ),
    )
    position = {
        "sentence": sentence.number,
        "sentences": row["sentences"],
        "article": row["article"],
        "articles": row["stored_articles"],
    }
    label = "sentence {sentence} of {sentences}, article {article} of {articles}"
    if row["article"] is None or row["stored_last"] != row["last"]:
        position["article"], position["articles"], row["stored_sentences"] = queue_numbers(
            sentence, last=row["last"]
        )
    total = row["stored_sentences"]
    progress = Progress(done=row["done"], total=total)
    return {
        "position": {**position, "label": label.format(**position)},
        "progress": {"done": progress.done, "total": progress.total, "percent": progress.percent},
        "not_claim": row["not_claim"],
        "mine": row["mine"],
        "active_model": row["active_model"],
        "prediction_id": row["prediction_id"],
        "suggestion_threshold": row["suggestion_threshold"],
    }


def queue_numbers(sentence: Sentence, *, last: int) -> tuple[int, int, int]:
    """Number the project's articles again and count its queue; return the sentence's article
    ordinal, the number of articles and of queue sentences.

    Run when an import added articles (the newest id changed), or when the count was
    forgotten (``QueueSize.forget``: gold arrived, the project's rule for gold changed).
    Deleting an article without annotations leaves the numbers as they were until the next
    import.
    """
    project_id = sentence.project_id
    gold_too = Project.objects.filter(pk=project_id).values_list("gold_in_queue", flat=True)[0]
    total = sentences_to_label(Sentence.objects.filter(project_id=project_id), gold_too=gold_too)
    total = total.count()
    try:
        with transaction.atomic():
            QueueArticle.objects.filter(project_id=project_id).delete()
            with connection.cursor() as cursor:
                cursor.execute(item_sql.numbering(), {"project": project_id})
                articles = cursor.rowcount
            fields = {"articles": articles, "last_article": last, "sentences": total}
            QueueSize.objects.update_or_create(project_id=project_id, defaults=fields)
    except IntegrityError:
        pass  # a concurrent request numbered them first, the same way
    ordinal = QueueArticle.objects.filter(article_id=sentence.article_id).values("ordinal")
    size = QueueSize.objects.filter(project_id=project_id).values_list("articles", "sentences")
    ((articles, total),) = size
    return ordinal[0]["ordinal"], articles, total


def not_claim_value(schema_id) -> QuerySet:
    """Return the query of the schema's value for "not a claim" (at most one row)."""
    return LabelOption.objects.filter(
        schema_id=schema_id, field=LabelField.CLAIM, claimbuster=ClaimBuster.NFS
    ).values("value")[:1]


def suggestions_for(
    sentence: Sentence, *, not_claim: str | None = None, user=None
) -> dict[str, Any]:
    """Return the suggestions for a sentence, each with the speaker resolved for its source
    (`user`: the requester, whose own labels of the sentence count; None: nobody's).

    `not_claim`: the project's "not a claim" value, looked up when not given.
    """
    if not_claim is None:
        not_claim = (
            not_claim_value(sentence.project.schema_id).values_list("value", flat=True).first()
        )
    parts = speaker_parts(
        sentence, user, rows=window_rows(sentence), not_claim=not_claim, after=ROWS_AFTER,
        whole_article=True, model_id=LOOK_UP, prediction_id=LOOK_UP,
        threshold=sentence.project.suggestion_threshold,
    )  # fmt: skip
    return parts["suggestions"]
