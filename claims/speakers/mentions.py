"""People the sentences around a source name in their text, not only as sources: "Mayor
Doris Stone is facing questions after she appeared to ..." names the "he" in its own words. Names
inside quotation marks are not the quotation's speaker, and are left out.

Found with what resolution already read (no query): the project speakers whose names the
window's words look up, the speakers proposed around the sentence, and full names with a
known first name ("Kamala Lopez").
"""

from claims.models import SpeakerKeyOrigin
from claims.nlp.quote_ranges import quotations
from claims.speakers.context import TEXT, Mention
from claims.speakers.lexicon import lexicon
from claims.speakers.names import PERSON
from claims.speakers.scene import Scene
from claims.speakers.tokens import fold, tokens_of


def people_by_last_name(scene: Scene) -> dict[str, list[dict]]:
    """Return the people resolution knows around the sentence, by their folded last name
    (read once per scene)."""
    if "people" not in scene.__dict__:
        scene.__dict__["people"] = people_known(scene)
    return scene.__dict__["people"]


def people_known(scene: Scene) -> dict[str, list[dict]]:
    found: dict[str, dict[tuple, dict]] = {}
    for row in scene.keys:
        if row.kind == PERSON and row.origin != SpeakerKeyOrigin.LEARNT and row.words:
            speaker = {"id": row.speaker_id, "name": row.name, "kind": row.kind}
            found.setdefault(row.words[-1], {})[("id", row.speaker_id)] = speaker
    for mention in [*scene.mentions, *scene.suggested_mentions]:
        speaker = mention.speaker
        words = speaker["name"].split()
        if speaker["kind"] == PERSON and not speaker.get("id") and words:
            found.setdefault(fold(words[-1]), {})[("name", fold(speaker["name"]))] = speaker
    return {last: list(people.values()) for last, people in found.items()}


def text_mentions(scene: Scene, index: int, upto: int | None = None) -> list[Mention]:
    """Return the people sentence `index` names before offset `upto` (all: None)."""
    text = scene.texts.get(index, "")
    quoted = quotations(text)
    tokens = [
        t for t in tokens_of(text if upto is None else text[:upto])
        if t.is_word and not any(s <= t.start < e for s, e in quoted)
    ]  # fmt: skip
    people = people_by_last_name(scene)
    # Someone no speaker is yet counts only next to the source: this sentence and the one
    # before (further back, a name in passing is more often not who "he" is).
    genders = lexicon().genders if index >= scene.index - 1 else {}
    found = []
    for n, token in enumerate(tokens):
        if not token.is_cap or len(fold(token.text)) < 2:
            continue  # an initial ("Diane P. Holt") is no last name
        known = people.get(fold(token.text), [])
        before = fold(tokens[n - 1].text) if n else ""
        if len(known) > 1:  # two people of that last name: the one the text names in full,
            # else the one who speaks nearest ("Trump" is the Trump the article quotes)
            known = [p for p in known if fold(p["name"]).split()[0] == before] or nearest(
                scene, known
            )
        if len(known) == 1:
            found.append(Mention(index, token.start, known[0], TEXT))
        elif not known and before in genders and tokens[n - 1].is_cap:
            name = f"{tokens[n - 1].text} {token.text}"
            speaker = {"id": None, "name": name, "kind": PERSON}
            found.append(Mention(index, tokens[n - 1].start, speaker, TEXT))
    return found


def nearest(scene: Scene, people: list[dict]) -> list[dict]:
    """Return the one of the people who is a source nearest the sentence, or none."""
    keys = {("id", p["id"]) if p.get("id") else ("name", p["name"].casefold()): p for p in people}
    for mention in scene.mentions:
        if mention.key in keys:
            return [keys[mention.key]]
    return []
