"""Where a cue's source is: its subject, a name, a phrase or a pronoun next to it.

Part of the attribution rules (claims.nlp.attribution_rules finds the cues and contents);
offsets are tokens of a spaCy Doc of one sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claims.nlp.lexicon import (
    ADDRESSEE_CUES,
    BETWEEN,
    CONNECTIVES,
    CONTINUATIONS,
    DETERMINERS,
    ENTITY_LABELS,
    EVIDENCE_NOUNS,
    FUNCTION_WORDS,
    HEAD_MODIFIERS,
    HEAD_PREPOSITIONS,
    ISSUING_VERBS,
    MAX_DETERMINER_PHRASE,
    NAME_JOINERS,
    OBJECT_PRONOUNS,
    PERSON_HEADS,
    RELATIVE_SOURCES,
    REPORT_TAIL_WORDS,
    STATEMENT_NOUNS,
    SUBJECT_PRONOUNS,
    TIME_LEADS,
    TIME_WORDS,
)

# Types only: spaCy loads with a pipeline (claims.nlp.segmentation), not at app start-up.
if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# An appositive between a source and its cue ("Dana Ortiz, a strategist who ..., said").
MAX_APPOSITIVE = 30
MAX_BARE_PHRASE = 3


def source_for(doc: Doc, cue: Span, earlier: list) -> Span | None:
    """Return the source span of a cue: its subject or a named entity next to it when the
    pipeline parses and tags entities, else by the rules."""
    if doc.has_annotation("DEP"):
        subject = parsed_subject(doc, cue)
        if subject is not None:
            return subject
    entity = entity_next_to(doc, cue)
    if entity is not None:
        return entity
    first = cue[0].lower_
    if first == "in" and cue[-1].lower_ == "words":
        return cue[1:2]  # "in his words": the possessive is the source
    if first == "according":
        return phrase_after(doc, cue.end) or bare_phrase_after(doc, cue.end)
    if cue.text == ":":
        return doc[: cue.start]  # a headline's "Clinton camp: ..."
    issuer = statement_issuer(doc, cue.start)
    if issuer is not None:
        return issuer
    left = left_source(doc, cue.start)
    if left is not None:
        return left
    before = previous_word(doc, cue.start)
    if before is not None and doc[before].lower_ in CONTINUATIONS and earlier:
        previous = next((s for s in reversed(earlier) if s.source), None)
        if previous is not None:
            return doc.char_span(*previous.source)
    if before is not None and doc[before].text == "," and first.endswith("ing"):
        return clause_subject(doc, before)  # "Trump attacked her, saying ..."
    if first in ADDRESSEE_CUES:
        return None  # what follows "told" is who was told
    if before is None or doc[before].text in '"”»':
        return phrase_after(doc, cue.end)  # '..." said the statement'
    if doc[before].text == ",":
        after = phrase_after(doc, cue.end)  # "..., said the statement": not "..., says it"
        if after is not None and ends_clause(doc, after.end):
            return after
    return None


def entity_next_to(doc: Doc, cue: Span) -> Span | None:
    """Return a PERSON / ORG / GPE / NORP entity ending just before or starting just after."""
    if not doc.has_annotation("ENT_IOB"):
        return None
    before = previous_word(doc, cue.start)
    for entity in doc.ents:
        if entity.label_ in ENTITY_LABELS and (
            (before is not None and entity.end - 1 == before) or entity.start == cue.end
        ):
            return entity
    return None


def parsed_subject(doc: Doc, cue: Span) -> Span | None:
    for token in cue:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return doc[child.left_edge.i : child.right_edge.i + 1]
    return None


def previous_word(doc: Doc, index: int) -> int | None:
    """Return the index of the token before `index`, skipping words allowed before a cue and
    when-phrases ("Obama on Tuesday accused", "the campaign late Monday said")."""
    i = index - 1
    while i >= 0:
        if doc[i].lower_ in BETWEEN:
            i -= 1
        elif doc[i].lower_ in TIME_WORDS:
            i -= 1
            while i >= 0 and doc[i].lower_ in TIME_LEADS | TIME_WORDS:
                i -= 1
        else:
            break
    return i if i >= 0 else None


def left_source(doc: Doc, cue_start: int) -> Span | None:
    """Return the source ending right before the cue: pronoun, name, phrase or "who"."""
    end = previous_word(doc, cue_start)
    if end is not None and doc[end].text == ",":
        appositive = appositive_source(doc, end)
        if appositive is not None:
            return appositive
        end = skip_parenthetical(doc, end)
    if end is None or not doc[end].is_alpha:
        return None
    token = doc[end]
    if token.lower_ in SUBJECT_PRONOUNS or token.lower_ in RELATIVE_SOURCES:
        return doc[end : end + 1]
    if token.lower_ in FUNCTION_WORDS:
        return None
    start = name_start(doc, end)
    if start is None:
        start = determiner_start(doc, end)
    if start is None:
        start = bare_start(doc, end)
    if start is None:
        return None
    return doc[list_start(doc, with_person_head(doc, start)) : end + 1]


def with_person_head(doc: Doc, start: int) -> int:
    """Return where the source starts when the phrase at `start` completes a person's
    description ("a spokesman for | the ministry", "a source close to | the talks")."""
    i = start - 1
    if i < 1 or doc[i].lower_ not in HEAD_PREPOSITIONS:
        return start
    i -= 1
    if doc[i].lower_ in HEAD_MODIFIERS:
        i -= 1
    if i < 0 or doc[i].lower_ not in PERSON_HEADS:
        return start
    head = determiner_start(doc, i)
    if head is None:
        head = bare_start(doc, i)
    if head is None:
        head = i if i == 0 or not doc[i].is_lower else None
    return start if head is None else head


def appositive_source(doc: Doc, comma: int) -> Span | None:
    """Return "X, a phrase about X" ending at the comma before a cue, if the phrase after
    X's comma is an appositive (opens with a determiner, a number, a title or "who")."""
    for i in range(comma - 1, max(comma - MAX_APPOSITIVE, 0), -1):
        if doc[i].text in '"“”«»:;':
            return None
        if doc[i].text != ",":
            continue
        opener = doc[i + 1]
        if not (
            opener.lower_ in DETERMINERS | RELATIVE_SOURCES
            or opener.like_num
            or is_name_word(opener)
        ):
            return None
        head = left_source(doc, i) if i > 0 else None
        return doc[head.start : comma] if head is not None else None
    return None


def skip_parenthetical(doc: Doc, comma: int) -> int | None:
    """Skip ", in turn," before a cue: return the token before the opening comma."""
    for i in range(comma - 1, max(comma - 5, -1), -1):
        if doc[i].text == ",":
            return i - 1 if i > 0 else None
    return None


def is_name_word(token: Token) -> bool:
    return token.is_alpha and token.text[0].isupper() and token.lower_ not in CONNECTIVES


def name_start(doc: Doc, end: int) -> int | None:
    """Return where a capitalised name ending at `end` starts (with a leading "the")."""
    if not is_name_word(doc[end]):
        return None
    start = end
    while start > 0:
        before = doc[start - 1]
        if is_name_word(before):
            start -= 1
        elif before.lower_ in NAME_JOINERS and start > 1 and is_name_word(doc[start - 2]):
            start -= 2
        else:
            break
    if start > 0 and doc[start - 1].lower_ == "the":
        start -= 1
    return start


def determiner_start(doc: Doc, end: int) -> int | None:
    """Return where "the Russian top diplomat"-style phrase ending at `end` starts."""
    for i in range(end - 1, max(end - MAX_DETERMINER_PHRASE, -1), -1):
        token = doc[i]
        if token.lower_ in DETERMINERS:
            return i
        if not token.is_alpha or token.lower_ in FUNCTION_WORDS | CONNECTIVES:
            return None
    return None


def bare_start(doc: Doc, end: int) -> int | None:
    """Return where a bare plural or a share starts: "experts", "party officials",
    "Green party officials", "47 percent", "six in 10", "polls"."""
    token = doc[end]
    word = token.lower_
    if word == "percent" and end > 0 and doc[end - 1].like_num:
        return end - 1
    if token.like_num:
        return end - 2 if end > 1 and doc[end - 1].lower_ == "in" else None
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    if not (token.is_lower and (plural or word in EVIDENCE_NOUNS)):
        return None
    start = end
    while end - start < MAX_BARE_PHRASE and start > 0:
        before = doc[start - 1]
        if not before.is_alpha or before.lower_ in FUNCTION_WORDS | CONNECTIVES | SUBJECT_PRONOUNS:
            break
        start -= 1
    return start


def list_start(doc: Doc, start: int) -> int:
    """Extend a name back over a list of names: "Spain, France and the Netherlands"."""
    i = start
    joiners = ("and",)  # a list ends "... and X"; only then do commas join earlier names
    while i >= 2 and doc[i - 1].lower_ in joiners:
        joiners = ("and", ",")
        end = i - 2
        if doc[i - 1].lower_ == "and" and doc[end].text == ",":
            end -= 1
        earlier = name_start(doc, end) if end >= 0 else None
        if earlier is None:
            break
        i = earlier
    return i


def statement_issuer(doc: Doc, cue_start: int) -> Span | None:
    """Return who issued "a statement saying": the subject of "issued", not the statement."""
    before = previous_word(doc, cue_start)
    if before is None or doc[before].lower_ not in STATEMENT_NOUNS:
        return None
    for i in range(before - 1, max(before - 4, -1), -1):
        if doc[i].lower_ in ISSUING_VERBS:
            return left_source(doc, i)
    return None


def clause_subject(doc: Doc, limit: int) -> Span | None:
    """Return the subject opening the sentence (after connectives), before token `limit`."""
    i = 0
    while i < limit and (doc[i].lower_ in CONNECTIVES or doc[i].is_punct):
        i += 1
    if i >= limit:
        return None
    if doc[i].lower_ in SUBJECT_PRONOUNS:
        return doc[i : i + 1]
    end = i
    if is_name_word(doc[i]) or doc[i].lower_ in DETERMINERS:
        while end + 1 < limit and (
            is_name_word(doc[end + 1])
            or (doc[i].lower_ in DETERMINERS and end - i < MAX_DETERMINER_PHRASE - 1)
            and doc[end + 1].is_alpha
            and doc[end + 1].is_lower
            and doc[end + 1].lower_ not in FUNCTION_WORDS
        ):
            end += 1
        return doc[i : end + 1]
    return None


def phrase_after(doc: Doc, start: int) -> Span | None:
    """Return the source right after a cue: a pronoun, a name or a determiner phrase."""
    if start >= len(doc):
        return None
    token = doc[start]
    if token.lower_ in OBJECT_PRONOUNS | SUBJECT_PRONOUNS:
        return doc[start : start + 1]
    end = start
    if token.lower_ in DETERMINERS or is_name_word(token):
        while end + 1 < len(doc) and (
            doc[end + 1].is_alpha
            and doc[end + 1].lower_ not in CONNECTIVES | {"that", "who", "which", "to"}
        ):
            end += 1
        return doc[start : end + 1]
    return None


def bare_phrase_after(doc: Doc, start: int) -> Span | None:
    """Return the phrase after "according to" when it has no determiner and no name
    ("according to regional statistics released Friday"): what follows that cue is always its
    source, up to punctuation or a word opening another clause."""
    end = start
    while (
        end < len(doc)
        and (doc[end].is_alpha or doc[end].like_num)
        and doc[end].lower_ not in CONNECTIVES | {"that", "who", "which", "to"}
    ):
        end += 1
    if not any(token.is_alpha for token in doc[start:end]):
        return None
    return doc[start:end]


def ends_clause(doc: Doc, index: int) -> bool:
    """Tell whether the clause ends at `index` (nothing, punctuation, or when and where)."""
    if index >= len(doc) or doc[index].is_punct:
        return True
    return doc[index].lower_ in REPORT_TAIL_WORDS
