"""Choose the one label set per example that single-label formats (spaCy, hf, ...) need.

Per sentence, the gold annotation when there is one; otherwise, by the rule (--resolve):

- `majority` (the default): what more than half of the submitted annotations chose: the
  claim label (a sentence without a majority label is left out), and each claim type, span
  and stance on its own. With one submitted annotation, that annotation.
- `annotator:NAME`: that annotator's submitted annotation (a sentence without one is left out).
- `union`: the claim label by majority as above; every span any annotator marked; the claim
  types of the annotators who chose that label; each stance by majority.
- `gold`: nothing (sentences without gold are left out).

With --per annotation every annotation is an example of its own. With --status all, a
sentence nobody has submitted becomes an unlabeled example (text only).

Everything a rule leaves out is counted in an ExportReport: sentences, and spans, claim types
and stances of the sentences kept; the formats add the spans they cannot hold.
"""

from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

from claims.exporting.dataset import Record
from claims.exporting.options import ExportOptions, ExportPer, ExportStatus, ResolveRule
from claims.exporting.report import ExportReport, Left, Part, PartLeft, Way
from claims.models import AnnotationStatus

SPAN_LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}
ANSWERS = {AnnotationStatus.SUBMITTED: "accept", AnnotationStatus.SKIPPED: "ignore"}

Span = tuple[int, int, str]  # sentence offsets and SOURCE / CUE / CONTENT


@dataclass(frozen=True)
class Resolved:
    """The labels of one example; `claim` None means unlabeled."""

    origin: str  # "gold", "annotator", "majority", "union" or "none"
    annotator: str | None  # who labeled it (for gold, the reviewer); None for several
    claim: str | None
    claim_types: tuple[str, ...]
    spans: tuple[Span, ...]
    stance: tuple[tuple[str, str], ...]  # (target, label)
    answer: str | None  # "accept" (submitted), "ignore" (skipped) or None


UNLABELED = Resolved("none", None, None, (), (), (), None)


def resolve(
    record: Record,
    options: ExportOptions,
    typed_claims: Set[str],
    report: ExportReport | None = None,
) -> Resolved | None:
    """Return the example's labels, UNLABELED, or None when the sentence is left out.

    `typed_claims` are the claim values that take claim types (a majority keeps types only
    with one of them). What was resolved how, and what was left out, is added to `report`.
    """
    report = report if report is not None else ExportReport(str(options.resolution))
    way, resolved = choose(record, options, typed_claims, report)
    if resolved is None:
        report.leave_out(way)
    else:
        report.resolved[way] += 1
    return resolved


def choose(
    record: Record, options: ExportOptions, typed_claims: Set[str], report: ExportReport
) -> tuple[str, Resolved | None]:
    """Return how the sentence was resolved (or why it is left out) and its labels."""
    own = record["annotations"]
    if options.per == ExportPer.ANNOTATION:
        return (Way.ANNOTATION, from_annotation(own[0], "annotator")) if own else unlabeled(options)
    gold = record["gold"]
    if gold is not None and gold["status"] == AnnotationStatus.SUBMITTED:
        return Way.GOLD, from_annotation(gold, "gold")
    submitted = [a for a in own if a["status"] == AnnotationStatus.SUBMITTED]
    rule = options.resolution
    if rule.rule == ResolveRule.GOLD:
        return Left.NO_GOLD, None
    if not submitted:
        return unlabeled(options)
    if rule.rule == ResolveRule.ANNOTATOR:
        chosen = next((a for a in submitted if a["annotator"] == rule.annotator), None)
        if chosen is None:
            return Left.NOT_BY_ANNOTATOR, None
        return Way.ANNOTATOR, from_annotation(chosen, "annotator")
    if len(submitted) == 1:
        return Way.SINGLE, from_annotation(submitted[0], "annotator")
    combine = union if rule.rule == ResolveRule.UNION else majority
    resolved = combine(submitted, typed_claims, report)
    return (Left.NO_MAJORITY_CLAIM, None) if resolved is None else (resolved.origin, resolved)


def unlabeled(options: ExportOptions) -> tuple[str, Resolved | None]:
    if options.status == ExportStatus.ALL:
        return Way.UNLABELED, UNLABELED
    return Left.NOTHING_SUBMITTED, None


def annotation_spans(annotation: Record) -> tuple[Span, ...]:
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


class Votes:
    """What each of several annotations chose, and what more than half of them agree on."""

    def __init__(self, annotations: list[Record]):
        self.count = len(annotations)
        self.claims = Counter(a["claim"] for a in annotations)
        self.spans = Counter(s for a in annotations for s in annotation_spans(a))
        self.stances = Counter((s["target"], s["label"]) for a in annotations for s in a["stance"])

    def agreed(self, votes: Counter) -> list:
        return sorted(value for value, n in votes.items() if 2 * n > self.count)

    def claim(self) -> str | None:
        claims = self.agreed(self.claims)
        return claims[0] if claims else None


def targets_without(votes: Counter, agreed: list[tuple[str, str]]) -> int:
    """Return how many targets some annotator gave a stance toward, but no majority."""
    return len({target for target, _ in votes} - {target for target, _ in agreed})


def majority(
    annotations: list[Record], typed_claims: Set[str], report: ExportReport
) -> Resolved | None:
    """Return what more than half of the annotations agree on; None without a majority claim."""
    votes = Votes(annotations)
    claim = votes.claim()
    if claim is None:
        return None
    types = Counter(t for a in annotations for t in set(a["claim_types"]))
    kept_types = votes.agreed(types) if claim in typed_claims else []
    if claim not in typed_claims:
        report.parts_left_out(Part.CLAIM_TYPE, len(types), PartLeft.UNTYPED_CLAIM)
    else:
        report.parts_left_out(Part.CLAIM_TYPE, len(types) - len(kept_types))
    spans, stances = votes.agreed(votes.spans), votes.agreed(votes.stances)
    report.parts_left_out(Part.SPAN, len(votes.spans) - len(spans))
    report.parts_left_out(Part.STANCE, targets_without(votes.stances, stances))
    return Resolved(
        origin=Way.MAJORITY,
        annotator=None,
        claim=claim,
        claim_types=tuple(kept_types),
        spans=tuple(spans),
        stance=tuple(stances),
        answer="accept",
    )


def union(
    annotations: list[Record], typed_claims: Set[str], report: ExportReport
) -> Resolved | None:
    """Return every span marked, the claim and stances by majority; None without a claim."""
    votes = Votes(annotations)
    claim = votes.claim()
    if claim is None:
        return None
    given = {t for a in annotations for t in a["claim_types"]}
    if claim in typed_claims:
        types = sorted({t for a in annotations if a["claim"] == claim for t in a["claim_types"]})
        report.parts_left_out(Part.CLAIM_TYPE, len(given - set(types)), PartLeft.OTHER_CLAIM)
    else:
        types = []
        report.parts_left_out(Part.CLAIM_TYPE, len(given), PartLeft.UNTYPED_CLAIM)
    stances = votes.agreed(votes.stances)
    report.parts_left_out(Part.STANCE, targets_without(votes.stances, stances))
    return Resolved(
        origin=Way.UNION,
        annotator=None,
        claim=claim,
        claim_types=tuple(types),
        spans=tuple(sorted(votes.spans)),
        stance=tuple(stances),
        answer="accept",
    )
