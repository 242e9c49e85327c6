"""Serializers that document the annotation JSON shapes (and render them) in the OpenAPI schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.content import MAX_ATTRIBUTIONS, MAX_LEAD_TIME_MS, MAX_SKIP_REASON, annotation_record
from claims.models import AnnotationKind, AnnotationStatus, QuoteType, SpeakerKind


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


# Request shapes (what a client sends to PUT /sentences/{id}/annotation/).


class SpanSerializer(serializers.Serializer):
    start = serializers.IntegerField(min_value=0, help_text="Offset in the sentence, code points")
    end = serializers.IntegerField(min_value=1, help_text="End-exclusive; greater than start")
    text = serializers.CharField(
        required=False, help_text="Optional; checked against the sentence's text if sent"
    )


class SpeakerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="An existing speaker of the project")
    name = serializers.CharField(
        required=False, max_length=200, help_text="Without id: an existing name or alias, or new"
    )
    kind = serializers.ChoiceField(
        SpeakerKind.choices, required=False, help_text="Required to create a new speaker"
    )


class AttributionBody(serializers.Serializer):
    speaker = SpeakerRefSerializer(allow_null=True, required=False)
    source = SpanSerializer(allow_null=True, required=False, help_text="Who says it")
    cue = SpanSerializer(allow_null=True, required=False, help_text="'said', 'according to'")
    content = SpanSerializer(allow_null=True, required=False, help_text="What is said")
    quote_type = serializers.ChoiceField(
        QuoteType.choices, allow_null=True, allow_blank=True, required=False
    )
    suggested = serializers.BooleanField(
        required=False, help_text="True when a suggestion was accepted unchanged"
    )


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class TargetField(serializers.Field):
    """A stance target given by name or by id."""


class StanceBody(serializers.Serializer):
    target = TargetField(help_text="Target name (or id), one of the project's targets")
    label = serializers.CharField(help_text="One of the schema's stance labels")


class AnnotationBody(serializers.Serializer):
    version = serializers.IntegerField(
        allow_null=True,
        required=False,
        help_text="The version read; null or absent for a new annotation",
    )
    status = serializers.ChoiceField(AnnotationStatus.choices, required=False)
    claim = serializers.CharField(
        allow_null=True, allow_blank=True, required=False, help_text="A claim label of the schema"
    )
    claim_types = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Only with a claim value that takes types",
    )
    attributions = AttributionBody(many=True, required=False, max_length=MAX_ATTRIBUTIONS)
    stance = StanceBody(many=True, required=False)
    skip_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_SKIP_REASON
    )
    lead_time_ms = serializers.IntegerField(min_value=0, max_value=MAX_LEAD_TIME_MS, required=False)


# Response shapes (claims.content.annotation_record), every field always present.


class SpanRecordSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True)


class SpeakerRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(SpeakerKind.choices)


class AttributionRecordSerializer(serializers.Serializer):
    speaker = SpeakerRecordSerializer(allow_null=True)
    source = SpanRecordSerializer(allow_null=True)
    cue = SpanRecordSerializer(allow_null=True)
    content = SpanRecordSerializer(allow_null=True)
    quote_type = serializers.ChoiceField(QuoteType.choices, allow_null=True)
    suggested = serializers.BooleanField()


class StanceRecordSerializer(serializers.Serializer):
    target = serializers.CharField(help_text="Target name")
    label = serializers.CharField()


class AnnotationSerializer(serializers.Serializer):
    """An annotation as the API and the JSONL export show it (render with annotation_record)."""

    id = serializers.IntegerField()
    sentence = serializers.IntegerField()
    annotator = serializers.CharField(help_text="Username (for gold: the adjudicating reviewer)")
    kind = serializers.ChoiceField(AnnotationKind.choices)
    status = serializers.ChoiceField(AnnotationStatus.choices)
    claim = serializers.CharField(allow_null=True)
    claim_types = serializers.ListField(child=serializers.CharField())
    attributions = AttributionRecordSerializer(many=True)
    stance = StanceRecordSerializer(many=True)
    skip_reason = serializers.CharField(allow_blank=True)
    lead_time_ms = serializers.IntegerField()
    version = serializers.IntegerField(help_text="Send it back with the next PUT")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance):
        return annotation_record(instance)


class ConflictSerializer(serializers.Serializer):
    """The 409 answer to a PUT carrying a stale version (documentation only)."""

    detail = serializers.CharField()
    current = AnnotationSerializer(
        allow_null=True, help_text="The annotation as stored now; null if it was never stored"
    )
