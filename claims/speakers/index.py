"""The speakers a text may name, found through SpeakerKey (one indexed query, any project size).

Every name, alias and learnt alias is a row keyed by its last word; a sentence's words look
the rows up, and claims.speakers.matching compares the phrases found with the source.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from claims.models import Speaker, SpeakerKey, SpeakerKeyOrigin, SpeakerKind
from claims.speakers.lexicon import lexicon
from claims.speakers.runs import DETERMINERS
from claims.speakers.tokens import fold, name_tokens, phrase_key

# A capitalised word, without a possessive ending or the punctuation after it.
CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w.'’-]*?(?=[’']s\b|[.,;:!?)\]\"”]*(?:\s|$))")
# Statements are written for these many words (the rest padded): a handful of shapes.
SHAPES = (8, 32, 128, 512)
MAX_TEXT = 200
# Speakers that stand for no name: never found by a word of the text.
NAMELESS_KINDS = (SpeakerKind.AUTHOR, SpeakerKind.UNNAMED)


@dataclass(frozen=True)
class KeyRow:
    """A name, alias or learnt alias of a speaker, as found."""

    speaker_id: int
    name: str
    kind: str
    origin: str
    phrase: str
    uses: int
    text: str = ""
    words: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "words", tuple(self.phrase.split()))


def key_rows(speaker: Speaker) -> list[SpeakerKey]:
    """Return the speaker's name and alias rows (unsaved)."""
    texts = [(SpeakerKeyOrigin.NAME, speaker.name)]
    texts += [(SpeakerKeyOrigin.ALIAS, a) for a in speaker.aliases or [] if isinstance(a, str)]
    rows: dict[tuple[str, str], SpeakerKey] = {}
    for origin, text in texts:
        phrase = phrase_key(text)
        if phrase and (origin, phrase) not in rows:
            rows[origin, phrase] = SpeakerKey(
                project_id=speaker.project_id, speaker_id=speaker.pk, origin=origin,
                phrase=phrase, text=text[:MAX_TEXT], token=phrase.split()[-1][:MAX_TEXT],
            )  # fmt: skip
    return list(rows.values())


def speaker_keys_refresh(speakers: Sequence[Speaker], *, new: bool = False) -> None:
    """Index the speakers' names and aliases anew (learnt rows stay)."""
    if not speakers:
        return
    if not new:
        names = (SpeakerKeyOrigin.NAME, SpeakerKeyOrigin.ALIAS)
        SpeakerKey.objects.filter(speaker__in=[s.pk for s in speakers], origin__in=names).delete()
    SpeakerKey.objects.bulk_create([row for s in speakers for row in key_rows(s)])


def lookup_words(texts: Iterable[str], *, every_word: str = "") -> list[str]:
    """Return the folded words to look speakers up by: the capitalised words of the texts,
    and every word of `every_word` (an alias like "the Russian top diplomat" ends lower case),
    without function words."""
    skip = DETERMINERS | set(lexicon().pronouns)
    words: set[str] = set()
    for text in texts:
        words.update(fold(word) for word in CAPITALISED.findall(text))
    words.update(name_tokens(every_word))
    return sorted(w for w in words if w and w not in skip and len(w) <= MAX_TEXT)


@cache
def lookup_sql(slots: int) -> str:
    marks = ", ".join(f"%(w{n})s" for n in range(slots))
    return (
        "SELECT k.speaker_id, s.name, s.kind, k.origin, k.phrase, k.uses, k.text "
        f"FROM {SpeakerKey._meta.db_table} k JOIN {Speaker._meta.db_table} s "
        "ON s.id = k.speaker_id "
        f"WHERE k.project_id = %(project)s AND k.token IN ({marks}) "
        "AND (k.origin <> %(learnt)s OR k.uses > 0) AND s.kind NOT IN (%(author)s, %(unnamed)s)"
    )


def keys_for(project_id: int, words: Sequence[str]) -> list[KeyRow]:
    """Return the project's name, alias and learnt-alias rows whose last word is one of the
    words (in one query)."""
    if not words:
        return []
    found: list[KeyRow] = []
    for start in range(0, len(words), SHAPES[-1]):
        chunk = words[start : start + SHAPES[-1]]
        slots = next(size for size in SHAPES if size >= len(chunk))
        values = {f"w{n}": (chunk[n] if n < len(chunk) else "") for n in range(slots)}
        values.update(
            project=project_id,
            learnt=SpeakerKeyOrigin.LEARNT,
            author=NAMELESS_KINDS[0],
            unnamed=NAMELESS_KINDS[1],
        )
        with connection.cursor() as cursor:
            cursor.execute(lookup_sql(slots), values)
            found += [KeyRow(*row) for row in cursor.fetchall()]
    return found
