"""Hugging Face `datasets` JSONL: tokens with BIO tags, plus text-classification columns."""

from collections import Counter
from typing import Any

from claims.exporting.dataset import Record
from claims.exporting.formats.base import ExampleFormatter
from claims.exporting.formats.tokens import bio_tags, tokenize
from claims.exporting.report import Part, PartLeft
from claims.exporting.resolve import Resolved


class HuggingFaceFormatter(ExampleFormatter):
    name = "hf"
    description = 'JSONL for datasets.load_dataset("json"): tokens, BIO tags, spans, claim, stance'

    def example(self, record: Record, resolved: Resolved) -> dict[str, Any]:
        doc = tokenize(record["text"])
        stance = self.first_stance(resolved)
        untagged = Counter()
        tags = bio_tags(doc, resolved.spans, untagged)
        for reason, count in untagged.items():
            self.report.parts_left_out(Part.TAGS, count, PartLeft(reason))
        return {
            "id": record["id"],
            "text": record["text"],
            "tokens": [token.text for token in doc],
            "tags": tags,
            # Every span, also those BIO tags cannot hold (nested, overlapping).
            "spans": [{"start": s, "end": e, "label": label} for s, e, label in resolved.spans],
            "claim": resolved.claim,
            "claim_types": list(resolved.claim_types),
            "stance_target": stance[0],
            "stance_label": stance[1],
            "stances": [{"target": t, "label": label} for t, label in resolved.stance],
            "annotator": resolved.annotator,
            "origin": resolved.origin,
            "split": record["split"],
        }

    def first_stance(self, resolved: Resolved) -> tuple[str | None, str | None]:
        """Return the stance toward the project's first target that has one."""
        by_target = dict(resolved.stance)
        for target in (t.name for t in self.labels.targets):
            if target in by_target:
                return target, by_target[target]
        return None, None
