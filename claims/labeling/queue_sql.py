"""The annotation queue's SQL: written once per database and shape, run with named parameters.

The queue answers two requests a second per annotator, so its statements are not rebuilt by
the ORM on every call. Every statement walks the (project, article, index) index of the
sentences from a position, `s` being the sentence at hand; the parameters are:

    project, user, k (annotations per sentence), now, expires (a reservation's end),
    fresh (a reservation ending after this needs no refresh), the kinds and statuses
    (`params()`), and positions as <name>_article, <name>_index.

Unless the project hands out sentences that have gold (`gold_too`, its `gold_in_queue`), a
sentence with gold is settled: never offered, and passed by the cursors.

On PostgreSQL the claim takes the first available sentence that no concurrent claim holds
(`FOR NO KEY UPDATE ... SKIP LOCKED`), so annotators asking at once take different sentences
instead of racing for one; on SQLite the claim's transaction holds the database's write lock
(the settings open transactions IMMEDIATE), which serialises claims.
"""

from functools import cache

from django.db import connection

from claims.learning.models import Uncertainty
from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Assignment,
    QueueCursor,
    Sentence,
)
from claims.models.article import QUEUE_KINDS


def params(**values) -> dict:
    """Return the statement parameters: the constants every statement uses, then `values`."""
    ops = connection.ops
    for name in ("now", "expires", "fresh"):
        if name in values:
            values[name] = ops.adapt_datetimefield_value(values[name])
    return {
        "annotator": AnnotationKind.ANNOTATOR,
        "gold": AnnotationKind.GOLD,
        "submitted": AnnotationStatus.SUBMITTED,
        "skipped": AnnotationStatus.SKIPPED,
        "draft": AnnotationStatus.DRAFT,
        **{f"kind{n}": kind for n, kind in enumerate(QUEUE_KINDS)},
        **values,
    }


def exclusions(ids) -> dict:
    return {f"x{n}": sentence_id for n, sentence_id in enumerate(sorted(ids))}


def tables() -> dict:
    quote = connection.ops.quote_name
    return {
        "sentence": Sentence._meta.db_table,
        "annotation": Annotation._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "uncertainty": Uncertainty._meta.db_table,
        "index": quote("index"),
        "kinds": ", ".join(f"%(kind{n})s" for n in range(len(QUEUE_KINDS))),
    }


def in_queue_from(name: str) -> str:
    """Return SQL: `s` is a queue sentence of the project at or after position `name`."""
    return (
        "s.project_id = %(project)s AND s.kind IN ({kinds}) "
        f"AND s.article_id >= %({name}_article)s "
        f"AND NOT (s.article_id = %({name}_article)s AND s.{{index}} < %({name}_index)s)"
    )


def not_in(count: int) -> str:
    if not count:
        return ""
    return f" AND s.id NOT IN ({', '.join(f'%(x{n})s' for n in range(count))})"


DONE = (
    "a.sentence_id = s.id AND a.kind = %(annotator)s AND a.status IN (%(submitted)s, %(skipped)s)"
)
DONE_BY_USER = f"EXISTS (SELECT 1 FROM {{annotation}} a WHERE {DONE} AND a.annotator_id = %(user)s)"
# Others holding the sentence: done by them, or reserved by them until after now. UNION, not
# UNION ALL: an annotator who is done and still holds the reservation is one.
OTHER_HOLDERS_FEWER_THAN_K = (
    f"(SELECT COUNT(*) FROM (SELECT a.annotator_id FROM {{annotation}} a WHERE {DONE} "
    "AND a.annotator_id <> %(user)s UNION SELECT r.annotator_id FROM {assignment} r "
    "WHERE r.sentence_id = s.id AND r.expires_at > %(now)s AND r.annotator_id <> %(user)s) "
    "holders) < %(k)s"
)
OTHERS_DONE_FEWER_THAN_K = (
    f"(SELECT COUNT(*) FROM {{annotation}} a WHERE {DONE} AND a.annotator_id <> %(user)s) < %(k)s"
)
DONE_FEWER_THAN_K = f"(SELECT COUNT(*) FROM {{annotation}} a WHERE {DONE}) < %(k)s"
HAS_GOLD = "EXISTS (SELECT 1 FROM {annotation} g WHERE g.sentence_id = s.id AND g.kind = %(gold)s)"


def without_gold(gold_too: bool) -> str:
    """Return SQL to AND to a scan's conditions: `s` has no gold, unless gold is handed out too."""
    return "" if gold_too else f" AND NOT {HAS_GOLD}"


IN_ORDER = "ORDER BY s.article_id, s.{index}"


@cache
def claim_scan(vendor: str, excluded: int, skip_locked: bool, gold_too: bool = False) -> str:
    """Return the first sentence available to the user from `start`, locked where possible."""
    lock = ""
    if vendor == "postgresql":
        lock = " FOR NO KEY UPDATE OF s" + (" SKIP LOCKED" if skip_locked else "")
    sql = (
        "SELECT s.id, s.article_id, s.{index} FROM {sentence} s "
        f"WHERE {in_queue_from('start')}{not_in(excluded)} AND NOT {DONE_BY_USER} "
        f"AND {OTHER_HOLDERS_FEWER_THAN_K}{without_gold(gold_too)} {IN_ORDER} LIMIT 1{lock}"
    )
    return sql.format(**tables())


@cache
def uncertain_scan(vendor: str, excluded: int, skip_locked: bool, gold_too: bool = False) -> str:
    """Return the sentence available to the user that the active model is least sure of,
    walking the uncertainty index (project, score descending), locked where possible."""
    lock = ""
    if vendor == "postgresql":
        lock = " FOR NO KEY UPDATE OF s" + (" SKIP LOCKED" if skip_locked else "")
    sql = (
        "SELECT s.id, s.article_id, s.{index} FROM {uncertainty} u "
        "JOIN {sentence} s ON s.id = u.sentence_id "
        f"WHERE u.project_id = %(project)s AND s.kind IN ({{kinds}}){not_in(excluded)} "
        f"AND NOT {DONE_BY_USER} AND {OTHER_HOLDERS_FEWER_THAN_K}{without_gold(gold_too)} "
        f"ORDER BY u.score DESC, u.sentence_id LIMIT 1{lock}"
    )
    return sql.format(**tables())


@cache
def uncertain_settled(vendor: str, gold_too: bool = False) -> str:
    """Return the statement dropping the scores of the head's sentences that have all their
    annotations (or gold, unless it is handed out too): each request then reads a head that
    stays short as work goes on."""
    head = (
        "SELECT u.id FROM {uncertainty} u WHERE u.project_id = %(project)s "
        "ORDER BY u.score DESC, u.sentence_id LIMIT %(head)s"
    )
    complete = (
        "(SELECT COUNT(*) FROM {annotation} a WHERE a.sentence_id = {uncertainty}.sentence_id "
        "AND a.kind = %(annotator)s AND a.status IN (%(submitted)s, %(skipped)s)) >= %(k)s"
    )
    if not gold_too:
        complete = (
            f"({complete} OR EXISTS (SELECT 1 FROM {{annotation}} g WHERE "
            "g.sentence_id = {uncertainty}.sentence_id AND g.kind = %(gold)s))"
        )
    sql = f"DELETE FROM {{uncertainty}} WHERE id IN (SELECT h.id FROM ({head}) h) AND {complete}"
    return sql.format(**tables())


@cache
def lock_sentence(vendor: str) -> str | None:
    """Return the statement locking one sentence against concurrent claims (None: not needed)."""
    if vendor != "postgresql":
        return None
    return "SELECT id FROM {sentence} WHERE id = %(sentence)s FOR NO KEY UPDATE".format(**tables())


@cache
def reserve(vendor: str) -> str:
    """Reserve the sentence for the user if fewer than k others hold it; return the row id.

    Run under the sentence's lock, in a statement of its own: on PostgreSQL it then sees every
    claim committed before the lock was granted, which the scan's snapshot may predate.
    """
    sql = (
        "INSERT INTO {assignment} (project_id, sentence_id, annotator_id, expires_at) "
        "SELECT %(project)s, s.id, %(user)s, %(expires)s FROM {sentence} s "
        f"WHERE s.id = %(sentence)s AND {OTHER_HOLDERS_FEWER_THAN_K} "
        "ON CONFLICT (sentence_id, annotator_id) DO UPDATE SET expires_at = excluded.expires_at "
        "RETURNING id"
    )
    return sql.format(**tables())


@cache
def unfinished(vendor: str, excluded: int) -> str:
    """Return the user's earliest sentence they reserved (live) or drafted and have not done.

    The last column tells whether the reservation is fresh (ends after `fresh`).
    """
    # Read from the user's few reservations and drafts (CROSS JOIN keeps that order on
    # SQLite), never by walking the project's sentences.
    sql = (
        "SELECT s.id, s.article_id, s.{index}, r.expires_at > %(fresh)s FROM ("
        "SELECT l.sentence_id FROM {assignment} l WHERE l.project_id = %(project)s "
        "AND l.annotator_id = %(user)s AND l.expires_at > %(now)s UNION "
        "SELECT d.sentence_id FROM {annotation} d WHERE d.annotator_id = %(user)s "
        "AND d.kind = %(annotator)s AND d.status = %(draft)s) mine "
        "CROSS JOIN {sentence} s "
        "LEFT JOIN {assignment} r ON r.sentence_id = s.id AND r.annotator_id = %(user)s "
        "WHERE s.id = mine.sentence_id "
        f"AND s.project_id = %(project)s AND s.kind IN ({{kinds}}){not_in(excluded)} "
        f"AND NOT {DONE_BY_USER} {IN_ORDER} LIMIT 1"
    )
    return sql.format(**tables())


def first_from(name: str, *conditions: str) -> str:
    return (
        "SELECT s.article_id, s.{index} AS idx FROM {sentence} s "
        f"WHERE {' AND '.join([in_queue_from(name), *conditions])} {IN_ORDER} LIMIT 1"
    )


@cache
def settled_ends(vendor: str, gold_too: bool = False) -> str:
    """Return, tagged 1, 2, 3: the first sentence from `own` the user may still be asked
    (not done by them, fewer than k done by others); the first from `frontier` with fewer
    than k done; and the position just past the project's last queue sentence."""
    last = (
        "SELECT s.article_id, s.{index} + 1 AS idx FROM {sentence} s WHERE s.project_id = "
        "%(project)s AND s.kind IN ({kinds}) ORDER BY s.article_id DESC, s.{index} DESC LIMIT 1"
    )
    open_for_user = first_from(
        "own", f"NOT {DONE_BY_USER}", OTHERS_DONE_FEWER_THAN_K + without_gold(gold_too)
    )
    incomplete = first_from("frontier", DONE_FEWER_THAN_K + without_gold(gold_too))
    sql = (
        f"SELECT 1, o.article_id, o.idx FROM ({open_for_user}) o "
        f"UNION ALL SELECT 2, f.article_id, f.idx FROM ({incomplete}) f "
        f"UNION ALL SELECT 3, e.article_id, e.idx FROM ({last}) e"
    )
    return sql.format(**tables())


@cache
def cursors(vendor: str) -> str:
    """Return the user's cursor and the project's frontier (annotator_id NULL)."""
    table = QueueCursor._meta.db_table
    return (
        f"SELECT id, annotator_id, at_article, at_index, per_sentence FROM {table} "
        "WHERE project_id = %(project)s AND (annotator_id = %(user)s OR annotator_id IS NULL)"
    )
