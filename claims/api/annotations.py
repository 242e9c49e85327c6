"""The requester's own annotation of a sentence: read it, or save it with its version."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import sentence_for
from claims.api.schema import AnnotationBody, AnnotationSerializer, ErrorSerializer
from claims.payloads import PayloadError, parse_annotation
from claims.records import annotation_record
from claims.selectors import annotation_of, label_context
from claims.services.annotations import StaleVersion, annotation_save


class SentenceAnnotationView(APIView):
    @extend_schema(
        responses={
            200: AnnotationSerializer,
            204: OpenApiResponse(description="Not annotated yet"),
            404: ErrorSerializer,
        }
    )
    def get(self, request, sentence_id: int):
        sentence, _ = sentence_for(request.user, sentence_id)
        annotation = annotation_of(sentence_id=sentence.id, user_id=request.user.id)
        if annotation is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(annotation_record(annotation))

    @extend_schema(
        request=AnnotationBody,
        responses={
            200: AnnotationSerializer,
            201: AnnotationSerializer,
            400: OpenApiResponse(description="Names each bad field"),
            404: ErrorSerializer,
            409: OpenApiResponse(AnnotationSerializer, description="Stale version: the current"),
        },
    )
    def put(self, request, sentence_id: int):
        sentence, _ = sentence_for(request.user, sentence_id)
        data = request.data
        version = data.get("version") if isinstance(data, dict) else None
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise serializers.ValidationError({"version": ["must be an integer or null"]})
        try:
            content = parse_annotation(
                data, sentence_text=sentence.text, labels=label_context(sentence.project)
            )
            result = annotation_save(
                sentence=sentence, user=request.user, content=content, version=version
            )
        except PayloadError as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        except StaleVersion as stale:
            current = stale.current and annotation_record(stale.current)
            return Response(
                {"detail": "The annotation changed since you read it.", "current": current},
                status=status.HTTP_409_CONFLICT,
            )
        created = result.changed and result.annotation.version == 1
        return Response(
            annotation_record(result.annotation),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
