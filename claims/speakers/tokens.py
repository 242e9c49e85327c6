"""The words of a source or a sentence as speaker resolution compares them: tokens with their
offsets (a possessive ending split off), folded words, and the key a source is learnt under."""

import re
from dataclasses import dataclass
from functools import lru_cache

# A word (with inner apostrophes, hyphens, periods and ampersands: "O'Neill", "U.S.",
# "AT&T", "Mr.") or one mark.
TOKEN = re.compile(r"[^\W_](?:[^\W_]|[.'’\-&](?=[^\W_]))*\.?|[^\w\s]")
POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.casefold()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def is_acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=4096)
def tokens_of(text: str) -> tuple[Token, ...]:
    """Return the words and marks of the text, a possessive ending split off as a token.

    Cached: resolution reads the same sentences again for every source of an article."""
    found = []
    for match in TOKEN.finditer(text):
        word, start = match.group(), match.start()
        if len(word) > 2 and word[-2:] in POSSESSIVE[:2]:
            cut = len(word) - 2
            found.append(Token(word[:cut], start, start + cut))
            found.append(Token(word[cut:], start + cut, match.end()))
        else:
            found.append(Token(word, start, match.end()))
    return tuple(found)


def fold(word: str) -> str:
    """Return a word as compared: case folded, periods dropped ("U.S." -> "us")."""
    return word.casefold().replace(".", "")


def name_tokens(text: str) -> tuple[str, ...]:
    """Return the folded words of a name, without a leading "the" or possessive endings."""
    words = [fold(t.text) for t in tokens_of(text) if t.is_word]
    words = [w for w in words if w and w not in ("s",)]
    if words and words[0] == "the":
        words = words[1:]
    return tuple(words)


def phrase_key(text: str) -> str:
    """Return the key a source text is learnt and looked up under: its name words, joined."""
    return " ".join(name_tokens(text))
