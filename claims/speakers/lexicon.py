"""The word lists behind speaker resolution, read once per process from ``lexicon/``.

The lists are data (one entry a line, see ``lexicon/README.md``); this module only reads them.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "lexicon"
MEDIA_HEAD = "head:"


def entries(name: str) -> list[list[str]]:
    """Return the file's entries (without comments and blank lines), split at tabs."""
    found = []
    for line in (FOLDER / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            found.append([part.strip() for part in line.split("\t")])
    return found


@dataclass(frozen=True)
class Pronoun:
    kinds: frozenset[str]
    gender: str  # "m", "f" or "" (either)


@dataclass(frozen=True)
class Lexicon:
    titles: frozenset[tuple[str, ...]]  # each title as its words
    longest_title: int
    modifiers: frozenset[str]
    openers: frozenset[str]
    pronouns: dict[str, Pronoun]
    nominals: dict[tuple[str, ...], frozenset[str]]  # head words -> kinds
    media_names: frozenset[str]
    media_heads: frozenset[str]
    organization_words: frozenset[str]
    countries: frozenset[str]
    genders: dict[str, str]  # first name -> "m" / "f"


def kinds_of(text: str) -> frozenset[str]:
    return frozenset(k.strip() for k in text.split(",") if k.strip())


@cache
def lexicon() -> Lexicon:
    titles = frozenset(tuple(line[0].split()) for line in entries("titles.txt"))
    media = [line[0] for line in entries("media.txt")]
    return Lexicon(
        titles=titles,
        longest_title=max(len(t) for t in titles),
        modifiers=frozenset(line[0] for line in entries("modifiers.txt")),
        openers=frozenset(line[0] for line in entries("openers.txt")),
        pronouns={
            word: Pronoun(kinds_of(kinds), "" if gender == "-" else gender)
            for word, kinds, gender in entries("pronouns.tsv")
        },
        nominals={tuple(head.split()): kinds_of(kinds) for head, kinds in entries("nominals.tsv")},
        media_names=frozenset(m for m in media if not m.startswith(MEDIA_HEAD)),
        media_heads=frozenset(
            m.removeprefix(MEDIA_HEAD).strip() for m in media if m.startswith(MEDIA_HEAD)
        ),
        organization_words=frozenset(line[0] for line in entries("organizations.txt")),
        countries=frozenset(line[0] for line in entries("countries.txt")),
        genders={line[0]: line[1] for line in entries("first_names.tsv")},
    )
