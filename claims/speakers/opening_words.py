"""A source that is only its sentence's opening word, capitalised because it opens it: a
heading's "Clarifying" marked by mistake is no name, whatever its capital."""

import re

from claims.speakers.scene import Scene

PARTICIPLE = re.compile(r"[A-Z][a-z]+ing")
OPENERS = " \"'“‘("


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
