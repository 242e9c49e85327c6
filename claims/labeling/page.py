"""The config of the label editor: what the labeling page and the reviewers' gold editor (in
the admin) give their ES modules, so that the script names no label value itself."""

from typing import Any

from claims.content.values import MAX_SPEAKER_NAME
from claims.labels import LabelValue, ProjectLabels
from claims.models import AnnotationStatus, QuoteType, SpeakerKind
from claims.models.annotation import DONE_STATUSES
from claims.models.article import QUEUE_KINDS
from claims.services.speakers import NOT_NAMES, PRONOUNS
from claims.speakers.candidates import PROPOSED


def option(value: LabelValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "title": value.title,
        "key": value.shortcut,
        "description": value.description,
        "takesTypes": value.takes_types,
    }


def editor_config(labels: ProjectLabels, *, urls: dict[str, str], csrf_token: str) -> dict:
    """Return the editor's config: the project's labels and keys, and the API's URLs."""
    return {
        "csrfToken": csrf_token,
        "urls": urls,
        "claims": [option(v) for v in labels.claims],
        "claimTypes": [option(v) for v in labels.claim_types],
        "stances": [option(v) for v in labels.stances],
        "targets": [{"name": t.name} for t in labels.targets],
        "speakerKinds": [{"value": v, "title": t} for v, t in SpeakerKind.choices],
        "quoteTypes": [{"value": v, "title": t} for v, t in QuoteType.choices],
        # The quote type a content span gets from the quote marks around it, until one is chosen.
        "quoteTypeFor": {
            "inside": QuoteType.DIRECT,
            "partly": QuoteType.MIXED,
            "outside": QuoteType.INDIRECT,
        },
        "notNames": sorted(NOT_NAMES),
        # The longest speaker name a save accepts: longer ones are refused as they are typed.
        "speakerNameMax": MAX_SPEAKER_NAME,
        # When a source marked by hand gets its best speaker candidate (as a suggestion's does).
        "speakerProposal": {"sourced": PROPOSED},
        "pronouns": sorted(PRONOUNS),
        "submittedStatus": AnnotationStatus.SUBMITTED,
        "skippedStatus": AnnotationStatus.SKIPPED,
        "doneStatuses": list(DONE_STATUSES),
        "queueKinds": list(QUEUE_KINDS),
        "showOffsets": False,
    }
