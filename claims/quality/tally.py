"""The agreement report's sums, added up chunk by chunk of sentences (flat memory).

Every figure of the report is a function of sums over sentences: label counts and pair
tables per field, span matches per annotator pair, speaker matches, and per annotator their
comparisons with the others and with gold. A chunk of ratings is added and dropped.
"""

from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from claims.models import SpanRole
from claims.quality.fields import LabelFieldSpec
from claims.quality.gather import ProjectRatings, Rating
from claims.quality.span_stats import SpanTally, speaker_agreement
from claims.quality.stats import NominalTally

SPAN_MODES = ("exact", "overlap")


@dataclass
class PersonTally:
    """One annotator's submitted annotations: lead times and claim-label comparisons."""

    lead_times: array = field(default_factory=lambda: array("q"))
    agreeing: int = 0
    compared: int = 0
    with_gold: Counter = field(default_factory=Counter)  # (their claim, gold's) -> sentences

    @property
    def submitted(self) -> int:
        return len(self.lead_times)


@dataclass
class ReportTally:
    specs: list[LabelFieldSpec]
    labels: list[NominalTally] = field(init=False)
    spans: dict[tuple[str, str], SpanTally] = field(init=False)
    speakers: list[int] = field(default_factory=lambda: [0, 0])  # agreeing, compared
    people: dict[str, PersonTally] = field(default_factory=dict)
    annotated: int = 0
    comparable: int = 0
    adjudicated: int = 0

    def __post_init__(self):
        self.labels = [NominalTally() for _ in self.specs]
        self.spans = {(r.value, m): SpanTally(m) for r in SpanRole for m in SPAN_MODES}

    def add(self, ratings: ProjectRatings) -> None:
        """Add a chunk of sentences' ratings."""
        self.adjudicated += len(ratings.gold)
        for sentence_id, by_user in ratings.by_sentence.items():
            self.annotated += 1
            self.add_people(by_user, ratings.gold.get(sentence_id))
            if len(by_user) >= 2:
                self.comparable += 1
                self.add_comparable(by_user)

    def add_people(self, by_user: dict[str, Rating], gold: Rating | None) -> None:
        for name, rating in by_user.items():
            person = self.people.setdefault(name, PersonTally())
            person.lead_times.append(rating.lead_time_ms)
            for other, theirs in by_user.items():
                if other != name:
                    person.compared += 1
                    person.agreeing += theirs.claim == rating.claim
            if gold is not None:
                person.with_gold[(rating.claim, gold.claim)] += 1

    def add_comparable(self, by_user: dict[str, Rating]) -> None:
        for spec, tally in zip(self.specs, self.labels, strict=True):
            tally.add({name: spec.value(rating) for name, rating in by_user.items()})
        for role in SpanRole:
            spans = {
                name: [a.span(role) for a in rating.attributions if a.span(role)]
                for name, rating in by_user.items()
            }
            for mode in SPAN_MODES:
                self.spans[(role.value, mode)].add(spans)
        pairs = (
            (sourced(by_user[a]), sourced(by_user[b])) for a, b in combinations(sorted(by_user), 2)
        )
        found = speaker_agreement(pairs)
        self.speakers[0] += found.agreeing
        self.speakers[1] += found.compared


def sourced(rating: Rating) -> list:
    """Return the rating's (source span, speaker id) pairs, for speaker agreement."""
    return [(a.source, a.speaker and a.speaker.id) for a in rating.attributions if a.source]
