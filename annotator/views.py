"""The browser pages: home (my projects and progress) and the labeling page."""

from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from claims.access import project_for
from claims.api.pagination import Pagination
from claims.labeling.page import editor_config
from claims.labeling.progress import projects_progress
from claims.labels import project_labels

# CommonMark without raw HTML: tags in the guidelines are shown as text, and markdown-it
# refuses javascript: and similar link targets.
MARKDOWN = MarkdownIt("commonmark", {"html": False})


@login_required
def home(request):
    """List the user's projects with their own and the project's progress."""
    return render(request, "annotator/home.html", {"projects": projects_progress(request.user)})


def placeholder_url(name: str) -> str:
    """Return the URL of a route taking one id, with "{id}" where the page puts the id."""
    return reverse(name, args=[0]).replace("/0/", "/{id}/")


@login_required
def label(request, slug: str):
    """Serve the labeling page; everything after the first paint comes from the JSON API.

    `?article=ID` (from the page's article list) starts the queue at that article.
    """
    project, role = project_for(request.user, slug)
    urls = {
        "next": reverse("api-next", args=[project.slug]),
        "previous": reverse("api-previous", args=[project.slug]),
        "speakers": reverse("api-speakers", args=[project.slug]),
        "articles": reverse("api-queue-articles", args=[project.slug]),
        "annotation": placeholder_url("api-sentence-annotation"),
        "candidates": placeholder_url("api-speaker-candidates"),
        "suggestions": placeholder_url("api-sentence-suggestions"),
        "article": placeholder_url("api-article"),
        "logout": reverse("logout"),
    }
    config = editor_config(project_labels(project), urls=urls, csrf_token=get_token(request))
    picked = request.GET.get("article", "")
    config["article"] = int(picked) if picked.isdigit() and len(picked) < 19 else None
    config["articlesPageSize"] = Pagination.page_size
    context = {
        "project": project,
        "role": role,
        "config": config,
        "guidelines": mark_safe(MARKDOWN.render(project.guidelines or "No guidelines yet.")),
    }
    return render(request, "annotator/label.html", context)
