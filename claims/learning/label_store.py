"""Store imported labels on a project's sentences: as gold, as an annotator's, or as
predictions (a table of their own, so no count of human work ever sees them).

Gold and annotators' labels go through ``annotation_save`` (history, speakers, the no-op on
equal content): every sentence of an article line gets a submitted annotation, those with
no label too (the input says it has no attribution), but of a native file only the sentences
with the chosen annotation (gold, or NAME's); a sentence given no claim label keeps an empty
claim. A sentence the input gives no label keeps the labels it already has (a curator's gold,
an annotator's own work): an import of some sentences' labels never blanks the others. The
time an annotator spent stays. Re-importing the same labels changes nothing.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from claims.content import AnnotationContent, AttributionContent, SpeakerRef, StanceContent
from claims.content.parse import content_check
from claims.content.types import Span
from claims.errors import InvalidInput
from claims.importing.records import ImportProblem, content_hash
from claims.labels import ProjectLabels, project_labels
from claims.learning.label_mapping import Mapped, SentenceSpan, map_labels
from claims.learning.label_records import GOLD, PREDICTIONS, ArticleLabels, ImportAs
from claims.learning.models import Prediction
from claims.models import (
    Annotation,
    AnnotationKind,
    AnnotationStatus,
    Article,
    Project,
    QueueSize,
    Sentence,
)
from claims.nlp.segmentation import normalize_text
from claims.services.annotations import annotation_save
from claims.services.speakers import speakers_resolve

# Gold needs a user to stand as its adjudicator when the command names none.
IMPORT_USER = "imported-labels"


@dataclass
class LabelsResult:
    """What an import of labels did, and what it could not map (file:line: problem)."""

    counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # The articles whose labels were refused whole, by where they came from: why.
    refused: dict[str, list[str]] = field(default_factory=dict)


class LabelsRefused(InvalidInput):
    """A sentence's labels break a rule; `ref` is the native line that holds them, if any."""

    def __init__(self, errors: dict, *, ref: str | None = None):
        super().__init__(errors)
        self.ref = ref


def import_user(as_: ImportAs, by: str = ""):
    """Return the user the labels are stored under (created without a password if missing)."""
    name = as_.annotator or by or IMPORT_USER
    user, created = get_user_model().objects.get_or_create(username=name)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def labels_import(
    *, project: Project, articles: Iterable[ArticleLabels], as_: ImportAs, user=None, actor=None
) -> LabelsResult:
    """Map each article's labels onto the project's sentences and store them; `actor`: who
    imports them, named in the annotations' history (else the labels' owner)."""
    result = LabelsResult()
    labels = project_labels(project)
    user = user or (None if as_.kind == PREDICTIONS else import_user(as_))
    for item in articles:
        if isinstance(item, ImportProblem):
            result.problems.append(f"{item.origin}: {item.message}")
            continue
        article, problem = article_of(project, item)
        if problem:
            result.problems.append(f"{item.ref}: {problem}")
            continue
        sentences = list(article.sentences.order_by("index"))
        spans = [SentenceSpan(s.pk, s.start, s.end) for s in sentences]
        mapped = map_labels(spans, item.attributions, item.sentence_labels)
        result.problems += [
            f"{ref or item.ref}: article {item.external_id!r}: {problem}"
            for ref, problem in mapped.problems
        ]
        # Counted apart and added once the article's transaction commits: a refused article
        # stored nothing.
        article_result = LabelsResult()
        try:
            with transaction.atomic():
                store = _predictions_store if as_.kind == PREDICTIONS else _annotations_store
                if not item.whole_article:
                    sentences = [s for s in sentences if s.pk in mapped.labelled]
                store(
                    article_result, sentences, mapped, labels=labels, user=user, as_=as_,
                    actor=actor,
                )  # fmt: skip
        except InvalidInput as error:
            # A native file's article spans many lines: name the one holding the problem.
            ref = getattr(error, "ref", None) or item.ref
            lines = [f"article {item.external_id!r}: {line}" for line in error.lines()]
            result.problems += [f"{ref}: {line}" for line in lines]
            result.refused[item.ref] = lines
            result.counts["articles refused"] += 1
            continue
        result.counts.update(article_result.counts)
        result.counts["articles"] += 1
    if as_.kind == GOLD and result.counts["sentences changed"]:
        QueueSize.forget(project.pk)  # gold may take sentences off the annotators' queue
    return result


def article_of(project: Project, item: ArticleLabels) -> tuple[Article | None, str]:
    """Return the project's article the labels belong to, or why there is none.

    That is the article holding the labels' text, whatever its id: the import skipped an
    item whose text the project held as a duplicate of that article (under another id, or
    none), and the labels' offsets fit it as well. Else the article with the item's id.
    """
    articles = Article.objects.filter(project=project)
    digest = content_hash(normalize_text(item.text))
    article = articles.filter(content_hash=digest).first()
    if article is None and item.external_id:
        article = articles.filter(external_id=item.external_id).first()
    name = repr(item.external_id) if item.external_id else "with this text"
    if article is None:
        return None, f"no article {name} in the project: its labels were not imported"
    if item.record is None and article.text != item.text:
        why = (
            "CR line ends or a BOM" if normalize_text(item.text) == article.text else "another text"
        )
        return None, f"the project's article {name} has {why}: the labels' offsets do not fit it"
    return article, ""


def sentence_content(
    sentence: Sentence, mapped: Mapped, labels: ProjectLabels
) -> AnnotationContent:
    """Return the sentence's labels as checked content (submitted; the claim may be empty)."""
    label = mapped.labels.get(sentence.pk)
    attributions = tuple(
        AttributionContent(
            speaker=a.speaker and SpeakerRef(name=a.speaker[0], kind=a.speaker[1]),
            source=a.source and Span(*a.source),
            cue=a.cue and Span(*a.cue),
            content=a.content and Span(*a.content),
            quote_type=a.quote_type,
            suggested=a.suggested,
        )
        for a in mapped.attributions.get(sentence.pk, ())
    )
    content = AnnotationContent(
        claim=label.claim if label else "",
        claim_types=label.claim_types if label else (),
        attributions=attributions,
        stances=tuple(StanceContent(t, v) for t, v in label.stances) if label else (),
        status=AnnotationStatus.DRAFT,  # checked as a draft: an empty claim is allowed here
    )
    try:
        checked = content_check(content, sentence_text=sentence.text, labels=labels)
    except InvalidInput as error:
        origins = [
            label and label.origin,
            *(a.origin for a in mapped.attributions.get(sentence.pk, ())),
        ]
        origin = next((o for o in origins if o is not None), None)
        number = origin.sentence if origin else sentence.index + 1
        raise LabelsRefused(
            {f"sentence {number}": error.errors}, ref=origin and origin.ref
        ) from None
    return replace(checked, status=AnnotationStatus.SUBMITTED)


def _annotations_store(result, sentences, mapped, *, labels, user, as_, actor) -> None:
    kind = AnnotationKind.GOLD if as_.kind == GOLD else AnnotationKind.ANNOTATOR
    stored = Annotation.objects.filter(sentence__in=sentences, kind=kind)
    if kind == AnnotationKind.ANNOTATOR:
        stored = stored.filter(annotator=user)
    versions = dict(stored.values_list("sentence_id", "version"))
    labelled_before = set(stored.filter(labelled_stored()).values_list("sentence_id", flat=True))
    for sentence in sentences:
        if sentence.pk not in mapped.labelled and sentence.pk in labelled_before:
            result.counts["sentences kept"] += 1
            continue
        content = sentence_content(sentence, mapped, labels)
        saved = annotation_save(
            sentence=sentence,
            user=user,
            content=content,
            version=versions.get(sentence.pk),
            kind=kind,
            keep_lead_time=True,
            actor=actor,
        )
        result.counts["sentences changed" if saved.changed else "sentences unchanged"] += 1
        result.counts["attributions"] += len(content.attributions)


def labelled_stored() -> Q:
    """Annotations that hold a label: a claim, an attribution or a stance."""
    return ~Q(claim="") | Q(attributions__isnull=False) | Q(stances__isnull=False)


def _predictions_store(result, sentences, mapped, *, labels, user, as_, actor) -> None:
    for sentence in sentences:
        if sentence.pk not in mapped.labelled:
            continue
        content = speakers_resolve(
            project_id=sentence.project_id, content=sentence_content(sentence, mapped, labels)
        )
        stored = {
            "claim": content.claim,
            "attributions": [
                {
                    "speaker": a.speaker
                    and {"id": a.speaker.id, "name": a.speaker.name, "kind": a.speaker.kind},
                    **{
                        role: list(a.span(role)) if a.span(role) else None
                        for role in ("source", "cue", "content")
                    },
                    "quote_type": a.quote_type,
                }
                for a in content.attributions
            ],
        }
        current = Prediction.objects.filter(sentence=sentence).first()
        if (
            current is not None
            and {"claim": current.claim, "attributions": current.attributions} == stored
        ):
            result.counts["sentences unchanged"] += 1
            continue
        Prediction.objects.update_or_create(sentence=sentence, defaults=stored)
        result.counts["sentences changed"] += 1
        result.counts["attributions"] += len(content.attributions)
