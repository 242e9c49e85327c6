"""Figures for spans and rankings: overlap precision and recall, average precision.

A suggested span counts when it overlaps a gold span of the same role in the same sentence;
a role's parts within one attribution (a discontinuous content) count as one span, hit when
any part overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.nlp.training.examples import ROLES, Offsets

Parts = Sequence[Offsets]


@dataclass
class Tally:
    """Hits and totals of one role: suggested spans that hit, gold spans that were hit."""

    suggested: int = 0
    suggested_hits: int = 0
    gold: int = 0
    gold_hits: int = 0

    @property
    def precision(self) -> float:
        return self.suggested_hits / self.suggested if self.suggested else 0.0

    @property
    def recall(self) -> float:
        return self.gold_hits / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, suggested: Sequence[Parts], gold: Sequence[Parts]) -> None:
        """Count one sentence's spans of this role."""
        self.suggested += len(suggested)
        self.gold += len(gold)
        self.suggested_hits += sum(any(_touch(s, g) for g in gold) for s in suggested)
        self.gold_hits += sum(any(_touch(s, g) for s in suggested) for g in gold)


@dataclass
class SpanScores:
    """Overlap precision and recall per role over many sentences."""

    roles: dict[str, Tally] = field(default_factory=lambda: {role: Tally() for role in ROLES})

    def add(self, suggested: Iterable, gold: Iterable) -> None:
        """Count one sentence: each argument is attributions with a ``parts(role)`` method."""
        suggested, gold = list(suggested), list(gold)
        for role, tally in self.roles.items():
            tally.add(_role_parts(suggested, role), _role_parts(gold, role))

    def as_dict(self) -> dict[str, dict[str, float]]:
        """Return ``{role: {"precision", "recall", "f1"}}``."""
        return {
            role: {"precision": t.precision, "recall": t.recall, "f1": t.f1}
            for role, t in self.roles.items()
        }

    def line(self) -> str:
        """Return the figures on one line: ``source P 0.80 R 0.80 ...``."""
        return "  ".join(
            f"{role} P {t.precision:.2f} R {t.recall:.2f} F {t.f1:.2f}"
            for role, t in self.roles.items()
        )


def _role_parts(attributions: list, role: str) -> list[Parts]:
    return [parts for a in attributions if (parts := a.parts(role))]


def _touch(a: Parts, b: Parts) -> bool:
    return any(x[0] < y[1] and y[0] < x[1] for x in a for y in b)


def average_precision(scores: Sequence[float], relevant: Sequence[bool]) -> float:
    """Return the average precision of ranking items by descending score (0 with none relevant).

    Ties keep the given order, as the CLEF scorer does after its stable sort.
    """
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, index in enumerate(order, start=1):
        if relevant[index]:
            hits += 1
            total += hits / rank
    positives = sum(bool(r) for r in relevant)
    return total / positives if positives else 0.0
