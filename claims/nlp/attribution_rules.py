"""The rules behind the suggestions: cue lexicon, quotations, and where a cue's source is.

Work on a spaCy Doc of one sentence (claims.nlp.suggestions makes it); offsets are characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from claims.nlp.lexicon import (
    BETWEEN,
    CONNECTIVES,
    CONTINUATIONS,
    COORDINATORS,
    CUE_PHRASES,
    CUE_WORDS,
    DETERMINERS,
    ENTITY_LABELS,
    FUNCTION_WORDS,
    MAX_DETERMINER_PHRASE,
    NAME_JOINERS,
    OBJECT_PRONOUNS,
    POSSESSIVES,
    REFLEXIVES,
    REPORT_TAIL_WORDS,
    SUBJECT_PRONOUNS,
    TRAILING_PUNCT,
)


@dataclass(frozen=True)
class KnownSpeaker:
    """A project speaker the matcher looks for: its names are the name and its aliases."""

    id: int
    name: str
    kind: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Suggestion:
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    content: tuple[int, int] | None = None
    quote_type: str = ""
    speaker: KnownSpeaker | None = None


def attributions_in(doc: Doc, known: list[tuple[Span, KnownSpeaker]]) -> list[Suggestion]:
    """Return one suggestion per cue outside quotations, plus unclaimed quotations."""
    quotes = quotations(doc.text)
    cues = [c for c in cue_spans(doc) if not any(q[0] <= c.start_char < q[1] for q in quotes)]
    suggestions: list[Suggestion] = []
    for cue in cues:
        source = source_for(doc, cue, suggestions)
        suggestion = Suggestion(cue=(cue.start_char, cue.end_char))
        if source is not None:
            suggestion.source = (source.start_char, source.end_char)
            suggestion.speaker = speaker_of(source, known)
        suggestion.content, suggestion.quote_type = content_for(doc, cue, source, quotes)
        suggestions.append(suggestion)
    clip_contents(doc.text, suggestions, quotes)
    for quote in quotes:
        inner = trim(doc.text, quote[0], quote[1])
        if inner is None or any(overlaps(inner, s.content) for s in suggestions):
            continue
        # A quotation running on from or into another sentence, or most of this one; not a
        # scare quote like 'declared himself "interim president"'.
        open_ended = quote[0] <= 1 or quote[1] >= len(doc.text) - 2
        if open_ended or 2 * (inner[1] - inner[0]) >= len(doc.text):
            suggestions.append(Suggestion(content=inner, quote_type="direct"))
    return suggestions


def cue_spans(doc: Doc) -> list[Span]:
    """Return the cue words and phrases of the sentence, longest first where they overlap."""
    matcher = Matcher(doc.vocab)
    matcher.add("CUE", [[{"LOWER": {"IN": sorted(CUE_WORDS)}}]])
    matcher.add("CUE", [[{"LOWER": word} for word in phrase] for phrase in CUE_PHRASES])
    matcher.add(
        "CUE", [[{"LOWER": "in"}, {"LOWER": {"IN": sorted(POSSESSIVES)}}, {"LOWER": "words"}]]
    )
    spans = [doc[start:end] for _, start, end in matcher(doc)]
    return [
        span
        for span in sorted(filter_spans(spans), key=lambda s: s.start)
        # "declared himself president" is an act, not a report; "American States" is a name.
        if not (span.end < len(doc) and doc[span.end].lower_ in REFLEXIVES)
        and not (span.start > 0 and span[0].text[0].isupper())
    ]


def quotations(text: str) -> list[tuple[int, int]]:
    """Return the character ranges inside quotation marks (an unclosed one runs to an end)."""
    ranges, opened = [], None
    for match in re.finditer(r"[\"“”«»]", text):
        mark, at = match.group(), match.start()
        opening = mark in "“«" or (mark == '"' and straight_quote_opens(text, at, opened))
        if opening and opened is None:
            opened = at + 1
        elif not opening and opened is not None:
            ranges.append((opened, at))
            opened = None
        elif not opening:
            ranges.append((0, at))  # closes a quotation opened in an earlier sentence
    if opened is not None:
        ranges.append((opened, len(text)))
    return [r for r in ranges if r[1] > r[0] and text[r[0] : r[1]].strip()]


def straight_quote_opens(text: str, at: int, opened: int | None) -> bool:
    """Tell whether a straight quote opens: after a space (or first), before a non-space."""
    before_space = at == 0 or text[at - 1].isspace() or text[at - 1] in "([{"
    after_text = at + 1 < len(text) and not text[at + 1].isspace()
    if before_space and after_text:
        return True
    return opened is None and not (at > 0 and not text[at - 1].isspace())


def source_for(doc: Doc, cue: Span, earlier: list[Suggestion]) -> Span | None:
    """Return the source span of a cue: its subject or a named entity next to it when the
    pipeline parses and tags entities, else by the rules."""
    if doc.has_annotation("DEP"):
        subject = parsed_subject(doc, cue)
        if subject is not None:
            return subject
    entity = entity_next_to(doc, cue)
    if entity is not None:
        return entity
    if cue[0].lower_ == "in" and cue[-1].lower_ == "words":
        return cue[1:2]  # "in his words": the possessive is the source
    if cue[0].lower_ == "according":
        return phrase_after(doc, cue.end)
    left = left_source(doc, cue.start)
    if left is not None:
        return left
    before = previous_word(doc, cue.start)
    if before is not None and doc[before].lower_ in CONTINUATIONS and earlier:
        previous = next((s for s in reversed(earlier) if s.source), None)
        if previous is not None:
            return doc.char_span(*previous.source)
    if before is None or doc[before].text in '"”»,':
        return phrase_after(doc, cue.end)  # '..." said the statement'
    return None


def entity_next_to(doc: Doc, cue: Span) -> Span | None:
    """Return a PERSON / ORG / GPE / NORP entity ending just before or starting just after."""
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
    """Return the index of the token before `index`, skipping words allowed before a cue."""
    i = index - 1
    while i >= 0 and doc[i].lower_ in BETWEEN:
        i -= 1
    return i if i >= 0 else None


def left_source(doc: Doc, cue_start: int) -> Span | None:
    """Return the source ending right before the cue: pronoun, name, or determiner phrase."""
    end = previous_word(doc, cue_start)
    if end is not None and doc[end].text == ",":
        end = skip_parenthetical(doc, end)
    if end is None or not doc[end].is_alpha or doc[end].lower_ in FUNCTION_WORDS:
        return None
    token = doc[end]
    if token.lower_ in SUBJECT_PRONOUNS:
        return doc[end : end + 1]
    start = name_start(doc, end)
    if start is None:
        start = determiner_start(doc, end)
    if start is None:
        return None
    return doc[list_start(doc, start) : end + 1]


def skip_parenthetical(doc: Doc, comma: int) -> int | None:
    """Skip ", in turn," before a cue: return the token before the opening comma."""
    for i in range(comma - 1, max(comma - 5, -1), -1):
        if doc[i].text == ",":
            return i - 1 if i > 0 else None
    return None


def is_name_word(token) -> bool:
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


def content_for(doc, cue, source, quotes) -> tuple[tuple[int, int] | None, str]:
    """Return the content span and quote type of a cue's attribution."""
    text = doc.text
    anchor_start = min(cue.start_char, source.start_char if source is not None else len(text))
    anchor_end = max(cue.end_char, source.end_char if source is not None else 0)
    # A quotation right before or after the source and cue ('"...," Lavrov noted').
    for start, end in quotes:
        if end <= anchor_start and not text[end:anchor_start].strip(" ,\"”»'’"):
            return trim(text, start, end), "direct"
        if start >= anchor_end and not text[anchor_end:start].strip(' ,:"“«'):
            return trim(text, start, end), "direct"
    that = next(
        (i for i in range(cue.end, min(cue.end + 3, len(doc))) if doc[i].lower_ == "that"), None
    )
    if cue[0].lower_ in ("according", "in") and source is not None:
        comma = text.find(",", source.end_char)
        begin = comma + 1 if comma >= 0 else source.end_char
    elif that is not None:
        begin = doc[that + 1].idx if that + 1 < len(doc) else len(text)
    elif source is not None and source.end_char <= cue.start_char and ends_report(doc, cue.end):
        # "Russia is ready ..., Russian Foreign Minister Sergey Lavrov said at a press ..."
        before = text[: source.start_char].rstrip()
        if before.endswith(","):
            return trim(text, 0, len(before) - 1), "indirect"
        begin = len(text)
    else:
        begin = doc[cue.end].idx if cue.end < len(doc) else len(text)
    span = trim(text, begin, len(text))
    if span is None:
        return None, ""
    return span, quote_kind(text, span, quotes, after_that=that is not None)


def quote_kind(text: str, span: tuple[int, int], quotes, *, after_that: bool = False) -> str:
    """Return "direct" for a quoted content, "mixed" for a partly quoted one, else "indirect"."""
    inside = [t for q in quotes if (t := trim(text, *q)) and span[0] <= t[0] and t[1] <= span[1]]
    if inside == [span]:
        return "mixed" if after_that else "direct"
    return "mixed" if inside else "indirect"


def ends_report(doc: Doc, index: int) -> bool:
    """Tell whether the sentence's report ends at `index` (nothing, or only when and where)."""
    if index >= len(doc) or doc[index].is_punct:
        return True
    return doc[index].lower_ in REPORT_TAIL_WORDS


def clip_contents(text: str, suggestions: list[Suggestion], quotes) -> None:
    """End a content where a coordinated attribution starts ("blasted X and said Y")."""
    for suggestion in suggestions:
        if suggestion.content is None:
            continue
        start, end = suggestion.content
        for other in suggestions:
            cut = min(
                (s[0] for s in (other.source, other.cue) if s and start < s[0] < end), default=None
            )
            if cut is None:
                continue
            head = text[start:cut].rstrip()
            last_word = head.rsplit(None, 1)[-1].casefold() if head else ""
            if head.endswith(",") or last_word in COORDINATORS:
                clipped = trim(text, start, start + len(head))
                if clipped is not None:
                    start, end = clipped
        if (start, end) != suggestion.content:
            suggestion.content = (start, end)
            suggestion.quote_type = quote_kind(text, suggestion.content, quotes)


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink a range past spaces, quote marks, trailing punctuation and a dangling "and"."""
    while True:
        while start < end and (text[start].isspace() or text[start] in '"“«'):
            start += 1
        while end > start and (text[end - 1] in TRAILING_PUNCT or text[end - 1] in '"”»'):
            end -= 1
        words = text[start:end].rsplit(None, 1)
        if len(words) == 2 and words[1].casefold() in COORDINATORS:
            end = start + len(words[0])
            continue
        return (start, end) if end > start else None


def overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return bool(a and b and a[0] < b[1] and b[0] < a[1])


def speaker_of(source: Span, known: list[tuple[Span, KnownSpeaker]]) -> KnownSpeaker | None:
    """Return the known speaker named inside the source span (the longest name wins)."""
    inside = [
        (span, speaker)
        for span, speaker in known
        if speaker is not None and source.start <= span.start and span.end <= source.end
    ]
    inside.sort(key=lambda pair: len(pair[0]), reverse=True)
    return inside[0][1] if inside else None
