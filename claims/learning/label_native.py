"""Labels in the native export (`export_dataset --format jsonl`): one line per sentence.

Lines (``sentence_index``, ``article``, ``text``, ``start``, ``end``, ``annotations``, ``gold``)
are gathered by article, in file order; the labels taken are the ``gold`` (``--as gold``), the
named annotator's (``--as annotator:NAME``), or for predictions the gold, else the first
annotation. The article's text is its sentences at their offsets (gaps become line breaks), for
a project that does not have the article yet.

Each line is checked on its own: a line that is not a sentence (offsets that do not fit its
text, offsets beyond MAX_ARTICLE_OFFSET) or whose chosen labels hold a value no annotation may
hold is reported with its file:line and left out; the article's other lines still count.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from claims.importing.records import ImportProblem
from claims.learning.label_mapping import ROLES, ArticleAttribution, Origin, SentenceLabel
from claims.learning.label_records import (
    ANNOTATOR,
    ATTRIBUTION_FIELDS,
    GOLD,
    ArticleLabels,
    BadLabels,
    ImportAs,
    known_fields,
    parts_of,
    quote_type_of,
    speaker_of,
    types_and_stances,
)

# No article is longer: a line claiming an offset beyond it is refused before the article's
# text is rebuilt (line breaks up to the offset), so memory stays bounded whatever it says.
MAX_ARTICLE_OFFSET = 10_000_000

Line = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Sentence:
    """A native line that is a sentence: where it is, its article, its text and offsets."""

    ref: str
    article_id: str
    start: int
    end: int
    text: str
    line: dict[str, Any]


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def sentence_of(ref: str, line: dict[str, Any]) -> Sentence:
    """Return the line as a sentence, or raise BadLabels naming the field that is wrong."""
    article = line["article"]
    if not (isinstance(article.get("id"), str) and article["id"]) and not is_int(article.get("id")):
        raise BadLabels("article.id: must be a non-empty string or an integer")
    if not is_int(line.get("sentence_index")) or line["sentence_index"] < 0:
        raise BadLabels("sentence_index: must be an integer >= 0")
    start, end, text = line.get("start"), line.get("end"), line.get("text")
    if not is_int(start) or not is_int(end) or not 0 <= start <= end:
        raise BadLabels("start, end: must be integers with 0 <= start <= end")
    if end > MAX_ARTICLE_OFFSET:
        raise BadLabels(f"end: {end} is beyond any article ({MAX_ARTICLE_OFFSET:,} characters)")
    if not isinstance(text, str) or len(text) != end - start:
        raise BadLabels(f"text: must be the sentence, {end - start} characters (end - start)")
    return Sentence(ref, str(article["id"]), start, end, text, line)


def native_articles(
    lines: Iterable[Line], as_: ImportAs
) -> Iterator[ArticleLabels | ImportProblem]:
    """Yield each article's labels (and each bad line's problem), in file order."""
    current: list[Sentence] = []
    for ref, line in lines:
        try:
            sentence = sentence_of(ref, line)
        except BadLabels as error:
            yield ImportProblem(ref, str(error))
            continue
        if current and sentence.article_id != current[0].article_id:
            yield from article_of(current, as_)
            current = []
        current.append(sentence)
    if current:
        yield from article_of(current, as_)


def article_of(sentences: list[Sentence], as_: ImportAs) -> Iterator[ArticleLabels | ImportProblem]:
    kept, text = text_of(sentences)
    for sentence in sentences:
        if sentence not in kept:
            yield ImportProblem(sentence.ref, "overlaps the sentence before it: left out")
    attributions, labels = [], []
    for sentence in kept:
        try:
            found = sentence_labels(sentence, as_)
        except BadLabels as error:
            yield ImportProblem(sentence.ref, str(error))
            continue
        if found is not None:
            attributions += found[0]
            labels.append(found[1])
    first = sentences[0]
    article = first.line["article"]
    record = {k: article.get(k) for k in ("title", "source", "url", "published")}
    yield ArticleLabels(
        first.ref,
        first.article_id,
        text,
        tuple(attributions),
        tuple(labels),
        record={k: v for k, v in record.items() if v},
        whole_article=False,
    )


def text_of(sentences: list[Sentence]) -> tuple[list[Sentence], str]:
    """Return the sentences that fit together (no overlap) and the text they rebuild."""
    kept, parts, length = [], [], 0
    for sentence in sorted(sentences, key=lambda s: s.start):
        if sentence.start < length:
            continue
        parts += ["\n" * (sentence.start - length), sentence.text]
        length = sentence.end
        kept.append(sentence)
    return kept, "".join(parts)


def sentence_labels(
    sentence: Sentence, as_: ImportAs
) -> tuple[list[ArticleAttribution], SentenceLabel] | None:
    """Return the chosen annotation's attributions and sentence label, or None without one."""
    where, annotation = chosen(sentence.line, as_)
    if annotation is None:
        return None
    items = annotation.get("attributions") or []
    if not isinstance(items, list):
        raise BadLabels(f"{where}.attributions: must be a list")
    attributions = [
        attribution_of(item, sentence, f"{where}.attributions[{n}]") for n, item in enumerate(items)
    ]
    claim = annotation.get("claim") or ""
    if not isinstance(claim, str):
        raise BadLabels(f"{where}.claim: must be a string or null")
    types, stances = types_and_stances(annotation, where)
    origin = origin_of(sentence)
    return attributions, SentenceLabel(
        sentence.start, sentence.end, claim, types, stances, origin=origin
    )


def origin_of(sentence: Sentence) -> Origin:
    return Origin(sentence.ref, sentence.line["sentence_index"] + 1)


def chosen(line: dict, as_: ImportAs) -> tuple[str, dict | None]:
    """Return the annotation the import takes from the line (and its field): gold, NAME's, or
    for predictions the gold else the first annotation; raise BadLabels for ones not objects."""
    gold = line.get("gold")
    if gold is not None and not isinstance(gold, dict):
        raise BadLabels(f"gold: must be an object or null, not {type(gold).__name__}")
    annotations = line.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise BadLabels("annotations: must be a list of objects")
    if as_.kind == GOLD:
        return "gold", gold
    if as_.kind == ANNOTATOR:
        found = (n for n, a in enumerate(annotations) if a.get("annotator") == as_.annotator)
        index = next(found, None)
        return f"annotations[{index}]", None if index is None else annotations[index]
    if gold or not annotations:
        return "gold", gold
    return "annotations[0]", annotations[0]


def attribution_of(item: Any, sentence: Sentence, where: str) -> ArticleAttribution:
    if not isinstance(item, dict):
        raise BadLabels(f"{where}: must be an object")
    known_fields(item, (*ATTRIBUTION_FIELDS, "suggested"), where)
    parts = {}
    for role in ROLES:
        span = item.get(role)
        if span is not None:
            parts[role] = (article_offsets(span, sentence, f"{where}.{role}"),)
    suggested = item.get("suggested", False)
    if not isinstance(suggested, bool):
        raise BadLabels(f"{where}.suggested: must be true or false")
    return ArticleAttribution(
        parts,
        speaker_of(item.get("speaker"), where),
        quote_type_of(item, where),
        suggested,
        origin=origin_of(sentence),
    )


def article_offsets(span: Any, sentence: Sentence, where: str) -> tuple[int, int]:
    """Return a span's article offsets: `article_start`/`article_end`, else the sentence's
    `start`/`end` moved by the sentence's start; they must lie within the sentence."""
    if not isinstance(span, dict):
        raise BadLabels(f"{where}: expected {{'start', 'end'}}, not {type(span).__name__}")
    start, end = span.get("start"), span.get("end")
    if "article_start" in span or "article_end" in span:
        start, end = span.get("article_start"), span.get("article_end")
    elif is_int(start) and is_int(end):
        start, end = start + sentence.start, end + sentence.start
    if not is_int(start) or not is_int(end):
        raise BadLabels(f"{where}: start and end must be integers")
    if start < sentence.start or end > sentence.end:
        raise BadLabels(
            f"{where}: [{start}, {end}] is not within its sentence "
            f"[{sentence.start}, {sentence.end}] (article offsets)"
        )
    ((start, end),) = parts_of([[start, end]], where, sentence.end)
    return start, end
