"""Sources the rules find in sentences nobody labelled: who spoke there, for resolution.

A pronoun's speaker may have been named in a sentence nobody labelled yet (the queue's
order is not the article's), and a quotation may name its speaker in its last sentence only
('... come up with," he said.'). The rules (claims.nlp.suggestions, on blank English) read
those sentences; nothing is stored.
"""

from dataclasses import replace
from functools import lru_cache

from claims.nlp.suggestions import suggest
from claims.speakers.context import SUGGESTION, Mention
from claims.speakers.index import KeyRow
from claims.speakers.matching import LAST_NAME, matches
from claims.speakers.names import NAMED, read_source
from claims.speakers.quotations import Quotation
from claims.speakers.scene import WINDOW_BEFORE, Scene
from claims.speakers.tokens import phrase_key

BODY = "body"


def rule_mentions(scene: Scene) -> list[Mention]:
    """Return the named sources of the earlier sentences no one labelled, nearest first."""
    found: list[Mention] = []
    for index in range(scene.index - 1, scene.index - WINDOW_BEFORE - 1, -1):
        if index in scene.labelled or scene.kinds.get(index) != BODY:
            continue
        text = scene.texts[index]
        for start, end, _ in reversed(rule_sources(text)):
            speaker = named_speaker(scene, text[start:end], found)
            if speaker is not None:
                found.append(Mention(index, start, speaker, SUGGESTION))
    return found


@lru_cache(maxsize=2048)
def rule_sources(text: str) -> tuple[tuple[int, int, tuple[int, int] | None], ...]:
    """Return the (start, end, content) of the sources the rules suggest in a sentence.

    Cached: the sentences before one are those before the next one too."""
    found = []
    for attribution in suggest(text)["attributions"]:
        source, content = attribution.get("source"), attribution.get("content")
        if source:
            span = (content["start"], content["end"]) if content else None
            found.append((source["start"], source["end"], span))
    return tuple(found)


def named_speaker(scene: Scene, text: str, pending: list[Mention]) -> dict | None:
    """Return the speaker a named source is (a project speaker, or one to create)."""
    reading = read_source(text)
    if reading.form != NAMED:
        return None
    rows = list(scene.keys)
    for n, mention in enumerate(pending):
        speaker = mention.speaker
        if not speaker.get("id"):
            rows.append(KeyRow(-n - 1, speaker["name"], speaker["kind"], "name",
                               phrase_key(speaker["name"]), 0))  # fmt: skip
    found = matches(reading.name, phrase_key(text), rows)
    if found and found[0].score >= LAST_NAME:
        best = found[0]
        return {"id": best.speaker_id if best.speaker_id > 0 else None, "name": best.name,
                "kind": best.kind}  # fmt: skip
    return {"id": None, "name": reading.name.name, "kind": reading.name.kind}


def quotation_source(scene: Scene, quotation: Quotation):
    """Return the best candidate for the source a suggestion of the quotation's first or
    last sentence names for the quoted part, and that sentence's index; or None."""
    from claims.speakers.candidates import Candidate, for_source, ranked

    for index in (quotation.last, quotation.first):
        if index == scene.index or index not in scene.texts:
            continue
        text, part = scene.texts[index], quotation.parts[index]
        for start, end, content in rule_sources(text):
            if content is None or not (content[0] < part[1] and part[0] < content[1]):
                continue
            there = replace(scene, index=index)
            found = ranked(for_source(there, (start, end)))
            if found and found[0].kind not in ("unnamed", "author"):
                best = found[0]
                return Candidate(best.id, best.name, best.kind, "", best.score), index
    return None
