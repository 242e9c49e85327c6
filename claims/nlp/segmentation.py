"""Split article text into sentence segments with stable character offsets.

Offsets are Python ``str`` indices (code points) into the normalized article text, so
``text[s.start:s.end]`` is always the segment's text. Every non-whitespace character of the
text lies in exactly one segment; segments never span a newline.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice, pairwise

import spacy
from django.conf import settings
from spacy.language import Language
from spacy.tokens import Doc

# The setting (from the environment variable of the same name) naming a trained pipeline to
# segment with; suggestions parse with their own (CLAIMS_SPACY_MODEL, claims/nlp/parsing.py).
MODEL_SETTING = "CLAIMS_SEGMENTATION_MODEL"

KINDS = ("body", "heading", "dateline", "boilerplate")

_MAX_HEADING_WORDS = 20
_MAX_BOILERPLATE_WORDS = 12

# Straight quotes are ambiguous; position (after whitespace, before a non-space) decides.
_OPENERS = frozenset("\"'“‘«„‹([{")
_CLOSERS = frozenset("\"'”’»›)]}")
_FINAL_PUNCT = frozenset(".!?…")
# A line ending like a sentence (or a fragment of one) is prose, not a headline.
_NON_HEADING_END = _FINAL_PUNCT | frozenset(":;,\"'”’»›")

_SENTENCE_FACTORIES = frozenset({"parser", "beam_parser", "senter", "sentencizer"})
# Components that cannot move sentence boundaries; skipping them keeps trained pipelines fast.
_NON_SENTENCE_FACTORIES = frozenset(
    {
        "attribute_ruler",
        "beam_ner",
        "entity_linker",
        "entity_ruler",
        "lemmatizer",
        "morphologizer",
        "ner",
        "span_ruler",
        "spancat",
        "tagger",
        "textcat",
        "textcat_multilabel",
        "trainable_lemmatizer",
    }
)

_CHROME_LINES = frozenset(
    {
        "ad",
        "advertisement",
        "advertising",
        "all news",
        "also read",
        "back to top",
        "close",
        "comments",
        "e-mail",
        "email",
        "home",
        "latest news",
        "leave a comment",
        "like this",
        "loading",
        "menu",
        "more",
        "more news",
        "most popular",
        "most read",
        "print",
        "read also",
        "read more",
        "related",
        "related articles",
        "related content",
        "related coverage",
        "related news",
        "related stories",
        "search",
        "see also",
        "share",
        "share this",
        "share this article",
        "share this story",
        "show comments",
        "skip to content",
        "skip to main content",
        "sponsored",
        "sponsored content",
        "subscribe",
        "subscribe now",
        "top stories",
        "tweet",
    }
)
_CHROME_PREFIX = re.compile(
    r"(?:follow us|read more|read also|also read|see also|subscribe to|sign up|share on"
    r"|click here|download (?:our|the) app|join us on|copyright|photo:|image:|©|\(c\))"
)
_CHROME_STRIP = " \t.:!|>»›→…•·*-–—"

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = (
    rf"(?:(?:{_WEEKDAY}),?[ ])?"
    rf"(?:{_MONTH}\.?[ ]\d{{1,2}}(?:,?[ ]\d{{4}})?|\d{{1,2}}[ ]{_MONTH}\.?(?:[ ]\d{{4}})?"
    rf"|{_WEEKDAY})"
)
# Upper-case-ness is checked in code: ``re`` has no Unicode upper-case class.
_CITY_WORD = r"[^\W\d_a-z](?:[^\W\d_a-z]|['’.-])*"
_REGION_WORD = r"[A-Z][\w.'’-]*"
_DATELINE = re.compile(
    rf"(?P<city>{_CITY_WORD}(?:[ ]{_CITY_WORD}){{0,3}})"
    rf"(?:,[ ]+(?!(?:{_MONTH}|{_WEEKDAY})\b)"
    rf"(?P<region>{_REGION_WORD}(?:[ ]{_REGION_WORD}){{0,2}}))?"
    rf"(?:,[ ]+(?P<date>{_DATE}))?"
    r"\.?[ ]*"
    r"(?P<agency>\([A-Z][\w .&'’/-]{0,30}\)|/[A-Z][\w .&'’-]{0,20}/)?"
    r"[ ]*(?P<term>--|[-–—.])?"
    r"(?=\s|$)"
)


@dataclass(frozen=True)
class Segment:
    """A sentence-like span of an article: ``text[start:end]``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Block:
    """A paragraph span still waiting for spaCy's tokens and sentence boundaries."""

    start: int
    end: int
    maybe_heading: bool = False


def normalize_text(raw: str) -> str:
    """Strip a leading BOM and turn CRLF and lone CR into LF."""
    return raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@functools.cache
def get_nlp() -> Language:
    """Return the process-wide sentence pipeline (``settings.CLAIMS_SEGMENTATION_MODEL``)."""
    name = (getattr(settings, MODEL_SETTING, "") or "").strip()
    if not name:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(
            f"{MODEL_SETTING}={name!r} is not an installed spaCy pipeline. Install that "
            f"package or unset {MODEL_SETTING} to use the built-in rule-based sentencizer."
        ) from exc
    if not any(_factory(nlp, pipe) in _SENTENCE_FACTORIES for pipe in nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    return nlp


def segment(text: str) -> list[Segment]:
    """Split one normalized article into ordered, non-overlapping segments."""
    return next(segment_many([text]))


def segment_many(texts: Iterable[str], batch_size: int = 256) -> Iterator[list[Segment]]:
    """Yield ``segment(text)`` for each text, running spaCy over all paragraphs in batches.

    Texts are consumed ``batch_size`` at a time, so memory stays bounded for long streams.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    nlp = get_nlp()
    disabled = [pipe for pipe in nlp.pipe_names if _factory(nlp, pipe) in _NON_SENTENCE_FACTORIES]
    for chunk in _chunks(texts, batch_size):
        plans = [(text, _plan(text)) for text in chunk]
        blocks = [
            text[p.start : p.end] for text, plan in plans for p in plan if isinstance(p, _Block)
        ]
        docs = iter(nlp.pipe(blocks, batch_size=batch_size, disable=disabled))
        for text, plan in plans:
            yield _assemble(text, plan, docs)


def _factory(nlp: Language, pipe: str) -> str:
    """Return the factory name behind a pipeline component."""
    return nlp.get_pipe_meta(pipe).factory


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Yield consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` until it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Yield the trimmed span of every non-blank line."""
    line_start = 0
    for line in text.split("\n"):
        start, end = _trim(text, line_start, line_start + len(line))
        if start < end:
            yield start, end
        line_start += len(line) + 1


def _plan(text: str) -> list[Segment | _Block]:
    """Classify each paragraph, leaving body prose as blocks for spaCy."""
    pieces: list[Segment | _Block] = []
    for start, end in _paragraphs(text):
        pieces.extend(_plan_paragraph(text, start, end))
    return pieces


def _plan_paragraph(text: str, start: int, end: int) -> list[Segment | _Block]:
    """Classify one trimmed paragraph as boilerplate, dateline + body, heading or body."""
    line = text[start:end]
    if _is_boilerplate(line):
        return [Segment(start, end, "boilerplate")]
    dateline_length = _dateline_length(line)
    if dateline_length:
        dateline_start, dateline_end = _trim(text, start, start + dateline_length)
        pieces: list[Segment | _Block] = [Segment(dateline_start, dateline_end, "dateline")]
        body_start, _ = _trim(text, start + dateline_length, end)
        if body_start < end:
            pieces.append(_Block(body_start, end))
        return pieces
    return [_Block(start, end, maybe_heading=_looks_like_heading(line))]


def _is_boilerplate(line: str) -> bool:
    """Tell whether a whole line is site chrome (or has no letters or digits at all)."""
    if not any(char.isalnum() for char in line):
        return True
    if len(line.split()) > _MAX_BOILERPLATE_WORDS:
        return False
    key = " ".join(line.casefold().split()).strip(_CHROME_STRIP)
    return key in _CHROME_LINES or _CHROME_PREFIX.match(key) is not None


def _looks_like_heading(line: str) -> bool:
    """Tell whether a line is short and does not end like a sentence."""
    return line[-1] not in _NON_HEADING_END and len(line.split()) <= _MAX_HEADING_WORDS


def _dateline_length(line: str) -> int:
    """Return the length of a wire-style dateline opening ``line``, or 0 if there is none."""
    match = _DATELINE.match(line)
    if match is None:
        return 0
    city = match["city"]
    if not city.isupper() or sum(char.isalpha() for char in city) < 3:
        return 0
    dash = match["term"] not in (None, ".")
    dated_stop = match["date"] is not None and match[0].rstrip().endswith(".")
    return match.end() if match["agency"] or dash or dated_stop else 0


def _assemble(text: str, plan: list[Segment | _Block], docs: Iterator[Doc]) -> list[Segment]:
    """Replace each body block of a plan with its sentences, taking docs in order."""
    segments: list[Segment] = []
    for piece in plan:
        if isinstance(piece, Segment):
            segments.append(piece)
        else:
            doc = next(docs)
            if piece.maybe_heading and _is_one_sentence(doc):
                segments.append(Segment(piece.start, piece.end, "heading"))
            else:
                segments.extend(_sentences(text, piece, doc))
    return segments


def _is_one_sentence(doc: Doc) -> bool:
    """Tell whether no sentence-final token occurs inside the line.

    Tokens rather than characters, so abbreviations like "U.S." or "Mr." do not count.
    Parser boundaries are ignored on purpose: parsers often split short headlines.
    """
    return not any(token.text in _FINAL_PUNCT for token in doc[:-1])


def _sentences(text: str, block: _Block, doc: Doc) -> list[Segment]:
    """Cut a body block at its (quote-corrected) sentence starts."""
    para = doc.text
    cuts = {_adjust_cut(para, sent.start_char) for sent in doc.sents}
    bounds = sorted(cuts | {0, len(para)})
    segments = []
    for cut_start, cut_end in pairwise(bounds):
        start, end = _trim(text, block.start + cut_start, block.start + cut_end)
        if start < end:
            segments.append(Segment(start, end, "body"))
    return segments


def _adjust_cut(para: str, cut: int) -> int:
    """Move a sentence start so closing quotes end a sentence and opening quotes start one."""
    return _openers_forward(para, _closers_back(para, cut))


def _closers_back(para: str, cut: int) -> int:
    """Keep closing quotes glued to the sentence they close (parsers may split them off)."""
    if cut == 0 or para[cut] not in _CLOSERS or para[cut - 1].isspace():
        return cut
    end = cut
    while end < len(para) and (para[end] in _CLOSERS or para[end] in _FINAL_PUNCT):
        end += 1
    return end if end == len(para) or para[end].isspace() else cut


def _openers_forward(para: str, cut: int) -> int:
    """Hand opening quotes to the next sentence.

    The sentencizer attaches all punctuation after a period to the sentence it ends, so
    ``said. "We`` would otherwise end the first sentence with the quote that opens the next.
    """
    tail = cut
    while tail > 0 and (para[tail - 1].isspace() or para[tail - 1] in _OPENERS):
        tail -= 1
    for index in range(tail, cut):
        if para[index] in _OPENERS and _is_opening(para, index):
            return index
    return cut


def _is_opening(para: str, index: int) -> bool:
    """Tell whether the mark at ``index`` opens something: space before, non-space after."""
    after = index + 1
    before_ok = index == 0 or para[index - 1].isspace()
    return before_ok and after < len(para) and not para[after].isspace()
