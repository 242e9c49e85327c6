"""Split article text into sentence segments with stable character offsets.

Offsets are Python ``str`` indices (code points) into the normalized article text, so
``text[s.start:s.end]`` is always the segment's text. Every non-whitespace character of the
text lies in exactly one segment; segments never span a newline.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice, pairwise
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings

from claims.nlp.lines import FINAL_PUNCT, dateline_length, is_boilerplate, looks_like_heading
from claims.nlp.quote_cuts import adjust_cut, joined_cuts

# spaCy is imported where a pipeline is loaded (load_nlp), not here: it takes seconds, and
# the app's start-up (every manage.py command, server and worker) imports this module.
if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The setting (from the environment variable of the same name) naming a trained pipeline to
# segment with; suggestions parse with their own (CLAIMS_SPACY_MODEL, claims/nlp/parsing.py).
MODEL_SETTING = "CLAIMS_SEGMENTATION_MODEL"

KINDS = ("body", "heading", "dateline", "boilerplate")

# The longest segment: longer sentences (a text without sentence punctuation, a list run
# together) are cut at whitespace near this many characters, so nothing downstream (the
# labeling page, suggestions, exports) ever gets an unbounded sentence.
MAX_SEGMENT_CHARS = 1000
# The longest text given to spaCy at once: longer paragraphs are cut at a sentence end (else at
# whitespace) first. spaCy refuses texts over nlp.max_length (1,000,000) and needs about 1 GB
# per 100,000 characters of a parsed text.
MAX_BLOCK_CHARS = 100_000

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
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»›)\]]*\s")
_WHITESPACE = re.compile(r"\s")


class Segment(NamedTuple):
    """A sentence-like span of an article: ``text[start:end]``.

    A named tuple: made by the thousand per article, and sent between processes.
    """

    start: int
    end: int
    kind: str


class _Block(NamedTuple):
    """A paragraph span still waiting for spaCy's tokens and sentence boundaries."""

    start: int
    end: int
    maybe_heading: bool = False


# An article and its paragraphs: segments already known, and blocks for spaCy.
Plan = tuple[str, list[Segment | _Block]]
# What is found for a block: where its sentences start (offsets in the block), and whether no
# sentence-final token occurs before its last token (see _is_one_sentence).
Found = tuple[list[int], bool]
Finder = Callable[[list[Plan], int], Iterator[Found]]


def normalize_text(raw: str) -> str:
    """Strip a leading BOM and turn CRLF and lone CR into LF."""
    return raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@functools.cache
def get_nlp() -> Language:
    """Return the process-wide sentence pipeline (``settings.CLAIMS_SEGMENTATION_MODEL``)."""
    return load_nlp(pipeline_name())


def pipeline_name() -> str:
    """Return the trained pipeline named by the settings, or "" for the built-in one."""
    return (getattr(settings, MODEL_SETTING, "") or "").strip()


def load_nlp(name: str) -> Language:
    """Load the named pipeline (with a sentencizer if it has no sentence boundaries)."""
    import spacy  # on first use (see the imports above)

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


def segment_many(
    texts: Iterable[str], batch_size: int = 256, *, nlp: Language | None = None
) -> Iterator[list[Segment]]:
    """Yield ``segment(text)`` for each text, running spaCy over the texts in batches.

    Texts are consumed ``batch_size`` at a time, so memory stays bounded for long streams.
    `nlp` is the pipeline to use (default: ``get_nlp()``).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    finder = _finder(nlp or get_nlp())
    for chunk in _chunks(texts, batch_size):
        plans = [(text, _plan(text)) for text in chunk]
        found = finder(plans, batch_size)
        for text, plan in plans:
            yield _capped(text, _assemble(text, plan, found))


def _factory(nlp: Language, pipe: str) -> str:
    """Return the factory name behind a pipeline component."""
    return nlp.get_pipe_meta(pipe).factory


@functools.cache
def _finder(nlp: Language) -> Finder:
    """Return how this pipeline finds the sentences of the blocks of a batch of plans."""
    active = [pipe for pipe in nlp.pipe_names if _factory(nlp, pipe) not in _NON_SENTENCE_FACTORIES]
    if [_factory(nlp, pipe) for pipe in active] == ["sentencizer"]:
        return _TokenRules(nlp, nlp.get_pipe(active[0]).punct_chars).find
    disabled = [pipe for pipe in nlp.pipe_names if pipe not in active]

    def parsed(plans: list[Plan], batch_size: int) -> Iterator[Found]:
        blocks = [text[p.start : p.end] for text, plan in plans for p in _blocks_of(plan)]
        for doc in nlp.pipe(blocks, batch_size=batch_size, disable=disabled):
            yield [sentence.start_char for sentence in doc.sents], _is_one_sentence(doc)

    return parsed


class _TokenRules:
    """spaCy's sentencizer rule applied to token columns, one tokenization per article.

    The rule (Sentencizer.predict): a sentence starts at the first token that is not
    punctuation after a token of `punct_chars`. Reading it off three integer columns of a
    tokenized article, instead of running the sentencizer on one doc per paragraph, skips a
    Token object per token and a Doc per paragraph: most of what segmentation cost beyond
    tokenizing. spaCy's tokens never cross whitespace, so a paragraph's tokens in the whole
    article are the tokens of the paragraph alone; the rule restarts at each block.
    """

    def __init__(self, nlp: Language, punct_chars: Iterable[str]):
        from spacy.attrs import IDX, IS_PUNCT, ORTH  # loaded with the pipeline already

        self.columns = (ORTH, IS_PUNCT, IDX)
        self.tokenizer = nlp.tokenizer
        self.punct = frozenset(nlp.vocab.strings.add(char) for char in punct_chars)
        self.final = frozenset(nlp.vocab.strings.add(char) for char in FINAL_PUNCT)

    def find(self, plans: list[Plan], batch_size: int) -> Iterator[Found]:
        spans = list(self.spans(plans))
        texts = (text[offset : blocks[-1].end] for text, offset, blocks in spans)
        docs = self.tokenizer.pipe(texts, batch_size=batch_size)
        for (_, offset, blocks), doc in zip(spans, docs, strict=True):
            # A list per column: lists of ints alone, no small list per token for the
            # garbage collector to walk.
            columns = doc.to_array(self.columns).T.tolist()
            yield from self.blocks(*columns, offset, blocks)

    def spans(self, plans: list[Plan]) -> Iterator[tuple[str, int, list[_Block]]]:
        """Yield what to tokenize: (text, offset, blocks), an article's consecutive blocks
        up to MAX_BLOCK_CHARS at a time (a whole article, unless it is long)."""
        for text, plan in plans:
            blocks: list[_Block] = []
            for block in _blocks_of(plan):
                if blocks and block.end - blocks[0].start > MAX_BLOCK_CHARS:
                    yield text, blocks[0].start, blocks
                    blocks = []
                blocks.append(block)
            if blocks:
                yield text, blocks[0].start, blocks

    def blocks(
        self,
        orths: list[int],
        puncts: list[int],
        offsets: list[int],
        offset: int,
        blocks: list[_Block],
    ) -> Iterator[Found]:
        """Yield each block's sentence starts (relative to it) and whether it is one sentence."""
        position, count = 0, len(orths)
        punct, final = self.punct, self.final
        for block in blocks:
            start, end = block.start - offset, block.end - offset
            while position < count and offsets[position] < start:
                position += 1
            starts, seen_punct, final_inside, previous_final = [0], False, False, False
            while position < count and (idx := offsets[position]) < end:
                orth, is_punct = orths[position], puncts[position]
                if orth in punct:
                    seen_punct = True
                elif seen_punct and not is_punct:
                    starts.append(idx - start)
                    seen_punct = False
                final_inside |= previous_final
                previous_final = orth in final
                position += 1
            yield starts, not final_inside


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
    if is_boilerplate(line):
        return [Segment(start, end, "boilerplate")]
    dateline_end = start + dateline_length(line)
    if dateline_end > start:
        dateline_start, dateline_end = _trim(text, start, dateline_end)
        pieces: list[Segment | _Block] = [Segment(dateline_start, dateline_end, "dateline")]
        body_start, _ = _trim(text, dateline_end, end)
        if body_start < end:
            pieces.append(_Block(body_start, end))
        return pieces
    return _blocks(text, start, end, maybe_heading=looks_like_heading(line))


def _blocks(text: str, start: int, end: int, maybe_heading: bool) -> list[_Block]:
    """Return the paragraph as blocks of at most MAX_BLOCK_CHARS, cut where a sentence ends."""
    blocks = []
    while end - start > MAX_BLOCK_CHARS:
        cut = _block_cut(text, start, start + MAX_BLOCK_CHARS)
        blocks.append(_Block(*_trim(text, start, cut)))
        start, _ = _trim(text, cut, end)
    blocks.append(_Block(start, end, maybe_heading=maybe_heading and not blocks))
    return blocks


def _block_cut(text: str, start: int, limit: int) -> int:
    """Return a whitespace position in the second half of [start, limit], at a sentence end
    if there is one there, else the limit itself."""
    middle = (start + limit) // 2
    for pattern in (_SENTENCE_END, _WHITESPACE):
        if last := deque(pattern.finditer(text, middle, limit + 1), maxlen=1):
            return last[0].end() - 1
    return limit


def _blocks_of(plan: list[Segment | _Block]) -> list[_Block]:
    return [piece for piece in plan if isinstance(piece, _Block)]


def _assemble(text: str, plan: list[Segment | _Block], found: Iterator[Found]) -> list[Segment]:
    """Replace each body block of a plan with its sentences, taking what was found in order."""
    segments: list[Segment] = []
    for piece in plan:
        if isinstance(piece, Segment):
            segments.append(piece)
        else:
            starts, one_sentence = next(found)
            if piece.maybe_heading and one_sentence:
                segments.append(Segment(piece.start, piece.end, "heading"))
            else:
                para = text[piece.start : piece.end]
                segments.extend(_sentences(text, piece, para, starts))
    return segments


def _capped(text: str, segments: list[Segment]) -> list[Segment]:
    """Cut segments longer than MAX_SEGMENT_CHARS at whitespace near that length."""
    if all(s.end - s.start <= MAX_SEGMENT_CHARS for s in segments):
        return segments
    capped = []
    for segment in segments:
        start = segment.start
        while segment.end - start > MAX_SEGMENT_CHARS:
            cut = _last_space(text, start + MAX_SEGMENT_CHARS // 2, start + MAX_SEGMENT_CHARS)
            capped.append(Segment(*_trim(text, start, cut), segment.kind))
            start, _ = _trim(text, cut, segment.end)
        capped.append(Segment(start, segment.end, segment.kind))
    return capped


def _last_space(text: str, low: int, limit: int) -> int:
    """Return the last whitespace position in (low, limit], else the limit (a hard cut)."""
    for index in range(limit, low, -1):
        if text[index].isspace():
            return index
    return limit


def _is_one_sentence(doc: Doc) -> bool:
    """Tell whether no sentence-final token occurs inside the line.

    Tokens rather than characters, so abbreviations like "U.S." or "Mr." do not count.
    Parser boundaries are ignored on purpose: parsers often split short headlines.
    """
    return not any(token.text in FINAL_PUNCT for token in doc[:-1])


def _sentences(text: str, block: _Block, para: str, starts: list[int]) -> list[Segment]:
    """Cut a body block at its (quote- and initials-corrected) sentence starts."""
    cuts = joined_cuts(para, {adjust_cut(para, start) for start in starts})
    bounds = sorted(cuts | {0, len(para)})
    segments = []
    for cut_start, cut_end in pairwise(bounds):
        start, end = _trim(text, block.start + cut_start, block.start + cut_end)
        if start < end:
            segments.append(Segment(start, end, "body"))
    return segments
