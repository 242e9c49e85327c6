"""Which sentence an annotator gets next, and the reservation that keeps it theirs.

The queue is the project's queue sentences (`Sentence.objects.in_queue()`), article by article,
in order. A sentence is offered to an annotator who has not submitted or skipped it while fewer
than `annotations_per_sentence` *other* annotators hold it; an annotator holds a sentence once
they have submitted or skipped it, or while their reservation (an Assignment) is live.

An annotator's own unfinished work comes first: a sentence they hold a live reservation on, or
have a draft of. So reloading the page, or coming back after closing the tab, returns the same
sentence.

Speed on large projects: the scan walks the (project, article, index) index from a cursor kept
in the database (QueueCursor), so it never re-reads the settled part of the queue. The cursor
only moves past sentences that can no longer be offered (done by the annotator, or holding all
their annotations); sentences passed over because someone else has them reserved stay ahead
of it, so an abandoned reservation comes back to the queue when it expires.

Two annotators asking at once cannot both take the last free slot of a sentence: each
reservation takes a numbered slot, and (sentence, slot) is unique in the database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Assignment,
    Project,
    QueueCursor,
    Sentence,
)
from claims.models.annotation import DONE_STATUSES
from claims.models.article import QUEUE_KINDS

# Long enough to label a hard sentence; an abandoned tab blocks a sentence no longer than this.
RESERVATION = timedelta(minutes=30)
# When the scan from the cursor finds nothing, the whole queue is checked again from its start
# (catching sentences reopened behind the cursor, e.g. an annotation deleted in the admin), but
# at most this often per annotator: on a large finished project that check reads every row.
RECHECK_EVERY = timedelta(minutes=10)
CLAIM_ATTEMPTS = 8
# A cursor is stored again only when it moves to another article or this many sentences on:
# each write is a commit, and a slightly stale cursor costs only a few more index rows.
CURSOR_STEP = 32
# How many sentences back `previous` looks before asking the user's own annotations instead.
PREVIOUS_WINDOW = 2000


@dataclass(frozen=True, order=True)
class Position:
    """Where a sentence sits in the queue order."""

    article: int
    index: int


START = Position(0, 0)


@dataclass(frozen=True)
class Found:
    sentence_id: int
    position: Position


def queue_next(
    *,
    project: Project,
    user,
    exclude: Collection[int] = (),
    now: datetime | None = None,
    from_article: int | None = None,
) -> int | None:
    """Reserve and return the id of the user's next sentence, or None when none is left.

    `exclude` lists sentence ids the client already has (the one on screen, when prefetching).
    `from_article`: the annotator picked this article to work in: the scan starts there (the
    same rules apply), before their own unfinished work elsewhere; the cursors stay as they are.
    """
    now = now or timezone.now()
    exclude = frozenset(exclude)
    if from_article is not None:
        picked = scan_and_claim(project, user, Position(from_article, 0), exclude, now)
        if picked is not None:
            return picked.sentence_id
    resumed = unfinished_of(project, user, exclude, now)
    if resumed is not None:
        slot_claim(project=project, user=user, sentence_id=resumed.sentence_id, now=now)
        return resumed.sentence_id
    own, frontier = cursors_of(project, user)
    start = max(position_of(own, project), position_of(frontier, project))
    found = scan_and_claim(project, user, start, exclude, now)
    if found is None and start > START and recheck_due(own, now):
        found = scan_and_claim(project, user, START, exclude, now)
        if found is not None:
            # Something behind the cursors reopened: recompute both from the start.
            start = START
            frontier = cursor_save(project, None, frontier, START)
        own = cursor_save(project, user, own, start, now=now)
    if found is not None:
        cursors_advance(project, user, own, frontier, start)
    return found and found.sentence_id


def queue_previous(*, project: Project, user, before: Sentence) -> int | None:
    """Return the id of the last sentence before `before` that the user has annotated."""
    earlier = (
        Sentence.objects.filter(project=project, article_id__lte=before.article_id).in_queue()
    ).exclude(article_id=before.article_id, index__gte=before.index)
    newest_first = ("-article_id", "-index")
    mine = Annotation.objects.filter(
        sentence=OuterRef("pk"), annotator=user, kind=AnnotationKind.ANNOTATOR
    )
    # Usually it is a few sentences back: look there first, walking the queue index backwards.
    window = earlier.order_by(*newest_first).values("id")[:PREVIOUS_WINDOW]
    found = (
        Sentence.objects.filter(id__in=window)
        .filter(Exists(mine))
        .order_by(*newest_first)
        .values_list("id", flat=True)
        .first()
    )
    if found is not None:
        return found
    # Else go through the user's own annotations (bounded by their work, not the project).
    return (
        Annotation.objects.filter(
            annotator=user, kind=AnnotationKind.ANNOTATOR, sentence__in=earlier
        )
        .order_by("-sentence__article_id", "-sentence__index")
        .values_list("sentence_id", flat=True)
        .first()
    )


def unfinished_of(project: Project, user, exclude: frozenset[int], now) -> Found | None:
    """Return the user's earliest sentence with a live reservation or a draft, not yet done."""
    live = Assignment.objects.filter(project=project, annotator=user, expires_at__gt=now).values(
        "sentence_id"
    )
    drafts = (
        Annotation.objects.filter(
            annotator=user,
            kind=AnnotationKind.ANNOTATOR,
            status=AnnotationStatus.DRAFT,
            sentence__project=project,
        )
        .order_by()
        .values("sentence_id")
    )
    done = Annotation.objects.done().filter(sentence=OuterRef("pk"), annotator=user)
    row = (
        Sentence.objects.filter(id__in=live.union(drafts))
        .in_queue()
        .exclude(id__in=exclude)
        .exclude(Exists(done))
        .order_by("article_id", "index")
        .values_list("id", "article_id", "index")
        .first()
    )
    return row and Found(row[0], Position(row[1], row[2]))


# --- scanning -----------------------------------------------------------------------------


def scan(
    project: Project, start: Position, conditions: list[tuple[str, list]], exclude=()
) -> Found | None:
    """Return the first queue sentence at or after `start` meeting every SQL condition."""
    quote = connection.ops.quote_name
    where = [
        "s.project_id = %s",
        f"s.kind IN ({', '.join(['%s'] * len(QUEUE_KINDS))})",
        # A range on the index, plus a filter that drops at most one article's head.
        "s.article_id >= %s",
        f"NOT (s.article_id = %s AND s.{quote('index')} < %s)",
    ]
    params: list = [project.id, *QUEUE_KINDS, start.article, start.article, start.index]
    if exclude:
        where.append(f"s.id NOT IN ({', '.join(['%s'] * len(exclude))})")
        params.extend(sorted(exclude))
    for sql, sql_params in conditions:
        where.append(sql)
        params.extend(sql_params)
    query = (
        f"SELECT s.id, s.article_id, s.{quote('index')} FROM {Sentence._meta.db_table} s "
        f"WHERE {' AND '.join(where)} ORDER BY s.article_id, s.{quote('index')} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return row and Found(row[0], Position(row[1], row[2]))


def done_condition(*, user_id: int | None, mine: bool) -> tuple[str, list]:
    """Return SQL selecting the sentence's done annotations: the user's, or everyone else's."""
    table = Annotation._meta.db_table
    sql = (
        f"SELECT {{what}} FROM {table} a WHERE a.sentence_id = s.id AND a.kind = %s "
        f"AND a.status IN (%s, %s)"
    )
    params: list = [AnnotationKind.ANNOTATOR, *DONE_STATUSES]
    if user_id is not None:
        sql += " AND a.annotator_id = %s" if mine else " AND a.annotator_id <> %s"
        params.append(user_id)
    return sql, params


def not_done_by(user_id: int) -> tuple[str, list]:
    sql, params = done_condition(user_id=user_id, mine=True)
    return f"NOT EXISTS ({sql.format(what='1')})", params


def fewer_done_than(per_sentence: int, *, except_user: int | None) -> tuple[str, list]:
    sql, params = done_condition(user_id=except_user, mine=False)
    return f"({sql.format(what='COUNT(*)')}) < %s", [*params, per_sentence]


def fewer_holders_than(per_sentence: int, *, except_user: int, now: datetime) -> tuple[str, list]:
    """Return SQL: fewer than `per_sentence` others have done or live-reserved the sentence."""
    done_sql, done_params = done_condition(user_id=except_user, mine=False)
    live_sql = (
        f"SELECT r.annotator_id FROM {Assignment._meta.db_table} r "
        f"WHERE r.sentence_id = s.id AND r.expires_at > %s AND r.annotator_id <> %s"
    )
    # UNION, not UNION ALL: an annotator who is done and still holds the reservation is one.
    holders = f"{done_sql.format(what='a.annotator_id')} UNION {live_sql}"
    when = connection.ops.adapt_datetimefield_value(now)
    return (
        f"(SELECT COUNT(*) FROM ({holders}) holders) < %s",
        [*done_params, when, except_user, per_sentence],
    )


def available_to(project: Project, user, now: datetime) -> list[tuple[str, list]]:
    k = project.annotations_per_sentence
    return [not_done_by(user.id), fewer_holders_than(k, except_user=user.id, now=now)]


def scan_and_claim(project, user, start: Position, exclude: frozenset[int], now) -> Found | None:
    """Find the first sentence available to the user and reserve it, retrying on a lost race."""
    skipped = set(exclude)
    for _ in range(CLAIM_ATTEMPTS):
        found = scan(project, start, available_to(project, user, now), skipped)
        if found is None:
            return None
        if slot_claim(project=project, user=user, sentence_id=found.sentence_id, now=now):
            return found
        skipped.add(found.sentence_id)
    return None


# --- reservations -------------------------------------------------------------------------


def slot_claim(*, project: Project, user, sentence_id: int, now: datetime) -> bool:
    """Reserve one of the sentence's slots for the user; return False when all are held.

    Slots held by annotators who are done come first, then live reservations; a slot whose
    reservation expired without an annotation is taken over. Whoever loses a race for the
    same slot gets an IntegrityError (insert) or updates nothing (takeover), and moves on.
    """
    expires_at = now + RESERVATION
    rows = list(Assignment.objects.filter(sentence_id=sentence_id))
    done = set(
        Annotation.objects.done()
        .filter(sentence_id=sentence_id)
        .values_list("annotator_id", flat=True)
    )
    holders = (done | {r.annotator_id for r in rows if r.expires_at > now}) - {user.id}
    per_sentence = project.annotations_per_sentence
    own = next((r for r in rows if r.annotator_id == user.id), None)
    if own is not None:
        if own.expires_at <= now and user.id not in done and len(holders) >= per_sentence:
            return False
        if own.expires_at - now < RESERVATION / 2:  # refreshing a fresh one would only write
            Assignment.objects.filter(pk=own.pk).update(expires_at=expires_at)
        return True
    if len(holders) >= per_sentence:
        return False
    taken = {r.slot for r in rows if r.annotator_id in holders}
    # Annotators who are done without ever holding a slot (e.g. via the API) use up slots too.
    unslotted = len(holders - {r.annotator_id for r in rows})
    free = [slot for slot in range(per_sentence) if slot not in taken][unslotted:]
    if not free:
        return False
    stale = next((r for r in rows if r.slot == free[0]), None)
    try:
        with transaction.atomic():
            if stale is None:
                Assignment.objects.create(
                    project=project, sentence_id=sentence_id, annotator=user,
                    slot=free[0], expires_at=expires_at,
                )  # fmt: skip
                return True
            return bool(
                Assignment.objects.filter(
                    pk=stale.pk, annotator_id=stale.annotator_id, expires_at=stale.expires_at
                ).update(annotator=user, expires_at=expires_at)
            )
    except IntegrityError:
        return False


# --- cursors ------------------------------------------------------------------------------


def cursors_of(project: Project, user) -> tuple[QueueCursor | None, QueueCursor | None]:
    """Return the user's cursor and the project's frontier (None where not stored yet)."""
    rows = QueueCursor.objects.filter(
        Q(annotator=user) | Q(annotator__isnull=True), project=project
    )
    own = frontier = None
    for row in rows:
        if row.annotator_id is None:
            frontier = row
        else:
            own = row
    return own, frontier


def position_of(cursor: QueueCursor | None, project: Project) -> Position:
    if cursor is None or cursor.per_sentence != project.annotations_per_sentence:
        return START
    return Position(cursor.at_article, cursor.at_index)


def recheck_due(cursor: QueueCursor | None, now: datetime) -> bool:
    checked = cursor and cursor.rechecked_at
    return checked is None or checked < now - RECHECK_EVERY


def cursors_advance(project, user, own, frontier, start: Position) -> None:
    """Move the cursors past the sentences that became settled since they were stored."""
    k = project.annotations_per_sentence
    settled_for_user = [not_done_by(user.id), fewer_done_than(k, except_user=user.id)]
    first_open = scan(project, start, settled_for_user)
    if first_open and worth_storing(own, project, first_open.position):
        cursor_save(project, user, own, first_open.position)
    frontier_start = position_of(frontier, project)
    first_incomplete = scan(project, frontier_start, [fewer_done_than(k, except_user=None)])
    if first_incomplete and worth_storing(frontier, project, first_incomplete.position):
        cursor_save(project, None, frontier, first_incomplete.position)


def worth_storing(cursor: QueueCursor | None, project: Project, position: Position) -> bool:
    """Tell whether a cursor moved far enough forward (or is new) to be written again."""
    if cursor is None or cursor.per_sentence != project.annotations_per_sentence:
        return True
    stored = position_of(cursor, project)
    if position <= stored:
        return False
    return position.article != stored.article or position.index - stored.index >= CURSOR_STEP


def cursor_save(project, user, cursor, position: Position, *, now=None) -> QueueCursor | None:
    """Store the cursor's new position (and the time of a full recheck, when given)."""
    fields = {
        "at_article": position.article,
        "at_index": position.index,
        "per_sentence": project.annotations_per_sentence,
    }
    if now is not None:
        fields["rechecked_at"] = now
    if cursor is not None:
        QueueCursor.objects.filter(pk=cursor.pk).update(**fields)
        for name, value in fields.items():
            setattr(cursor, name, value)
        return cursor
    try:
        with transaction.atomic():
            return QueueCursor.objects.create(project=project, annotator=user, **fields)
    except IntegrityError:
        return None  # another request stored it first; either position is a valid start
