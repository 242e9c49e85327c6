"""What every format has in common: records in, bytes out, counting what it wrote."""

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import orjson

from claims.errors import InvalidInput
from claims.exporting.dataset import Record
from claims.exporting.options import ExportOptions
from claims.exporting.report import ExportReport
from claims.exporting.resolve import Resolved, resolve
from claims.labels import ProjectLabels

LINES_PER_WRITE = 500

# One encoder for every line format: compact UTF-8 bytes, characters as they are (the same
# bytes as json.dumps(ensure_ascii=False, separators=(",", ":"))), about ten times faster;
# encoding was the largest single cost of a million-line export.
dumps = orjson.dumps


class Formatter:
    name: ClassVar[str]
    extension: ClassVar[str]
    media_type: ClassVar[str]
    description: ClassVar[str]
    # The native format needs nothing from the schema; the derived ones do.
    needs_labels: ClassVar[bool] = True

    def __init__(self, *, slug: str, labels: ProjectLabels | None, options: ExportOptions):
        self.check_options(options)
        self.slug = slug
        self.labels = labels
        self.options = options
        self.examples = 0  # lines (or docs) written
        # Single-label formats: how each example was resolved, what was left out and why.
        self.report = ExportReport(str(options.resolution)) if self.needs_labels else None

    @classmethod
    def check_options(cls, options: ExportOptions) -> None:
        """Refuse options this format cannot apply (InvalidInput naming each), never ignore them."""
        if options.trailer:
            raise InvalidInput(
                {
                    "trailer": [
                        f"only the native jsonl format has a trailer: the readers of {cls.name} "
                        "would take it for an example (the API sends this format with "
                        "Content-Length and X-Export-Records instead)"
                    ]
                }
            )

    @property
    def has_trailer(self) -> bool:
        """Tell whether the export ends with a line saying it is complete (TrailedLineFormatter)."""
        return False

    @property
    def left_out(self) -> int:
        """Return the number of sentences left out for want of one label set (resolve.py)."""
        return self.report.sentences_left_out if self.report else 0

    def resolve(self, record: Record) -> Resolved | None:
        """Return the record's labels (None: left out), counting both in the report."""
        return resolve(record, self.options, self.labels.typed_claims, self.report)

    @property
    def writes_directory(self) -> bool:
        """Tell whether the export is a directory of files (one per split), not one stream."""
        return False

    def encode(self, records: Iterable[Record]) -> Iterator[bytes]:
        """Yield the export's bytes as the records arrive."""
        raise NotImplementedError

    def split_parts(self, records: Iterable[Record]) -> dict[str, Iterator[bytes]]:
        """Return the bytes of each split's file, by split name (formats that write directories)."""
        raise NotImplementedError


class LineFormatter(Formatter):
    """One JSON object per line, written in batches of lines."""

    media_type = "application/x-ndjson; charset=utf-8"
    extension = ".jsonl"

    def objects(self, record: Record) -> Iterable[dict[str, Any]]:
        raise NotImplementedError

    def encode(self, records: Iterable[Record]) -> Iterator[bytes]:
        lines: list[bytes] = []
        for record in records:
            for obj in self.objects(record):
                lines.append(dumps(obj))
            if len(lines) >= LINES_PER_WRITE:
                yield self.flush(lines)
                lines = []
        if lines:
            yield self.flush(lines)

    def flush(self, lines: list[bytes]) -> bytes:
        self.examples += len(lines)
        lines.append(b"")
        return b"\n".join(lines)


class TrailedLineFormatter(LineFormatter):
    """Lines that end, when asked (options.trailer), with a trailer: the number of lines
    before it and their SHA-256.

    A reader that finds the trailer, with the count and the checksum of what came before it,
    knows the file is whole: a cut-off export (a killed server or command) has no trailer.
    """

    @property
    def has_trailer(self) -> bool:
        return self.options.trailer

    def encode(self, records: Iterable[Record]) -> Iterator[bytes]:
        if not self.has_trailer:
            yield from super().encode(records)
            return
        digest = hashlib.sha256()
        for data in super().encode(records):
            digest.update(data)
            yield data
        yield dumps({"trailer": {"records": self.examples, "sha256": digest.hexdigest()}}) + b"\n"


class ExampleFormatter(LineFormatter):
    """A line format with one label set per example, chosen by resolve()."""

    def objects(self, record: Record) -> Iterable[dict[str, Any]]:
        resolved = self.resolve(record)
        return () if resolved is None else (self.example(record, resolved),)

    def example(self, record: Record, resolved: Resolved) -> dict[str, Any]:
        raise NotImplementedError


def check_distinct_categories(labels: ProjectLabels) -> None:
    """Refuse a schema whose claim labels and claim types share a value (one category list)."""
    shared = sorted(labels.claim_values & labels.claim_type_values)
    if shared:
        raise InvalidInput(
            {"format": [f"claim labels and claim types share the values {shared}; rename one"]}
        )
