"""doccano sequence-labeling JSONL: character spans as [start, end, label], plus `cats`."""

from typing import Any

from claims.exporting.dataset import Record
from claims.exporting.formats.base import ExampleFormatter, check_distinct_categories
from claims.exporting.resolve import Resolved


class DoccanoFormatter(ExampleFormatter):
    name = "doccano"
    description = "doccano JSONL: text, label [[start, end, SOURCE|CUE|CONTENT]], cats"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        check_distinct_categories(self.labels)

    def example(self, record: Record, resolved: Resolved) -> dict[str, Any]:
        cats = [resolved.claim, *resolved.claim_types] if resolved.claim else []
        return {
            "id": record["id"],
            "text": record["text"],
            "label": [[start, end, label] for start, end, label in resolved.spans],
            "cats": cats,
            "split": record["split"],
        }
