"""A background job as the user who started it sees it."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from claims.jobs.registry import kind_title


class JobStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(models.Model):
    kind = models.CharField(max_length=100, help_text="The registered job kind (job_kind)")
    project = models.ForeignKey(
        "claims.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, help_text="0 while the total is unknown")
    detail = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the job is doing now, in its kind's terms (a training: part, epoch, "
        "loss, dev figures)",
    )
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the job failed")
    task_id = models.CharField(max_length=64, blank=True, help_text="The task framework's id")
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times a worker took it (more than 1: a worker died)"
    )
    # The worker running it renews the lease; a lease that ran out means that worker died
    # (claims.jobs.leases), whatever the status still says.
    lease_holder = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["started_by", "-created_at"], name="job_starter_idx"),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status="running"),
                name="job_running_lease_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="job_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(total=0) | Q(done__lte=F("total")), name="job_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"job {self.pk}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("admin:jobs_job_change", args=[self.pk])

    @property
    def title(self) -> str:
        return kind_title(self.kind)

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED}
