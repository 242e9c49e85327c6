"""The browser pages: home (my projects and progress) and the labeling page."""

from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from claims.access import project_for
from claims.labeling.progress import projects_progress
from claims.labels import LabelValue, project_labels
from claims.models import QuoteType, SpeakerKind

# CommonMark without raw HTML: tags in the guidelines are shown as text, and markdown-it
# refuses javascript: and similar link targets.
MARKDOWN = MarkdownIt("commonmark", {"html": False})


@login_required
def home(request):
    """List the user's projects with their own and the project's progress."""
    return render(request, "annotator/home.html", {"projects": projects_progress(request.user)})


def option(value: LabelValue) -> dict:
    return {
        "value": value.value,
        "title": value.title,
        "key": value.shortcut,
        "description": value.description,
        "takesTypes": value.takes_types,
    }


@login_required
def label(request, slug: str):
    """Serve the labeling page; everything after the first paint comes from the JSON API."""
    project, role = project_for(request.user, slug)
    labels = project_labels(project)
    # The API's URL for one sentence's annotation, with a placeholder the page fills in.
    annotation_url = reverse("api-sentence-annotation", args=[0]).replace("/0/", "/{id}/")
    config = {
        "csrfToken": get_token(request),
        "urls": {
            "next": reverse("api-next", args=[project.slug]),
            "previous": reverse("api-previous", args=[project.slug]),
            "speakers": reverse("api-speakers", args=[project.slug]),
            "annotation": annotation_url,
        },
        "claims": [option(v) for v in labels.claims],
        "claimTypes": [option(v) for v in labels.claim_types],
        "stances": [option(v) for v in labels.stances],
        "targets": [{"name": t.name} for t in labels.targets],
        "speakerKinds": [{"value": v, "title": t} for v, t in SpeakerKind.choices],
        "quoteTypes": [{"value": v, "title": t} for v, t in QuoteType.choices],
    }
    context = {
        "project": project,
        "role": role,
        "config": config,
        "guidelines": mark_safe(MARKDOWN.render(project.guidelines or "No guidelines yet.")),
    }
    return render(request, "annotator/label.html", context)
