"""Learnt aliases: every saved link from a named source's text to a speaker is evidence.

An annotation that links the source "The Post" to The Washington Post teaches the project
that "The Post" may be it. Each (speaker, source phrase) pair is a SpeakerKey row of origin
`learnt` counting the annotations (annotators' and gold) that make the link now: a save adds
the links it makes and removes those it no longer makes, in one statement each, and only
when they changed (a draft saved again with the same links costs nothing). Pronouns and
nominals ("he", "the newspaper") teach nothing: they stand for a different speaker in every
article. Curators see and remove learnt aliases on the speaker's admin page.
"""

from collections.abc import Iterable
from functools import cache

from django.db import connection

from claims.content import AnnotationContent
from claims.models import Attribution, Speaker, SpeakerKey, SpeakerKeyOrigin
from claims.speakers.index import MAX_TEXT
from claims.speakers.names import NAMED, read_source
from claims.speakers.tokens import phrase_key

# A source longer than this many words is a description, not a name to learn.
MAX_WORDS = 6
# A save adds or removes the links of up to this many attributions in one statement shape.
SHAPES = (1, 2, 4, 8, 16, 32, 64)

Link = tuple[int, str, str]  # speaker id, phrase, source text as written


def links_of(content: AnnotationContent | None, sentence_text: str) -> dict[tuple[int, str], Link]:
    """Return the (speaker, phrase, text) links the content's named sources make, by speaker
    and phrase (one link per pair however many attributions make it)."""
    if content is None:
        return {}
    found: dict[tuple[int, str], Link] = {}
    for attribution in content.attributions:
        speaker, source = attribution.speaker, attribution.source
        if speaker is None or speaker.id is None or source is None:
            continue
        text = " ".join(sentence_text[source.start : source.end].split())
        phrase = learnable_phrase(text)
        if phrase:
            found.setdefault((speaker.id, phrase), (speaker.id, phrase, text[:MAX_TEXT]))
    return found


def learnable_phrase(text: str) -> str:
    """Return the phrase a source text teaches, or "" when it names no one."""
    phrase = phrase_key(text)
    if not phrase or len(phrase.split()) > MAX_WORDS or len(phrase) > MAX_TEXT:
        return ""
    return phrase if read_source(text).form == NAMED else ""


def links_update(
    *,
    project_id: int,
    before: AnnotationContent | None,
    after: AnnotationContent,
    sentence_text: str,
) -> None:
    """Count the links the save makes and stop counting those it no longer makes."""
    old, new = links_of(before, sentence_text), links_of(after, sentence_text)
    added = [link for pair, link in sorted(new.items()) if pair not in old]
    removed = sorted(old.keys() - new.keys())
    if added:
        links_add(project_id, added)
    if removed:
        links_remove(removed)


def padded(items: list, shapes=SHAPES) -> tuple[int, list]:
    size = next((s for s in shapes if s >= len(items)), len(items))
    return size, items + [items[-1]] * (size - len(items))


@cache
def add_sql(rows: int) -> str:
    table = SpeakerKey._meta.db_table
    values = ", ".join(
        f"(%(p)s, %(s{n})s, %(learnt)s, %(k{n})s, %(x{n})s, %(t{n})s, 1)" for n in range(rows)
    )
    # The padding repeats the last link: DISTINCT makes it one row, counted once.
    return (
        f"INSERT INTO {table} (project_id, speaker_id, origin, phrase, text, token, uses) "
        f"SELECT DISTINCT * FROM (VALUES {values}) AS v WHERE true "
        "ON CONFLICT (speaker_id, origin, phrase) DO UPDATE SET uses = "
        f"{table}.uses + 1"
    )


def links_add(project_id: int, links: list[Link]) -> None:
    size, rows = padded(links)
    values = {"p": project_id, "learnt": SpeakerKeyOrigin.LEARNT}
    for n, (speaker, phrase, text) in enumerate(rows):
        values.update({f"s{n}": speaker, f"k{n}": phrase, f"x{n}": text,
                       f"t{n}": phrase.split()[-1]})  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(add_sql(size), values)


@cache
def remove_sql(pairs: int) -> str:
    table = SpeakerKey._meta.db_table
    which = " OR ".join(f"(speaker_id = %(s{n})s AND phrase = %(k{n})s)" for n in range(pairs))
    return (
        f"UPDATE {table} SET uses = uses - 1 WHERE origin = %(learnt)s AND uses > 0 AND ({which})"
    )


def links_remove(pairs: list[tuple[int, str]]) -> None:
    size, rows = padded(pairs)
    values = {"learnt": SpeakerKeyOrigin.LEARNT}
    for n, (speaker, phrase) in enumerate(rows):
        values.update({f"s{n}": speaker, f"k{n}": phrase})
    with connection.cursor() as cursor:
        cursor.execute(remove_sql(size), values)


def links_rebuild(project_id: int, links: Iterable[tuple[int, str, str]]) -> int:
    """Count the given links (one per annotation and link) as the project's learnt aliases,
    replacing those counted before; return how many learnt aliases there are."""
    counts: dict[tuple[int, str], list] = {}
    for speaker, phrase, text in links:
        counts.setdefault((speaker, phrase), [text, 0])[1] += 1
    known = set(Speaker.objects.filter(project_id=project_id).values_list("id", flat=True))
    SpeakerKey.objects.filter(project_id=project_id, origin=SpeakerKeyOrigin.LEARNT).delete()
    rows = [
        SpeakerKey(project_id=project_id, speaker_id=speaker, origin=SpeakerKeyOrigin.LEARNT,
                   phrase=phrase, text=text, token=phrase.split()[-1], uses=uses)
        for (speaker, phrase), (text, uses) in counts.items() if speaker in known
    ]  # fmt: skip
    SpeakerKey.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def links_relearn(project_id: int) -> int:
    """Learn the links every stored annotation of the project makes, anew (a restored
    project); return how many learnt aliases there are."""
    rows = Attribution.objects.filter(
        annotation__sentence__project_id=project_id, speaker__isnull=False,
        source_start__isnull=False,
    ).values_list("annotation_id", "speaker_id", "source_start", "source_end",
                  "annotation__sentence__text")  # fmt: skip
    links: dict[tuple[int, int, str], str] = {}
    for annotation, speaker, start, end, text in rows.iterator(chunk_size=2000):
        source = " ".join(text[start:end].split())[:MAX_TEXT]
        phrase = learnable_phrase(source)
        if phrase:
            links.setdefault((annotation, speaker, phrase), source)
    return links_rebuild(project_id, ((s, p, t) for (_, s, p), t in links.items()))
