"""Labels read from import files: article-level offsets (PolNeAR-like) or the native export.

Two shapes, one result (``ArticleLabels``: article-level attributions and sentence labels):

- an article line, ``{"id", "text", "attributions": [{"source": [[s, e], ...], "cue": ...,
  "content": ..., "speaker"?, "quote_type"?}], "claims"?: [{"start", "end", "claim",
  "claim_types"?, "stance"?}]}``: offsets into ``text``; a role may have several parts;
  ``speaker`` is a name (a new speaker is a person) or ``{"name", "kind"}``;
- the native export, one line per sentence (claims.learning.label_native).

Values are checked as they are read (claims.content.values: the same checks every door
applies), so a bad one is reported with its file, line and field before anything is stored;
offsets must lie within the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from claims.content.parse import unknown_fields
from claims.content.values import quote_type_problem, speaker_problems
from claims.learning.label_mapping import ROLES, ArticleAttribution, SentenceLabel

GOLD, ANNOTATOR, PREDICTIONS = "gold", "annotator", "predictions"
DEFAULT_SPEAKER_KIND = "person"


class BadLabels(ValueError):
    """A label that cannot be read; the message names the field."""


# The fields of a label object. A misspelt one ("sources") would be dropped in silence and
# its label lost, so any other name is refused, naming it.
ATTRIBUTION_FIELDS = ("source", "cue", "content", "speaker", "quote_type")
CLAIM_FIELDS = ("start", "end", "claim", "claim_types", "stance")


def known_fields(item: dict, known: tuple[str, ...], where: str) -> None:
    """Raise BadLabels for the first field of the label object that is not one of `known`."""
    if unknown := unknown_fields(item, known):
        name = next(iter(unknown))
        raise BadLabels(f"{where}: unknown field {name!r}; expected one of {', '.join(known)}")


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
    """Read the labels of an article line (PolNeAR-like); raise BadLabels naming the field."""
    text = line.get("text", "")
    length = len(text) if isinstance(text, str) else 0
    attributions = line.get("attributions") or []
    if not isinstance(attributions, list):
        raise BadLabels("attributions: must be a list")
    found = [attribution_of(a, f"attributions[{n}]", length) for n, a in enumerate(attributions)]
    claims = line.get("claims") or []
    if not isinstance(claims, list):
        raise BadLabels("claims: must be a list")
    labels = [_claim(c, f"claims[{n}]", length) for n, c in enumerate(claims)]
    return ArticleLabels(ref, external_id, text, tuple(found), tuple(labels))


def attribution_of(item: Any, where: str, length: int) -> ArticleAttribution:
    """Return an article-line attribution (offsets within `length`), its values checked."""
    if not isinstance(item, dict):
        raise BadLabels(f"{where}: must be an object")
    known_fields(item, ATTRIBUTION_FIELDS, where)
    parts = {role: parts_of(item.get(role), f"{where}.{role}", length) for role in ROLES}
    return ArticleAttribution(
        parts, speaker_of(item.get("speaker"), where), quote_type_of(item, where)
    )


def quote_type_of(item: dict, where: str) -> str:
    quote_type = item.get("quote_type") or ""
    if problem := quote_type_problem(quote_type):
        raise BadLabels(f"{where}.quote_type: {problem}")
    return quote_type


def parts_of(value: Any, where: str, length: int) -> tuple[tuple[int, int], ...]:
    """Return the spans [[start, end], ...] of a role, each within 0..length."""
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
            # Written back as the file wrote it: [true, 22], not Python's [True, 22].
            found = json.dumps(part, ensure_ascii=False, default=str)[:60]
            raise BadLabels(f"{where}: expected [[start, end], ...], found {found}")
        if not 0 <= part[0] < part[1]:
            raise BadLabels(f"{where}: [{part[0]}, {part[1]}] is not a span (0 <= start < end)")
        if part[1] > length:
            raise BadLabels(
                f"{where}: [{part[0]}, {part[1]}] runs past the end of the text ({length} "
                "characters)"
            )
        parts.append((part[0], part[1]))
    return tuple(parts)


def speaker_of(value: Any, where: str) -> tuple[str, str] | None:
    """Return (name, kind) of a speaker given as a name or {"name", "kind"}, or None."""
    if value in (None, ""):
        return None
    if isinstance(value, str):
        name, kind = value, DEFAULT_SPEAKER_KIND
    elif isinstance(value, dict):
        name, kind = value.get("name"), value.get("kind") or DEFAULT_SPEAKER_KIND
    else:
        raise BadLabels(f"{where}.speaker: expected a name or {{'name', 'kind'}}")
    problems = speaker_problems(name, kind)
    if problems:
        field, (problem, *_) = next(iter(problems.items()))
        raise BadLabels(f"{where}.speaker.{field}: {problem}")
    return (" ".join(name.split()), kind)


def _claim(item: Any, where: str, length: int) -> SentenceLabel:
    if not isinstance(item, dict):
        raise BadLabels(f"{where}: must be an object")
    known_fields(item, CLAIM_FIELDS, where)
    start, end = item.get("start"), item.get("end")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise BadLabels(f"{where}: start and end must be integers")
    ((start, end),) = parts_of([[start, end]], where, length)
    claim = item.get("claim") or ""
    if not isinstance(claim, str):
        raise BadLabels(f"{where}.claim: must be a string")
    return SentenceLabel(start, end, claim, *types_and_stances(item, where))


def types_and_stances(item: dict, where: str) -> tuple[tuple, tuple]:
    types = item.get("claim_types") or []
    stances = item.get("stance") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadLabels(f"{where}.claim_types: must be a list of strings")
    if not isinstance(stances, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("target"), str | int)
        and isinstance(s.get("label"), str)
        for s in stances
    ):
        raise BadLabels(f"{where}.stance: must be a list of {{'target': name, 'label': value}}")
    return tuple(types), tuple((s.get("target"), s.get("label")) for s in stances)
