"""What an annotation says: one type for its content, read from JSON or from the database.

The content is what a client sends and the API, the history and the exports show: the claim
label and types, the attributions (speaker, source / cue / content spans, quote type) and the
stances. It is read from JSON in two steps: `content_from_json` checks the shape (types and
structure), `content_check` checks it against the sentence and the project's labels. Both raise
InvalidInput naming every bad field, shaped like the JSON, e.g.
{"attributions": [{}, {"source": {"end": ["must be >= 0 and <= 57 (sentence length)"]}}]}.

Two annotations say the same thing when their `labels_key`s are equal: same claim, types,
stances, and the same multiset of attributions (speaker, spans, quote type; whether a
suggestion was accepted is not something annotators disagree on).
"""

from claims.content.parse import (
    MAX_ATTRIBUTIONS,
    MAX_LEAD_TIME_MS,
    MAX_SKIP_REASON,
    content_check,
    content_from_json,
)
from claims.content.records import (
    annotation_record,
    attribution_content,
    content_of,
    history_record,
    span_record,
)
from claims.content.types import (
    AnnotationContent,
    AttributionContent,
    Span,
    SpeakerRef,
    StanceContent,
)

__all__ = [
    "MAX_ATTRIBUTIONS",
    "MAX_LEAD_TIME_MS",
    "MAX_SKIP_REASON",
    "AnnotationContent",
    "AttributionContent",
    "Span",
    "SpeakerRef",
    "StanceContent",
    "annotation_record",
    "attribution_content",
    "content_check",
    "content_from_json",
    "content_of",
    "history_record",
    "span_record",
]
