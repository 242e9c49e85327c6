"""The article list of the labeling page: where an annotator can pick up work.

Blind like the queue: an annotator sees their own count of done sentences, and how many are
left for them (not done by them, still short of the project's annotations per sentence, and
without gold unless the project hands those out), never anyone else's labels.
"""

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from claims.models import Annotation, Article, Project, Sentence
from claims.models.annotation import has_gold, sentences_to_label


def project_articles(project: Project) -> QuerySet:
    return Article.objects.filter(project=project).order_by("id")


def article_work(project: Project, user, articles: list[Article]) -> list[dict[str, Any]]:
    """Return each article with its queue sentences, those the user did and those left to them.

    Three queries whatever the number of articles on the page.
    """
    ids = [a.id for a in articles]
    in_queue = sentences_to_label(
        Sentence.objects.filter(article_id__in=ids), gold_too=project.gold_in_queue
    )
    totals = counts(in_queue)
    mine = Annotation.objects.done().filter(annotator=user)
    done = dict(
        mine.filter(sentence__in=in_queue)
        .order_by()
        .values_list("sentence__article_id")
        .annotate(n=Count("id"))
    )
    by_others = (
        Annotation.objects.done()
        .filter(sentence=OuterRef("pk"))
        .exclude(annotator=user)
        .order_by()
        .values("sentence")
        .annotate(n=Count("id"))
        .values("n")
    )
    settled = Q(others__gte=project.annotations_per_sentence)
    if not project.gold_in_queue:
        settled |= Q(has_gold())
    full = counts(
        in_queue.exclude(Exists(mine.filter(sentence=OuterRef("pk"))))
        .annotate(others=Subquery(by_others))
        .filter(settled)
    )
    return [
        {
            "id": article.id,
            "title": article.title or article.external_id,
            "sentences": totals.get(article.id, 0),
            "done": done.get(article.id, 0),
            "left": totals.get(article.id, 0) - done.get(article.id, 0) - full.get(article.id, 0),
        }
        for article in articles
    ]


def counts(sentences: QuerySet) -> dict[int, int]:
    return dict(sentences.order_by().values_list("article_id").annotate(n=Count("id")))


def last_annotated(*, project: Project, user) -> int | None:
    """Return the id of the last sentence, in queue order, the user has annotated."""
    return (
        Annotation.objects.annotators_work()
        .filter(annotator=user, sentence__project=project)
        .order_by("-sentence__article_id", "-sentence__index")
        .values_list("sentence_id", flat=True)
        .first()
    )
