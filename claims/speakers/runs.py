"""Names in a source's words: runs of capitalised words ("Ministry of Foreign Affairs",
"Friends of the Earth"), the title before one, which run is the speaker's, and whether words
name an organization. Pure functions of the tokens (claims.speakers.names reads a source).
"""

from dataclasses import dataclass

from claims.speakers.lexicon import lexicon
from claims.speakers.tokens import POSSESSIVE, Token, fold

DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "his", "her", "their",
               "its", "our", "my", "your"}  # fmt: skip
JOINERS = {"of", "for", "and", "de", "del", "da", "di", "la", "le", "van", "von", "bin", "al", "on",
           "&"}  # fmt: skip
GROUP_JOINERS = {"of", "for", "against", "without"}


def title_at(words: list[Token], i: int) -> int:
    """Return how many words from `i` form a title ("Attorney General"), longest first."""
    lex = lexicon()
    for size in range(min(lex.longest_title, len(words) - i), 0, -1):
        if tuple(w.lower for w in words[i : i + size]) in lex.titles:
            return size
    return 0


@dataclass
class Run:
    """Capitalised words in a row (joined by "of", "for", ...): a name's words."""

    first: int  # word indices
    last: int
    possessive: bool = False
    after_title: str = ""  # the title right before it, lower case


def runs_of(words: list[Token]) -> list[Run]:
    openers = lexicon().openers
    runs: list[Run] = []
    current: Run | None = None
    title = ""
    i = 0
    while i < len(words):
        word = words[i]
        size = title_at(words, i)
        following = words[i + size] if size and i + size < len(words) else None
        if size and following is not None and organization_like([following]):
            size = 0  # "Justice Department": a title word naming an organization
        elif size and current is not None and word.is_cap and not (following and following.is_cap):
            size = 0  # "Citizens for Fair Housing": a title word ending a name is part of it
        if word.text in POSSESSIVE:
            if current:
                current.possessive = True
                runs.append(current)
            current, i = None, i + 1
            continue
        if size:
            if current:
                runs.append(current)
            current, title = None, " ".join(w.lower for w in words[i : i + size])
            i += size
            continue
        joins = current is not None and (
            word.lower in JOINERS
            and i + 1 < len(words)
            and words[i + 1].is_cap
            and words[i + 1].lower not in openers  # "Trump on Wednesday"
            or group_article(words, i, current)
        )
        opener = current is None and word.lower in openers and not word.is_acronym
        if word.is_cap and word.lower not in DETERMINERS and not opener:
            if current is None:
                current = Run(i, i, after_title=title)
            current.last = i
        elif not joins:
            if current:
                runs.append(current)
            current, title = None, ""
        i += 1
    if current:
        runs.append(current)
    return runs


def group_article(words: list[Token], i: int, current: Run) -> bool:
    """Tell whether an organization's name goes on past "of the": "Friends of the Earth"."""
    at = i + 1 if words[i].lower in GROUP_JOINERS else i
    return (
        (at > i or (i > 0 and words[i - 1].lower in GROUP_JOINERS))
        and at + 1 < len(words)
        and words[at].lower in ("the", "a")
        and words[at + 1].is_cap
        and organization_like(words[current.first : current.last + 1])
    )


def with_its_country(words: list[Token], runs: list[Run]) -> Run:
    """Return the last run, with the country owning it when it is an organization's name:
    "Russia’s Ministry of Foreign Affairs" is not every country's ministry."""
    run = runs[-1]
    if len(runs) < 2 or not runs[-2].possessive or runs[-2].last + 2 != run.first:
        return run
    owner = runs[-2]
    country = " ".join(w.lower for w in words[owner.first : owner.last + 1])
    if country not in lexicon().countries or not organization_like(words[run.first : run.last + 1]):
        return run
    return Run(owner.first, run.last, run.possessive, owner.after_title)


def organization_like(words: list[Token]) -> bool:
    lex = lexicon()
    return any(fold(w.text) in lex.organization_words for w in words)
