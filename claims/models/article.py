"""Articles and the sentences they are split into."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from claims.models.project import Project


class Article(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="articles")
    external_id = models.CharField(max_length=200)
    title = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Outlet or publisher.")
    url = models.URLField(max_length=2000, blank=True)
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the text.")
    meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"], name="article_unique_external_id"
            ),
            models.UniqueConstraint(
                fields=["project", "content_hash"], name="article_unique_content"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="article_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or self.external_id


class SentenceKind(models.TextChoices):
    BODY = "body", "Body"
    HEADING = "heading", "Heading"
    DATELINE = "dateline", "Dateline"
    BOILERPLATE = "boilerplate", "Boilerplate"


# Datelines and boilerplate are never claims, so nobody is asked to label them.
QUEUE_KINDS = (SentenceKind.BODY, SentenceKind.HEADING)


class SentenceQuerySet(models.QuerySet):
    def in_queue(self) -> "SentenceQuerySet":
        """Return the sentences of the kinds annotators are asked to label."""
        return self.filter(kind__in=QUEUE_KINDS)

    def annotators_work(self, *, gold_too: bool) -> "SentenceQuerySet":
        """Return the queue sentences that are annotators' work, as progress counts them.

        Unless gold is handed out too (``gold_too``, the project's ``gold_in_queue``), a
        sentence that had gold before any annotator's annotation (imported training labels)
        is not: the queue never offers it. A sentence annotated before its gold was made
        (adjudicated) still counts.
        """
        queue = self.in_queue()
        return queue if gold_too else queue.exclude(gold_before_work())

    def annotators_work_of_projects(self) -> "SentenceQuerySet":
        """Return ``annotators_work`` of several projects, each by its own ``gold_in_queue``."""
        return self.in_queue().exclude(Q(project__gold_in_queue=False) & gold_before_work())


def has_gold() -> Exists:
    """Return the condition: the sentence (the query's row) has gold."""
    from claims.models.annotation import Annotation, AnnotationKind

    return Exists(Annotation.objects.filter(sentence=OuterRef("pk"), kind=AnnotationKind.GOLD))


def gold_before_work() -> Q:
    """Return the condition: the sentence has gold and no annotator's annotation."""
    from claims.models.annotation import Annotation, AnnotationKind

    work = Annotation.objects.filter(sentence=OuterRef("pk"), kind=AnnotationKind.ANNOTATOR)
    return Q(has_gold()) & ~Q(Exists(work))


class Sentence(models.Model):
    """One sentence: article.text[start:end], stored again in `text` so reads skip the article."""

    # The project is repeated here so the annotation queue is one indexed scan.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sentences")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sentences")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=SentenceKind.choices, default=SentenceKind.BODY)
    text = models.TextField()

    objects = SentenceQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="sentence_unique_index"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sentence_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=SentenceKind.values), name="sentence_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "article", "index"], name="sentence_queue")]

    def __str__(self) -> str:
        return self.text[:80]

    def __len__(self) -> int:
        return self.end - self.start

    @property
    def number(self) -> int:
        """Return the sentence's number as people see it: its place in the article, from 1.

        Every sentence counts (headings, datelines and boilerplate too), so a number names
        the same sentence on every page; exports keep the 0-based `index`.
        """
        return self.index + 1
