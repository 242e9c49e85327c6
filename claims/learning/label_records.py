"""Labels read from import files: article-level offsets (PolNeAR-like) or the native export.

Two shapes, one result (``ArticleLabels``: article-level attributions and sentence labels):

- an article line, ``{"id", "text", "attributions": [{"source": [[s, e], ...], "cue": ...,
  "content": ..., "speaker"?, "quote_type"?}], "claims"?: [{"start", "end", "claim",
  "claim_types"?, "stance"?}]}``: offsets into ``text``; a role may have several parts;
  ``speaker`` is a name (a new speaker is a person) or ``{"name", "kind"}``;
- the native export, one line per sentence (``sentence_index``, ``article``, ``annotations``,
  ``gold``): lines are gathered by article; the labels taken are the ``gold`` (``--as gold``),
  the named annotator's (``--as annotator:NAME``), or for predictions the gold, else the first
  annotation. The article's text is the sentences at their offsets (gaps become line breaks)
  unless the project already has the article.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from claims.learning.label_mapping import ROLES, ArticleAttribution, SentenceLabel

GOLD, ANNOTATOR, PREDICTIONS = "gold", "annotator", "predictions"
DEFAULT_SPEAKER_KIND = "person"


class BadLabels(ValueError):
    """A label that cannot be read; the message names the field."""


@dataclass(frozen=True)
class ImportAs:
    """What imported labels become: gold, an annotator's work, or predictions."""

    kind: str
    annotator: str = ""

    @classmethod
    def parse(cls, value: str) -> ImportAs:
        name, _, who = value.partition(":")
        if name == ANNOTATOR and who.strip():
            return cls(ANNOTATOR, who.strip())
        if name in (GOLD, PREDICTIONS) and not who:
            return cls(name)
        raise BadLabels(f"--as: expected gold, annotator:NAME or predictions, not {value!r}")


@dataclass(frozen=True)
class ArticleLabels:
    """One article's labels: where they came from (``ref``: file:line), in article offsets."""

    ref: str
    external_id: str
    text: str
    attributions: tuple[ArticleAttribution, ...]
    sentence_labels: tuple[SentenceLabel, ...] = ()
    record: dict[str, Any] | None = None  # the article fields, for a native file's new article
    # An article line labels every sentence (no attribution given = none); a native file
    # labels only the sentences that carry the chosen annotation.
    whole_article: bool = True


def is_native(line: dict[str, Any]) -> bool:
    return "sentence_index" in line and isinstance(line.get("article"), dict)


def has_labels(line: dict[str, Any]) -> bool:
    return "attributions" in line or "claims" in line


def article_labels(ref: str, line: dict[str, Any], external_id: str) -> ArticleLabels:
    """Read the labels of an article line (PolNeAR-like)."""
    attributions = line.get("attributions") or []
    if not isinstance(attributions, list):
        raise BadLabels("attributions: must be a list")
    found = [_attribution(a, f"attributions[{n}]") for n, a in enumerate(attributions)]
    claims = line.get("claims") or []
    if not isinstance(claims, list):
        raise BadLabels("claims: must be a list")
    labels = [_claim(c, f"claims[{n}]") for n, c in enumerate(claims)]
    return ArticleLabels(ref, external_id, line.get("text", ""), tuple(found), tuple(labels))


def _attribution(item: Any, where: str) -> ArticleAttribution:
    if not isinstance(item, dict):
        raise BadLabels(f"{where}: must be an object")
    parts = {role: _parts(item.get(role), f"{where}.{role}") for role in ROLES}
    quote_type = item.get("quote_type") or ""
    if not isinstance(quote_type, str):
        raise BadLabels(f"{where}.quote_type: must be a string")
    return ArticleAttribution(parts, _speaker(item.get("speaker"), where), quote_type)


def _parts(value: Any, where: str) -> tuple[tuple[int, int], ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        value = [[value.get("start"), value.get("end")]]
    elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        value = [value]
    if not isinstance(value, list):
        raise BadLabels(f"{where}: expected [[start, end], ...]")
    parts = []
    for part in value:
        ok = isinstance(part, list | tuple) and len(part) == 2
        if not ok or not all(isinstance(v, int) and not isinstance(v, bool) for v in part):
            raise BadLabels(f"{where}: expected [[start, end], ...], found {part!r}")
        if not 0 <= part[0] < part[1]:
            raise BadLabels(f"{where}: [{part[0]}, {part[1]}] is not a span (0 <= start < end)")
        parts.append((part[0], part[1]))
    return tuple(parts)


def _speaker(value: Any, where: str) -> tuple[str, str] | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return (value.strip(), DEFAULT_SPEAKER_KIND)
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return (value["name"].strip(), value.get("kind") or DEFAULT_SPEAKER_KIND)
    raise BadLabels(f"{where}.speaker: expected a name or {{'name', 'kind'}}")


def _claim(item: Any, where: str) -> SentenceLabel:
    if not isinstance(item, dict):
        raise BadLabels(f"{where}: must be an object")
    (start, end), *_ = _parts([item.get("start"), item.get("end")], where) or ((0, 0),)
    claim = item.get("claim") or ""
    if not isinstance(claim, str):
        raise BadLabels(f"{where}.claim: must be a string")
    return SentenceLabel(start, end, claim, *_types_and_stances(item, where))


def _types_and_stances(item: dict, where: str) -> tuple[tuple, tuple]:
    types = item.get("claim_types") or []
    stances = item.get("stance") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadLabels(f"{where}.claim_types: must be a list of strings")
    if not isinstance(stances, list) or not all(isinstance(s, dict) for s in stances):
        raise BadLabels(f"{where}.stance: must be a list of {{'target', 'label'}}")
    return tuple(types), tuple((s.get("target"), s.get("label")) for s in stances)


def native_articles(
    lines: Iterable[tuple[str, dict[str, Any]]], as_: ImportAs
) -> Iterator[ArticleLabels]:
    """Gather native export lines (ref, object) by article, in file order."""
    current: list[tuple[str, dict]] = []
    for ref, line in lines:
        if current and line["article"].get("id") != current[0][1]["article"].get("id"):
            yield _native_article(current, as_)
            current = []
        current.append((ref, line))
    if current:
        yield _native_article(current, as_)


def _native_article(lines: list[tuple[str, dict]], as_: ImportAs) -> ArticleLabels:
    ref, first = lines[0]
    article = first["article"]
    attributions, labels = [], []
    for where, line in lines:
        annotation = _chosen(line, as_)
        if annotation is None:
            continue
        start = line["start"]
        for n, item in enumerate(annotation.get("attributions") or []):
            attributions.append(_native_attribution(item, start, f"{where}: attributions[{n}]"))
        types, stances = _types_and_stances(annotation, where)
        labels.append(
            SentenceLabel(start, line["end"], annotation.get("claim") or "", types, stances)
        )
    record = {k: article.get(k) for k in ("title", "source", "url", "published")}
    return ArticleLabels(
        ref,
        str(article.get("id")),
        _text_of(lines),
        tuple(attributions),
        tuple(labels),
        record={k: v for k, v in record.items() if v},
        whole_article=False,
    )


def _chosen(line: dict, as_: ImportAs) -> dict | None:
    annotations = [a for a in line.get("annotations") or [] if isinstance(a, dict)]
    if as_.kind == GOLD:
        return line.get("gold")
    if as_.kind == ANNOTATOR:
        return next((a for a in annotations if a.get("annotator") == as_.annotator), None)
    return line.get("gold") or (annotations[0] if annotations else None)


def _native_attribution(item: dict, start: int, where: str) -> ArticleAttribution:
    parts = {}
    for role in ROLES:
        span = item.get(role)
        if span:
            a = span.get("article_start", start + span["start"])
            b = span.get("article_end", start + span["end"])
            parts[role] = _parts([[a, b]], f"{where}.{role}")
    return ArticleAttribution(
        parts,
        _speaker(item.get("speaker"), where),
        item.get("quote_type") or "",
        bool(item.get("suggested")),
    )


def _text_of(lines: list[tuple[str, dict]]) -> str:
    """Return the article's text from its sentences at their offsets (gaps: line breaks)."""
    text = ""
    for _, line in sorted(lines, key=lambda pair: pair[1]["start"]):
        gap = line["start"] - len(text)
        if gap < 0:
            raise BadLabels(f"sentence {line.get('sentence_index')}: overlaps the one before")
        text += ("\n" * gap) + line["text"]
    return text
