"""What the labeling page shows for one sentence: the text and its context, where it sits in
the project, the requester's own labels (never anyone else's), speakers and suggestions."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from claims.content import annotation_record
from claims.labeling.progress import Progress, done_annotations
from claims.labeling.speakers import speaker_parts
from claims.learning.serving import sentence_suggestions, suggestion_sources
from claims.models import (
    AnnotationKind,
    Article,
    Attribution,
    ClaimBuster,
    LabelField,
    LabelOption,
    QueueSize,
    Sentence,
    Speaker,
)
from claims.nlp.suggestions import KnownSpeaker
from claims.selectors import annotation_of

CONTEXT_SENTENCES = 2


def queue_item(*, sentence_id: int, user) -> dict[str, Any]:
    """Return everything the page needs to label the sentence, as plain data."""
    sentence = (
        Sentence.objects.select_related("article", "project")
        .annotate(
            not_claim=Subquery(not_claim_value(OuterRef("project__schema_id"))),
            **suggestion_sources(),
        )
        .get(pk=sentence_id)
    )
    article = sentence.article
    context = list(
        Sentence.objects.filter(
            article=article,
            index__gte=sentence.index - CONTEXT_SENTENCES,
            index__lte=sentence.index + CONTEXT_SENTENCES,
        )
        .exclude(pk=sentence.pk)
        .order_by("index")
        .values("id", "index", "kind", "text")
    )
    before = [c for c in context if c["index"] < sentence.index]
    after = [c for c in context if c not in before]
    annotation = annotation_of(sentence_id=sentence.id, user_id=user.id)
    position, progress = position_of(sentence, user)
    return {
        "sentence": {
            "id": sentence.id,
            "index": sentence.index,
            "kind": sentence.kind,
            "text": sentence.text,
        },
        "article": {
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "url": article.url,
        },
        "position": position,
        "context": {"before": before, "after": after},
        "annotation": annotation and annotation_record(annotation),
        **speaker_parts(sentence, user, before=before, after=after),
        "progress": progress,
    }


def position_of(sentence: Sentence, user) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return 'sentence i of n (labelable ones), article j of m', and the user's progress."""
    in_article = Sentence.objects.filter(article_id=sentence.article_id).in_queue()
    sentences = in_article.aggregate(
        n=Count("id"), i=Count("id", filter=Q(index__lte=sentence.index))
    )
    articles = Article.objects.filter(project_id=sentence.project_id).aggregate(
        m=Count("id"), j=Count("id", filter=Q(id__lte=sentence.article_id)), last=Max("id")
    )
    numbers = {
        "sentence": sentences["i"],
        "sentences": sentences["n"],
        "article": articles["j"],
        "articles": articles["m"],
    }
    label = "sentence {sentence} of {sentences}, article {article} of {articles}"
    total = queue_size(sentence.project_id, articles=articles["m"], last=articles["last"])
    progress = Progress(
        done=done_annotations(sentence.project).filter(annotator=user).count(), total=total
    )
    return (
        {**numbers, "label": label.format(**numbers)},
        {"done": progress.done, "total": progress.total, "percent": progress.percent},
    )


def queue_size(project_id: int, *, articles: int, last: int | None) -> int:
    """Return the number of queue sentences in the project, recounting when articles changed."""
    last = last or 0
    stored = QueueSize.objects.filter(project_id=project_id).first()
    if stored is not None and (stored.articles, stored.last_article) == (articles, last):
        return stored.sentences
    total = Sentence.objects.filter(project_id=project_id).in_queue().count()
    fields = {"articles": articles, "last_article": last, "sentences": total}
    try:
        with transaction.atomic():
            QueueSize.objects.update_or_create(project_id=project_id, defaults=fields)
    except IntegrityError:
        pass  # a concurrent request stored the same count first
    return total


def previous_speakers(user, sentence_ids: list[int]) -> list[dict[str, Any]]:
    """Return the speakers of the user's own annotations of these sentences, nearest first."""
    rank = {sentence_id: rank for rank, sentence_id in enumerate(sentence_ids)}
    rows = Attribution.objects.filter(
        annotation__sentence_id__in=sentence_ids,
        annotation__annotator=user,
        annotation__kind=AnnotationKind.ANNOTATOR,
        speaker__isnull=False,
    ).values_list(
        "annotation__sentence_id", "position", "speaker_id", "speaker__name", "speaker__kind"
    )
    speakers: dict[int, dict[str, Any]] = {}
    for _, _, speaker_id, name, kind in sorted(rows, key=lambda r: (rank[r[0]], r[1])):
        speakers.setdefault(speaker_id, {"id": speaker_id, "name": name, "kind": kind})
    return list(speakers.values())


def not_claim_value(schema_id) -> QuerySet:
    """Return the query of the schema's value for "not a claim" (at most one row)."""
    return LabelOption.objects.filter(
        schema_id=schema_id, field=LabelField.CLAIM, claimbuster=ClaimBuster.NFS
    ).values("value")[:1]


def suggestions_for(sentence: Sentence, *, not_claim: str | None = None) -> dict[str, Any]:
    """Return the suggestions for a sentence, naming the project's speakers it mentions.

    `not_claim`: the project's "not a claim" value, looked up when not given.
    """
    if not_claim is None:
        not_claim = (
            not_claim_value(sentence.project.schema_id).values_list("value", flat=True).first()
        )
    context = (
        Sentence.objects.filter(
            article_id=sentence.article_id,
            index__gte=sentence.index - CONTEXT_SENTENCES,
            index__lte=sentence.index + CONTEXT_SENTENCES,
        )
        .exclude(pk=sentence.pk)
        .order_by("index")
        .values_list("index", "text")
    )
    return sentence_suggestions(
        sentence,
        speakers=known_speakers(sentence),
        not_claim=not_claim,
        before=[text for index, text in context if index < sentence.index],
        after=[text for index, text in context if index > sentence.index],
    )


def known_speakers(sentence: Sentence) -> list[KnownSpeaker]:
    """Return the project's speakers whose name or an alias occurs in the sentence's text."""
    folded = sentence.text.casefold()
    rows = Speaker.objects.filter(project_id=sentence.project_id).values_list(
        "id", "name", "kind", "aliases"
    )
    known = []
    for speaker_id, name, kind, aliases in rows.iterator(chunk_size=2000):
        names = [name, *(a for a in aliases or [] if isinstance(a, str))]
        if any(n and n.casefold() in folded for n in names):
            known.append(KnownSpeaker(speaker_id, name, kind, tuple(names[1:])))
    return known
