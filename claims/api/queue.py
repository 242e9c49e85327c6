"""The annotation queue: the requester's next (or previous) sentence, and suggestions."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.api.base import ProjectScopedView
from claims.api.known_fields import KnownQuerySerializer
from claims.api.permissions import IsSentenceMember
from claims.api.schema import AnnotationSerializer, AttributionRecordSerializer
from claims.labeling.articles import last_annotated
from claims.labeling.item import queue_item, suggestions_for
from claims.labeling.queue import queue_next, queue_previous
from claims.models import Sentence, SentenceKind, SpeakerKind

MAX_EXCLUDED = 20
MAX_ID = 2**63 - 1


class ContextSentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    index = serializers.IntegerField(help_text="Position in the article, from 0")
    kind = serializers.ChoiceField(SentenceKind.choices)
    text = serializers.CharField()


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True, help_text="Outlet or publisher")
    url = serializers.CharField(allow_blank=True)


class PositionSerializer(serializers.Serializer):
    sentence = serializers.IntegerField(
        help_text="Its number in the article, from 1, every sentence counted (as in the admin)"
    )
    sentences = serializers.IntegerField()
    article = serializers.IntegerField(help_text="Among the project's articles, in order")
    articles = serializers.IntegerField()
    label = serializers.CharField(help_text="'sentence 12 of 38, article 2 of 7'")


class ContextSerializer(serializers.Serializer):
    before = ContextSentenceSerializer(many=True, help_text="Up to two, in article order")
    after = ContextSentenceSerializer(many=True, help_text="Up to two, in article order")


class SuggestedSpeakerSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="null: a new speaker, created when the attribution is saved"
    )
    name = serializers.CharField()
    kind = serializers.ChoiceField(SpeakerKind.choices)


class SuggestedAttributionSerializer(AttributionRecordSerializer):
    speaker = SuggestedSpeakerSerializer(
        allow_null=True,
        help_text="The best speaker candidate for the source "
        "(GET /sentences/{id}/speaker-candidates/)",
    )


class SuggestionsSerializer(serializers.Serializer):
    attributions = SuggestedAttributionSerializer(
        many=True, help_text="Spans as in the export; `suggested` is true; stored only if sent"
    )
    claim = serializers.CharField(allow_null=True, help_text="A suggested claim label, if any")


class QueueProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Sentences the requester submitted or skipped")
    total = serializers.IntegerField()
    percent = serializers.FloatField()


class OffsetsSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()


class QuotedSentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    index = serializers.IntegerField()
    text = serializers.CharField()
    content = OffsetsSerializer(help_text="The quoted part of that sentence")


class QuotationSerializer(serializers.Serializer):
    sentences = QuotedSentenceSerializer(many=True, help_text="In article order")


class QueueItemSerializer(serializers.Serializer):
    sentence = ContextSentenceSerializer()
    article = ArticleRefSerializer()
    position = PositionSerializer()
    context = ContextSerializer()
    annotation = AnnotationSerializer(
        allow_null=True, help_text="The requester's own annotation, if any (others' never)"
    )
    quotation = QuotationSerializer(
        allow_null=True,
        help_text="When this sentence closes a quotation opened earlier: its earlier sentences",
    )
    speaker_sentence = ContextSentenceSerializer(
        allow_null=True,
        help_text="The sentence naming the speaker of the quotation this one is part of, when "
        "it is not in `context`",
    )
    suggestions = SuggestionsSerializer()
    progress = QueueProgressSerializer()


class NextQuerySerializer(KnownQuerySerializer):
    exclude = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text=f"Comma-separated sentence ids not to return (at most {MAX_EXCLUDED}), "
        "e.g. the one on screen when prefetching",
    )

    article = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Start at this article of the project (picked from the article list)",
    )

    def validate_exclude(self, value: str) -> list[int]:
        parts = [p.strip() for p in value.split(",") if p.strip()]
        wrong = [p for p in parts if not (p.isdigit() and int(p) <= MAX_ID)]
        if wrong:
            raise ValidationError(f"{wrong[0][:40]!r} is not a sentence id (ids are numbers)")
        if len(parts) > MAX_EXCLUDED:
            raise ValidationError(
                f"{len(parts)} sentence ids: expected at most {MAX_EXCLUDED}, comma-separated"
            )
        return [int(p) for p in parts]


class PreviousQuerySerializer(KnownQuerySerializer):
    before = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="A sentence id of this project; without it, the last sentence I annotated",
    )


class NextSentenceView(ProjectScopedView):
    serializer_class = QueueItemSerializer

    @extend_schema(
        summary="My next sentence",
        description=(
            "Reserve and return the requester's next sentence: their own unfinished one "
            "(reserved or drafted) first, else the first sentence, article by article, that "
            "they have not done and that still needs annotations. While reserved (30 minutes) "
            "it is not handed to anyone else when it needs only one more annotation."
        ),
        parameters=[NextQuerySerializer],
        responses={
            200: QueueItemSerializer,
            204: OpenApiResponse(description="Nothing left for the requester"),
            400: OpenApiResponse(
                description="A bad or unknown parameter, or an article not in the project: "
                '{"article": ["no article 7 in this project"]}'
            ),
        },
    )
    def get(self, request, slug: str):
        query = NextQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        article = wanted.get("article")
        if article is not None and not self.project.articles.filter(pk=article).exists():
            # Else the queue starts from the first article, as if none had been asked.
            raise ValidationError({"article": [f"no article {article} in this project"]})
        sentence_id = queue_next(
            project=self.project,
            user=request.user,
            exclude=wanted.get("exclude", []),
            from_article=wanted.get("article"),
        )
        if sentence_id is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(queue_item(sentence_id=sentence_id, user=request.user))


class PreviousSentenceView(ProjectScopedView):
    serializer_class = QueueItemSerializer

    @extend_schema(
        summary="My previous sentence",
        description=(
            "The last sentence before `before`, in queue order, that I have annotated; "
            "without `before`, the last one of all (e.g. once nothing is left to label)."
        ),
        parameters=[PreviousQuerySerializer],
        responses={
            200: QueueItemSerializer,
            204: OpenApiResponse(description="No earlier sentence annotated by the requester"),
            400: OpenApiResponse(description='A bad parameter: {"before": [...]}'),
        },
    )
    def get(self, request, slug: str):
        query = PreviousQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if "before" in query.validated_data:
            before = Sentence.objects.filter(
                pk=query.validated_data["before"], project=self.project
            ).first()
            if before is None:
                raise ValidationError({"before": ["no such sentence in this project"]})
            sentence_id = queue_previous(project=self.project, user=request.user, before=before)
        else:
            sentence_id = last_annotated(project=self.project, user=request.user)
        if sentence_id is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(queue_item(sentence_id=sentence_id, user=request.user))


class SentenceSuggestionsView(APIView):
    serializer_class = SuggestionsSerializer
    permission_classes = [IsSentenceMember]

    @extend_schema(
        summary="Suggestions for a sentence",
        description=(
            "Pre-annotation: cue words and phrases, direct quotations and source candidates "
            "(known speakers by name or alias), in the export's span shape. Nothing is stored."
        ),
        responses={200: SuggestionsSerializer},
    )
    def get(self, request, sentence_id: int):
        return Response(suggestions_for(self.sentence, user=request.user))
