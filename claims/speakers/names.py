"""Read a source span's text: a name, a pronoun, a relative pronoun, a nominal or nothing.

A name comes with the speaker it would make: titles and roles dropped ("Attorney General
Loretta Lynch" -> "Loretta Lynch"), the name of an appositive or list kept ("Varga, a
campaign surrogate," -> "Varga"), a kind from the lexicons ("The Wall Street Journal" ->
media) and a gender where a title or a first name tells it. Pure functions of the text.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from claims.speakers.lexicon import lexicon
from claims.speakers.runs import (
    DETERMINERS,
    GROUP_JOINERS,
    JOINERS,
    Run,
    organization_like,
    runs_of,
    title_at,
    with_its_country,
)
from claims.speakers.tokens import POSSESSIVE, Token, fold, name_tokens, tokens_of

NAMED, PRONOUN, RELATIVE, NOMINAL, OTHER = "named", "pronoun", "relative", "nominal", "other"
PERSON, ORGANIZATION, COUNTRY, MEDIA = "person", "organization", "country", "media"
UNNAMED, AUTHOR = "unnamed", "author"

# A bracket to its end too: a source span cut before its closing mark ("Sen. Ann Lee (D-Ore.").
PARENTHETICAL = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\([^()]*$")
SEGMENT_BREAKS = {",", ";", ":", "—", "–", "and", "or"}
APPOSITION = {",", "—", "–", ":", ";"}
RELATIVES = {"who", "which", "that", "whom"}
PLACES = {"in", "at", "on", "from", "around", "across"}
# What a pollster publishes: "a Quinnipiac poll" is Quinnipiac's; "a poll of Ohio voters" is
# nobody named.
FINDINGS = {"poll", "polls", "survey", "surveys"}
# People named by whom they are close to ("an aide to Senator Jones", "sources close to the
# mayor"): the one who speaks is not the one named. A spokesman speaks for whom he names.
RELATIONAL_HEADS = frozenset(
    {
        "aide", "aides", "adviser", "advisers", "advisor", "advisors", "lawyer", "lawyers",
        "attorney", "attorneys", "wife", "husband", "son", "daughter", "brother", "sister",
        "friend", "friends", "ally", "allies", "source", "sources", "people", "person",
        "confidant", "confidants", "staffer", "staffers", "associate", "associates",
    }
)  # fmt: skip
RELATIONS = {"to", "for", "of", "close", "near", "with", "familiar"}
MALE_TITLES = {"mr", "mr.", "sir", "lord", "king", "prince", "pope"}
FEMALE_TITLES = {"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess"}


@dataclass(frozen=True)
class NameGuess:
    """The speaker a name in a source would make, and the words it is matched by."""

    name: str
    kind: str
    gender: str = ""
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    """What a source text is: its form, the name in it, and for a pronoun or a nominal the
    kinds (and gender) of the speakers it can refer to."""

    form: str
    name: NameGuess | None = None
    kinds: frozenset[str] = field(default_factory=frozenset)
    gender: str = ""


@lru_cache(maxsize=4096)
def read_source(text: str) -> Reading:
    """Return the reading of a source span's text (cached: the same names come back)."""
    tokens = tokens_of(PARENTHETICAL.sub(" ", text))
    words = [t for t in tokens if t.is_word]
    if not words:
        return Reading(OTHER)
    pronoun = pronoun_reading(words)
    if pronoun is not None:
        return pronoun
    segments = segments_of(tokens)
    if not segments:
        return Reading(OTHER)
    first = segment_reading(text, segments[0])
    if first.form == NAMED:
        return first
    # "Another skeptic, Esther K. Osei,": a later part that is only a name names the source;
    # not one joined by "and" ("lawyers for both Donald and Ivana Trump").
    for segment in segments[1:]:
        if text[: segment[0].start].rstrip()[-1:] not in APPOSITION:
            continue
        reading = segment_reading(text, segment)
        if reading.form == NAMED and only_a_name(segment):
            return reading
    return first


def only_a_name(segment: list[Token]) -> bool:
    words = [t for t in segment if t.is_word]
    while words and (words[0].lower in DETERMINERS or title_at(words, 0)):
        words = words[title_at(words, 0) or 1 :]
    return bool(words) and all(w.is_cap or w.lower in JOINERS for w in words)


def pronoun_reading(words: list[Token]) -> Reading | None:
    lex = lexicon()
    lowered = [w.lower for w in words]
    if any(w.is_acronym for w in words):
        return None  # an acronym ("WHO", "US"), as a new speaker's name may be
    if len(words) == 1 and lowered[0] in RELATIVES:
        return Reading(RELATIVE)
    if all(w in lex.pronouns for w in lowered) and len(words) <= 2:
        pronoun = lex.pronouns[lowered[0]]
        return Reading(PRONOUN, kinds=pronoun.kinds, gender=pronoun.gender)
    return None


def segments_of(tokens: list[Token]) -> list[list[Token]]:
    """Split at commas, dashes and list conjunctions: "Varga, a campaign surrogate,"; not
    inside an organization's name ("the House Housing and Urban Growth Committee")."""
    segments, current = [], []
    for n, token in enumerate(tokens):
        if token.lower in ("and", "&") and inside_organization_name(current, tokens[n + 1 :]):
            current.append(token)
        elif token.lower in SEGMENT_BREAKS or (not token.is_word and token.text in "—–"):
            if any(t.is_word for t in current):
                segments.append(current)
            current = []
        else:
            current.append(token)
    if any(t.is_word for t in current):
        segments.append(current)
    return segments


def inside_organization_name(before: list[Token], after: list[Token]) -> bool:
    following = []
    for token in after:
        if not (token.is_word and (token.is_cap or token.lower in JOINERS)):
            break
        following.append(token)
    # The capitalised words right before it: "the federal Mines and Quarries Commission".
    named_before = []
    for token in reversed(before):
        if not (token.is_word and token.is_cap and token.lower not in DETERMINERS):
            break
        named_before.append(token)
    return (
        bool(following and named_before)
        and organization_like(following)
        and not organization_like(named_before)
    )


def segment_reading(text: str, segment: list[Token]) -> Reading:
    words = [t for t in segment if t.is_word or t.text in POSSESSIVE]
    runs = runs_of(words)
    head = words[-1] if words else None
    if not runs:
        return nominal_reading(words)
    # "Officials in Washington", "Experts on Norway": a nominal head, then a place.
    # Not an organization's name: "Commission on Presidential Debates".
    for k, word in enumerate(words[1:-1], start=1):
        before = words[:k]
        place = word.lower in PLACES and words[k + 1].is_cap
        if place and nominal_kinds(before) and not organization_like(before):
            return nominal_reading(before)
    if relational(words):
        return Reading(NOMINAL, kinds=frozenset({UNNAMED}))
    run = with_its_country(words, runs)
    trailing = [w for w in words[run.last + 1 :] if w.text not in POSSESSIVE]
    before = [w.lower for w in words[max(0, run.first - 2) : run.first]]
    if len(before) == 2 and before[0] in FINDINGS and before[1] in ("of", "among"):
        return Reading(NOMINAL, kinds=frozenset({UNNAMED}))  # "a poll of Ohio voters"
    pollster = run.last > run.first or run.first > 0 or words[0].is_acronym  # not "New polls"
    if trailing and trailing[0].lower in FINDINGS and pollster:
        return named(text, words, run, not_person=True)
    if trailing and trailing[0].lower in lexicon().openers and not run.possessive:
        return named(text, words, run)  # "Trump on Wednesday"
    if trailing:
        joined = trailing[0] is words[-1] or (run.possessive and len(trailing) == 1)
        kinds = nominal_kinds(trailing)
        if joined and kinds and kinds & {ORGANIZATION, MEDIA} and PERSON not in kinds:
            return named(text, words, run, extra=head)
        if joined and head.lower.endswith("s") and not kinds & {PERSON, UNNAMED}:
            return named(text, words, run)
        return nominal_reading(words)
    return named(text, words, run)


def relational(words: list[Token]) -> bool:
    """Tell whether a common noun naming someone by a relation heads the phrase before a
    name: "An aide to Senator Jones", "a lawyer for Mr. Reed", "people close to Ortiz"."""
    for k, word in enumerate(words[:-1]):
        if word.lower in RELATIONS:
            before = words[:k]
            if not before or before[-1].lower not in RELATIONAL_HEADS:
                return False
            # Capitalised, the head may begin a name ("Friends of the Earth"), unless the
            # relation is closeness ("Sources close to the mayor" opening a sentence).
            named_head = any(w.is_cap for w in before[1:]) or (
                before[-1].is_cap and word.lower not in ("close", "familiar")
            )
            return not named_head
    return False


def nominal_kinds(words: list[Token]) -> frozenset[str]:
    lex = lexicon()
    lowered = tuple(w.lower for w in words)
    for size in (2, 1):
        kinds = lex.nominals.get(lowered[-size:])
        if kinds and len(lowered) >= size:
            return kinds
    if lowered and (lowered[-1],) in lex.titles:
        return frozenset({PERSON})
    return frozenset()


def nominal_reading(words: list[Token]) -> Reading:
    kinds = nominal_kinds(words)
    return Reading(NOMINAL, kinds=kinds) if kinds else Reading(OTHER)


def named(
    text: str, words: list[Token], run: Run, extra: Token | None = None, not_person: bool = False
) -> Reading:
    lex = lexicon()
    chosen = words[run.first : run.last + 1]
    if all(w.lower in lex.modifiers for w in chosen):
        return nominal_reading(words)  # "Democratic presidents", "Former aides"
    if run.first == 0 and len(chosen) == 1 and (chosen[0].lower,) in lex.nominals:
        return nominal_reading(words)  # "Officials", "Sources": capitalised as first words
    if len(chosen) > 1 and not organization_like(chosen):
        while len(chosen) > 1 and chosen[0].lower in lex.modifiers:
            chosen = chosen[1:]
        chosen = without_place(chosen)
    start, end = chosen[0].start, (extra or chosen[-1]).end
    name = " ".join(text[start:end].split()) if extra is None else None
    if name is None:
        if len(chosen) > 1 and chosen[0].lower in lex.genders and not organization_like(chosen):
            chosen = chosen[-1:]  # "Donald Trump’s campaign" is the Trump campaign
        name = " ".join([text[chosen[0].start : chosen[-1].end], extra.text])
    folded = name_tokens(name)
    the_before = run.first > 0 and words[run.first - 1].lower == "the"
    kind = kind_of(folded, chosen, extra, the_before)
    if kind == PERSON and not_person:
        kind = ORGANIZATION
    if kind == MEDIA and (the_before or fold(chosen[0].text) == "the"):
        name = "The " + name.removeprefix("The ").removeprefix("the ")
    gender = gender_of(kind, run.after_title, folded)
    return Reading(NAMED, name=NameGuess(name, kind, gender, folded))


def without_place(chosen: list[Token]) -> list[Token]:
    """Return a person's name without the place after it: "Arthur T. Hale of Ohio"."""
    lowered = [w.lower for w in chosen]
    if "of" in lowered[2:] and lowered[0] in lexicon().genders:
        return chosen[: lowered.index("of", 2)]
    return chosen


def kind_of(
    folded: tuple[str, ...], words: list[Token], extra: Token | None, the_before: bool = False
) -> str:
    lex = lexicon()
    phrase = " ".join(folded)
    if phrase in lex.countries:
        return COUNTRY
    if phrase in lex.media_names or phrase.removeprefix("the ") in lex.media_names:
        return MEDIA
    if extra is not None:
        kinds = lex.nominals.get((extra.lower,), frozenset())
        return MEDIA if kinds == {MEDIA} else ORGANIZATION
    if phrase in lex.organization_words or any(w in lex.organization_words for w in folded):
        return ORGANIZATION
    if (len(folded) > 1 or the_before) and folded and folded[-1] in lex.media_heads:
        return MEDIA  # "The Dallas Morning News", "The Post"
    if len(words) == 1 and words[0].is_acronym:
        return ORGANIZATION
    if len(folded) > 2 and folded[1] in GROUP_JOINERS - {"of"}:
        return ORGANIZATION  # a cause: "Americans for Prosperity", "Jones for Congress"
    plural = len(folded) == 1 and folded[0].endswith("s") and folded[0] not in lex.genders
    if plural and (folded[0] in ("democrats", "republicans") or the_before):
        return ORGANIZATION  # a group: "the Europeans"
    return PERSON


def gender_of(kind: str, title: str, folded: tuple[str, ...]) -> str:
    if kind != PERSON:
        return ""
    if title in MALE_TITLES:
        return "m"
    if title in FEMALE_TITLES:
        return "f"
    return lexicon().genders.get(folded[0], "") if len(folded) > 1 else ""


def gender_of_name(name: str) -> str:
    """Return "m" or "f" when a person's first name tells it, else ""."""
    folded = name_tokens(name)
    return lexicon().genders.get(folded[0], "") if len(folded) > 1 else ""


def new_speaker_kind(name: str) -> str:
    """Return the kind a new speaker typed as ``name`` most likely is: "Kremlin press office"
    is an organization, "The Dallas Morning News" media; a name telling nothing is a person."""
    reading = read_source(name)
    if reading.name is not None:
        return reading.name.kind
    if len(reading.kinds) == 1 and PERSON not in reading.kinds:
        return next(iter(reading.kinds))
    return PERSON


def headline_like(text: str) -> bool:
    """Tell whether a text capitalises nearly every word, as a headline does."""
    words = [t for t in tokens_of(text) if t.is_word and len(t.text) > 3]
    return len(words) >= 3 and sum(not t.is_cap for t in words) <= len(words) // 8
