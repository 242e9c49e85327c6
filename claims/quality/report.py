"""The agreement report of a project: label fields, spans, speakers and annotators."""

from dataclasses import asdict, dataclass
from typing import Any

from claims.labeling.progress import project_progress
from claims.labels import project_labels
from claims.models import Project, SpanRole
from claims.quality.annotators import AnnotatorSummary, annotator_summaries
from claims.quality.fields import label_fields
from claims.quality.gather import rated_in_chunks
from claims.quality.span_stats import PairSpanScore, SpeakerAgreement
from claims.quality.stats import NominalReport, PairScore
from claims.quality.tally import SPAN_MODES, ReportTally


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AgreementReport":
        """Return the report that as_dict() gave (the stored report)."""
        return cls(
            project=data["project"],
            annotations_per_sentence=data["annotations_per_sentence"],
            sentences=SentenceCounts(**data["sentences"]),
            labels=[label_from(record) for record in data["labels"]],
            spans=[spans_from(record) for record in data["spans"]],
            speakers=SpeakerAgreement(**data["speakers"]),
            annotators=[AnnotatorSummary(**summary) for summary in data["annotators"]],
        )

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
    """Measure agreement among the project's submitted annotations, reading them a chunk of
    sentences at a time (memory stays flat as the project grows)."""
    tally = ReportTally(label_fields(project_labels(project)))
    for chunk in rated_in_chunks(project):
        tally.add(chunk)
    return report_of(project, tally)


def report_of(project: Project, tally: ReportTally) -> AgreementReport:
    """Return the report of the tallies of all the project's sentences."""
    specs = tally.specs
    labels = [
        FieldAgreement(spec.field, spec.subject, spec.title, field_tally.report())
        for spec, field_tally in zip(specs, tally.labels, strict=True)
    ]
    progress = project_progress(project)
    agreeing, compared = tally.speakers
    return AgreementReport(
        project=project.slug,
        annotations_per_sentence=project.annotations_per_sentence,
        sentences=SentenceCounts(
            to_label=progress.total,
            complete=progress.done,
            annotated=tally.annotated,
            comparable=tally.comparable,
            adjudicated=tally.adjudicated,
        ),
        labels=labels,
        spans=[span_agreement(role, tally) for role in SpanRole],
        speakers=SpeakerAgreement(agreeing, compared, agreeing / compared if compared else None),
        annotators=annotator_summaries(project, tally.people, labels[0].agreement.pairs),
    )


def span_agreement(role: SpanRole, tally: ReportTally) -> SpanAgreement:
    exact, overlap = (
        span_total(mode, tally.spans[(role.value, mode)].scores()) for mode in SPAN_MODES
    )
    return SpanAgreement(role=role.value, n_items=tally.comparable, exact=exact, overlap=overlap)


def span_total(mode: str, pairs: list[PairSpanScore]) -> SpanTotal:
    matched = sum(pair.matched for pair in pairs)
    n_spans = sum(pair.n_a + pair.n_b for pair in pairs)
    f1 = 2 * matched / n_spans if n_spans else None
    return SpanTotal(mode=mode, f1=f1, matched=matched, n_spans=n_spans, pairs=pairs)


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


def label_from(record: dict[str, Any]) -> FieldAgreement:
    pairs = [
        PairScore(tuple(p["annotators"]), p["cohen_kappa"], p["observed"], p["n_items"])
        for p in record["pairs"]
    ]
    agreement = NominalReport(
        record["n_items"],
        record["observed"],
        record["fleiss_kappa"],
        record["krippendorff_alpha"],
        pairs,
    )
    return FieldAgreement(record["field"], record["subject"], record["title"], agreement)


def spans_from(record: dict[str, Any]) -> SpanAgreement:
    def total(mode: str) -> SpanTotal:
        value = record[mode]
        pairs = [
            PairSpanScore(
                tuple(p["annotators"]),
                p["n_items"],
                p["precision"],
                p["recall"],
                p["f1"],
                n_a=0,
                n_b=0,
                matched=0,
            )  # fmt: skip
            for p in value["pairs"]
        ]
        return SpanTotal(mode, value["f1"], value["matched"], value["n_spans"], pairs)

    return SpanAgreement(record["role"], record["n_items"], total("exact"), total("overlap"))
