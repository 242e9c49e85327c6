"""The domain: projects and their label schema, articles split into sentences, annotations."""

from claims.models.annotation import (
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    AnnotationStatus,
    Attribution,
    QuoteType,
    SpanRole,
    Stance,
)
from claims.models.article import Article, Sentence, SentenceKind
from claims.models.project import (
    ClaimBuster,
    LabelField,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    QueueOrder,
    Role,
    Speaker,
    SpeakerKind,
    SpeakerMerge,
    StanceTarget,
    fold_name,
    tidy_name,
)
from claims.models.quality import AgreementSnapshot, SentenceDisagreement
from claims.models.queue import Assignment, QueueArticle, QueueCursor, QueueSize
from claims.models.speaker_keys import SpeakerKey, SpeakerKeyOrigin

__all__ = [
    "AgreementSnapshot",
    "SentenceDisagreement",
    "ClaimBuster",
    "SpanRole",
    "Annotation",
    "AnnotationEvent",
    "AnnotationKind",
    "AnnotationStatus",
    "Article",
    "Assignment",
    "Attribution",
    "LabelField",
    "LabelOption",
    "LabelSchema",
    "Membership",
    "Project",
    "QueueOrder",
    "QueueArticle",
    "QueueCursor",
    "QueueSize",
    "QuoteType",
    "Role",
    "Sentence",
    "SentenceKind",
    "Speaker",
    "SpeakerKind",
    "SpeakerKey",
    "SpeakerKeyOrigin",
    "SpeakerMerge",
    "fold_name",
    "tidy_name",
    "Stance",
    "StanceTarget",
]
