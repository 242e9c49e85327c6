"""The queue's uncertainty: how unsure the active model is of each sentence still to label.

*Uncertain first* (the project's queue order) offers first the sentences with the highest
score. A sentence's score is its most uncertain part (``claims.nlp.training.uncertainty``):
the span tagger's, the claim classifier's or the stance classifier's, whichever the model has,
so a model trained without claim labels (PolNeAR's spans only) orders the queue too.
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from claims.jobs.models import Job, JobStatus
from claims.jobs.services import job_start
from claims.labeling.progress import queue_sentences
from claims.learning.loader import suggester_for
from claims.learning.models import SuggestionModel, Uncertainty
from claims.models import Project, QueueOrder, Sentence

ARTICLES_PER_READ = 50
SCORE_UNCERTAINTY = "score_uncertainty"


def uncertainty_refresh(
    *, model: SuggestionModel, progress: Callable[[int, int], None] | None = None
) -> dict:
    """Score every sentence of the annotators' queue with the model; replace the old scores.

    Return ``{"scored", "parts" (what the model can be unsure of), "by_part" (how many
    sentences each part was the most uncertain of)}``.
    """
    # spaCy loads here, on first use, not at app start-up.
    from claims.nlp.training.uncertainty import combined, model_parts, sentence_uncertainties

    suggester = suggester_for(model.project_id, model.pk)
    parts = model_parts(suggester.model)
    Uncertainty.objects.filter(project_id=model.project_id).delete()
    queue = queue_sentences(model.project)
    total, done, by_part = queue.count() if parts else 0, 0, Counter()
    for article_ids in article_batches(queue) if parts else ():
        rows = []
        for sentence_ids, texts in article_sentences(article_ids, queue):
            for sentence_id, found in zip(
                sentence_ids, sentence_uncertainties(suggester, texts), strict=True
            ):
                scored = combined(found)
                if sentence_id is None or scored is None:
                    continue
                by_part[scored[1]] += 1
                rows.append(
                    Uncertainty(
                        project_id=model.project_id, sentence_id=sentence_id, model=model,
                        score=scored[0],
                    )
                )  # fmt: skip
        Uncertainty.objects.bulk_create(rows, batch_size=1000)
        done += len(rows)
        if progress:
            progress(min(done, total), total)
    return {"scored": done, "parts": parts, "by_part": dict(by_part)}


def article_batches(queue) -> Iterator[list[int]]:
    """Yield the ids of the articles with queue sentences, a batch at a time, in id order."""
    last = 0
    articles = queue.order_by("article_id").values_list("article_id", flat=True).distinct()
    while batch := list(articles.filter(article_id__gt=last)[:ARTICLES_PER_READ]):
        last = batch[-1]
        yield batch


def article_sentences(article_ids: list[int], queue) -> Iterator[tuple[list, list[str]]]:
    """Yield each article's sentences in order: the ids (None where not in the queue: context
    only) and the texts."""
    wanted = set(queue.filter(article_id__in=article_ids).values_list("id", flat=True))
    rows = (
        Sentence.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "index")
        .values_list("id", "article_id", "text")
    )
    current, ids, texts = None, [], []
    for sentence_id, article_id, text in rows:
        if article_id != current and texts:
            yield ids, texts
            ids, texts = [], []
        current = article_id
        ids.append(sentence_id if sentence_id in wanted else None)
        texts.append(text)
    if texts:
        yield ids, texts


@dataclass(frozen=True)
class QueueOrderState:
    """Whether the project's queue can be ordered uncertain first, and why not."""

    ordered: bool  # scores are there to order by
    message: str
    model: SuggestionModel | None = None
    job: Job | None = None
    scored: int = 0


def queue_order_state(project: Project) -> QueueOrderState:
    """Say what orders the project's queue now: the active model's scores, or why nothing."""
    model = SuggestionModel.objects.filter(project=project, active=True).defer("data").first()
    if model is None:
        why = "the project has no active suggestion model: train one and activate it"
        return said(project, False, why)
    job = (
        Job.objects.filter(project=project, kind=SCORE_UNCERTAINTY, params__model=model.pk)
        .order_by("-created_at", "-id")
        .first()
    )
    scored = Uncertainty.objects.filter(project=project, model=model).count()
    name = f"model v{model.version}"
    if job is not None and not job.finished:
        where = f"{job.done} of {job.total}" if job.total else "starting"
        why = f"{name} is scoring the queue (job {job.pk}: {where})"
        return said(project, False, why, model, job)
    if job is not None and job.status == JobStatus.FAILED:
        why = f"scoring the queue with {name} failed (job {job.pk}: {job.error}); activate it again"
        return said(project, False, why, model, job)
    parts = ", ".join(model_parts_of(model)) or "nothing"
    if scored:
        ready = (
            f"{scored} sentence(s) still to label are ordered by how unsure {name} is of them "
            f"(its {parts})"
        )
        return said(project, True, ready, model, job, scored)
    if job is None:
        why = f"{name} has not scored the queue yet"
    elif not model_parts_of(model):
        why = f"{name} has nothing to be unsure of (no span tagger, claim or stance classifier)"
    else:
        why = f"every sentence {name} scored has been labelled (or the queue was empty)"
    return said(project, False, why, model, job)


def said(project: Project, ordered: bool, reason: str, model=None, job=None, scored=0):
    """Return the state, its message for the project's chosen queue order."""
    if project.queue_order == QueueOrder.UNCERTAIN:
        message = (
            f"Uncertain first: {reason}; then article order."
            if ordered
            else f"Uncertain first cannot order the queue now: {reason}. Meanwhile sentences come "
            "in article order."
        )
    else:
        message = (
            f"Article by article. Uncertain first would be ready: {reason}."
            if ordered
            else f"Article by article. Uncertain first could not order the queue now: {reason}."
        )
    return QueueOrderState(ordered, message, model, job, scored)


def model_parts_of(model: SuggestionModel) -> list[str]:
    """Return the parts the stored model can be unsure of, from its meta (no loading)."""
    # spaCy loads here, on first use, not at app start-up.
    from claims.nlp.training.uncertainty import PARTS

    meta = model.meta or {}
    found = {"spans": "tagger" in meta, "claim": "classifier" in meta, "stance": "stance" in meta}
    return [part for part in PARTS if found[part]]


def scores_missing(project: Project) -> bool:
    """Tell whether the project's active model never scored the queue (it was activated
    before it could, or the scoring was lost): the queue order then starts it."""
    model_id = (
        SuggestionModel.objects.filter(project=project, active=True)
        .values_list("id", flat=True)
        .first()
    )
    if model_id is None or Uncertainty.objects.filter(project=project).exists():
        return False
    jobs = Job.objects.filter(project=project, kind=SCORE_UNCERTAINTY, params__model=model_id)
    return not jobs.exists()


def scoring_start(*, project: Project, user) -> Job | None:
    """Start scoring the queue with the project's active model in a worker (None without one)."""
    model_id = (
        SuggestionModel.objects.filter(project=project, active=True)
        .values_list("id", flat=True)
        .first()
    )
    if model_id is None:
        return None
    return job_start(kind=SCORE_UNCERTAINTY, user=user, project=project, params={"model": model_id})
