"""Per-annotator figures: progress, lead time, and agreement with others and with gold."""

from dataclasses import dataclass
from statistics import median

from django.db.models import Count

from claims.labeling.progress import done_annotations
from claims.models import Membership, Project, Role
from claims.quality.stats import PairScore, pair_kappa
from claims.quality.tally import PersonTally

GOLD = "\x00gold"  # a key no username can take


@dataclass(frozen=True)
class AnnotatorSummary:
    """One annotator; agreement figures are on the claim label, None when nothing compares."""

    username: str
    role: str | None
    done: int
    submitted: int
    median_lead_time_ms: float | None
    agreement_with_others: float | None
    compared_with_others: int
    kappa_with_others: float | None
    agreement_with_gold: float | None
    compared_with_gold: int
    kappa_with_gold: float | None

    @property
    def median_lead_time_s(self) -> float | None:
        ms = self.median_lead_time_ms
        return None if ms is None else ms / 1000


def annotator_summaries(
    project: Project, people: dict[str, PersonTally], claim_pairs: list[PairScore]
) -> list[AnnotatorSummary]:
    """Return a summary for every annotator member and everyone who submitted (two queries)."""
    done = dict(
        done_annotations(project)
        .values("annotator__username")
        .annotate(n=Count("id"))
        .values_list("annotator__username", "n")
    )
    roles = dict(Membership.objects.filter(project=project).values_list("user__username", "role"))
    names = {name for name, role in roles.items() if role == Role.ANNOTATOR} | set(people)
    names |= set(done)
    return [
        summary(name, roles.get(name), done.get(name, 0), people.get(name), claim_pairs)
        for name in sorted(names)
    ]


def summary(
    name: str, role: str | None, done: int, person: PersonTally | None, claim_pairs
) -> AnnotatorSummary:
    person = person or PersonTally()
    gold = pair_kappa((name, GOLD), person.with_gold) if person.with_gold else None
    return AnnotatorSummary(
        username=name,
        role=role,
        done=done,
        submitted=person.submitted,
        median_lead_time_ms=median(person.lead_times) if person.submitted else None,
        agreement_with_others=person.agreeing / person.compared if person.compared else None,
        compared_with_others=person.compared,
        kappa_with_others=weighted_kappa(name, claim_pairs),
        agreement_with_gold=gold and gold.observed,
        compared_with_gold=gold.n_items if gold else 0,
        kappa_with_gold=gold and gold.kappa,
    )


def weighted_kappa(name: str, pairs: list[PairScore]) -> float | None:
    """Return the mean Cohen's kappa of the annotator's pairs, weighted by shared items."""
    scored = [p for p in pairs if name in p.annotators and p.kappa is not None]
    items = sum(p.n_items for p in scored)
    return sum(p.kappa * p.n_items for p in scored) / items if items else None
