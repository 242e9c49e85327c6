"""Projects the requester belongs to: their settings, label schema, targets and progress."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response

from claims.api.base import ProjectScopedView
from claims.models import Project, Role
from claims.selectors import project_overview, projects_with_roles


class ProjectSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    role = serializers.SerializerMethodField(help_text="Superusers count as reviewers everywhere")
    annotations_per_sentence = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(Role.choices))
    def get_role(self, project: Project) -> str:
        user = self.context["request"].user
        return Role.REVIEWER if user.is_superuser else project.member_role


class LabelOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What annotations store and send")
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    shortcut = serializers.CharField(allow_blank=True, help_text="Key on the labeling page")
    takes_types = serializers.BooleanField(help_text="Claim values: claim types may go with it")
    claimbuster = serializers.CharField(
        allow_blank=True, help_text="Claim values: ClaimBuster class, nfs / ufs / cfs"
    )


class LabelSchemaSerializer(serializers.Serializer):
    name = serializers.CharField()
    claim = LabelOptionSerializer(many=True, help_text="Claim labels (one per sentence)")
    claim_type = LabelOptionSerializer(many=True, help_text="Claim types (any number)")
    stance = LabelOptionSerializer(many=True, help_text="Stance labels (one per target)")


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Send it as a stance's `target`")
    description = serializers.CharField(allow_blank=True)


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField()


class MemberProgressSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(Role.choices)
    done = serializers.IntegerField(help_text="Sentences submitted or skipped")


class ProjectProgressSerializer(serializers.Serializer):
    project = ProgressSerializer(help_text="Sentences with all the annotations wanted")
    mine = ProgressSerializer(help_text="Sentences the requester submitted or skipped")
    members = MemberProgressSerializer(
        many=True, allow_null=True, help_text="Each member's count; reviewers only, else null"
    )


class ProjectDetailSerializer(serializers.Serializer):
    slug = serializers.SlugField(source="project.slug")
    name = serializers.CharField(source="project.name")
    role = serializers.ChoiceField(Role.choices)
    guidelines = serializers.CharField(source="project.guidelines", help_text="Markdown")
    annotations_per_sentence = serializers.IntegerField(source="project.annotations_per_sentence")
    created_at = serializers.DateTimeField(source="project.created_at")
    articles = serializers.IntegerField(help_text="Number of articles")
    schema = LabelSchemaSerializer()
    targets = TargetSerializer(many=True, help_text="Stance targets")
    progress = ProjectProgressSerializer()


class ProjectListView(generics.ListAPIView):
    queryset = Project.objects.none()
    serializer_class = ProjectSummarySerializer

    @extend_schema(summary="List my projects", description="Staff see every project.")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return projects_with_roles(self.request.user)


class ProjectDetailView(ProjectScopedView):
    serializer_class = ProjectDetailSerializer

    @extend_schema(summary="A project: label schema, targets, guidelines and progress")
    def get(self, request, slug: str):
        overview = project_overview(self.project, request.user, self.role)
        return Response(self.get_serializer(overview).data)
