"""Who speaks around a sentence in its article: the speakers of its stored attributions.

Read in one query, whatever the queue order and whoever labelled: every annotator's
attributions and the gold of the sentences around it, and the imported predictions. Of the
sentence itself only the requester's own annotation counts (labeling is blind). Rows come
nearest first.
"""

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection

from claims.learning.models import Prediction
from claims.models import Annotation, AnnotationKind, Attribution, Sentence, Speaker

# How far back a pronoun looks for its speaker, and how far on a quotation may run.
BEFORE = 40
AFTER = 8
ANNOTATION, GOLD, PREDICTION, SUGGESTION, TEXT, SEEN = (
    "annotation", "gold", "prediction", "suggestion", "text", "seen"
)  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """A speaker named at a place of the article: a sentence's index and the source's offset."""

    index: int
    offset: int
    speaker: dict[str, Any]  # {"id", "name", "kind"}; id None: a speaker not created yet
    origin: str
    content: tuple[int, int] | None = None

    @property
    def key(self) -> tuple:
        speaker = self.speaker
        return ("id", speaker["id"]) if speaker.get("id") else ("name", speaker["name"].casefold())


# The columns a prediction row or a "seen" row leaves empty, typed as the first part's.
NO_NUMBERS = ", ".join(["CAST(NULL AS INTEGER)"] * 4 + ["CAST(NULL AS TEXT)"] * 2)


@cache
def context_sql() -> str:
    names = {
        "attribution": Attribution._meta.db_table,
        "annotation": Annotation._meta.db_table,
        "sentence": Sentence._meta.db_table,
        "speaker": Speaker._meta.db_table,
        "prediction": Prediction._meta.db_table,
        "index": connection.ops.quote_name("index"),
    }
    window = (
        "s.article_id = %(article)s AND s.{index} >= %(first)s AND s.{index} <= %(last)s"
    ).format(**names)
    return (
        "SELECT s.{index}, a.source_start, a.content_start, a.content_end, p.id, p.name, "
        "p.kind, n.kind, CAST(NULL AS TEXT) FROM {attribution} a "
        "JOIN {annotation} n ON n.id = a.annotation_id JOIN {sentence} s ON s.id = n.sentence_id "
        "JOIN {speaker} p ON p.id = a.speaker_id WHERE " + window + " AND (s.{index} <> "
        "%(index)s OR (n.annotator_id = %(user)s AND n.kind = %(annotator)s)) "
        "UNION ALL SELECT s.{index}, " + NO_NUMBERS + ", %(prediction)s, "
        "CAST(r.attributions AS TEXT) FROM {prediction} r JOIN {sentence} s "
        "ON s.id = r.sentence_id WHERE "
        + window
        + " UNION ALL SELECT DISTINCT s.{index}, "
        + NO_NUMBERS
        + ", %(seen)s, CAST(NULL AS TEXT) FROM {annotation} n "
        "JOIN {sentence} s ON s.id = n.sentence_id WHERE " + window + " AND s.{index} < %(index)s"
    ).format(**names)


def article_mentions(
    *, article_id: int, index: int, user_id: int | None
) -> tuple[list[Mention], set[int]]:
    """Return the speakers of the stored attributions from BEFORE sentences before the one
    at `index` to AFTER sentences after it, nearest first (later sentences after), and the
    indexes of the earlier sentences someone labelled or predictions cover."""
    values = {
        "article": article_id, "first": index - BEFORE, "last": index + AFTER, "index": index,
        "user": user_id or 0, "annotator": AnnotationKind.ANNOTATOR, "prediction": PREDICTION,
        "seen": SEEN,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(context_sql(), values)
        rows = cursor.fetchall()
    found: list[Mention] = []
    seen = {row[0] for row in rows if row[7] in (SEEN, PREDICTION)}
    for at, source, start, end, pk, name, kind, origin, predicted in rows:
        if origin == SEEN:
            continue
        if origin == PREDICTION:
            found += predicted_mentions(at, predicted)
            continue
        speaker = {"id": pk, "name": name, "kind": kind}
        content = (start, end) if start is not None else None
        origin = GOLD if origin == AnnotationKind.GOLD else ANNOTATION
        found.append(Mention(at, source if source is not None else -1, speaker, origin, content))
    return nearest_first(found, index), seen


def predicted_mentions(index: int, stored: str | None) -> list[Mention]:
    try:
        attributions = json.loads(stored or "[]")
    except ValueError:
        return []
    found = []
    for attribution in attributions if isinstance(attributions, list) else []:
        speaker = attribution.get("speaker") if isinstance(attribution, dict) else None
        if not isinstance(speaker, dict) or not speaker.get("name"):
            continue
        source = attribution.get("source") or [-1]
        content = attribution.get("content")
        content = tuple(content) if isinstance(content, list) and len(content) == 2 else None
        found.append(Mention(index, source[0], speaker, PREDICTION, content))
    return found


def nearest_first(mentions: list[Mention], index: int) -> list[Mention]:
    """Sort: this sentence and those before it, latest first; then those after, in order."""
    before = sorted((m for m in mentions if m.index <= index), key=lambda m: (-m.index, -m.offset))
    after = sorted((m for m in mentions if m.index > index), key=lambda m: (m.index, m.offset))
    return before + after
