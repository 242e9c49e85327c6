"""Choose the one label set per example that single-label formats (spaCy, hf, ...) need.

Per sentence: the gold annotation when there is one; otherwise the chosen annotator's
submitted annotation (--annotator); otherwise the majority of the submitted annotations: a
claim label, claim type, span or stance counts when more than half of the annotators chose
it. A sentence with no gold, without the chosen annotator's annotation, or without a majority
claim label is left out. With --per annotation every annotation is an example of its own.
With --status all, a sentence nobody has submitted becomes an unlabeled example (text only).
"""

from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

from claims.exporting.dataset import Record
from claims.exporting.options import ExportOptions, ExportPer, ExportStatus
from claims.models import AnnotationStatus

SPAN_LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
ANSWERS = {AnnotationStatus.SUBMITTED: "accept", AnnotationStatus.SKIPPED: "ignore"}


@dataclass(frozen=True)
class Resolved:
    """The labels of one example; `claim` None means unlabeled."""

    origin: str  # "gold", "annotator", "majority" or "none"
    annotator: str | None  # who labeled it (for gold, the reviewer); None for a majority
    claim: str | None
    claim_types: tuple[str, ...]
    spans: tuple[tuple[int, int, str], ...]  # sentence offsets and SOURCE / CUE / CONTENT
    stance: tuple[tuple[str, str], ...]  # (target, label)
    answer: str | None  # "accept" (submitted), "ignore" (skipped) or None


UNLABELED = Resolved("none", None, None, (), (), (), None)


def resolve(record: Record, options: ExportOptions, typed_claims: Set[str]) -> Resolved | None:
    """Return the example's labels, UNLABELED, or None when the sentence is left out.

    `typed_claims` are the claim values that take claim types (a majority keeps types only
    with one of them).
    """
    if options.per == ExportPer.ANNOTATION:
        own = record["annotations"]
        return from_annotation(own[0], "annotator") if own else unlabeled(options)
    gold = record["gold"]
    if gold is not None and gold["status"] == AnnotationStatus.SUBMITTED:
        return from_annotation(gold, "gold")
    submitted = [a for a in record["annotations"] if a["status"] == AnnotationStatus.SUBMITTED]
    if options.annotator:
        chosen = next((a for a in submitted if a["annotator"] == options.annotator), None)
        if chosen is not None:
            return from_annotation(chosen, "annotator")
        return None if submitted else unlabeled(options)
    if not submitted:
        return unlabeled(options)
    return majority(submitted, typed_claims)


def unlabeled(options: ExportOptions) -> Resolved | None:
    return UNLABELED if options.status == ExportStatus.ALL else None


def annotation_spans(annotation: Record) -> tuple[tuple[int, int, str], ...]:
    spans = {
        (span["start"], span["end"], label)
        for attribution in annotation["attributions"]
        for role, label in SPAN_LABELS.items()
        if (span := attribution[role]) is not None
    }
    return tuple(sorted(spans))


def from_annotation(annotation: Record, origin: str) -> Resolved:
    return Resolved(
        origin=origin,
        annotator=annotation["annotator"],
        claim=annotation["claim"],
        claim_types=tuple(annotation["claim_types"]),
        spans=annotation_spans(annotation),
        stance=tuple((s["target"], s["label"]) for s in annotation["stance"]),
        answer=ANSWERS.get(annotation["status"]),
    )


def majority(annotations: list[Record], typed_claims: Set[str]) -> Resolved | None:
    """Return what more than half of the annotations agree on; None without a majority claim."""
    count = len(annotations)
    if count == 1:
        return from_annotation(annotations[0], "annotator")

    def agreed(votes: Counter) -> list:
        return sorted(value for value, n in votes.items() if 2 * n > count)

    claims = agreed(Counter(a["claim"] for a in annotations))
    if not claims or claims[0] is None:
        return None
    claim = claims[0]
    types = agreed(Counter(t for a in annotations for t in set(a["claim_types"])))
    stances = agreed(Counter((s["target"], s["label"]) for a in annotations for s in a["stance"]))
    return Resolved(
        origin="majority",
        annotator=None,
        claim=claim,
        claim_types=tuple(types) if claim in typed_claims else (),
        spans=tuple(agreed(Counter(s for a in annotations for s in annotation_spans(a)))),
        stance=tuple(stances),
        answer="accept",
    )
