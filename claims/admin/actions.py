"""Admin actions on articles: download their labeled sentences as native JSONL."""

from collections.abc import Iterator

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from claims.access import may_review
from claims.exporting.formats.native import NativeFormatter
from claims.exporting.options import ExportOptions
from claims.exporting.pipeline import export_bytes
from claims.models import Article, Project


@admin.action(
    description="Export the selected articles' submitted annotations (JSONL)",
    permissions=["view"],
)
def export_articles_jsonl(modeladmin, request, queryset: QuerySet[Article]):
    """Stream the native export of the selected articles, for every project they belong to."""
    project_ids = queryset.order_by().values("project_id")
    projects = list(Project.objects.filter(pk__in=project_ids).order_by("slug"))
    refused = [p.slug for p in projects if not may_review(request.user, p)]
    if refused:
        modeladmin.message_user(
            request,
            f"Only reviewers may export; you are not a reviewer of {', '.join(refused)}.",
            messages.ERROR,
        )
        return None
    response = StreamingHttpResponse(
        articles_export(projects, queryset), content_type=NativeFormatter.media_type
    )
    name = projects[0].slug if len(projects) == 1 else "articles"
    response["Content-Disposition"] = f'attachment; filename="{name}-selected.jsonl"'
    return response


def articles_export(projects: list[Project], queryset: QuerySet[Article]) -> Iterator[bytes]:
    for project in projects:
        formatter = NativeFormatter(slug=project.slug, labels=None, options=ExportOptions())
        selected = queryset.filter(project=project).order_by().values("pk")
        yield from export_bytes(project=project, formatter=formatter, article_ids=selected)
