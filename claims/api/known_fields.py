"""Request bodies and query strings whose every field the API knows.

DRF drops a field a serializer does not declare. For a write that replaces or creates
something, a misspelt field ("alias" for "aliases") then loses what it carried with a 2xx;
for a filter, it returns everything as if unfiltered. These serializers refuse it, naming it.
"""

from collections.abc import Mapping

from rest_framework import serializers

# Query parameters that pagination and content negotiation read, not the filter.
PAGING = ("page", "page_size", "format")


class KnownFieldsSerializer(serializers.Serializer):
    """Refuse a field the serializer does not declare (nor `also`: read by others)."""

    also: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = ", ".join(self.fields)
            unknown = {
                str(name): [f"unknown field; expected one of {known}"]
                for name in data
                if name not in self.fields and name not in self.also
            }
            if unknown:
                raise serializers.ValidationError(unknown)
        return super().to_internal_value(data)


class KnownQuerySerializer(KnownFieldsSerializer):
    """A filter of a list: paging parameters pass."""

    also = PAGING
