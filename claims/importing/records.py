"""What a reader yields: an article to import, or a problem naming where it is."""

import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from claims.errors import InvalidInput


@dataclass(frozen=True)
class ArticleRecord:
    origin: str  # "file.jsonl:12": where the article came from, for messages
    text: str
    external_id: str = ""
    title: str = ""
    source: str = ""
    url: str = ""
    published: dt.date | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportProblem:
    origin: str
    message: str
    field: str = ""  # the article field at fault, when there is one (for API error keys)

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


def invalid(message: str) -> InvalidInput:
    """Return the error for an article whose fields cannot be read (the message names one)."""
    return InvalidInput({"non_field_errors": [message]})


OPTIONAL_STRING_FIELDS = ("title", "source", "url")
STRING_FIELDS = ("text", "external_id", *OPTIONAL_STRING_FIELDS)
# Deeper `meta` objects are refused: SQLite's JSON functions stop at 1,000 levels, and no
# article's metadata needs more than a few.
MAX_META_DEPTH = 64


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_published(value: Any) -> dt.date | None:
    """Return the date of an ISO date or datetime string; None for an empty value."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise invalid(f"'published' must be an ISO date string, not {type(value).__name__}")
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value).date()  # a date-time: its date
    except ValueError:
        raise invalid(f"'published' is not an ISO date or date-time: {value[:80]!r}") from None


def check_url(value: str) -> str:
    """Return an http(s) URL as given; refuse any other scheme (javascript:, data:, ...)."""
    if not value:
        return value
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise invalid(f"'url' must be an http:// or https:// address, not {value[:80]!r}")
    return value


def record_from_mapping(obj: Any, origin: str) -> ArticleRecord:
    """Build a record from a JSON object: `text`, optional id/title/source/url/published/meta."""
    if not isinstance(obj, Mapping):
        raise invalid(f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise invalid("'text' is required and must be a string")
    external_id = obj.get("id", "")
    if not isinstance(external_id, str | int) or isinstance(external_id, bool):
        raise invalid("'id' must be a string or an integer")
    if "id" in obj and isinstance(external_id, str) and not external_id.strip():
        # Named as the API names its fields: the API's import reads its items here too.
        raise InvalidInput({"id": ["is blank: give the article an id, or leave it out"]})
    strings = {}
    for name in OPTIONAL_STRING_FIELDS:
        value = obj.get(name) or ""
        if not isinstance(value, str):
            raise invalid(f"'{name}' must be a string")
        strings[name] = value
    check_url(strings["url"])
    meta = obj.get("meta") or {}
    if not isinstance(meta, Mapping):
        raise invalid("'meta' must be a JSON object")
    return ArticleRecord(
        origin=origin,
        text=text,
        external_id=str(external_id),
        published=parse_published(obj.get("published")),
        meta=dict(meta),
        **strings,
    )


def string_problem(value: str) -> str | None:
    """Return why no database can store the string (a NUL, a lone surrogate), or None."""
    if "\x00" in value:
        return f"contains a NUL character (at character {value.index(chr(0))})"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])
        return f"contains a lone surrogate (U+{code:04X} at character {error.start})"
    return None


def meta_problem(meta: Any) -> str | None:
    """Return why `meta` cannot be stored as JSON (see string_problem; NaN, depth), or None."""
    pending = [(meta, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_META_DEPTH:
            return f"is nested more than {MAX_META_DEPTH} levels deep"
        if isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and (problem := string_problem(key)):
                    return f"has a key that {problem}"
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and (problem := string_problem(value)):
            return f"has a value that {problem}"
        elif isinstance(value, float) and not math.isfinite(value):
            return f"has a number JSON cannot hold ({value})"
    return None


def record_problem(record: ArticleRecord) -> ImportProblem | None:
    """Return the problem of the first field no database can store, or None."""
    for name in STRING_FIELDS:
        if problem := string_problem(getattr(record, name)):
            return ImportProblem(record.origin, f"'{name}' {problem}", field=name)
    if problem := meta_problem(record.meta):
        return ImportProblem(record.origin, f"'meta' {problem}", field="meta")
    return None
