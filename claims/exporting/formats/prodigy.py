"""Prodigy task JSONL: tokens, token-indexed spans, claim types as accepted options."""

import hashlib
import json
from typing import Any

from claims.exporting.dataset import Record
from claims.exporting.formats.base import ExampleFormatter
from claims.exporting.formats.tokens import token_range, tokenize
from claims.exporting.report import Part, PartLeft
from claims.exporting.resolve import Resolved


def hash32(value: Any) -> int:
    """Return a stable signed 32-bit hash of a JSON value (Prodigy's hashes are 32-bit ints)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
    return int.from_bytes(hashlib.sha256(data).digest()[:4], "big", signed=True)


class ProdigyFormatter(ExampleFormatter):
    name = "prodigy"
    description = "Prodigy tasks: text, tokens, spans, accept (claim types), answer, hashes"

    def example(self, record: Record, resolved: Resolved) -> dict[str, Any]:
        text = record["text"]
        doc = tokenize(text)
        spans = []
        for start, end, label in resolved.spans:
            tokens = token_range(doc, start, end)
            if tokens is None:
                self.report.parts_left_out(Part.SPAN, 1, PartLeft.NO_TOKEN)
            else:
                first, last = doc[tokens[0]], doc[tokens[1] - 1]
                spans.append(
                    {
                        # Prodigy's spans start and end on token boundaries: those of the
                        # tokens the span touches (a span ending mid-word takes the word).
                        "start": first.idx,
                        "end": last.idx + len(last),
                        "token_start": first.i,
                        "token_end": last.i,  # Prodigy's token_end is inclusive
                        "label": label,
                    }
                )
        options = [{"id": t.value, "text": t.value} for t in self.labels.claim_types]
        input_hash = hash32({"text": text})
        task = {
            "text": text,
            "tokens": [
                {
                    "text": t.text,
                    "start": t.idx,
                    "end": t.idx + len(t),
                    "id": t.i,
                    "ws": bool(t.whitespace_),
                }
                for t in doc
            ],
            "spans": spans,
            "options": options,
            "accept": list(resolved.claim_types),
            "claim": resolved.claim,
            "_input_hash": input_hash,
            "_task_hash": hash32([input_hash, [[s["start"], s["end"], s["label"]] for s in spans]]),
            "meta": {
                "id": record["id"],
                "article": record["article"]["id"],
                "split": record["split"],
                "origin": resolved.origin,
                "stance": [{"target": t, "label": label} for t, label in resolved.stance],
            },
        }
        if resolved.answer is not None:
            session = f"{self.slug}-{resolved.annotator or resolved.origin}"
            task.update(answer=resolved.answer, _annotator_id=session, _session_id=session)
        return task
