"""Request bodies and query strings whose every field the API knows.

DRF drops a field a serializer does not declare. For a write that replaces or creates
something, a misspelt field ("alias" for "aliases") then loses what it carried with a 2xx;
for a filter, it returns everything as if unfiltered. These serializers refuse it, naming it.
"""

from collections.abc import Mapping

from rest_framework import serializers

from claims.content.parse import unknown_fields

# Query parameters that pagination and content negotiation read, not the filter.
PAGING = ("page", "page_size", "format")


class KnownFieldsSerializer(serializers.Serializer):
    """Refuse a field the serializer does not declare (nor `also`: read by others)."""

    also: tuple[str, ...] = ()

    def to_internal_value(self, data):
        unknown = isinstance(data, Mapping) and unknown_fields(data, tuple(self.fields), self.also)
        if unknown:
            raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


class KnownQuerySerializer(KnownFieldsSerializer):
    """A filter of a list: paging parameters pass."""

    also = PAGING
