"""Articles and the sentences they are split into."""

from django.db import models
from django.db.models import F, Q

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
