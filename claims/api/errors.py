"""Turn every API error into JSON that names the field and the problem."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django_tasks_db.utils import is_locked_database_exception
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

# Seconds a client is asked to wait when the database stayed locked past its timeout.
RETRY_AFTER = 5


def exception_handler(exc, context):
    """Return DRF's error response, plus a 413 for bodies over the configured limit and a 503
    when the database stayed locked (SQLite during a long write, such as a large import)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(
            {"detail": f"Request body is larger than the configured limit of {limit} bytes."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, OperationalError) and is_locked_database_exception(exc):
        detail = (
            "The database is busy with a long write (a large import, most likely): nothing "
            f"was changed; try again in {RETRY_AFTER} seconds."
        )
        return Response(
            {"detail": detail},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    return drf_exception_handler(exc, context)


@csrf_exempt
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Answer any unknown path under /api/ with a JSON 404 (not Django's HTML page).

    Resolving every /api/ path here also stops APPEND_SLASH from redirecting (or, for a POST,
    failing with a server error) when the trailing slash is missing; the message says so.
    """
    detail = f"No API endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail += f" Did you mean {request.path}/ (with the trailing slash)?"
    return JsonResponse({"detail": detail}, status=status.HTTP_404_NOT_FOUND)
