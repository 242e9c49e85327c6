"""The project's speakers: search them by name or alias, or add one."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from claims.api.base import ProjectScopedView
from claims.api.known_fields import KnownFieldsSerializer, KnownQuerySerializer
from claims.errors import InvalidInput
from claims.models import Speaker, SpeakerKind
from claims.selectors import speakers_matching
from claims.services.speakers import speaker_add
from claims.speakers.names import new_speaker_kind

MAX_ALIASES = 50


class SpeakerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(SpeakerKind.choices)
    aliases = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class SpeakerCreateSerializer(KnownFieldsSerializer):
    name = serializers.CharField(max_length=200, help_text="Canonical name, new to the project")
    kind = serializers.ChoiceField(SpeakerKind.choices)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=MAX_ALIASES,
        help_text="Other names: 'the Russian top diplomat'; each new to the project",
    )


class SpeakerFilterSerializer(KnownQuerySerializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of a name or alias"
    )
    kind = serializers.ChoiceField(SpeakerKind.choices, required=False)


class ProjectSpeakersView(mixins.ListModelMixin, ProjectScopedView):
    queryset = Speaker.objects.none()
    serializer_class = SpeakerSerializer

    @extend_schema(
        summary="List or search speakers",
        description="`search` matches any part of the name or of an alias, in any case. With "
        "`search`, the page also holds `new_kind`: the kind a new speaker of that name would "
        'most likely be ("Kremlin press office": organization), for a form that creates one.',
        parameters=[SpeakerFilterSerializer],
        responses={
            200: SpeakerSerializer(many=True),
            400: OpenApiResponse(description="A bad filter"),
        },
    )
    def get(self, request, *args, **kwargs):
        response = self.list(request, *args, **kwargs)
        search = " ".join(request.query_params.get("search", "").split())
        if search:
            response.data["new_kind"] = new_speaker_kind(search)
        return response

    def get_queryset(self):
        filters = SpeakerFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return speakers_matching(self.project, **filters.validated_data)

    @extend_schema(
        summary="Add a speaker",
        request=SpeakerCreateSerializer,
        responses={
            201: SpeakerSerializer,
            400: OpenApiResponse(
                description="A bad field, or a name or alias already used by a speaker: "
                '{"name": ["\'Lavrov\' already names speaker 3 of this project ..."]}'
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        incoming = SpeakerCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            speaker = speaker_add(project_id=self.project.id, **incoming.validated_data)
        except InvalidInput as error:
            raise ValidationError(error.errors) from None
        return Response(SpeakerSerializer(speaker).data, status=status.HTTP_201_CREATED)
