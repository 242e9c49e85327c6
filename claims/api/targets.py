"""The project's stance targets: list them (members) or add one (reviewers)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims.api.base import ProjectScopedView
from claims.api.known_fields import KnownFieldsSerializer
from claims.api.permissions import IsProjectMemberReviewerWrites
from claims.errors import InvalidInput
from claims.models import StanceTarget
from claims.services.targets import NAME_LENGTH, target_add


class StanceTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Send it as a stance's `target`")
    description = serializers.CharField(allow_blank=True)
    position = serializers.IntegerField(help_text="Order on the labeling page")


class StanceTargetCreateSerializer(KnownFieldsSerializer):
    name = serializers.CharField(
        max_length=NAME_LENGTH, help_text="New to the project (in any case)"
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="Shown to annotators"
    )


class ProjectTargetsView(ProjectScopedView):
    permission_classes = [IsProjectMemberReviewerWrites]
    serializer_class = StanceTargetSerializer
    pagination_class = None

    @extend_schema(summary="List the stance targets", responses=StanceTargetSerializer(many=True))
    def get(self, request, *args, **kwargs):
        targets = StanceTarget.objects.filter(project=self.project).order_by("position", "id")
        return Response(StanceTargetSerializer(targets, many=True).data)

    @extend_schema(
        summary="Add a stance target",
        description="Reviewers of the project. The target is offered on the labeling page at "
        "once and imported labels may name it.",
        request=StanceTargetCreateSerializer,
        responses={
            201: StanceTargetSerializer,
            400: OpenApiResponse(
                description="A bad or duplicate name: "
                '{"name": ["\'Brexit\' is already target 3 of this project"]}'
            ),
            403: OpenApiResponse(description="Not a reviewer of the project"),
        },
    )
    def post(self, request, *args, **kwargs):
        incoming = StanceTargetCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            target = target_add(project=self.project, **incoming.validated_data)
        except InvalidInput as error:
            raise ValidationError(error.errors) from None
        return Response(StanceTargetSerializer(target).data, status=status.HTTP_201_CREATED)
