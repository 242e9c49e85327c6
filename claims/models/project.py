"""Projects, their members, label schema, stance targets and speakers."""

import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class LabelSchemaManager(models.Manager):
    def get_by_natural_key(self, name: str) -> "LabelSchema":
        return self.get(name=name)


class LabelSchema(models.Model):
    """A reusable set of label options (claim labels, claim types, stance labels)."""

    name = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = LabelSchemaManager()

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)

    def values(self, field: str) -> list[str]:
        """Return the option values of one label field, in display order."""
        return [o.value for o in self.options.all() if o.field == field]


class LabelField(models.TextChoices):
    CLAIM = "claim", "Claim"
    CLAIM_TYPE = "claim_type", "Claim type"
    STANCE = "stance", "Stance"


class ClaimBuster(models.TextChoices):
    """What a claim value means, in ClaimBuster's terms, whatever the schema names it."""

    NFS = "nfs", "Not a claim (non-factual sentence)"
    UFS = "ufs", "Claim, not worth checking (unimportant factual sentence)"
    CFS = "cfs", "Check-worthy claim (check-worthy factual sentence)"


class LabelOptionManager(models.Manager):
    def get_by_natural_key(self, schema: str, field: str, value: str) -> "LabelOption":
        return self.get(schema__name=schema, field=field, value=value)


class LabelOption(models.Model):
    schema = models.ForeignKey(LabelSchema, on_delete=models.CASCADE, related_name="options")
    field = models.CharField(max_length=20, choices=LabelField.choices)
    value = models.SlugField(max_length=50)
    title = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    shortcut = models.CharField(max_length=1, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Claim values only: whether claim types may be given with it, and what it means, so
    # suggestions, agreement and exports work whatever a project calls its claim values.
    takes_types = models.BooleanField(
        default=False, help_text="Claim values only: claim types may be given with this value."
    )
    claimbuster = models.CharField(
        max_length=3,
        choices=ClaimBuster.choices,
        blank=True,
        help_text="Claim values only: the ClaimBuster class this value stands for.",
    )

    objects = LabelOptionManager()

    class Meta:
        ordering = ["schema", "field", "position", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["schema", "field", "value"], name="label_option_unique_value"
            ),
            models.CheckConstraint(
                condition=Q(field__in=LabelField.values), name="label_option_field_valid"
            ),
            models.CheckConstraint(
                condition=Q(field=LabelField.CLAIM) | Q(takes_types=False, claimbuster=""),
                name="label_option_claim_meaning_only_on_claims",
            ),
            models.UniqueConstraint(
                fields=["schema", "claimbuster"],
                condition=~Q(claimbuster=""),
                name="label_option_one_value_per_claimbuster_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.schema.name, self.field, self.value)

    natural_key.dependencies = ["claims.labelschema"]


class QueueOrder(models.TextChoices):
    ARTICLES = "articles", "Article by article"
    UNCERTAIN = "uncertain", "Least certain model prediction first"


# The default threshold of suggestions, chosen on the dev part of PolNeAR train (the model's
# training report, bench/RESULTS.md "Suggestion quality"): up to 0.3 each role's F1 holds
# (precision up, recall down as much), beyond it recall falls fast.
SUGGESTION_THRESHOLD = 0.3


class ProjectManager(models.Manager):
    def get_by_natural_key(self, slug: str) -> "Project":
        return self.get(slug=slug)


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    guidelines = models.TextField(blank=True, help_text="Markdown shown to annotators.")
    schema = models.ForeignKey(LabelSchema, on_delete=models.PROTECT, related_name="projects")
    annotations_per_sentence = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="How many annotators label each sentence.",
    )
    queue_order = models.CharField(
        max_length=10,
        choices=QueueOrder.choices,
        default=QueueOrder.ARTICLES,
        help_text="Uncertain first: the sentences the active suggestion model is least sure of "
        "(its spans, claim label or stance) come first; article order once none is left.",
    )
    gold_in_queue = models.BooleanField(
        "hand out sentences that have gold",
        default=False,
        help_text="Off: a sentence with gold (imported training labels, adjudicated sentences) "
        "is not handed to annotators, and progress leaves out the sentences that had gold "
        "before any annotator's work. On: annotators label them too (e.g. to measure them "
        "against the gold).",
    )
    suggestion_threshold = models.FloatField(
        default=SUGGESTION_THRESHOLD,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="Suggested attributions less sure than this (0 to 1) are not shown. A "
        "suggestion's confidence is the share of such suggestions that were wholly right on "
        "labelled articles (every span); 0 shows all. At the default, 0.3, precision rises "
        "about as much as recall falls; higher values trade recall for precision fast.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="claim_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annotations_per_sentence__gte=1),
                name="project_annotations_per_sentence_positive",
            ),
            models.CheckConstraint(
                condition=Q(queue_order__in=QueueOrder.values), name="project_queue_order_valid"
            ),
            models.CheckConstraint(
                condition=Q(suggestion_threshold__gte=0.0, suggestion_threshold__lte=1.0),
                name="project_suggestion_threshold_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    natural_key.dependencies = ["claims.labelschema"]


class Role(models.TextChoices):
    ANNOTATOR = "annotator", "Annotator"
    REVIEWER = "reviewer", "Reviewer"


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claim_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANNOTATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class StanceTargetManager(models.Manager):
    def get_by_natural_key(self, project: str, name: str) -> "StanceTarget":
        return self.get(project__slug=project, name=name)


class StanceTarget(models.Model):
    """Something the project asks annotators to take the speaker's stance toward."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = StanceTargetManager()

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="stance_target_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.project.slug, self.name)

    natural_key.dependencies = ["claims.project"]


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    COUNTRY = "country", "Country"
    MEDIA = "media", "Media"
    UNNAMED = "unnamed", "Unnamed source"
    AUTHOR = "author", "Author / outlet"


def tidy_name(name: str) -> str:
    """Return a name as stored: spaces collapsed, in Unicode's composed form (NFC), so that an
    "é" typed as "e" and a combining accent is stored as the "é" others type."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def fold_name(name: str) -> str:
    """Return a speaker name as compared: tidied, then case folded ("Ärzte" == "ÄRZTE";
    casefold may decompose, so composed again)."""
    return unicodedata.normalize("NFC", tidy_name(name).casefold())


def speaker_keys_follow(speakers, *, new: bool) -> None:
    """Index the speakers' names and aliases for speaker resolution (claims.speakers.index)."""
    from claims.speakers.index import speaker_keys_refresh  # it imports the models

    speaker_keys_refresh(speakers, new=new)


class SpeakerQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for speaker in objs:
            speaker.name_key = fold_name(speaker.name)
        created = super().bulk_create(objs, *args, **kwargs)
        speaker_keys_follow([s for s in created if s.pk is not None], new=True)
        return created


class Speaker(models.Model):
    """A project-wide source entity: 'Lavrov', 'the Russian top diplomat' and 'he' are one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=200)
    # The folded name, kept by save() and bulk_create(): names differing only in case or
    # spacing are one speaker, whatever the database's own idea of case.
    name_key = models.CharField(max_length=600, editable=False)  # casefold may triple
    kind = models.CharField(max_length=20, choices=SpeakerKind.choices)
    aliases = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The annotation whose save created it by name (a draft saved after `y` on a suggestion
    # naming a new speaker): dropped by that annotation and named nowhere, it is deleted.
    made_by = models.ForeignKey(
        "claims.Annotation", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+",
    )  # fmt: skip

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name_key"], name="speaker_unique_folded_name"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SpeakerKind.values), name="speaker_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if update_fields is None or {"name", "aliases"} & set(update_fields):
            speaker_keys_follow([self], new=adding)


class SpeakerMergeQuerySet(models.QuerySet):
    MAX_HOPS = 20

    def survivors(self, project_id: int, speaker_ids: set[int]) -> dict[int, int]:
        """Return the speaker each merged-away id became (following later merges), by id."""
        current = {speaker_id: speaker_id for speaker_id in speaker_ids}
        for _ in range(self.MAX_HOPS):
            rows = self.filter(project_id=project_id, removed_id__in=set(current.values()))
            step = dict(rows.values_list("removed_id", "kept_id"))
            if not step:
                break
            moved = {asked: step.get(now, now) for asked, now in current.items()}
            current = {asked: now for asked, now in moved.items() if now is not None}
        return {asked: now for asked, now in current.items() if asked != now}


class SpeakerMerge(models.Model):
    """A curator merged one speaker into another: its attributions now name the kept one.

    The removed speaker is gone, but the history still names it by id; this record keeps its
    name so that the history stays readable.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="speaker_merges")
    kept = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, related_name="merged_into_it"
    )
    kept_name = models.CharField(max_length=200)
    removed_id = models.PositiveBigIntegerField(help_text="The id of the speaker merged away.")
    removed_name = models.CharField(max_length=200)
    removed_kind = models.CharField(max_length=20)
    removed_aliases = models.JSONField(default=list, blank=True)
    attributions = models.PositiveIntegerField(help_text="Attributions re-pointed.")
    annotations = models.PositiveIntegerField(help_text="Annotations changed.")
    # None when the merge was made by a migration (case-only duplicates).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpeakerMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "removed_id"], name="speaker_merge_removed")]

    def __str__(self) -> str:
        return f"{self.removed_name} merged into {self.kept_name}"
