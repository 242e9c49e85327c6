"""Stream a project's dataset in any export format: the project's reviewers only."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from claims.api.base import ProjectScopedView
from claims.api.permissions import IsProjectReviewer
from claims.errors import InvalidInput
from claims.exporting.formats import FORMATS
from claims.exporting.options import (
    ExportPer,
    ExportStatus,
    options_from_strings,
)
from claims.exporting.pipeline import export_bytes, formatter_for


class ExportNegotiation(DefaultContentNegotiation):
    """Answer errors in JSON: `format` names the export format here, not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


PARAMETERS = [
    OpenApiParameter("format", str, enum=list(FORMATS), description="Default jsonl"),
    OpenApiParameter(
        "status", str, enum=[s.value for s in ExportStatus], description="Default submitted"
    ),
    OpenApiParameter("min_annotations", int, description="At least N submitted annotations"),
    OpenApiParameter("since", str, description="Annotated on or after this ISO date(-time)"),
    OpenApiParameter("split", str, description="Split by article, e.g. 80/10/10 or 90/10"),
    OpenApiParameter("seed", int, description="Seed of the split (default 0)"),
    OpenApiParameter("per", str, enum=[p.value for p in ExportPer], description="Default sentence"),
    OpenApiParameter(
        "resolve",
        str,
        description="Single-label formats: how to choose one label set where a sentence has no "
        "gold: majority (default), annotator:NAME, union, or gold (sentences without gold are "
        "left out)",
    ),  # fmt: skip
    OpenApiParameter("annotator", str, description="The same as resolve=annotator:NAME"),
]


class ProjectExportView(ProjectScopedView):
    permission_classes = [IsProjectReviewer]
    content_negotiation_class = ExportNegotiation

    @extend_schema(
        summary="Export the project's dataset (streamed)",
        description="Same formats and options as `manage.py export_dataset`; see "
        "docs/export-format.md. The project's reviewers only (superusers count as reviewers of "
        "every project); annotators get 403, outsiders 404.",
        parameters=PARAMETERS,
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            400: OpenApiResponse(description="Each bad parameter named with its problem"),
        },
    )
    def get(self, request, slug: str):
        params = dict(request.query_params.items())
        format_name = params.pop("format", "") or "jsonl"
        try:
            options = options_from_strings(params)
            formatter = formatter_for(format_name, project=self.project, options=options)
        except InvalidInput as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        response = StreamingHttpResponse(
            export_bytes(project=self.project, formatter=formatter),
            content_type=formatter.media_type,
        )
        filename = f"{self.project.slug}-{formatter.name}{formatter.extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
