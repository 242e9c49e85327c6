"""Review pages in the admin: agreement, the disagreement queue, and adjudication.

Each view looks its project up among the projects the user reviews, so anyone else gets 404,
and writes only through claims.services.gold (which checks the reviewer again).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from claims.access import may_review, reviewed_projects
from claims.admin.adjudication import side_by_side
from claims.admin.charts import agreement_chart
from claims.admin.forms import GoldPostForm
from claims.admin.gold_editor import gold_editor_config, gold_item
from claims.content import annotation_record, content_from_json
from claims.errors import InvalidInput
from claims.jobs.kinds.gold import GOLD_FROM_UNANIMOUS, describe_unanimous
from claims.jobs.kinds.quality import review_figures_current
from claims.jobs.models import JobStatus
from claims.jobs.services import job_start
from claims.labels import project_labels
from claims.models import (
    AgreementSnapshot,
    Annotation,
    AnnotationEvent,
    AnnotationKind,
    LabelField,
    Project,
    Sentence,
)
from claims.quality.disagreements import disagreement_rows
from claims.quality.refresh import stored_report
from claims.selectors import annotations_with_details
from claims.services.annotations import StaleVersion
from claims.services.gold import gold_adopt, gold_save

QUEUE_PAGE_SIZE = 50


def reviewed_project(request, project_id: int) -> Project:
    return get_object_or_404(reviewed_projects(request.user), pk=project_id)


def page(model_admin, request, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        f"admin/claims/{template}",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            **context,
        },
    )


def agreement_page(model_admin, request, project_id: int) -> TemplateResponse:
    """Show the project's stored agreement figures as tables and a bar chart (computed in the
    background when the annotations changed since)."""
    project = reviewed_project(request, project_id)
    job = review_figures_current(project, request.user)
    stored = stored_report(project)
    report, snapshot = stored or (None, None)
    return page(
        model_admin,
        request,
        "agreement.html",
        f"Agreement: {project.name}",
        project=project,
        report=report,
        snapshot=snapshot,
        job=job,
        chart=report and agreement_chart(report.labels),
    )


def disagreements_page(model_admin, request, project_id: int) -> TemplateResponse:
    """List the sentences whose annotations disagree, worst first, a page read from the stored
    rows; bulk-adopt unanimous ones."""
    project = reviewed_project(request, project_id)
    if request.method == "POST" and request.POST.get("action") == "unanimous":
        gold_from_unanimous_started(request, project)
        return HttpResponseRedirect(request.get_full_path())
    job = review_figures_current(project, request.user)
    include_adjudicated = request.GET.get("adjudicated") == "1"
    queue = disagreement_rows(project, include_adjudicated=include_adjudicated)
    page_obj = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        model_admin,
        request,
        "disagreements.html",
        f"Disagreements: {project.name}",
        project=project,
        rows=[(row, row.sentence) for row in page_obj],
        page_obj=page_obj,
        rank_offset=page_obj.start_index() - 1 if page_obj.paginator.count else 0,
        include_adjudicated=include_adjudicated,
        job=job,
        snapshot=AgreementSnapshot.objects.filter(project=project).first(),
    )


def gold_from_unanimous_started(request, project, sentences=None) -> None:
    """Start the job making gold from unanimous sentences; tell the reviewer where to follow it.

    `sentences` (a queryset): look only at those. A job that already finished (a backend that
    runs jobs at once) is reported with its result.
    """
    if not may_review(request.user, project):
        messages.error(request, f"{project}: only its reviewers can adjudicate its sentences.")
        return
    params = {}
    if sentences is not None:
        params["sentences"] = list(sentences.values_list("pk", flat=True))
    job = job_start(kind=GOLD_FROM_UNANIMOUS, user=request.user, project=project, params=params)
    link = format_html('<a href="{}">job {}</a>', job.get_absolute_url(), job.pk)
    if job.status == JobStatus.SUCCEEDED:
        messages.success(
            request, format_html("{}: {} ({})", project, describe_unanimous(job), link)
        )
    elif job.status == JobStatus.FAILED:
        messages.error(request, format_html("{}: {} failed: {}", project, link, job.error))
    else:
        messages.info(
            request,
            format_html(
                "{}: started {}, {}; its page shows its progress.", project, link, job.title.lower()
            ),
        )


def safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def adjudicate_page(model_admin, request, sentence_id: int) -> TemplateResponse:
    """Show every annotation of the sentence side by side; adopt one as gold or edit gold in
    the labeling page's editor (?base=ID starts from that annotation)."""
    sentence = get_object_or_404(
        Sentence.objects.select_related("article", "project").filter(
            project__in=reviewed_projects(request.user)
        ),
        pk=sentence_id,
    )
    annotations = list(
        annotations_with_details(Annotation.objects.filter(sentence=sentence)).order_by("id")
    )
    gold = next((a for a in annotations if a.kind == AnnotationKind.GOLD), None)
    labels = project_labels(sentence.project)
    base = chosen_base(request, annotations) or gold
    start = base and annotation_record(base)
    based_on = base and (base.based_on_id if base.kind == AnnotationKind.GOLD else base.id)
    version = gold and gold.version
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "adopt":
            return adopt(request, sentence, annotations, gold)
        if action == "save":
            done, errors, posted = save(request, sentence, annotations, labels)
            if done:
                return done
            # Show the reviewer's labels again, with what was wrong, to fix and save again.
            start = posted or start
            based_on = request.POST.get("based_on") or based_on
            version = posted_version(request)
    item = gold_item(sentence, annotations, start)
    return page(
        model_admin,
        request,
        "adjudicate.html",
        f"Adjudicate sentence {sentence.number} of {sentence.article}",
        sentence=sentence,
        project=sentence.project,
        context_sentences=neighbours(sentence),
        gold=gold,
        view=side_by_side(
            sentence.text, annotations, labels.targets, labels.titles(LabelField.CLAIM)
        ),
        config=gold_editor_config(request, sentence.project, labels, item),
        gold_errors=errors,
        gold_version=version,
        based_on=based_on,
        base=chosen_base(request, annotations),
        events=AnnotationEvent.objects.filter(sentence=sentence)
        .select_related("actor", "annotation")
        .order_by("-created_at", "-id")[:50],
        next_url=safe_next(request),
    )


def chosen_base(request, annotations: list[Annotation]) -> Annotation | None:
    """Return the annotation named by ?base= (to start the gold copy from), if it is here."""
    wanted = request.GET.get("base", "")
    return next((a for a in annotations if str(a.id) == wanted), None)


def neighbours(sentence: Sentence) -> list[Sentence]:
    indexes = [sentence.index - 1, sentence.index, sentence.index + 1]
    return list(
        Sentence.objects.filter(article_id=sentence.article_id, index__in=indexes).order_by("index")
    )


def done_redirect(request, sentence: Sentence) -> HttpResponseRedirect:
    """Return to where the reviewer came from, at the top where the message shows: a redirect
    without a fragment keeps the page's own (#edit-gold), which scrolled the message away."""
    fallback = reverse("admin:claims_sentence_adjudicate", args=[sentence.id])
    return HttpResponseRedirect(f"{safe_next(request) or fallback}#content-start")


def posted_version(request) -> int | None:
    value = request.POST.get("version") or ""
    return int(value) if value.isdigit() else None


def adopt(request, sentence, annotations, gold) -> HttpResponseRedirect:
    chosen = next((a for a in annotations if str(a.id) == request.POST.get("annotation")), None)
    if chosen is None:
        messages.error(request, "That annotation is not one of this sentence's.")
        return HttpResponseRedirect(request.get_full_path())
    try:
        result = gold_adopt(
            annotation=chosen, reviewer=request.user, version=posted_version(request)
        )
    except StaleVersion as stale:
        messages.error(request, stale_message(stale))
        return HttpResponseRedirect(request.get_full_path())
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
        return HttpResponseRedirect(request.get_full_path())
    verb = "is now" if result.changed else "already was"
    messages.success(
        request, f"The gold of this sentence {verb} {chosen.annotator.username}'s annotation."
    )
    return done_redirect(request, sentence)


def stale_message(stale: StaleVersion) -> str:
    current = stale.current
    who = current.annotator.username if current else "another reviewer"
    return (
        f"The gold was changed by {who} since you opened this page (now version "
        f"{current.version if current else '?'}). Nothing was saved: look at it again."
    )


def save(request, sentence, annotations, labels):
    """Check and store the gold the editor posted; return a redirect when done, else the
    problems as lines and the posted labels (to show them again)."""
    form = GoldPostForm(request.POST)
    if not form.is_valid():
        lines = [f"{name}: {' '.join(problems)}" for name, problems in form.errors.items()]
        return None, lines, None
    data = form.cleaned_data["content"]
    posted = data if isinstance(data, dict) else None
    based_on = next(
        (
            a
            for a in annotations
            if a.id == form.cleaned_data["based_on"] and a.kind == AnnotationKind.ANNOTATOR
        ),
        None,
    )
    try:
        content = content_from_json(data, sentence_text=sentence.text, labels=labels)
        result = gold_save(
            sentence=sentence,
            reviewer=request.user,
            content=content,
            version=form.cleaned_data["version"],
            based_on=based_on,
        )
    except InvalidInput as error:
        return None, error.lines(item_names={"stance": "stance"}), posted
    except StaleVersion as stale:
        return None, [stale_message(stale)], posted
    except (ValidationError, PermissionDenied) as refused:
        return None, [" ".join(getattr(refused, "messages", [str(refused)]))], posted
    if result.changed:
        messages.success(request, f"Gold saved (version {result.annotation.version}).")
    else:
        messages.info(request, "The gold already had exactly this content; nothing changed.")
    return done_redirect(request, sentence), [], None
