"""Serializers that document the JSON shapes in the OpenAPI schema."""

from rest_framework import serializers

from claims.models import AnnotationStatus, QuoteType, SpeakerKind


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, help_text="Offset in the sentence, code points")
    end = serializers.IntegerField(min_value=0, help_text="End-exclusive")
    text = serializers.CharField(required=False, help_text="Checked against the sentence if sent")


class SpeakerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    name = serializers.CharField(required=False, help_text="An existing name or alias, or new")
    kind = serializers.ChoiceField(SpeakerKind.choices, required=False)


class AttributionSerializer(serializers.Serializer):
    speaker = SpeakerRefSerializer(allow_null=True, required=False)
    source = SpanSerializer(allow_null=True, required=False)
    cue = SpanSerializer(allow_null=True, required=False)
    content = SpanSerializer(allow_null=True, required=False)
    quote_type = serializers.ChoiceField(QuoteType.choices, allow_null=True, required=False)
    suggested = serializers.BooleanField(required=False)


class StanceSerializer(serializers.Serializer):
    target = serializers.CharField(help_text="Target name (or id)")
    label = serializers.CharField()


class AnnotationBody(serializers.Serializer):
    version = serializers.IntegerField(
        allow_null=True, required=False, help_text="The version read; null for a new annotation"
    )
    status = serializers.ChoiceField(AnnotationStatus.choices, required=False)
    claim = serializers.CharField(allow_null=True, required=False)
    claim_types = serializers.ListField(child=serializers.CharField(), required=False)
    attributions = AttributionSerializer(many=True, required=False)
    stance = StanceSerializer(many=True, required=False)
    skip_reason = serializers.CharField(required=False, allow_blank=True)
    lead_time_ms = serializers.IntegerField(min_value=0, required=False)


class AnnotationSerializer(AnnotationBody):
    id = serializers.IntegerField()
    sentence = serializers.IntegerField()
    annotator = serializers.CharField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
