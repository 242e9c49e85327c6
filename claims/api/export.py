"""Stream a project's dataset in any export format: the project's reviewers only."""

import json

from django.http import FileResponse, StreamingHttpResponse
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
from claims.exporting.pipeline import export_bytes, export_to_temporary_file, formatter_for

RECORDS_HEADER = "X-Export-Records"
LEFT_OUT_HEADER = "X-Export-Left-Out"
# What was resolved how and what was left out, the same counts export_dataset prints.
REPORT_HEADER = "X-Export-Report"


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
    OpenApiParameter(
        "trailer",
        bool,
        description="jsonl only: stream at once and end with a trailer line (record count and "
        "SHA-256) instead of preparing the file and sending its length first",
    ),
]


class ProjectExportView(ProjectScopedView):
    permission_classes = [IsProjectReviewer]
    content_negotiation_class = ExportNegotiation

    @extend_schema(
        summary="Export the project's dataset (streamed)",
        description="Same formats and options as `manage.py export_dataset`; see "
        "docs/export-format.md. The file is prepared first and sent with Content-Length (a "
        "cut-off download is noticed by every HTTP client), X-Export-Records (records or "
        "examples written), X-Export-Left-Out and X-Export-Report (JSON: how sentences were "
        "resolved and what was left out, and why). `jsonl` with `trailer=1` streams at once "
        "instead and ends with a trailer line (the record count and the SHA-256 of the lines "
        "before it). "
        "The project's reviewers only (superusers count as reviewers of every project); "
        "annotators get 403, outsiders 404.",
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
        filename = f"{self.project.slug}-{formatter.name}{formatter.extension}"
        if formatter.has_trailer:
            response = StreamingHttpResponse(
                export_bytes(project=self.project, formatter=formatter),
                content_type=formatter.media_type,
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
        # Without a trailer (which JSON-lines readers would take for data) the export is
        # written to a temporary file first, so the answer can give its length (every HTTP
        # client then notices a cut-off body) and the number of records to compare with.
        spool, result = export_to_temporary_file(project=self.project, formatter=formatter)
        response = FileResponse(
            spool, as_attachment=True, filename=filename, content_type=formatter.media_type
        )
        response[RECORDS_HEADER] = str(result.examples)
        response[LEFT_OUT_HEADER] = str(result.left_out)
        if formatter.report is not None:
            response[REPORT_HEADER] = json.dumps(formatter.report.as_dict(), separators=(",", ":"))
        return response
