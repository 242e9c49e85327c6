"""The content of an annotation: the types every part of the tool shares."""

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from claims.models import AnnotationStatus, SpanRole


class Span(NamedTuple):
    """Offsets into the sentence, in code points, end-exclusive."""

    start: int
    end: int


@dataclass(frozen=True, eq=False)
class SpeakerRef:
    """A speaker by id, or by name (an existing name or alias, or a new speaker of `kind`).

    A reference with an id is that speaker, whether or not its name and kind were loaded.
    """

    id: int | None = None
    name: str = ""
    kind: str = ""

    @property
    def identity(self) -> tuple:
        return ("id", self.id) if self.id is not None else ("name", self.name, self.kind)

    def __eq__(self, other) -> bool:
        return isinstance(other, SpeakerRef) and self.identity == other.identity

    def __hash__(self) -> int:
        return hash(self.identity)


@dataclass(frozen=True)
class AttributionContent:
    speaker: SpeakerRef | None = None
    source: Span | None = None
    cue: Span | None = None
    content: Span | None = None
    quote_type: str = ""
    suggested: bool = False

    def span(self, role: SpanRole) -> Span | None:
        return getattr(self, SpanRole(role).value)

    @property
    def key(self) -> tuple:
        """Return what annotators can disagree on: speaker, spans and quote type."""
        speaker = self.speaker and self.speaker.identity
        return (speaker, self.source, self.cue, self.content, self.quote_type)


@dataclass(frozen=True)
class StanceContent:
    target_id: int
    label: str


@dataclass(frozen=True)
class AnnotationContent:
    claim: str = ""
    claim_types: tuple[str, ...] = ()
    attributions: tuple[AttributionContent, ...] = ()
    stances: tuple[StanceContent, ...] = ()  # sorted by target id
    status: str = AnnotationStatus.DRAFT
    skip_reason: str = ""
    lead_time_ms: int = 0

    @property
    def stance_by_target(self) -> dict[int, str]:
        return {s.target_id: s.label for s in self.stances}

    @property
    def labels_key(self) -> tuple:
        """Return what annotators can disagree on (not status, skip reason or lead time)."""
        return (
            self.claim,
            frozenset(self.claim_types),
            self.stances,
            frozenset(Counter(a.key for a in self.attributions).items()),
        )

    def same_labels(self, other: "AnnotationContent") -> bool:
        return self.labels_key == other.labels_key
