"""The native JSONL format: the records exactly as the stream yields them."""

from collections.abc import Iterable
from typing import Any

from claims.exporting.dataset import Record
from claims.exporting.formats.base import TrailedLineFormatter


class NativeFormatter(TrailedLineFormatter):
    name = "jsonl"
    description = "native JSONL, one line per sentence, then a trailer (docs/export-format.md)"
    needs_labels = False

    def objects(self, record: Record) -> Iterable[dict[str, Any]]:
        return (record,)
