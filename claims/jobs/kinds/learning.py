"""Train a project's suggestion model; score the queue's uncertainty with the active one;
compare a model with the rules and the active model on its dev articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.jobs.models import Job
from claims.jobs.presenting import duration
from claims.jobs.registry import JobFailed, Progress, job_kind
from claims.learning.activation import check_reviewer
from claims.learning.comparison import COMPARE_MODEL, comparison_compute
from claims.learning.documents import PARTS
from claims.learning.models import SuggestionModel
from claims.learning.progress import TrainingProgress
from claims.learning.training import BelowBaseline, train_suggester
from claims.learning.uncertainty import SCORE_UNCERTAINTY, uncertainty_refresh

if TYPE_CHECKING:
    from claims.nlp.training import TrainingSettings

TRAIN_SUGGESTER = "train_suggester"
DEFAULT_EPOCHS = 4


def training_settings(params: dict) -> TrainingSettings:
    """Return the settings a job's or the command's options ask for (epochs of each part)."""
    # spaCy loads here, on first use, not at app start-up.
    from claims.nlp.training import LoopSettings, TrainingSettings
    from claims.nlp.training.stance_training import STANCE_LEARN_RATE

    epochs = params.get("epochs") or DEFAULT_EPOCHS
    return TrainingSettings(
        tagger_loop=LoopSettings(epochs=epochs, batch_words=1000),
        classifier_loop=LoopSettings(epochs=epochs),
        # Stance data is small (a few hundred sentences a target): more passes, the best kept.
        stance_loop=LoopSettings(epochs=2 * epochs, learn_rate=STANCE_LEARN_RATE),
    )


def model_link(model_id: int, version) -> str:
    """Link the model; one deleted since is named, not linked (its page is gone)."""
    if not SuggestionModel.objects.filter(pk=model_id).exists():
        return format_html("model v{} (deleted since)", version)
    url = reverse("admin:learning_suggestionmodel_change", args=[model_id])
    return format_html('<a href="{}">model v{}</a>', url, version)


def describe_training(job: Job) -> str:
    """Say what the training made: the model (linked), its data, its dev figures."""
    result = job.result or {}
    if result.get("stored") is False:
        return format_html("Not stored: {}", result.get("why", ""))
    if not result.get("model"):
        return ""
    figures = result.get("figures") or {}
    ordered = [p for p in PARTS_SHOWN if p in figures] + sorted(set(figures) - set(PARTS_SHOWN))
    shown = format_html_join("; ", "{} {}", ((p, figures_line(figures[p])) for p in ordered))
    return format_html(
        "Trained {} of {} on {} article(s), {} kept apart for dev, in {}. On dev: {}. "
        "Open it to compare it with the rules and the active model, and to activate it.",
        model_link(result["model"], result.get("version")),
        job.project,
        result.get("documents", "?"),
        result.get("dev_documents", "?"),
        duration(result.get("seconds")),
        shown or "no figures",
    )


FIGURES_SHOWN = {
    "precision": "P", "recall": "R", "f1": "F1", "accuracy": "accuracy", "map": "MAP",
    "f_avg": "F_avg",
}  # fmt: skip
PARTS_SHOWN = ("source", "cue", "content", "claim", "stance")


def figures_line(values: dict) -> str:
    """Return ``{"precision": 0.8, "recall": 0.7, ...}`` as "P 0.80 R 0.70 F1 0.75" (in this
    order whatever order the stored JSON gives)."""
    return " ".join(
        f"{short} {values[name]:.2f}"
        for name, short in FIGURES_SHOWN.items()
        if isinstance(values.get(name), int | float)
    )


# Not run again after a dead worker: minutes of CPU, and what killed the worker (memory) would
# likely kill the next one; its starter is told and starts it again.
@job_kind(TRAIN_SUGGESTER, title="Train a suggestion model", describe=describe_training)
def train_suggester_job(job: Job, progress: Progress) -> dict:
    """Params: {"parts": ["spans", "claim", "stance"] (default: all that have labels),
    "submitted": bool, "epochs": int}. The model is stored, not activated."""
    if job.project is None or job.started_by is None:
        raise JobFailed("The job has lost its project or the reviewer who started it.")
    stored = SuggestionModel(project=job.project)
    check_reviewer(job.started_by, stored)
    parts = job.params.get("parts")
    epochs = job.params.get("epochs") or DEFAULT_EPOCHS
    planned = [p for p in PARTS if p in (parts or PARTS)]
    progress(0, 100, {"stage": "preparing", "parts": planned}, now=True)
    try:
        model = train_suggester(
            project=job.project,
            user=job.started_by,
            submitted=bool(job.params.get("submitted")),
            parts=parts,
            settings=training_settings(job.params),
            progress=TrainingProgress(progress, planned, epochs),
        )
    except BelowBaseline as refused:
        return {"model": None, "stored": False, "why": str(refused)}
    meta = model.meta
    dev = {
        k for part in ("tagger", "classifier") for k in meta.get(part, {}).get("dev_documents", [])
    }
    return {
        "model": model.pk,
        "version": model.version,
        "figures": model.figures,
        "documents": meta.get("documents"),
        "dev_documents": len(dev),
        "seconds": meta.get("seconds"),
    }


def describe_scoring(job: Job) -> str:
    result = job.result or {}
    if "why" in result:
        return f"Nothing scored: {result['why']}."
    parts = ", ".join(f"{part} {n}" for part, n in (result.get("by_part") or {}).items())
    return format_html(
        "Scored {} sentence(s) still to label with {}{}; uncertain first offers the least sure "
        "first.",
        result.get("scored", 0),
        model_link(result["model"], result.get("version")) if "model" in result else "the model",
        f" (the part it was least sure of: {parts})" if parts else "",
    )


# Runs again after a dead worker: the scores are replaced each time.
@job_kind(
    SCORE_UNCERTAINTY,
    title="Score the queue's uncertainty",
    describe=describe_scoring,
    rerun=True,
)
def score_uncertainty_job(job: Job, progress: Progress) -> dict:
    """Params: {"model": id}: the model to score with (skipped unless it is still active)."""
    model = SuggestionModel.objects.filter(pk=job.params.get("model")).first()
    if model is None or not model.active:
        return {"scored": 0, "why": "the model is no longer active"}
    check_reviewer(job.started_by, model)
    return {"model": model.pk, "version": model.version} | uncertainty_refresh(
        model=model, progress=progress
    )


def describe_comparison(job: Job) -> str:
    result = job.result or {}
    if result.get("stored") is False:
        return format_html("Not stored: {}", result.get("why", ""))
    if not result.get("model"):
        return ""
    against = f"model v{result['against']}" if result.get("against") else "no other active model"
    return format_html(
        "Scored {}, the rules and {} on {} dev article(s) ({} labelled sentences): its page "
        "shows the figures.",
        model_link(result["model"], result.get("version")),
        against,
        result.get("articles", 0),
        result.get("sentences", 0),
    )


@job_kind(
    COMPARE_MODEL,
    title="Compare a model with the rules and the active model",
    describe=describe_comparison,
    rerun=True,  # the comparison is computed anew and replaces the stored one
)
def compare_model_job(job: Job, progress: Progress) -> dict:
    """Params: {"model": id}."""
    model = SuggestionModel.objects.filter(pk=job.params.get("model")).first()
    if model is None or job.started_by is None:
        raise JobFailed("The model, or the reviewer who asked for the comparison, is gone.")
    check_reviewer(job.started_by, model)
    comparison = comparison_compute(model, progress)
    figures = comparison.figures["model"]
    return {
        "model": model.pk,
        "version": model.version,
        "comparison": comparison.pk,
        "against": comparison.against_version,
        "articles": figures["articles"],
        "sentences": figures["sentences"],
    }
