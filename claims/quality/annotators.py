"""Per-annotator figures: progress, lead time, and agreement with others and with gold."""

from collections import defaultdict
from dataclasses import dataclass
from statistics import median

from django.db.models import Count

from claims.labeling.progress import done_annotations
from claims.models import Membership, Project, Role
from claims.quality.gather import ProjectRatings, Rating
from claims.quality.stats import PairScore, cohen_kappa

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
    project: Project, ratings: ProjectRatings, claim_pairs: list[PairScore]
) -> list[AnnotatorSummary]:
    """Return a summary for every annotator member and everyone who submitted (two queries)."""
    done = dict(
        done_annotations(project)
        .values("annotator__username")
        .annotate(n=Count("id"))
        .values_list("annotator__username", "n")
    )
    roles = dict(Membership.objects.filter(project=project).values_list("user__username", "role"))
    own = defaultdict(list)
    for by_user in ratings.by_sentence.values():
        for name, rating in by_user.items():
            own[name].append(rating)
    names = {name for name, role in roles.items() if role == Role.ANNOTATOR} | set(own) | set(done)
    return [
        summary(name, roles.get(name), done.get(name, 0), ratings, own[name], claim_pairs)
        for name in sorted(names)
    ]


def summary(
    name: str,
    role: str | None,
    done: int,
    ratings: ProjectRatings,
    own: list[Rating],
    claim_pairs: list[PairScore],
) -> AnnotatorSummary:
    agreeing = compared = 0
    for rating in own:
        for other, theirs in ratings.by_sentence[rating.sentence_id].items():
            if other != name:
                compared += 1
                agreeing += theirs.claim == rating.claim
    with_gold = {
        r.sentence_id: {name: r.claim, GOLD: ratings.gold[r.sentence_id].claim}
        for r in own
        if r.sentence_id in ratings.gold
    }
    gold_score = cohen_kappa(with_gold, name, GOLD)
    return AnnotatorSummary(
        username=name,
        role=role,
        done=done,
        submitted=len(own),
        median_lead_time_ms=median(r.lead_time_ms for r in own) if own else None,
        agreement_with_others=agreeing / compared if compared else None,
        compared_with_others=compared,
        kappa_with_others=weighted_kappa(name, claim_pairs),
        agreement_with_gold=gold_score.observed,
        compared_with_gold=gold_score.n_items,
        kappa_with_gold=gold_score.kappa,
    )


def weighted_kappa(name: str, pairs: list[PairScore]) -> float | None:
    """Return the mean Cohen's kappa of the annotator's pairs, weighted by shared items."""
    scored = [p for p in pairs if name in p.annotators and p.kappa is not None]
    items = sum(p.n_items for p in scored)
    return sum(p.kappa * p.n_items for p in scored) / items if items else None
