"""The native JSONL format: the records exactly as the stream yields them."""

from collections.abc import Iterable
from typing import Any

from claims.errors import InvalidInput
from claims.exporting.dataset import Record
from claims.exporting.formats.base import TrailedLineFormatter
from claims.exporting.options import ExportOptions


class NativeFormatter(TrailedLineFormatter):
    name = "jsonl"
    description = "native JSONL, one line per sentence (docs/export-format.md)"
    needs_labels = False

    @classmethod
    def check_options(cls, options: ExportOptions) -> None:
        """Refuse the single-label formats' rule: this format keeps every annotation and the
        gold as they are, and a rule it silently ignored would look applied."""
        for name in ("resolve", "annotator"):
            if getattr(options, name):
                raise InvalidInput(
                    {
                        name: [
                            "the jsonl format keeps every annotation and the gold as they are; "
                            f"{name} chooses one label set for the single-label formats "
                            "(spacy, hf, prodigy, doccano)"
                        ]
                    }
                )

    def objects(self, record: Record) -> Iterable[dict[str, Any]]:
        return (record,)
