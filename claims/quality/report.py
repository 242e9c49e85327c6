"""The agreement report of a project: label fields, spans, speakers and annotators."""

from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

from claims.labeling.progress import project_progress
from claims.labels import project_labels
from claims.models import Project, SpanRole
from claims.quality.annotators import AnnotatorSummary, annotator_summaries
from claims.quality.fields import field_ratings, label_fields
from claims.quality.gather import Rating, project_ratings
from claims.quality.stats import (
    NominalReport,
    PairSpanScore,
    SpeakerAgreement,
    nominal_report,
    span_f1_pairwise,
    speaker_agreement,
)

SPAN_MODES = ("exact", "overlap")


@dataclass(frozen=True)
class FieldAgreement:
    field: str
    subject: str | None
    title: str
    agreement: NominalReport


@dataclass(frozen=True)
class SpanTotal:
    """Span F1 of one role and match mode, micro-averaged over every annotator pair."""

    mode: str
    f1: float | None
    matched: int
    n_spans: int
    pairs: list[PairSpanScore]


@dataclass(frozen=True)
class SpanAgreement:
    role: str
    n_items: int
    exact: SpanTotal
    overlap: SpanTotal

    @property
    def pair_rows(self) -> list[tuple[tuple[str, str], float | None, float | None]]:
        """Return (annotators, exact F1, overlap F1) per pair; both lists share one order."""
        return [
            (exact.annotators, exact.f1, overlap.f1)
            for exact, overlap in zip(self.exact.pairs, self.overlap.pairs, strict=True)
        ]


@dataclass(frozen=True)
class SentenceCounts:
    to_label: int
    complete: int
    annotated: int
    comparable: int
    adjudicated: int


@dataclass(frozen=True)
class AgreementReport:
    project: str
    annotations_per_sentence: int
    sentences: SentenceCounts
    labels: list[FieldAgreement]
    spans: list[SpanAgreement]
    speakers: SpeakerAgreement
    annotators: list[AnnotatorSummary]

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (the API and `agreement --json` shape)."""
        return {
            "project": self.project,
            "annotations_per_sentence": self.annotations_per_sentence,
            "sentences": asdict(self.sentences),
            "labels": [label_record(label) for label in self.labels],
            "spans": [span_record(spans) for spans in self.spans],
            "speakers": self.speakers._asdict(),
            "annotators": [asdict(summary) for summary in self.annotators],
        }


def agreement_report(project: Project) -> AgreementReport:
    """Measure agreement among the project's submitted annotations (a fixed number of queries)."""
    ratings = project_ratings(project)
    comparable = ratings.comparable()
    labels = [
        FieldAgreement(
            spec.field, spec.subject, spec.title, nominal_report(field_ratings(spec, comparable))
        )
        for spec in label_fields(project_labels(project))
    ]
    progress = project_progress(project)
    return AgreementReport(
        project=project.slug,
        annotations_per_sentence=project.annotations_per_sentence,
        sentences=SentenceCounts(
            to_label=progress.total,
            complete=progress.done,
            annotated=len(ratings.by_sentence),
            comparable=len(comparable),
            adjudicated=len(ratings.gold),
        ),
        labels=labels,
        spans=[span_agreement(role, comparable) for role in SpanRole],
        speakers=speaker_agreement(attribution_pairs(comparable)),
        annotators=annotator_summaries(project, ratings, labels[0].agreement.pairs),
    )


def role_spans(role: SpanRole, by_sentence: dict[int, dict[str, Rating]]):
    """Return sentence -> annotator -> the role's spans (an empty list is a judgement too)."""
    return {
        sentence_id: {
            name: [a.span(role) for a in rating.attributions if a.span(role)]
            for name, rating in by_user.items()
        }
        for sentence_id, by_user in by_sentence.items()
    }


def span_agreement(role: SpanRole, comparable: dict[int, dict[str, Rating]]) -> SpanAgreement:
    spans = role_spans(role, comparable)
    exact, overlap = (span_total(mode, span_f1_pairwise(spans, mode)) for mode in SPAN_MODES)
    return SpanAgreement(role=role.value, n_items=len(spans), exact=exact, overlap=overlap)


def span_total(mode: str, pairs: list[PairSpanScore]) -> SpanTotal:
    matched = sum(pair.matched for pair in pairs)
    n_spans = sum(pair.n_a + pair.n_b for pair in pairs)
    f1 = 2 * matched / n_spans if n_spans else None
    return SpanTotal(mode=mode, f1=f1, matched=matched, n_spans=n_spans, pairs=pairs)


def attribution_pairs(comparable: dict[int, dict[str, Rating]]):
    """Yield, per sentence and annotator pair, both sides' (source span, speaker) lists."""
    for by_user in comparable.values():
        for a, b in combinations(sorted(by_user), 2):
            yield sourced(by_user[a]), sourced(by_user[b])


def sourced(rating: Rating) -> list:
    return [(a.source, a.speaker and a.speaker.id) for a in rating.attributions if a.source]


def label_record(label: FieldAgreement) -> dict[str, Any]:
    report = label.agreement
    return {
        "field": label.field,
        "subject": label.subject,
        "title": label.title,
        "n_items": report.n_items,
        "observed": report.observed,
        "fleiss_kappa": report.fleiss_kappa,
        "krippendorff_alpha": report.krippendorff_alpha,
        "pairs": [
            {
                "annotators": list(pair.annotators),
                "n_items": pair.n_items,
                "observed": pair.observed,
                "cohen_kappa": pair.kappa,
            }
            for pair in report.pairs
        ],
    }


def span_record(spans: SpanAgreement) -> dict[str, Any]:
    def total(value: SpanTotal) -> dict[str, Any]:
        return {
            "f1": value.f1,
            "matched": value.matched,
            "n_spans": value.n_spans,
            "pairs": [
                {
                    "annotators": list(pair.annotators),
                    "n_items": pair.n_items,
                    "precision": pair.precision,
                    "recall": pair.recall,
                    "f1": pair.f1,
                }
                for pair in value.pairs
            ],
        }

    return {
        "role": spans.role,
        "n_items": spans.n_items,
        "exact": total(spans.exact),
        "overlap": total(spans.overlap),
    }
