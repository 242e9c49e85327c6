"""What the review pages show, stored: the agreement report and each sentence's disagreement.

Computing them reads every submitted annotation of a project (225,000 and more), too much for
a request; a background job (claims.quality.refresh) computes them, a chunk of sentences at a
time, and the pages read the stored rows. `last_event` is the newest AnnotationEvent counted:
a newer event of the project's sentences means the stored figures are behind.
"""

from django.db import models

from claims.models.article import Sentence
from claims.models.project import Project


class AgreementSnapshot(models.Model):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_event = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField()
    report = models.JSONField(help_text="claims.quality.report.AgreementReport.as_dict()")

    def __str__(self) -> str:
        return f"agreement of project {self.project_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class SentenceDisagreement(models.Model):
    """A sentence with two or more submitted annotations: how much its annotators differ.

    See claims.quality.disagreements for the score; `fields` is empty when they all agree.
    """

    sentence = models.OneToOneField(
        Sentence, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    claim_score = models.FloatField()
    annotators = models.JSONField(help_text="Usernames, sorted")
    n_annotators = models.PositiveSmallIntegerField()
    fields = models.JSONField(help_text="Names of the fields they differ on")
    claims = models.JSONField(help_text="Claim label -> how many chose it, most first")

    class Meta:
        indexes = [
            models.Index(
                "project",
                models.F("score").desc(),
                models.F("claim_score").desc(),
                models.F("n_annotators").desc(),
                "sentence",
                name="disagreement_worst_first",
            )
        ]

    def __str__(self) -> str:
        return f"sentence {self.sentence_id}: {self.score:.2f}"
