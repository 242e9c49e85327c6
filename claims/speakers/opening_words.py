"""A source that is only its sentence's opening words: a heading's "Clarifying" marked by
mistake is no name, whatever its capital; a transcript's "TAPPER:" is a person's name, though
written in capitals as an acronym is."""

import re

from claims.speakers.scene import Scene

PARTICIPLE = re.compile(r"[A-Z][a-z]+ing")
OPENERS = " \"'“‘("
# A name in capitals, then a colon: a transcript hands the turn to "WALLACE", "MR. TRUMP".
TURN_NAME = re.compile(r"[A-Z][A-Z.'’ -]*[A-Z.]")


def only_an_opening_word(scene: Scene, text: str, offset: int) -> bool:
    """Tell whether the source is one capitalised "-ing" word opening its sentence that the
    article never capitalises elsewhere ("Clarifying the goals": a heading's first word marked
    by mistake). Such a word is a participle far more often than a name, and its capital says
    nothing; created blind it would become a speaker that later pronouns resolve to. Other
    lone opening words are kept: on PolNeAR train they were groups and outlets ("Republicans",
    "Bloomberg"), rightly proposed."""
    word = text.strip()
    if not PARTICIPLE.fullmatch(word) or scene.text[:offset].strip(OPENERS):
        return False
    after = scene.text[offset + len(text) :]
    return not any(
        capitalised_within(other, word)
        for other in [after, *scene.texts_naming(word, headline=False)]
    )  # fmt: skip


def capitalised_within(text: str, word: str) -> bool:
    """Tell whether the text has the word, capitalised, past its sentence's first word."""
    for match in re.finditer(rf"\b{re.escape(word)}\b", text):
        before = text[: match.start()].rstrip().rstrip(OPENERS)
        if before and before[-1] not in ".!?:":
            return True
    return False


def turn_name(scene: Scene, text: str, offset: int) -> str | None:
    """Return the name, as a name is written ("Tapper"), of a source in capitals that opens
    its sentence before a colon ("TAPPER: And obviously ..."), else None.

    A transcript writes the speaker of each turn in capitals; read as it is, the name looked
    like an acronym and was proposed as a new organization ("TAPPER")."""
    name = text.strip()
    if not TURN_NAME.fullmatch(name) or sum(c.isalpha() for c in name) < 2:
        return None
    if scene.text[:offset].strip(OPENERS) or not scene.text[offset + len(text) :].startswith(":"):
        return None
    return " ".join(word.capitalize() if word.isalpha() else word.title() for word in name.split())
