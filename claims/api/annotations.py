"""Annotations: the requester's own per sentence (read, save with its version), lists, one by id."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import annotations_visible_to
from claims.api.base import ProjectScopedView
from claims.api.known_fields import KnownQuerySerializer
from claims.api.permissions import CanReadAnnotation, IsSentenceMember
from claims.api.schema import AnnotationBody, AnnotationSerializer, ConflictSerializer
from claims.content import annotation_record, content_from_json
from claims.errors import InvalidInput
from claims.labels import project_labels
from claims.models import Annotation, AnnotationKind, AnnotationStatus, Sentence
from claims.selectors import annotation_of, annotations_with_details
from claims.services.annotations import StaleVersion, annotation_save, sentence_open_check

MAX_ID = 2**63 - 1

LAVROV_EXAMPLE = {
    "version": None,
    "status": "submitted",
    "claim": "claim",
    "claim_types": ["position_intention"],
    "attributions": [
        {
            "speaker": {"name": "Sergey Lavrov", "kind": "person"},
            "source": {"start": 98, "end": 104},
            "cue": {"start": 105, "end": 110},
            "content": {"start": 1, "end": 95},
            "quote_type": "direct",
        }
    ],
    "stance": [
        {
            "target": "International mediation between the Maduro government and the opposition",
            "label": "favor",
        }
    ],
    "lead_time_ms": 5400,
}


class SentenceAnnotationView(APIView):
    serializer_class = AnnotationSerializer
    permission_classes = [IsSentenceMember]
    sentence: Sentence

    @extend_schema(
        summary="My annotation of a sentence",
        description="Only ever the requester's own annotation; others' stay hidden (blind).",
        responses={
            200: AnnotationSerializer,
            204: OpenApiResponse(description="Not annotated yet"),
        },
    )
    def get(self, request, sentence_id: int):
        annotation = annotation_of(sentence_id=sentence_id, user_id=request.user.id)
        if annotation is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(annotation_record(annotation))

    @extend_schema(
        summary="Save my annotation of a sentence",
        description=(
            "Send the `version` you read (null for a new annotation). A stale version with "
            "different content gets 409 and the current annotation, never an overwrite; "
            "repeating a request with the same content changes nothing and returns 200. "
            'A speaker is `{"id": ...}` or `{"name": ..., "kind": ...}` (an existing '
            "name or alias, else a new speaker of that kind). Spans are offsets in the "
            "sentence (code points, end-exclusive). A field the API does not know is a 400 "
            "naming it (the whole annotation is replaced, so a misspelt field would erase "
            "what it meant to set); the read-only fields of the annotation you read may be "
            "sent back. Without `lead_time_ms` the stored time is kept."
        ),
        request=AnnotationBody,
        responses={
            200: OpenApiResponse(AnnotationSerializer, description="Updated, or unchanged"),
            201: OpenApiResponse(AnnotationSerializer, description="Created (version 1)"),
            400: OpenApiResponse(
                description='Each bad field, e.g. {"attributions": [{"source": {"end": '
                '["must be >= 0 and <= 57 (sentence length)"]}}]}'
            ),
            409: OpenApiResponse(ConflictSerializer, description="Stale version"),
        },
        examples=[OpenApiExample("A direct quote", value=LAVROV_EXAMPLE, request_only=True)],
    )
    def put(self, request, sentence_id: int):
        sentence = self.sentence
        data = request.data
        if request.stream is None:  # no body at all (an empty JSON object is a body)
            raise serializers.ValidationError(
                {"non_field_errors": ["the body is empty: expected a JSON object"]}
            )
        version = data.get("version") if isinstance(data, dict) else None
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise serializers.ValidationError({"version": ["must be an integer or null"]})
        labels = project_labels(sentence.project)
        try:
            sentence_open_check(sentence)
            content = content_from_json(data, sentence_text=sentence.text, labels=labels)
            # Time spent is summed over visits: a client that does not count it keeps it.
            result = annotation_save(
                sentence=sentence, user=request.user, content=content, version=version,
                keep_lead_time="lead_time_ms" not in data,
            )  # fmt: skip
        except InvalidInput as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        except StaleVersion as stale:
            if stale.current is None:
                detail = (
                    f"You have no annotation of this sentence to update (version {version} was"
                    " sent): send version null, or none, to create it."
                )
                body = {"detail": detail, "current": None}
                return Response(body, status=status.HTTP_409_CONFLICT)
            current = annotation_record(stale.current)
            return Response(
                {"detail": "The annotation changed since you read it.", "current": current},
                status=status.HTTP_409_CONFLICT,
            )
        created = result.changed and result.annotation.version == 1
        record = annotation_record(result.annotation, result.content, labels.target_names)
        return Response(record, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class AnnotationFilterSerializer(KnownQuerySerializer):
    annotator = serializers.CharField(required=False, max_length=150, help_text="Username")
    status = serializers.ChoiceField(AnnotationStatus.choices, required=False)
    claim = serializers.CharField(required=False, max_length=50, help_text="A claim label")
    article = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    sentence = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(
        AnnotationKind.choices, required=False, help_text="gold: reviewers' adjudicated copies"
    )
    updated_since = serializers.DateTimeField(
        required=False, help_text="ISO 8601; only annotations changed at or after it"
    )


FILTER_FIELDS = {
    "annotator": "annotator__username",
    "status": "status",
    "claim": "claim",
    "article": "sentence__article_id",
    "sentence": "sentence_id",
    "kind": "kind",
    "updated_since": "updated_at__gte",
}


class ProjectAnnotationsView(mixins.ListModelMixin, ProjectScopedView):
    queryset = Annotation.objects.none()
    serializer_class = AnnotationSerializer

    @extend_schema(
        summary="List annotations",
        description="Reviewers see everyone's (and gold); annotators only their own.",
        parameters=[AnnotationFilterSerializer],
        responses={
            200: AnnotationSerializer(many=True),
            400: OpenApiResponse(description='A bad filter, e.g. {"status": [...]}'),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        filters = AnnotationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        claim = wanted.get("claim")
        if claim and claim not in (claims := project_labels(self.project).claim_values):
            raise ValidationError(
                {"claim": [f"unknown claim label; expected one of {sorted(claims)}"]}
            )
        annotations = annotations_visible_to(
            Annotation.objects.filter(sentence__project=self.project),
            self.request.user,
            self.role,
        ).filter(**{FILTER_FIELDS[name]: value for name, value in wanted.items()})
        return annotations_with_details(annotations).order_by("id")


class AnnotationDetailView(generics.GenericAPIView):
    serializer_class = AnnotationSerializer
    permission_classes = [CanReadAnnotation]

    @extend_schema(
        summary="One annotation",
        description="Reviewers may read any in their projects; annotators only their own.",
    )
    def get(self, request, annotation_id: int):
        return Response(annotation_record(self.annotation))
