"""What a single-label export resolved how, and what it left out and why.

The resolver counts the sentences (how each was resolved, or why it was left out) and the
spans, claim types and stances a rule dropped from the sentences it kept; the formats add the
spans they cannot hold. The command prints the report; `as_dict()` is its machine form.
"""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Way(StrEnum):
    """How an example's labels were chosen."""

    GOLD = "gold"
    ANNOTATOR = "annotator"  # the annotator named by --resolve annotator:NAME
    SINGLE = "single"  # the only submitted annotation
    MAJORITY = "majority"
    UNION = "union"
    UNLABELED = "unlabeled"  # --status all, nothing submitted
    ANNOTATION = "annotation"  # --per annotation


class Left(StrEnum):
    """Why a sentence was left out."""

    NO_GOLD = "no_gold"
    NOT_BY_ANNOTATOR = "no_annotation_by_the_annotator"
    NO_MAJORITY_CLAIM = "no_majority_claim_label"
    NOTHING_SUBMITTED = "nothing_submitted"


class Part(StrEnum):
    """What, within a kept sentence, can be left out."""

    SPAN = "spans"
    CLAIM_TYPE = "claim_types"
    STANCE = "stances"
    TAGS = "spans_not_in_tags"  # hf: in the `spans` column, not in the BIO tags


class PartLeft(StrEnum):
    """Why a span, claim type or stance was left out."""

    NO_MAJORITY = "no_majority"
    OTHER_CLAIM = "chosen_with_another_claim_label"
    UNTYPED_CLAIM = "the_claim_label_takes_no_types"
    OVERLAP = "overlaps_another_span"
    NO_TOKEN = "covers_no_token"


TEXTS = {
    Way.GOLD: "from the gold",
    Way.ANNOTATOR: "from the chosen annotator",
    Way.SINGLE: "from the only submitted annotation",
    Way.MAJORITY: "by majority",
    Way.UNION: "by union",
    Way.UNLABELED: "unlabeled (nothing submitted)",
    Way.ANNOTATION: "one per annotation",
    Left.NO_GOLD: "without gold",
    Left.NOT_BY_ANNOTATOR: "without a submitted annotation by the chosen annotator",
    Left.NO_MAJORITY_CLAIM: "without a claim label more than half of the annotators chose",
    Left.NOTHING_SUBMITTED: "without a submitted annotation",
    Part.SPAN: "span(s)",
    Part.CLAIM_TYPE: "claim type(s)",
    Part.STANCE: "stance(s)",
    Part.TAGS: "span(s) not in the BIO tags, kept in the `spans` column",
    PartLeft.NO_MAJORITY: "without a majority",
    PartLeft.OTHER_CLAIM: "chosen with another claim label",
    PartLeft.UNTYPED_CLAIM: "given with a claim label that takes none",
    PartLeft.OVERLAP: "nested in or overlapping another span (a token has one BIO tag)",
    PartLeft.NO_TOKEN: "covering no token (only spaces)",
}


@dataclass
class ExportReport:
    resolve: str  # the rule, e.g. "majority" or "annotator:ann1"
    resolved: Counter = field(default_factory=Counter)  # examples by Way
    left_out: Counter = field(default_factory=Counter)  # sentences by Left
    parts: dict[str, Counter] = field(default_factory=dict)  # Part -> PartLeft -> count

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] += 1

    def parts_left_out(self, part: Part, count: int, reason: PartLeft = PartLeft.NO_MAJORITY):
        if count:
            self.parts.setdefault(part, Counter())[reason] += count

    @property
    def sentences_left_out(self) -> int:
        return sum(self.left_out.values())

    def as_dict(self) -> dict[str, Any]:
        """Return the report as plain data (keys are the enums' values), zero counts omitted."""
        return {
            "resolve": self.resolve,
            "resolved": dict(sorted(self.resolved.items())),
            "left_out": {
                "sentences": dict(sorted(self.left_out.items())),
                **{part: dict(sorted(reasons.items())) for part, reasons in self.parts.items()},
            },
        }

    def lines(self) -> list[str]:
        """Return the report as sentences for people, one line per kind of count."""
        lines = [f"resolved with --resolve {self.resolve}: {listing(self.resolved) or 'nothing'}"]
        if self.left_out:
            lines.append(
                f"left out {self.sentences_left_out} sentence(s): {listing(self.left_out)}"
            )
        for part in Part:
            if reasons := self.parts.get(part):
                verb = "" if part == Part.TAGS else "left out "
                lines.append(f"{verb}{sum(reasons.values())} {TEXTS[part]}: {listing(reasons)}")
        return lines


def listing(counts: Counter) -> str:
    return ", ".join(f"{n} {TEXTS.get(key, key)}" for key, n in counts.most_common() if n)
