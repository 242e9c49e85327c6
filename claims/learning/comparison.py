"""Compare a model with the rules and the project's active model on the model's dev articles.

The dev articles are those its training kept apart (their ids are in the model's meta), so the
model is scored on text it never learned from; the rules and the active model are scored on
the same articles (the active model may have trained on some of them: the page says so). The
labels are the project's current gold (and submitted labels, if the model learned from them).
The work runs in a worker (``compare_model``) and its result is stored (ModelComparison).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from claims.jobs.models import Job, JobStatus
from claims.jobs.services import job_start
from claims.learning.documents import project_documents
from claims.learning.loader import load_suggester
from claims.learning.models import ModelComparison, SuggestionModel

if TYPE_CHECKING:
    from claims.nlp.training import ModelSuggester

COMPARE_MODEL = "compare_model"
TRAINED_PARTS = ("tagger", "classifier", "stance")


def dev_article_ids(model: SuggestionModel) -> list[int]:
    """Return the ids of the articles the model's training kept apart for dev."""
    keys = set()
    for part in TRAINED_PARTS:
        report = (model.meta or {}).get(part)
        if isinstance(report, dict):
            keys.update(report.get("dev_documents") or ())
    found = {int(key.split(":", 1)[0]) for key in keys if key.split(":", 1)[0].isdigit()}
    return sorted(found)


def active_other(model: SuggestionModel) -> SuggestionModel | None:
    """Return the project's active model when it is another one."""
    return (
        SuggestionModel.objects.filter(project_id=model.project_id, active=True)
        .exclude(pk=model.pk)
        .first()
    )


def stored_suggester(model: SuggestionModel) -> ModelSuggester:
    """Return a suggester of the stored model, loaded apart from the serving cache (loading it
    there would push the active model out of this process)."""
    return load_suggester(model.data, model.meta.get("not_claim"))


def comparison_compute(model: SuggestionModel, progress=None) -> ModelComparison:
    """Score the model, the rules and the active model on the model's dev articles; store it."""
    # spaCy loads here, on first use, not at app start-up.
    from claims.nlp.training.evaluation import evaluate

    against = active_other(model)
    documents = project_documents(
        model.project_id,
        submitted=bool(model.meta.get("submitted")),
        article_ids=dev_article_ids(model),
    )
    contenders = [("model", model), ("rules", None)] + ([("active", against)] if against else [])
    figures = {}
    for done, (name, stored) in enumerate(contenders, start=1):
        suggester = (
            stored_suggester(stored)
            if stored is not None
            else load_suggester(None, model.meta.get("not_claim"))
        )
        figures[name] = evaluate(suggester, documents, model.project.suggestion_threshold)
        if progress:
            progress(done, len(contenders))
    if against is not None:
        # Articles the active model may have learned from: those its own training did not
        # keep apart (the same training settings keep the same articles apart).
        kept_apart = set(dev_article_ids(against))
        figures["active"]["trained_on"] = len(set(dev_article_ids(model)) - kept_apart)
    return ModelComparison.objects.create(
        model=model,
        against=against,
        against_version=against and against.version,
        figures=figures,
    )


def latest_comparison(model: SuggestionModel) -> ModelComparison | None:
    """Return the model's newest comparison if it was made against today's active model (for
    the active model itself: against what was active before it)."""
    found = ModelComparison.objects.filter(model=model).first()
    if found is None or model.active:
        return found
    against = active_other(model)
    return found if found.against_id == (against and against.pk) else None


def comparison_jobs(model: SuggestionModel) -> QuerySet[Job]:
    return Job.objects.filter(kind=COMPARE_MODEL, params__model=model.pk)


def comparison_current(model: SuggestionModel, user) -> tuple[ModelComparison | None, Job | None]:
    """Return the model's comparison with today's active model, starting its job when there
    is none (and none running); and the job working on it, if any."""
    found = latest_comparison(model)
    if found is not None:
        return found, None
    running = comparison_jobs(model).filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    job = running.first()
    if job is None:
        failed = comparison_jobs(model).filter(status=JobStatus.FAILED).first()
        if failed is not None and not ModelComparison.objects.filter(model=model).exists():
            return None, failed  # say why; a new one starts when asked (the page's button)
        job = job_start(
            kind=COMPARE_MODEL, user=user, project=model.project, params={"model": model.pk}
        )
    return latest_comparison(model), (None if job.status == JobStatus.SUCCEEDED else job)
