"""What speaker resolution knows about a sentence: its text and its neighbours', the
project speakers their words may name, and who speaks around it in the article.

Read with two queries besides the sentences (claims.speakers.index, claims.speakers.context);
the labeling page's item reads the sentences with its own, the candidates endpoint here.
"""

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.db import connection

from claims.models import Sentence
from claims.prepared import Prepared
from claims.speakers.context import AFTER, SUGGESTION, Mention, article_mentions
from claims.speakers.index import KeyRow, keys_for, lookup_words
from claims.speakers.names import headline_like
from claims.speakers.quotations import Quotation, quotation_around

# The sentences read around the one labelled: the rules look for named sources this far back
# (in sentences nobody labelled yet), and a quotation is followed this far either way.
WINDOW_BEFORE = 8
WINDOW_AFTER = 4
# The candidates endpoint reads this far after the sentence (a quotation's stored speaker).
ROWS_AFTER = max(WINDOW_AFTER, AFTER)
# At most this many sentences beyond the window are read for a full name.
OTHERS = 40


@dataclass
class Scene:
    project_id: int
    article_id: int
    index: int
    texts: dict[int, str]  # the sentences around it (and itself), by index
    ids: dict[int, int]  # their ids, by index
    kinds: dict[int, str]  # their kinds, by index
    article_source: str = ""
    mentions: list[Mention] = field(default_factory=list)
    keys: list[KeyRow] = field(default_factory=list)
    labelled: set[int] = field(default_factory=set)  # sentence indexes with stored labels
    reaches: int = 0  # the last index the window asked for: the article may go on after it
    # Whether a last name's full name is looked for beyond the window too (one query): the
    # candidates endpoint does; the queue's item stays within what it read.
    whole_article: bool = True
    # The sentences beyond the window that contain a word, by word: asked once a scene.
    texts_beyond: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.texts[self.index]

    @cached_property
    def quotation(self) -> Quotation | None:
        return quotation_around(self.texts, self.index)

    def texts_naming(self, word: str, headline: bool = True) -> list[str]:
        """Return the texts of the article's other sentences that contain the word: those
        before this one nearest first, then those after it in order (without the article's
        first sentence when it reads as a headline, unless `headline`). The window's are at
        hand; the rest of the article costs one query, when it goes beyond the window."""
        texts = dict(self.texts)
        first, last = min(texts), max(texts)
        if self.whole_article and (first > 0 or last >= self.reaches):
            if word not in self.texts_beyond:  # one query a word
                self.texts_beyond[word] = texts_containing(self.article_id, word, first, last)
            texts.update(self.texts_beyond[word])
        if not headline and headline_like(texts.get(0, "")):
            del texts[0]
        before = [texts[i] for i in sorted(texts, reverse=True) if i < self.index]
        after = [texts[i] for i in sorted(texts) if i > self.index]
        return [t for t in before + after if word in t]

    @cached_property
    def suggested_mentions(self) -> list[Mention]:
        """Return the named sources the rules find in the earlier sentences nobody labelled
        (nearest first): who spoke there before anyone said so."""
        from claims.speakers.suggested import rule_mentions  # it resolves names with a Scene

        return rule_mentions(self)


@cache
def containing_sql() -> str:
    index = connection.ops.quote_name("index")
    return (
        f"SELECT {index}, text FROM {Sentence._meta.db_table} WHERE article_id = %(article)s "
        f"AND ({index} < %(first)s OR {index} > %(last)s) AND text LIKE %(like)s ESCAPE '\\' "
        f"ORDER BY {index} LIMIT {OTHERS}"
    )


def texts_containing(article_id: int, word: str, first: int, last: int) -> list[tuple]:
    """Return (index, text) of the article's sentences outside first..last that contain the
    word (any case), in order."""
    like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            containing_sql(), {"article": article_id, "first": first, "last": last, "like": like}
        )
        return cursor.fetchall()


def scene_of(
    *,
    sentence: Sentence,
    rows: list[dict[str, Any]],
    user_id: int | None,
    article_source: str = "",
    after: int = WINDOW_AFTER,
    whole_article: bool = True,
) -> Scene:
    """Return the scene of the sentence; `rows`: the sentences around it (id, index, kind,
    text), itself included, up to `after` sentences after it."""
    texts = {r["index"]: r["text"] for r in rows}
    scene = Scene(
        project_id=sentence.project_id,
        article_id=sentence.article_id,
        index=sentence.index,
        texts=texts,
        ids={r["index"]: r["id"] for r in rows},
        kinds={r["index"]: r["kind"] for r in rows},
        article_source=article_source,
        reaches=sentence.index + after,
        whole_article=whole_article,
    )
    words = lookup_words(texts.values(), every_word=sentence.text)
    scene.keys = keys_for(sentence.project_id, words)
    mentions, seen = article_mentions(
        article_id=sentence.article_id, index=sentence.index, user_id=user_id
    )
    scene.labelled = seen | {m.index for m in mentions}
    scene.mentions = mentions
    return scene


# The candidates endpoint's read of the sentences around one: compiled once (claims.prepared).
WINDOW_ROWS = Prepared(
    lambda article, first, last: (
        Sentence.objects.filter(article_id=article, index__gte=first, index__lte=last)
        .order_by("index")
        .values_list("id", "index", "kind", "text")
    ),
    article=int,
    first=int,
    last=int,
)


def window_rows(sentence: Sentence) -> list[dict[str, Any]]:
    """Return the sentences of the scene's window (one query)."""
    rows = WINDOW_ROWS.rows(
        article=sentence.article_id,
        first=sentence.index - WINDOW_BEFORE,
        last=sentence.index + ROWS_AFTER,
    )
    return [dict(zip(("id", "index", "kind", "text"), row, strict=True)) for row in rows]


__all__ = ["SUGGESTION", "Scene", "scene_of", "window_rows"]
