"""The annotation queue's state in the database: reservations and scan cursors.

Nothing about the queue lives in process memory, so any number of workers can serve it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models.article import Article, Sentence
from claims.models.project import Project


class Assignment(models.Model):
    """A sentence handed to an annotator, reserved for them until `expires_at`.

    An annotator holds one of the sentence's annotations-per-sentence while the reservation is
    live or once they have submitted or skipped it. Reservations are only written under a lock
    on the sentence (see claims.labeling.queue), so two annotators asking at once cannot both
    take its last free place.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    sentence = models.ForeignKey(Sentence, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claim_assignments"
    )
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sentence", "annotator"], name="assignment_one_per_annotator"
            ),
        ]
        indexes = [
            models.Index(
                fields=["project", "annotator", "expires_at"], name="assignment_by_annotator"
            )
        ]

    def __str__(self) -> str:
        return f"sentence {self.sentence_id} for {self.annotator_id}"


class QueueCursor(models.Model):
    """Where an annotator's scan of the queue starts: every sentence before it is settled.

    With an annotator: each earlier sentence was done by them or had all its annotations.
    Without one (the project's frontier): each earlier sentence had all its annotations.
    `per_sentence` is the project setting the cursor was computed under; a change resets it.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    # The position (article id, sentence index) of the first sentence not known to be settled.
    at_article = models.BigIntegerField(default=0)
    at_index = models.PositiveIntegerField(default=0)
    per_sentence = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "annotator"], name="queue_cursor_one_per_annotator"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(annotator__isnull=True),
                name="queue_cursor_one_frontier",
            ),
        ]

    def __str__(self) -> str:
        return f"cursor of {self.annotator_id} at ({self.at_article}, {self.at_index})"

    @property
    def position(self) -> tuple[int, int]:
        return self.at_article, self.at_index


class QueueSize(models.Model):
    """How many sentences and articles a project's queue holds, recounted when it changes.

    Counting a million sentences (or twenty thousand articles) on every request would dominate
    the next-sentence answer; the newest article's id, one index read, tells when these numbers
    are stale: importing adds articles with higher ids.
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    articles = models.PositiveIntegerField()
    last_article = models.BigIntegerField()
    sentences = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.sentences} sentences in project {self.project_id}"

    @classmethod
    def forget(cls, project_id: int) -> None:
        """Have the labeling page count the project's queue again at its next request (gold
        arrived, or the project's rule for sentences with gold changed)."""
        cls.objects.filter(project_id=project_id).delete()


class QueueArticle(models.Model):
    """An article's place among its project's articles (1, 2, ...), stored with QueueSize so
    the labeling page says "article j of m" without counting the articles before it."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    ordinal = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"article {self.ordinal} of project {self.project_id}"
