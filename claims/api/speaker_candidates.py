"""Who a source span stands for: the speaker candidates of a sentence's span, best first."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.known_fields import KnownQuerySerializer
from claims.api.permissions import IsSentenceMember
from claims.models import Article, SpeakerKind
from claims.speakers.candidates import speaker_candidates
from claims.speakers.scene import ROWS_AFTER, scene_of, window_rows

MAX_OFFSET = 2**31 - 1


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="A speaker of the project; null: a new speaker to create"
    )
    name = serializers.CharField()
    kind = serializers.ChoiceField(SpeakerKind.choices)
    reason = serializers.CharField(help_text="Why it is proposed: 'last name', 'new: ...'")
    score = serializers.FloatField(help_text="In [0, 1]; the candidates come best first")


class CandidatesSerializer(serializers.Serializer):
    candidates = CandidateSerializer(many=True)


class SpanQuerySerializer(KnownQuerySerializer):
    start = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_OFFSET,
        help_text="The source span's start, in the sentence (code points)",
    )  # fmt: skip
    end = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_OFFSET,
        help_text="End-exclusive. Without start and end: an attribution with no source",
    )  # fmt: skip

    def validate(self, data):
        start, end = data.get("start"), data.get("end")
        length = self.context["length"]
        if (start is None) != (end is None):
            missing = "end" if end is None else "start"
            raise ValidationError({missing: ["required with the other offset"]})
        if end is not None and end > length:
            raise ValidationError({"end": [f"must be <= {length} (sentence length)"]})
        if start is not None and start >= end:
            raise ValidationError({"start": ["must be < end"]})
        return data


class SpeakerCandidatesView(APIView):
    serializer_class = CandidatesSerializer
    permission_classes = [IsSentenceMember]

    @extend_schema(
        summary="Speaker candidates for a source span",
        description=(
            "Who the source span may stand for, best first: project speakers matched by "
            "name, alias, an alias learnt from annotations, last name or head words; a new "
            "speaker (`id: null`) for a name no speaker has, titles dropped; for a pronoun "
            "or a nominal ('he', 'the newspaper') the fitting speakers named before it in "
            "the article. Without `start` and `end`: for an attribution without a source "
            "(the quotation's speaker, the author / outlet). The labeling page's picker "
            "starts from the first. Nothing is stored."
        ),
        parameters=[SpanQuerySerializer],
        responses={
            200: CandidatesSerializer,
            400: OpenApiResponse(description='A bad offset: {"end": ["must be <= 111 ..."]}'),
        },
    )
    def get(self, request, sentence_id: int):
        sentence = self.sentence
        query = SpanQuerySerializer(
            data=request.query_params, context={"length": len(sentence.text)}
        )
        query.is_valid(raise_exception=True)
        span = query.validated_data.get("start"), query.validated_data.get("end")
        span = None if span[0] is None else span
        source = "" if span else outlet_of(sentence.article_id)
        scene = scene_of(
            sentence=sentence, rows=window_rows(sentence), user_id=request.user.id,
            article_source=source, after=ROWS_AFTER,
        )  # fmt: skip
        found = speaker_candidates(scene, span)
        return Response({"candidates": [c.record() for c in found]})


def outlet_of(article_id: int) -> str:
    return Article.objects.filter(pk=article_id).values_list("source", flat=True).first() or ""
