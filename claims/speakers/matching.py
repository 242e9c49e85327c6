"""How well a name in a source matches a project speaker's name, alias or learnt alias.

Scores are in [0, 1] and comparable across the reasons: a learnt alias or the exact name
first, the same person written another way ("Donald J. Trump"), an acronym, the last name
alone ("Trump", "Mr. Trump"), an outlet's or organization's head words ("The Post").
"""

from dataclasses import dataclass

from claims.models import SpeakerKeyOrigin
from claims.speakers.index import KeyRow
from claims.speakers.names import PERSON, NameGuess, gender_of_name
from claims.speakers.runs import JOINERS

LEARNT, EXACT, SAME_WORDS, SAME_PERSON, ACRONYM, LAST_NAME, HEAD_WORDS = (
    0.97, 0.96, 0.94, 0.93, 0.9, 0.86, 0.8,
)  # fmt: skip
# A kind the lexicons are sure of ("The Wall Street Journal" is an outlet) that the speaker
# does not have costs this much.
OTHER_KIND = 0.12
SURE_KINDS = ("media", "country")
# Each use of a learnt alias adds this much (up to 20 uses).
PER_USE = 0.001


@dataclass(frozen=True)
class Match:
    speaker_id: int
    name: str
    kind: str
    score: float
    reason: str


def initials_fit(words: tuple[str, ...], others: tuple[str, ...]) -> bool:
    """Tell whether every first or middle name written matches the speaker's (an initial
    matches a name it starts, and a middle initial may be left out of the speaker's name)."""
    for word in words:
        if word in others or (len(word) == 1 and any(o.startswith(word) for o in others)):
            continue
        if len(word) == 1:
            continue  # "Donald J. Trump" is Donald Trump
        return False
    return True


def acronym_of(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in JOINERS)


def row_match(guess: NameGuess, phrase: str, row: KeyRow) -> tuple[float, str] | None:
    """Return the score and reason of one row, or None when it is no match."""
    source, words = guess.tokens, row.words
    if row.origin == SpeakerKeyOrigin.LEARNT:
        if row.phrase == phrase:
            times = "once" if row.uses == 1 else f"{row.uses} times"
            return LEARNT + PER_USE * min(row.uses, 20), f"“{row.text}” linked {times} before"
        return None
    what = "alias" if row.origin == SpeakerKeyOrigin.ALIAS else "name"
    if source == words:
        return EXACT, f"{what} in the source"
    if not source or not words:
        return None
    if row.kind == PERSON and source[-1] == words[-1]:
        if len(source) == 1:
            return LAST_NAME, "last name"
        if initials_fit(source[:-1], words[:-1]):
            return SAME_PERSON, f"same {what}"
        return None
    content = tuple(w for w in words if w not in JOINERS)
    if set(source) == set(content):
        return SAME_WORDS, f"same {what}"
    if len(source) == 1 and len(content) > 1 and source[0] == acronym_of(words):
        return ACRONYM, f"acronym of the {what}"
    if row.kind != PERSON and source[-1] == words[-1] and set(source) <= set(words):
        return HEAD_WORDS, f"part of the {what}"
    return None


def matches(guess: NameGuess, phrase: str, rows: list[KeyRow]) -> list[Match]:
    """Return the speakers the name may be, best first (one match per speaker)."""
    found: dict[int, list[tuple[float, str, KeyRow]]] = {}
    for row in rows:
        match = row_match(guess, phrase, row)
        if match is None or not genders_agree(guess, row):
            continue
        score, reason = match
        if guess.kind in SURE_KINDS and row.kind != guess.kind:
            score -= OTHER_KIND
        found.setdefault(row.speaker_id, []).append((score, reason, row))
    return sorted((best_of(ways) for ways in found.values()), key=lambda m: -m.score)


def best_of(ways: list[tuple[float, str, KeyRow]]) -> Match:
    """Return a speaker's best match; said by its name when the name matches well too."""
    score, reason, row = max(ways, key=lambda w: w[0])
    by_name = [w for w in ways if w[2].origin != SpeakerKeyOrigin.LEARNT and w[0] >= LAST_NAME]
    if row.origin == SpeakerKeyOrigin.LEARNT and by_name:
        reason = max(by_name, key=lambda w: w[0])[1]
    return Match(row.speaker_id, row.name, row.kind, score, reason)


def genders_agree(guess: NameGuess, row: KeyRow) -> bool:
    if not guess.gender or row.kind != PERSON:
        return True
    known = gender_of_name(row.name)
    return not known or known == guess.gender
