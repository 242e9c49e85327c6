"""A project's inter-annotator agreement: reviewers and staff only."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from claims.api.base import ProjectScopedView
from claims.api.permissions import IsProjectReviewer
from claims.api.schema import ErrorSerializer
from claims.jobs.kinds.quality import review_figures_current
from claims.models import AgreementSnapshot, Role


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
    computed_at = serializers.DateTimeField(help_text="When these figures were computed")
    up_to_date = serializers.BooleanField(
        help_text="false: annotations changed since; new figures are being computed (job)"
    )
    job = serializers.CharField(allow_null=True, help_text="The job computing them, if any")


class ComputingSerializer(serializers.Serializer):
    detail = serializers.CharField()
    job = serializers.CharField(help_text="The job computing them: GET it to follow")


class ProjectAgreementView(ProjectScopedView):
    permission_classes = [IsProjectReviewer]

    @extend_schema(
        summary="Inter-annotator agreement of the project",
        description="Observed agreement, Cohen's kappa per pair, Fleiss' kappa and "
        "Krippendorff's alpha per label field; span F1 (exact and overlap); speaker "
        "agreement; per-annotator figures. Computed over submitted annotations, in the "
        "background: the stored figures come back at once, with `up_to_date` false and the "
        "job computing new ones when the annotations changed since (202 until the first are "
        "ready). Reviewers and staff only (annotators get 403).",
        responses={
            200: AgreementSerializer,
            202: OpenApiResponse(
                ComputingSerializer, description="The first figures are being computed"
            ),
            403: OpenApiResponse(ErrorSerializer, description="Annotators"),
            404: OpenApiResponse(ErrorSerializer, description="Not a member of the project"),
        },
    )
    def get(self, request, slug: str):
        job = review_figures_current(self.project, request.user)
        job_url = job and reverse("api-job", args=[job.pk])
        snapshot = AgreementSnapshot.objects.filter(project=self.project).first()
        if snapshot is None:
            detail = "The agreement figures are being computed."
            return Response({"detail": detail, "job": job_url}, status=status.HTTP_202_ACCEPTED)
        return Response(
            {
                **snapshot.report,
                "computed_at": snapshot.computed_at,
                "up_to_date": job is None,
                "job": job_url,
            }
        )
