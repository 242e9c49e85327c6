"""Which sentence an annotator gets next, and the reservation that keeps it theirs.

The queue is the project's queue sentences (`Sentence.objects.in_queue()`), article by article,
in order. A sentence is offered to an annotator who has not submitted or skipped it while fewer
than `annotations_per_sentence` (k) *other* annotators hold it; an annotator holds a sentence
once they have submitted or skipped it, or while their reservation (an Assignment) is live.

Unless the project hands out sentences that have gold (`Project.gold_in_queue`), a sentence
with gold (imported training labels, an adjudication) is settled like a complete one: nobody
is offered it.

With the project's queue order "uncertain first" (and the active suggestion model's scores of
the queue: claims.learning.models.Uncertainty), the sentences the model is least sure of (its
spans, claim label or stance) come first, under the same rules; then the article order takes
over.

An annotator's own unfinished work comes first: a sentence they hold a live reservation on, or
have a draft of. So reloading the page, or coming back after closing the tab, returns the same
sentence.

Claims never race to a false "nothing left": a claim takes the first available sentence that no
concurrent claim is taking (PostgreSQL: row locks, skipping locked rows; SQLite: the write lock),
checks under that lock that fewer than k others hold it, and reserves it. Only a scan that finds
no available sentence at all, waiting for the locks of concurrent claims, answers None.

Speed at any size: scans walk the (project, article, index) index from cursors kept in the
database (QueueCursor): the annotator's (every sentence before it is done by them or has all its
annotations) and the project's frontier (every sentence before it has all its annotations). They
move forward after each answer, "nothing left" included, so no answer rereads the settled part
of the queue. Sentences passed over because someone else has them reserved stay ahead of the
cursors, so an abandoned reservation comes back to the queue when it expires. Changing k resets
the cursors; `queue_reopen` moves them back when a done annotation becomes a draft again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from claims.labeling import queue_sql
from claims.models import (
    Annotation,
    AnnotationKind,
    Project,
    QueueCursor,
    QueueOrder,
    QueueSize,
    Sentence,
)

# Long enough to label a hard sentence; an abandoned tab blocks a sentence no longer than this.
RESERVATION = timedelta(minutes=30)
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

    def as_params(self, name: str) -> dict:
        return {f"{name}_article": self.article, f"{name}_index": self.index}


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
    gold_too = project.gold_in_queue
    common = queue_sql.params(
        project=project.id,
        user=user.id,
        k=project.annotations_per_sentence,
        now=now,
        expires=now + RESERVATION,
        fresh=now + RESERVATION / 2,
        **queue_sql.exclusions(exclude),
    )
    if from_article is not None:
        picked = claim_first(common, Position(from_article, 0), exclude, gold_too)
        if picked is not None:
            return picked.sentence_id
    resumed = unfinished_of(common, len(exclude))
    if resumed is not None:
        sentence_id, fresh = resumed
        # A fresh reservation needs no write; else reserve again (others may have filled it).
        if fresh or claim_resumed(common, sentence_id):
            return sentence_id
        exclude |= {sentence_id}
    if project.queue_order == QueueOrder.UNCERTAIN:
        found = claim_uncertain(common, exclude, gold_too)
        if found is not None:
            return found.sentence_id
    own, frontier = cursors_of(project, user)
    start = max(position_of(own, project), position_of(frontier, project))
    found = claim_first(common, start, exclude, gold_too)
    if (
        found is None
        or worth_storing(own, project, found.position)
        or worth_storing(frontier, project, found.position)
    ):
        cursors_advance(project, user, own, frontier, common)
    return found and found.sentence_id


def queue_reopen(sentence: Sentence) -> None:
    """Move the project's cursors back to the sentence: it needs annotations again."""
    after = Q(at_article__gt=sentence.article_id) | Q(
        at_article=sentence.article_id, at_index__gt=sentence.index
    )
    QueueCursor.objects.filter(after, project_id=sentence.project_id).update(
        at_article=sentence.article_id, at_index=sentence.index
    )


def queue_rules_changed(project: Project) -> None:
    """Start the project's queue afresh after a change of which sentences it hands out
    (``gold_in_queue``): the cursors may have passed sentences that are open again, and the
    stored queue size counts by the old rule."""
    QueueCursor.objects.filter(project=project).delete()
    QueueSize.forget(project.pk)


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


def unfinished_of(common: dict, excluded: int) -> tuple[int, bool] | None:
    """Return the user's earliest reserved or drafted sentence not done, and whether the
    reservation is fresh."""
    row = fetch_one(queue_sql.unfinished(connection.vendor, excluded), common)
    return row and (row[0], bool(row[3]))


# --- claiming -----------------------------------------------------------------------------


def fetch_one(sql: str, values: dict):
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchone()


def fetch_all(sql: str, values: dict) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def reserved(common: dict, sentence_id: int) -> bool:
    """Reserve the (locked) sentence if fewer than k others hold it."""
    sql = queue_sql.reserve(connection.vendor)
    return fetch_one(sql, {**common, "sentence": sentence_id}) is not None


def claim_resumed(common: dict, sentence_id: int) -> bool:
    """Reserve the user's unfinished sentence again, unless others filled it meanwhile."""
    with transaction.atomic():
        if lock := queue_sql.lock_sentence(connection.vendor):
            fetch_one(lock, {"sentence": sentence_id})
        return reserved(common, sentence_id)


def claim_first(
    common: dict, start: Position, exclude: Collection[int], gold_too: bool
) -> Found | None:
    """Reserve the first sentence from `start` available to the user; None when none is."""
    vendor = connection.vendor
    return claim_scanned(
        common,
        exclude,
        start.as_params("start"),
        lambda passed, skip_locked: queue_sql.claim_scan(vendor, passed, skip_locked, gold_too),
    )


def claim_uncertain(common: dict, exclude: Collection[int], gold_too: bool) -> Found | None:
    """Reserve the available sentence the active model is least sure of; None when the scores
    have none left (the article order takes over).

    The scores of the head's complete sentences are dropped first, so the scan reads past
    few settled rows, however far the project has gone.
    """
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute(queue_sql.uncertain_settled(vendor, gold_too), {**common, "head": 64})
    return claim_scanned(
        common,
        exclude,
        {},
        lambda passed, skip_locked: queue_sql.uncertain_scan(vendor, passed, skip_locked, gold_too),
    )


def claim_scanned(
    common: dict,
    exclude: Collection[int],
    params: dict,
    scan: Callable[[int, bool], str],
) -> Found | None:
    """Reserve the first sentence the scan finds (given how many ids it passes over, and
    whether it skips locked rows) that is still free; None when none is.

    A sentence filled by a claim that committed after this one's scan began is passed over and
    the scan goes on: only a scan that waited for every concurrent claim and found nothing
    means that nothing is left.
    """
    passed = set(exclude)
    skip_locked = True
    while True:
        values = {**common, **queue_sql.exclusions(passed), **params}
        with transaction.atomic():
            row = fetch_one(scan(len(passed), skip_locked), values)
            if row is not None and reserved(common, row[0]):
                return Found(row[0], Position(row[1], row[2]))
        if row is None:
            if not skip_locked or connection.vendor != "postgresql":
                return None
            skip_locked = False  # all left may be locked by concurrent claims: wait for them
        else:
            passed.add(row[0])


# --- cursors ------------------------------------------------------------------------------


def cursors_of(project: Project, user) -> tuple[QueueCursor | None, QueueCursor | None]:
    """Return the user's cursor and the project's frontier (None where not stored yet)."""
    own = frontier = None
    for row in fetch_all(
        queue_sql.cursors(connection.vendor), {"project": project.id, "user": user.id}
    ):
        cursor = QueueCursor(
            id=row[0], project_id=project.id, annotator_id=row[1], at_article=row[2],
            at_index=row[3], per_sentence=row[4],
        )  # fmt: skip
        if cursor.annotator_id is None:
            frontier = cursor
        else:
            own = cursor
    return own, frontier


def position_of(cursor: QueueCursor | None, project: Project) -> Position:
    if cursor is None or cursor.per_sentence != project.annotations_per_sentence:
        return START
    return Position(cursor.at_article, cursor.at_index)


def cursors_advance(project, user, own, frontier, common: dict) -> None:
    """Move the cursors past the sentences settled since they were stored (to the end of the
    queue when none is open), in one query and a write where one moved far enough."""
    frontier_at = position_of(frontier, project)
    ends = {
        tag: Position(article, index)
        for tag, article, index in fetch_all(
            queue_sql.settled_ends(connection.vendor, project.gold_in_queue),
            {
                **common,
                # Everything before the frontier is settled for everyone, the user included.
                **max(position_of(own, project), frontier_at).as_params("own"),
                **frontier_at.as_params("frontier"),
            },
        )
    }
    past_the_end = ends.get(3, START)
    for cursor, tag, annotator in ((own, 1, user), (frontier, 2, None)):
        position = ends.get(tag, past_the_end)
        if worth_storing(cursor, project, position):
            cursor_save(project, annotator, cursor, position)


def worth_storing(cursor: QueueCursor | None, project: Project, position: Position) -> bool:
    """Tell whether a cursor moved far enough forward (or is new) to be written again."""
    if cursor is None or cursor.per_sentence != project.annotations_per_sentence:
        return True
    stored = position_of(cursor, project)
    if position <= stored:
        return False
    return position.article != stored.article or position.index - stored.index >= CURSOR_STEP


def cursor_save(project, user, cursor, position: Position) -> None:
    """Store the cursor's new position."""
    fields = {
        "at_article": position.article,
        "at_index": position.index,
        "per_sentence": project.annotations_per_sentence,
    }
    if cursor is not None:
        QueueCursor.objects.filter(pk=cursor.pk).update(**fields)
        return
    try:
        with transaction.atomic():
            QueueCursor.objects.create(project=project, annotator=user, **fields)
    except IntegrityError:
        pass  # another request stored it first; either position is a valid start
