"""Trained suggestion models, imported predictions, and what the queue needs from a model."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models import Project, Sentence


class SuggestionModel(models.Model):
    """A model trained on a project's labels: its bytes, what it scored on dev, and whether
    it is the one the project's suggestions use (at most one active per project).

    Kept in the database so that every app server loads the same model with nothing on disk.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="models")
    version = models.PositiveIntegerField()
    active = models.BooleanField(default=False)
    data = models.BinaryField(help_text="ClaimModel.to_bytes(): configs and weights (msgpack)")
    size = models.PositiveIntegerField(default=0, help_text="Bytes")
    figures = models.JSONField(default=dict, blank=True, help_text="Dev figures per part")
    meta = models.JSONField(default=dict, blank=True, help_text="Labels, settings, counts")
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "version"], name="suggestion_model_unique_version"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(active=True), name="suggestion_model_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"model v{self.version} of {self.project}"


class Prediction(models.Model):
    """A sentence's imported pre-annotation: shown as a suggestion, never human work.

    ``attributions``: ``[{"source": [s, e] | null, "cue": ..., "content": ..., "quote_type",
    "speaker": {"id", "name", "kind"} | null}]`` (sentence offsets); ``claim``: a claim value.
    """

    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="prediction")
    claim = models.CharField(max_length=50, blank=True)
    attributions = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"prediction for sentence {self.sentence_id}"


class Uncertainty(models.Model):
    """How unsure the active model is of a sentence's claim label (1 - top probability)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    sentence = models.OneToOneField(Sentence, on_delete=models.CASCADE, related_name="uncertainty")
    model = models.ForeignKey(SuggestionModel, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["project", "-score", "sentence"], name="uncertainty_by_score")
        ]

    def __str__(self) -> str:
        return f"{self.score:.3f} for sentence {self.sentence_id}"


class ModelComparison(models.Model):
    """A model, the rules and the project's active model then, scored on the model's dev
    articles (the articles its training kept apart): per label, and the model's reliability.

    Computed in a worker (``compare_model``) and kept: the model's page reads it at once.
    """

    model = models.ForeignKey(SuggestionModel, on_delete=models.CASCADE, related_name="comparisons")
    # The project's active model when computed (None: the rules suggested; or the model itself).
    against = models.ForeignKey(
        SuggestionModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    against_version = models.PositiveIntegerField(null=True, blank=True)
    figures = models.JSONField(
        default=dict, help_text='{"model": ..., "rules": ..., "active": ...}: evaluate() of each'
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["model", "-computed_at"], name="comparison_latest")]

    def __str__(self) -> str:
        return f"comparison of {self.model}"
