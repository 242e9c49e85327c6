"""The browser pages: home (my projects and progress) and the labeling page."""

from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from claims.access import project_for, projects_visible_to
from claims.labeling.progress import annotator_progress, project_progress
from claims.models import LabelField, LabelOption, SpeakerKind, StanceTarget

# CommonMark without raw HTML: tags in the guidelines are shown as text, and markdown-it
# refuses javascript: and similar link targets.
MARKDOWN = MarkdownIt("commonmark", {"html": False})


@login_required
def home(request):
    """List the user's projects with their own and the project's progress."""
    projects = [
        {
            "project": project,
            "mine": annotator_progress(project, request.user),
            "overall": project_progress(project),
        }
        for project in projects_visible_to(request.user).order_by("name")
    ]
    return render(request, "annotator/home.html", {"projects": projects})


@login_required
def label(request, slug: str):
    """Serve the labeling page; everything after the first paint comes from the JSON API."""
    project, role = project_for(request.user, slug)
    options = LabelOption.objects.filter(schema_id=project.schema_id).order_by("position", "value")
    by_field = {field: [] for field in LabelField.values}
    for option in options:
        by_field[option.field].append(
            {"value": option.value, "title": option.title, "key": option.shortcut,
             "description": option.description,
             # TEMP until main has LabelOption.takes_types
             "takesTypes": option.value in ("claim", "checkworthy")}
        )  # fmt: skip
    targets = StanceTarget.objects.filter(project=project).values("id", "name", "description")
    config = {
        "slug": project.slug,
        "username": request.user.get_username(),
        "csrfToken": get_token(request),
        "urls": {
            "next": reverse("api-next", args=[project.slug]),
            "previous": reverse("api-previous", args=[project.slug]),
            "speakers": reverse("api-speakers", args=[project.slug]),
            "annotation": "/api/v1/sentences/{id}/annotation/",
            "home": reverse("home"),
        },
        "claims": by_field[LabelField.CLAIM],
        "claimTypes": by_field[LabelField.CLAIM_TYPE],
        "stances": by_field[LabelField.STANCE],
        "targets": list(targets),
        "speakerKinds": [{"value": v, "title": t} for v, t in SpeakerKind.choices],
    }
    context = {
        "project": project,
        "role": role,
        "config": config,
        "guidelines": mark_safe(MARKDOWN.render(project.guidelines or "No guidelines yet.")),
    }
    return render(request, "annotator/label.html", context)
