"""What the adjudication page shows: every annotation of a sentence side by side."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from claims.content import attribution_content
from claims.labels import Target
from claims.models import Annotation, AnnotationKind, AnnotationStatus, Attribution, SpanRole


@dataclass(frozen=True)
class Segment:
    text: str
    roles: tuple[str, ...]

    @property
    def css(self) -> str:
        return " ".join(f"span-{role}" for role in self.roles)


@dataclass(frozen=True)
class AttributionView:
    speaker: str
    quote_type: str
    segments: list[Segment]
    spans: list[tuple[str, str]]  # (role, "[start:end] text")


@dataclass
class Column:
    annotation: Annotation
    title: str
    is_gold: bool
    can_adopt: bool


@dataclass
class Row:
    name: str
    cells: list[Any]
    differs: bool = False
    is_attributions: bool = False


@dataclass
class SideBySide:
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)


def segments(text: str, attribution: Attribution) -> list[Segment]:
    """Split the sentence at every span boundary; each piece lists the roles covering it."""
    spans = {role.value: span for role in SpanRole if (span := attribution.span(role))}
    cuts = sorted({0, len(text), *(x for pair in spans.values() for x in pair)})
    return [
        Segment(
            text=text[start:end],
            roles=tuple(r for r, (s, e) in spans.items() if s <= start and end <= e),
        )
        for start, end in zip(cuts, cuts[1:], strict=False)
        if start < end
    ]


def attribution_view(text: str, attribution: Attribution) -> AttributionView:
    spans = []
    for role in SpanRole:
        if (span := attribution.span(role)) is not None:
            start, end = span
            spans.append((role.value, f"[{start}:{end}] {text[start:end]}"))
    return AttributionView(
        speaker=attribution.speaker.name if attribution.speaker else "no speaker",
        quote_type=attribution.quote_type or "-",
        segments=segments(text, attribution),
        spans=spans,
    )


def side_by_side(
    text: str, annotations: list[Annotation], targets: tuple[Target, ...], titles: dict
) -> SideBySide:
    """Return gold first, then each annotator's annotation, as rows of comparable cells.

    A row is marked as differing when the annotators' submitted annotations disagree on it.
    """
    ordered = sorted(
        annotations, key=lambda a: (a.kind != AnnotationKind.GOLD, a.annotator.username)
    )
    columns = [
        Column(
            annotation=a,
            title="Gold" if a.kind == AnnotationKind.GOLD else a.annotator.username,
            is_gold=a.kind == AnnotationKind.GOLD,
            can_adopt=a.kind == AnnotationKind.ANNOTATOR and a.status == AnnotationStatus.SUBMITTED,
        )
        for a in ordered
    ]
    compared = [c.can_adopt for c in columns]
    stances = [{s.target_id: s.label for s in c.annotation.stances.all()} for c in columns]
    attributions = [list(c.annotation.attributions.all()) for c in columns]

    def row(name: str, values: list, shown: list | None = None, **extra) -> Row:
        votes = [v for v, counted in zip(values, compared, strict=True) if counted]
        return Row(name, shown or values, differs=len(set(votes)) > 1, **extra)

    claims = [c.annotation.claim for c in columns]
    types = [frozenset(c.annotation.claim_types) for c in columns]
    view = SideBySide(columns=columns)
    view.rows = [
        row("status", [c.annotation.status for c in columns]),
        row("claim", claims, [titles.get(v, v) or "-" for v in claims]),
        row("claim types", types, [", ".join(sorted(t)) or "-" for t in types]),
        *(
            row(f"stance: {target.name}", [s.get(target.id) or "-" for s in stances])
            for target in targets
        ),
        row(
            "attributions",
            [
                frozenset(Counter(attribution_content(a).key for a in attrs).items())
                for attrs in attributions
            ],
            [[attribution_view(text, a) for a in attrs] for attrs in attributions],
            is_attributions=True,
        ),
        Row("lead time", [f"{c.annotation.lead_time_ms / 1000:.1f} s" for c in columns]),
        Row("updated", [c.annotation.updated_at for c in columns]),
    ]
    return view
