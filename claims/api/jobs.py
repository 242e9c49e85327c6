"""Follow a background job: its status, progress, and result or the reason it failed."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from claims.access import role_in
from claims.api.permissions import MAX_ID, ScopedPermission
from claims.jobs.leases import jobs_recover
from claims.jobs.models import Job
from claims.jobs.selectors import jobs_visible_to


class JobSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="What the job does")
    project = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    started_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    result = serializers.JSONField(
        read_only=True, help_text="What the job made (when it succeeded)"
    )
    detail = serializers.JSONField(
        read_only=True,
        help_text="What it is doing, in its kind's terms: a training's part, parts, run (which "
        "of a part's trainings, when it trains more than once), epoch, epochs (of that run), "
        "loss, part_done, left_seconds and history (the dev figures after each epoch)",
    )
    attempts = serializers.IntegerField(
        read_only=True, help_text="Workers that took it: more than 1 when a worker died mid-job"
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "project",
            "started_by",
            "params",
            "status",
            "done",
            "total",
            "detail",
            "attempts",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CanSeeJob(ScopedPermission):
    audience = "the user who started the job, and reviewers of its project"

    def resolve(self, request, view) -> None:
        job_id = view.kwargs["job_id"]
        visible = jobs_visible_to(request.user).select_related("project", "started_by")
        if job_id <= MAX_ID:
            jobs_recover(visible.filter(pk=job_id))  # its worker died: say so, now
        job = job_id <= MAX_ID and visible.filter(pk=job_id).first()
        if not job:
            raise Http404("No such job.")
        view.job = job
        view.role = (job.project and role_in(job.project, request.user)) or "starter"


class JobDetailView(generics.GenericAPIView):
    serializer_class = JobSerializer
    permission_classes = [CanSeeJob]

    @extend_schema(
        summary="A background job",
        description="Poll it until `status` is `succeeded` (see `result`) or `failed` (see "
        "`error`). Progress: `done` of `total` (0 while unknown).",
    )
    def get(self, request, job_id: int):
        return Response(self.get_serializer(self.job).data)
