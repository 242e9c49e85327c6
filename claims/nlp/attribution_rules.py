"""The rules behind the suggestions: cue lexicon, quotations, and where a cue's source is.

Work on a spaCy Doc of one sentence (claims.nlp.suggestions makes it); offsets are characters.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from claims.nlp.attribution_sources import source_for
from claims.nlp.function_sources import speaking_source
from claims.nlp.lexicon import (
    ADD_WORDS,
    CALL_NOUN_BEFORE,
    COORDINATORS,
    CUE_PHRASES,
    CUE_WORDS,
    DETERMINERS,
    EVIDENCE_NOUNS,
    EVIDENCE_VERBS,
    GERUND_BEFORE,
    NAME_PARTS,
    NOT_HEADLINE_SOURCES,
    NOT_IN_HEADLINE_NAMES,
    POSSESSIVES,
    REFLEXIVES,
    REPORT_TAIL_WORDS,
    WRONG_SENSE_NEXT,
)
from claims.nlp.quote_ranges import overlaps, quotations, trim

# Types only: spaCy loads with a pipeline (claims.nlp.segmentation), not at app start-up.
if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

# Words opening a relative clause about the source that ends a sentence's report.
RELATIVES = frozenset({"which", "who", "whose", "where"})


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
        # The content is found beside the source as written ('"...," it added'); the
        # suggestion names someone or no source at all.
        speaking = speaking_source(doc, source)
        if speaking is not None:
            suggestion.source = (speaking.start_char, speaking.end_char)
            suggestion.speaker = speaker_of(speaking, known)
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


@functools.lru_cache(maxsize=4)
def cue_matcher(vocab: Vocab) -> Matcher:
    """Return the matcher of cue words and phrases (built once per vocab: it is slow to add)."""
    from spacy.matcher import Matcher  # spaCy is loaded: there is a vocab

    matcher = Matcher(vocab)
    matcher.add("CUE", [[{"LOWER": {"IN": sorted(CUE_WORDS)}}]])
    matcher.add("CUE", [[{"LOWER": word} for word in phrase] for phrase in CUE_PHRASES])
    matcher.add(
        "CUE", [[{"LOWER": "in"}, {"LOWER": {"IN": sorted(POSSESSIVES)}}, {"LOWER": "words"}]]
    )
    return matcher


def cue_spans(doc: Doc) -> list[Span]:
    """Return the cue words and phrases of the sentence, longest first where they overlap."""
    from spacy.util import filter_spans  # spaCy is loaded: there is a Doc

    spans = [doc[start:end] for _, start, end in cue_matcher(doc.vocab)(doc)]
    spans += evidence_cues(doc) + headline_colon(doc)
    titled = title_case(doc)
    return [
        span
        for span in sorted(filter_spans(spans), key=lambda s: s.start)
        # "declared himself president" is an act, not a report; "American States" is a name
        # (unless every word is capitalised, as in a headline).
        if not (span.end < len(doc) and doc[span.end].lower_ in REFLEXIVES)
        and not (span.start > 0 and span[0].text[0].isupper() and not titled)
        and not wrong_sense(doc, span)
    ]


def evidence_cues(doc: Doc) -> list[Span]:
    """Return "show", "indicate", "found" after evidence: "polls show", "records indicate"."""
    return [
        doc[t.i : t.i + 1]
        for t in doc[1:]
        if t.lower_ in EVIDENCE_VERBS and doc[t.i - 1].lower_ in EVIDENCE_NOUNS
    ]


def headline_colon(doc: Doc) -> list[Span]:
    """Return the colon of "Trump: Cruz Has 'To Come a Long Way'" (a short name, then text)."""
    for token in doc[1:6]:
        if token.text == ":":
            name = doc[: token.i]
            after = doc[token.i + 1 :]
            if (
                name[0].lower_ not in NOT_HEADLINE_SOURCES
                and all(t.text[0].isupper() or t.lower_ in NAME_PARTS for t in name)
                and not any(t.lower_ in NOT_IN_HEADLINE_NAMES for t in name)
                and sum(t.is_alpha for t in after) >= 3
                and not doc.text.rstrip().endswith("?")
            ):
                return [doc[token.i : token.i + 1]]
            return []
    return []


def title_case(doc: Doc) -> bool:
    """Tell whether most longer words are capitalised (a headline)."""
    words = [t for t in doc if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)


def wrong_sense(doc: Doc, cue: Span) -> bool:
    """Tell whether a cue word means something else here.

    "reported from Moscow" (a byline), "adds 156,000 jobs", "responded." with no content,
    "calls for comment" and "returned calls" (nouns).
    """
    word = cue[0].lower_
    after = doc[cue.end] if cue.end < len(doc) else None
    if after is None or after.is_punct and after.text in ".!?":
        return word in ("responded", "replied", "responds")
    if after.lower_ in WRONG_SENSE_NEXT.get(word, ()) and len(cue) == 1:
        return True
    if word in ADD_WORDS and (after.like_num or after.text in "$€£"):
        return True
    before = doc[cue.start - 1].lower_ if cue.start else ""
    if word == "asked" and (cue.start == 0 or before in ("when", "if", "after")):
        return True  # "Asked about X, Christie said": the cue is "said"
    if word.endswith("ing") and (before in GERUND_BEFORE or before in DETERMINERS):
        return True  # "for blaming the mayor", "the mayor's account of"
    if word in ("calls", "call"):
        comment = {"comment", "comments"} & {t.lower_ for t in doc[cue.end : cue.end + 2]}
        return before in DETERMINERS | CALL_NOUN_BEFORE or bool(comment)
    return False


def content_for(doc, cue, source, quotes) -> tuple[tuple[int, int] | None, str]:
    """Return the content span and quote type of a cue's attribution."""
    text = doc.text
    anchor_start = min(cue.start_char, source.start_char if source is not None else len(text))
    anchor_end = max(cue.end_char, source.end_char if source is not None else 0)
    # A quotation right before or after the source and cue ('"...," Lavrov noted').
    for start, end in quotes:
        if end <= anchor_start and describes_source(text[end:anchor_start].strip(" ,\"”»'’")):
            return trim(text, start, end), "direct"
        if start >= anchor_end and not text[anchor_end:start].strip(' ,:"“«'):
            return trim(text, start, end), "direct"
    that = next(
        (i for i in range(cue.end, min(cue.end + 3, len(doc))) if doc[i].lower_ == "that"), None
    )
    if cue[0].lower_ in ("according", "in") and source is not None:
        before = text[: cue.start_char].rstrip()
        if before.endswith(",") and ends_sentence_report(doc, source.end):
            # "The rate fell, according to regional statistics.": the clause before it.
            return trim(text, 0, len(before) - 1), "indirect"
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


def describes_source(gap: str) -> bool:
    """Tell whether the words between a closing quote and its source describe the source:
    nothing, or a few words without punctuation ('"...," city police Chief Ann Carver said',
    where the source found is the name with its title)."""
    if not gap:
        return True
    return len(gap.split()) <= 4 and re.fullmatch(r"[^\W\d_][\w'’.\- ]*", gap) is not None


def quote_kind(text: str, span: tuple[int, int], quotes, *, after_that: bool = False) -> str:
    """Return "direct" for a quoted content, "mixed" for a partly quoted one, else "indirect"."""
    inside = [t for q in quotes if (t := trim(text, *q)) and span[0] <= t[0] and t[1] <= span[1]]
    if inside == [span]:
        return "mixed" if after_that else "direct"
    return "mixed" if inside else "indirect"


def ends_sentence_report(doc: Doc, index: int) -> bool:
    """Tell whether nothing but the report's tail follows `index` to the sentence's end: not
    another clause after a comma ("The rate, according to Smith, fell"), though a relative
    clause describing the source may ("..., according to the agency, which tracks it")."""
    if not ends_report(doc, index):
        return False
    if index < len(doc) and doc[index].text == ",":
        following = doc[index + 1 : index + 2]
        return not following or following[0].is_punct or following[0].lower_ in RELATIVES
    return True


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


def speaker_of(source: Span, known: list[tuple[Span, KnownSpeaker]]) -> KnownSpeaker | None:
    """Return the known speaker named inside the source span (the longest name wins)."""
    inside = [
        (span, speaker)
        for span, speaker in known
        if speaker is not None and source.start <= span.start and span.end <= source.end
    ]
    inside.sort(key=lambda pair: len(pair[0]), reverse=True)
    return inside[0][1] if inside else None
