"""Sources the rules find in sentences nobody labelled: who spoke there, for resolution.

A pronoun's speaker may have been named in a sentence nobody labelled yet (the queue's
order is not the article's), and a quotation may name its speaker in its last sentence only
('... come up with," he said.'). The rules (claims.nlp.suggestions, on blank English) read
those sentences; nothing is stored.
"""

from dataclasses import replace

from claims.nlp.suggestions import suggest
from claims.speakers.context import SUGGESTION, Mention
from claims.speakers.index import KeyRow
from claims.speakers.matching import LAST_NAME, matches
from claims.speakers.names import NAMED, phrase_key, read_source
from claims.speakers.quotations import Quotation
from claims.speakers.scene import WINDOW_BEFORE, Scene

BODY = "body"


def rule_mentions(scene: Scene) -> list[Mention]:
    """Return the named sources of the earlier sentences no one labelled, nearest first."""
    found: list[Mention] = []
    for index in range(scene.index - 1, scene.index - WINDOW_BEFORE - 1, -1):
        if index in scene.labelled or scene.kinds.get(index) != BODY:
            continue
        text = scene.texts[index]
        for attribution in reversed(suggest(text)["attributions"]):
            source = attribution.get("source")
            if not source:
                continue
            speaker = named_speaker(scene, text[source["start"] : source["end"]], found)
            if speaker is not None:
                found.append(Mention(index, source["start"], speaker, SUGGESTION))
    return found


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
        for attribution in suggest(text)["attributions"]:
            source, content = attribution.get("source"), attribution.get("content")
            if not source or not content:
                continue
            if not (content["start"] < part[1] and part[0] < content["end"]):
                continue
            there = replace(scene, index=index)
            found = ranked(for_source(there, (source["start"], source["end"])))
            if found and found[0].kind not in ("unnamed", "author"):
                best = found[0]
                return Candidate(best.id, best.name, best.kind, "", best.score), index
    return None
