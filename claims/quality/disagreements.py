"""The disagreement queue: sentences whose submitted annotations differ, worst first.

A sentence's fields are its claim label, its claim types (as a set), its stance toward each
target (no stance is a value of its own here) and its attributions (the multiset of source,
cue and content spans, speaker and quote type). For each field, D is the share of the
sentence's annotator pairs that differ on it; a sentence's score is the sum of D over its
fields, which is the expected number of fields on which two of its annotators, picked at
random, differ. Worst first means the highest score; ties go to the larger share of pairs
differing on the claim label, then to the sentence with more annotators (more evidence),
then to the earlier sentence.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from django.db.models import Exists, OuterRef, QuerySet

from claims.labels import project_labels
from claims.models import Annotation, Project, SentenceDisagreement
from claims.quality.gather import Rating, multi_rated_sentences, project_ratings

CLAIM, CLAIM_TYPES, ATTRIBUTIONS = "claim", "claim types", "attributions"


@dataclass(frozen=True)
class Disagreement:
    """One sentence of the queue; `fields` names what its annotators differ on."""

    sentence_id: int
    annotators: tuple[str, ...]
    fields: tuple[str, ...]
    score: Fraction
    claim_score: Fraction
    claims: dict[str, int]
    adjudicated: bool

    @property
    def sort_key(self) -> tuple:
        return (-self.score, -self.claim_score, -len(self.annotators), self.sentence_id)


@dataclass(frozen=True)
class SentenceState:
    """How a sentence stands: submitted annotations, what they differ on, and gold."""

    submitted: int
    fields: tuple[str, ...]
    adjudicated: bool

    @property
    def label(self) -> str:
        if self.submitted == 0:
            state = "no submitted annotation"
        elif self.submitted == 1:
            state = "one submitted annotation"
        elif self.fields:
            state = "disagree on " + ", ".join(self.fields)
        else:
            state = "agree"
        return f"{state}; adjudicated" if self.adjudicated else state


def comparisons(ratings: Mapping[str, Rating], target_names: Mapping[int, str]):
    """Return (field name, value of a rating) for every field the sentence's ratings cover."""
    fields: list[tuple[str, Callable[[Rating], Hashable]]] = [
        (CLAIM, lambda r: r.claim),
        (CLAIM_TYPES, lambda r: r.claim_types),
    ]
    target_ids = sorted({t for rating in ratings.values() for t in rating.stances})
    fields += [
        (f"stance: {target_names.get(t, f'target {t}')}", lambda r, t=t: r.stances.get(t))
        for t in target_ids
    ]
    fields.append((ATTRIBUTIONS, lambda r: frozenset(Counter(r.attributions).items())))
    return fields


def pair_disagreement(values: list[Hashable]) -> Fraction:
    """Return the share of pairs of values that differ (exact, so equal scores tie exactly)."""
    pairs = list(combinations(values, 2))
    return Fraction(sum(a != b for a, b in pairs), len(pairs))


def disagreement_of(
    sentence_id: int, ratings: Mapping[str, Rating], target_names: Mapping[int, str], gold: bool
) -> Disagreement:
    names = tuple(sorted(ratings))
    shares = {
        name: pair_disagreement([value(ratings[n]) for n in names])
        for name, value in comparisons(ratings, target_names)
    }
    return Disagreement(
        sentence_id=sentence_id,
        annotators=names,
        fields=tuple(name for name, share in shares.items() if share > 0),
        score=sum(shares.values(), Fraction(0)),
        claim_score=shares[CLAIM],
        claims=dict(Counter(ratings[n].claim for n in names).most_common()),
        adjudicated=gold,
    )


def disagreement_queue(
    project: Project, *, include_adjudicated: bool = False
) -> list[Disagreement]:
    """Return the sentences whose submitted annotations disagree on any field, worst first."""
    ratings = project_ratings(project, sentences=multi_rated_sentences(project))
    target_names = project_labels(project).target_names
    queue = [
        disagreement_of(sentence_id, by_user, target_names, sentence_id in ratings.gold)
        for sentence_id, by_user in ratings.comparable().items()
        if include_adjudicated or sentence_id not in ratings.gold
    ]
    return sorted((item for item in queue if item.fields), key=lambda item: item.sort_key)


def sentence_states(project: Project, sentences) -> dict[int, SentenceState]:
    """Return the state of each of `sentences` (a queryset) that has a submitted annotation."""
    ratings = project_ratings(project, sentences=sentences)
    target_names = project_labels(project).target_names
    states = {}
    for sentence_id in ratings.by_sentence.keys() | ratings.gold.keys():
        by_user = ratings.by_sentence.get(sentence_id, {})
        fields = ()
        if len(by_user) >= 2:
            fields = disagreement_of(sentence_id, by_user, target_names, False).fields
        states[sentence_id] = SentenceState(
            submitted=len(by_user), fields=fields, adjudicated=sentence_id in ratings.gold
        )
    return states


def disagreement_rows(
    project: Project, *, include_adjudicated: bool = False
) -> QuerySet[SentenceDisagreement]:
    """Return the stored disagreeing sentences, worst first, each with its sentence, article
    and `adjudicated` (read now, so an adjudicated sentence leaves the queue at once)."""
    gold = Annotation.objects.gold().filter(sentence_id=OuterRef("sentence_id"))
    rows = (
        SentenceDisagreement.objects.filter(project=project, score__gt=0)
        .select_related("sentence__article")
        .annotate(adjudicated=Exists(gold))
        .order_by("-score", "-claim_score", "-n_annotators", "sentence_id")
    )
    return rows if include_adjudicated else rows.filter(adjudicated=False)
