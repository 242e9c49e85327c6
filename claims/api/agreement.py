"""A project's inter-annotator agreement: reviewers and staff only."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from claims.api.base import ProjectScopedView
from claims.api.permissions import IsProjectReviewer
from claims.api.schema import ErrorSerializer
from claims.models import Role
from claims.quality.report import agreement_report


def score(help_text: str = "") -> serializers.FloatField:
    """Return a nullable figure: null when nothing compares or the statistic is undefined."""
    return serializers.FloatField(allow_null=True, help_text=help_text)


class SentenceCountsSerializer(serializers.Serializer):
    to_label = serializers.IntegerField(help_text="Sentences the queue offers (body, heading)")
    complete = serializers.IntegerField(help_text="With as many done annotations as wanted")
    annotated = serializers.IntegerField(help_text="With at least one submitted annotation")
    comparable = serializers.IntegerField(help_text="With two or more: the items compared")
    adjudicated = serializers.IntegerField(help_text="With gold")


class PairSerializer(serializers.Serializer):
    annotators = serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    n_items = serializers.IntegerField()
    observed = score()
    cohen_kappa = score()


class LabelAgreementSerializer(serializers.Serializer):
    field = serializers.ChoiceField(["claim", "checkworthiness", "claim_type", "stance"])
    subject = serializers.CharField(
        allow_null=True, help_text="The claim type, or the stance target's name; else null"
    )
    title = serializers.CharField()
    n_items = serializers.IntegerField(help_text="Sentences with two or more ratings")
    observed = score("Mean share of agreeing annotator pairs per sentence")
    fleiss_kappa = score()
    krippendorff_alpha = score("Nominal; missing ratings allowed")
    pairs = PairSerializer(many=True)


class SpanPairSerializer(serializers.Serializer):
    annotators = serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    n_items = serializers.IntegerField()
    precision = score("Of the second annotator's spans")
    recall = score("Of the first annotator's spans")
    f1 = score()


class SpanTotalSerializer(serializers.Serializer):
    f1 = score("Micro-averaged over every annotator pair")
    matched = serializers.IntegerField()
    n_spans = serializers.IntegerField()
    pairs = SpanPairSerializer(many=True)


class SpanAgreementSerializer(serializers.Serializer):
    role = serializers.ChoiceField(["source", "cue", "content"])
    n_items = serializers.IntegerField()
    exact = SpanTotalSerializer()
    overlap = SpanTotalSerializer()


class SpeakerAgreementSerializer(serializers.Serializer):
    agreeing = serializers.IntegerField()
    compared = serializers.IntegerField(help_text="Source spans matched by overlap")
    share = score()


class AnnotatorSummarySerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.ChoiceField(Role.choices, allow_null=True, help_text="null: not a member")
    done = serializers.IntegerField(help_text="Sentences submitted or skipped")
    submitted = serializers.IntegerField()
    median_lead_time_ms = score()
    agreement_with_others = score("Claim label: share of comparisons agreeing")
    compared_with_others = serializers.IntegerField()
    kappa_with_others = score("Mean Cohen's kappa of the annotator's pairs, weighted by items")
    agreement_with_gold = score("Claim label")
    compared_with_gold = serializers.IntegerField()
    kappa_with_gold = score()


class AgreementSerializer(serializers.Serializer):
    project = serializers.SlugField()
    annotations_per_sentence = serializers.IntegerField()
    sentences = SentenceCountsSerializer()
    labels = LabelAgreementSerializer(many=True)
    spans = SpanAgreementSerializer(many=True)
    speakers = SpeakerAgreementSerializer()
    annotators = AnnotatorSummarySerializer(many=True)


class ProjectAgreementView(ProjectScopedView):
    permission_classes = [IsProjectReviewer]

    @extend_schema(
        summary="Inter-annotator agreement of the project",
        description="Observed agreement, Cohen's kappa per pair, Fleiss' kappa and "
        "Krippendorff's alpha per label field; span F1 (exact and overlap); speaker "
        "agreement; per-annotator figures. Computed over submitted annotations. "
        "Reviewers and staff only (annotators get 403).",
        responses={
            200: AgreementSerializer,
            403: OpenApiResponse(ErrorSerializer, description="Annotators"),
            404: OpenApiResponse(ErrorSerializer, description="Not a member of the project"),
        },
    )
    def get(self, request, slug: str):
        return Response(agreement_report(self.project).as_dict())
