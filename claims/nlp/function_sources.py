"""Sources that name no one: what is never suggested as an attribution's source.

A source span is a *function-word source* when none of its words can stand for a speaker:
every word is a function word, i.e.

- a relative or interrogative pronoun ("who", "whom", "which", "that", "what"),
- the impersonal "it" (with "its", "itself") or the expletive "there",
- an article, a demonstrative or a possessive standing alone ("the", "this", "those"),
- a preposition, a conjunction, an auxiliary, a negation, a clitic or a degree word ("to",
  "and", "is", "n't", "less"),
- or one of the nouns that never stand for a speaker ("the matter", "the issue", "the fact").

Personal pronouns ("I", "he", "she", "we", "they", "him", "his", ...), the quantifiers that stand
for people ("some", "many", "others"), names and noun phrases are real sources (PolNeAR marks
"he" and "she" as sources and leaves the speaker to be resolved) and stay.

The rules and the model keep the attribution (its cue and content) and drop such a source; a
relative pronoun right after the phrase it refers to ("Dana Ortiz, who said ...") gives way to
that phrase.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from claims.nlp.attribution_sources import left_source

# Types only: spaCy loads with a pipeline (claims.nlp.segmentation), not at app start-up.
if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

RELATIVE_PRONOUNS = frozenset(
    {"who", "whom", "whose", "which", "that", "what", "whoever", "whatever", "whichever"}
)
IMPERSONAL = frozenset({"it", "its", "itself", "there"})
DETERMINERS = frozenset(
    {"the", "a", "an", "this", "these", "those", "such", "another", "no", "every", "any"}
)
POSSESSIVE_DETERMINERS = frozenset({"my", "your", "our", "their", "his", "her"})
# Prepositions, conjunctions, auxiliaries, negations, clitics and particles.
GRAMMAR_WORDS = frozenset(
    {
        "and", "or", "but", "nor", "so", "yet", "if", "as", "than", "because", "while",
        "whether", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto",
        "about", "over", "under", "after", "before", "between", "through", "during", "against",
        "without", "within", "upon", "is", "are", "was", "were", "be", "been", "being", "am",
        "has", "have", "had", "having", "do", "does", "did", "will", "would", "shall",
        "should", "can", "could", "may", "might", "must", "not", "n't", "'s", "’s", "'re",
        "’re", "'ll", "’ll", "'ve", "’ve", "'d", "’d", "'m", "’m", "also", "then", "how",
        "why", "when", "where", "here", "just", "even", "only", "too", "very", "less",
        "least",
    }
)  # fmt: skip
# Nouns that are what a report is about, never who reports it.
EMPTY_NOUNS = frozenset(
    {
        "matter", "matters", "thing", "things", "issue", "issues", "fact", "facts", "case",
        "point", "question", "questions", "way", "situation", "subject", "topic", "idea",
        "something", "anything", "nothing", "everything",
    }
)  # fmt: skip
# A source made of these alone names nobody. Possessives ("his", "her") alone are personal
# pronouns, so they count only beside another function word ("his matter").
FUNCTION_WORDS = RELATIVE_PRONOUNS | IMPERSONAL | DETERMINERS | GRAMMAR_WORDS | EMPTY_NOUNS
# Function words that are also names: written "Will" or "May" alone, the source is a person
# (the columnist George Will, Theresa May), as no modal verb is ever tagged a source.
NAMES_TOO = frozenset({"will", "may", "case"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|n['’]t|['’][a-z]+", re.IGNORECASE)


def words_of(text: str) -> list[str]:
    """Return the lower-cased words of a span's text (punctuation left out)."""
    return [word.casefold() for word in _WORD.findall(text)]


def is_function_source(text: str) -> bool:
    """Tell whether a source's text names no one (see the module's definition)."""
    words = words_of(text)
    if not words:
        return True
    if len(words) == 1:
        if words[0] in NAMES_TOO and text.strip().istitle():
            return False
        return words[0] in FUNCTION_WORDS
    return all(w in FUNCTION_WORDS or w in POSSESSIVE_DETERMINERS for w in words)


def speaking_source(doc: Doc, source: Span | None) -> Span | None:
    """Return the source to suggest for a found one: itself when it names someone; for a
    relative pronoun, the phrase it follows ("Trump, who said"); else None."""
    if source is None or not is_function_source(source.text) or is_acronym(doc, source):
        return source
    if len(source) == 1 and source[0].lower_ in RELATIVE_PRONOUNS and source.start > 0:
        before = source.start - 1 if doc[source.start - 1].text == "," else source.start
        antecedent = left_source(doc, before) if before > 0 else None
        if antecedent is not None and not is_function_source(antecedent.text):
            return antecedent
    return None


def is_acronym(doc: Doc, source: Span) -> bool:
    """Tell whether a one-word source in capitals is an acronym ("WHO said", "US officials"):
    so in a sentence written in lower case; a headline in capitals ("WHO WILL PAY?") shouts."""
    word = source.text
    if len(source) != 1 or len(word) < 2 or not word.isupper():
        return False
    words = [t.text for t in doc if t.is_alpha and len(t.text) > 1]
    return sum(w.isupper() for w in words) * 2 < len(words)


def speaking_offsets(doc: Doc, offsets: tuple[int, int]) -> tuple[int, int] | None:
    """Return ``speaking_source`` for character offsets into ``doc`` (None: drop it)."""
    span = doc.char_span(*offsets, alignment_mode="expand")
    if span is None:
        return None if is_function_source(doc.text[slice(*offsets)]) else offsets
    found = speaking_source(doc, span)
    if found is span:
        return offsets
    return None if found is None else (found.start_char, found.end_char)
