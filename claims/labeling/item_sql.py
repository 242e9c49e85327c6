"""The labeling page's reads of one sentence, in two statements written once.

Every "next sentence" answer needs them, so they are not rebuilt by the ORM on each call.
"""

from functools import cache

from django.db import connection

from claims.learning.models import Prediction, SuggestionModel
from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Article,
    ClaimBuster,
    LabelField,
    LabelOption,
    Project,
    QueueArticle,
    QueueSize,
    Sentence,
)
from claims.models.article import QUEUE_KINDS


def names() -> dict[str, str]:
    return {
        "sentence": Sentence._meta.db_table,
        "article": Article._meta.db_table,
        "annotation": Annotation._meta.db_table,
        "option": LabelOption._meta.db_table,
        "project": Project._meta.db_table,
        "size": QueueSize._meta.db_table,
        "model": SuggestionModel._meta.db_table,
        "prediction": Prediction._meta.db_table,
        "ordinal": QueueArticle._meta.db_table,
        "index": connection.ops.quote_name("index"),
        "kinds": ", ".join(f"%(kind{n})s" for n in range(len(QUEUE_KINDS))),
    }


def params(**values) -> dict:
    return {
        "annotator": AnnotationKind.ANNOTATOR,
        "submitted": AnnotationStatus.SUBMITTED,
        "skipped": AnnotationStatus.SKIPPED,
        "claim_field": LabelField.CLAIM,
        "nfs": ClaimBuster.NFS,
        **{f"kind{n}": kind for n, kind in enumerate(QUEUE_KINDS)},
        **values,
    }


@cache
def around() -> str:
    """Return the sentence, the `before` sentences before it and the `after` sentences after
    it, with the article."""
    return (
        "SELECT s.id, s.{index} AS {index}, s.kind, s.text, s.project_id, s.article_id, "
        "a.title AS article_title, a.source AS article_source, a.url AS article_url "
        "FROM {sentence} t JOIN {sentence} s ON s.article_id = t.article_id "
        "AND s.{index} >= t.{index} - %(before)s AND s.{index} <= t.{index} + %(after)s "
        "JOIN {article} a ON a.id = t.article_id WHERE t.id = %(sentence)s ORDER BY s.{index}"
    ).format(**names())


@cache
def numbers() -> str:
    """Return the number of sentences in the article, the article's stored place in the project,
    the newest article's id, the user's done count, the stored queue size and the project's
    "not a claim" value, its active suggestion model, the sentence's prediction and the
    project's suggestion threshold."""
    articles = "FROM {article} a WHERE a.project_id = %(project)s"
    return (
        "SELECT (SELECT COUNT(*) FROM {sentence} s WHERE s.article_id = %(article)s) "
        "AS sentences, "
        "(SELECT o.ordinal FROM {ordinal} o WHERE o.article_id = %(article)s) AS article, "
        f"(SELECT MAX(a.id) {articles}) AS last, "
        "(SELECT COUNT(*) FROM {annotation} n JOIN {sentence} s ON s.id = n.sentence_id "
        "WHERE n.annotator_id = %(user)s AND n.kind = %(annotator)s "
        "AND n.status IN (%(submitted)s, %(skipped)s) AND s.project_id = %(project)s "
        "AND s.kind IN ({kinds})) AS done, "
        "(SELECT COUNT(*) FROM {annotation} m WHERE m.sentence_id = %(sentence)s "
        "AND m.annotator_id = %(user)s AND m.kind = %(annotator)s) AS mine, "
        "(SELECT q.articles FROM {size} q WHERE q.project_id = %(project)s) AS stored_articles, "
        "(SELECT q.last_article FROM {size} q WHERE q.project_id = %(project)s) AS stored_last, "
        "(SELECT q.sentences FROM {size} q WHERE q.project_id = %(project)s) "
        "AS stored_sentences, "
        "(SELECT o.value FROM {option} o JOIN {project} p ON o.schema_id = p.schema_id "
        "WHERE p.id = %(project)s AND o.field = %(claim_field)s AND o.claimbuster = %(nfs)s) "
        "AS not_claim, "
        "(SELECT sm.id FROM {model} sm WHERE sm.project_id = %(project)s AND sm.active) "
        "AS active_model, "
        "(SELECT pr.id FROM {prediction} pr WHERE pr.sentence_id = %(sentence)s) AS prediction_id, "
        "(SELECT p.suggestion_threshold FROM {project} p WHERE p.id = %(project)s) "
        "AS suggestion_threshold"
    ).format(**names())


@cache
def numbering() -> str:
    """Return the statement numbering the project's articles 1, 2, ... in id order."""
    return (
        "INSERT INTO {ordinal} (article_id, project_id, ordinal) SELECT a.id, a.project_id, "
        "ROW_NUMBER() OVER (ORDER BY a.id) FROM {article} a WHERE a.project_id = %(project)s"
    ).format(**names())
