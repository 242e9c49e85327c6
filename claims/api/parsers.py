"""The JSON parser of every endpoint: refuse what no database could store.

(The size limit needs nothing here: DRF reads JSON and form bodies through HttpRequest.body,
which applies DATA_UPLOAD_MAX_MEMORY_SIZE; errors.exception_handler turns that into a 413.)
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


def unstorable_string(data) -> str | None:
    """Return the first string (key or value) no database can store, or None.

    PostgreSQL rejects NUL characters in text and JSON, and no database encodes a lone
    surrogate ("\\ud800") as UTF-8; refusing them here keeps every endpoint from failing later.
    """
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                return item
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return item
    return None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # json raises RecursionError, not ValueError, on deeply nested input.
            raise ParseError("JSON parse error - nested too deeply") from None
        bad = unstorable_string(data)
        if bad is not None:
            raise ParseError(
                "JSON parse error - strings may not contain NUL characters or lone "
                f"surrogates: {bad[:40]!r}"
            )
        return data
