"""The index speaker resolution reads: each speaker's names, aliases and learnt aliases,
looked up by their last word.

A row per name, alias and learnt alias of a speaker, keyed by the phrase's last word
(`token`): a sentence's words find the speakers it may name with one indexed query, whatever
the number of the project's speakers. Name and alias rows follow the speaker (kept by
`Speaker.save`); learnt rows count the annotations that link a source text to the speaker
(claims.speakers.evidence).
"""

from django.db import models
from django.db.models import Q

from claims.models.project import Project, Speaker


class SpeakerKeyOrigin(models.TextChoices):
    NAME = "name", "Name"
    ALIAS = "alias", "Alias"
    LEARNT = "learnt", "Learnt from annotations"


class SpeakerKey(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="keys")
    origin = models.CharField(max_length=10, choices=SpeakerKeyOrigin.choices)
    # The phrase as compared (claims.speakers.names.phrase_key) and as first written.
    phrase = models.CharField(max_length=600)
    text = models.CharField(max_length=200)
    token = models.CharField(max_length=200, help_text="The phrase's last word: the lookup key.")
    uses = models.PositiveIntegerField(
        default=0, help_text="Learnt: the annotations linking the text to the speaker."
    )

    class Meta:
        ordering = ["speaker_id", "origin", "-uses", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "origin", "phrase"], name="speaker_key_unique_phrase"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=SpeakerKeyOrigin.values), name="speaker_key_origin_valid"
            ),
        ]
        indexes = [models.Index(fields=["project", "token"], name="speaker_key_by_token")]

    def __str__(self) -> str:
        return f"{self.text} ({self.origin})"
