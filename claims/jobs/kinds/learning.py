"""Train a project's suggestion model; score the queue's uncertainty with the active one."""

from claims.jobs.models import Job
from claims.jobs.registry import JobFailed, Progress, job_kind
from claims.learning.activation import check_reviewer, uncertainty_refresh
from claims.learning.models import SuggestionModel
from claims.learning.training import BelowBaseline, train_suggester
from claims.nlp.training import LoopSettings, TrainingSettings
from claims.nlp.training.stance_training import STANCE_LEARN_RATE

TRAIN_SUGGESTER = "train_suggester"
SCORE_UNCERTAINTY = "score_uncertainty"


def training_settings(params: dict) -> TrainingSettings:
    """Return the settings a job's or the command's options ask for (epochs of each part)."""
    epochs = params.get("epochs") or 4
    return TrainingSettings(
        tagger_loop=LoopSettings(epochs=epochs, batch_words=1000),
        classifier_loop=LoopSettings(epochs=epochs),
        # Stance data is small (a few hundred sentences a target): more passes, the best kept.
        stance_loop=LoopSettings(epochs=2 * epochs, learn_rate=STANCE_LEARN_RATE),
    )


@job_kind(TRAIN_SUGGESTER, title="Train a suggestion model")
def train_suggester_job(job: Job, progress: Progress) -> dict:
    """Params: {"submitted": bool, "epochs": int}. The model is stored, not activated."""
    if job.project is None or job.started_by is None:
        raise JobFailed("The job has lost its project or the reviewer who started it.")
    stored = SuggestionModel(project=job.project)
    check_reviewer(job.started_by, stored)
    try:
        model = train_suggester(
            project=job.project,
            user=job.started_by,
            submitted=bool(job.params.get("submitted")),
            settings=training_settings(job.params),
            progress=lambda p: progress(round(p.done * 100), 100),
        )
    except BelowBaseline as refused:
        return {"model": None, "stored": False, "why": str(refused)}
    return {"model": model.pk, "version": model.version, "figures": model.figures}


@job_kind(SCORE_UNCERTAINTY, title="Score the queue's uncertainty")
def score_uncertainty_job(job: Job, progress: Progress) -> dict:
    """Params: {"model": id}: the model to score with (skipped unless it is still active)."""
    model = SuggestionModel.objects.filter(pk=job.params.get("model")).first()
    if model is None or not model.active:
        return {"scored": 0, "why": "the model is no longer active"}
    check_reviewer(job.started_by, model)
    return {"scored": uncertainty_refresh(model=model, progress=progress)}
