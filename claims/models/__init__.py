"""The domain: projects and their label schema, articles split into sentences, annotations."""

from claims.models.annotation import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    QuoteType,
    Stance,
)
from claims.models.article import Article, Sentence, SentenceKind
from claims.models.project import (
    LabelField,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    Role,
    Speaker,
    SpeakerKind,
    StanceTarget,
)

__all__ = [
    "Annotation",
    "AnnotationEvent",
    "AnnotationKind",
    "AnnotationStatus",
    "Article",
    "Attribution",
    "LabelField",
    "LabelOption",
    "LabelSchema",
    "Membership",
    "Project",
    "QuoteType",
    "Role",
    "Sentence",
    "SentenceKind",
    "Speaker",
    "SpeakerKind",
    "Stance",
    "StanceTarget",
]
