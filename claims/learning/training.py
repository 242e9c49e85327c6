"""Train a suggestion model on a project's labels and store it as the project's next version.

Training runs outside web requests: in ``manage.py train_suggester`` or in a worker (the job
``train_suggester``). The model is stored in the database (``SuggestionModel``), never on
local disk, so every app server can load it; it is not activated unless asked.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from claims.errors import InvalidInput
from claims.labels import project_labels
from claims.learning.documents import only_parts, parts_labelled, project_documents
from claims.learning.models import SuggestionModel
from claims.models import Project

if TYPE_CHECKING:
    from claims.nlp.training import LabeledDocument, Progress, TrainingSettings

# The least a classifier must fall below the baseline's dev MAP to be refused (see
# ``below_baseline``): on a dev part of a few articles, a smaller gap says nothing.
MARGIN = 0.02


def train_suggester(
    *,
    project: Project,
    user=None,
    submitted: bool = False,
    parts=None,
    settings: TrainingSettings | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> SuggestionModel:
    """Train on the project's gold (and, with ``submitted``, submitted) labels; store it.

    ``parts``: which parts to train ("spans", "claim", "stance"; default every part the labels
    allow). Raise InvalidInput when the project has nothing to learn from.
    """
    # spaCy loads here, on first use, not at app start-up.
    from claims.nlp.training import TrainingSettings

    documents = project_documents(project.pk, submitted=submitted)
    check_documents(documents, submitted=submitted)
    if parts is not None:
        documents = only_parts(documents, parts)
        check_parts(documents, parts, submitted=submitted)
    labels = project_labels(project)
    settings = replace(settings or TrainingSettings(), checkworthy=labels.checkworthy)
    started = time.perf_counter()
    model = train_model(documents, settings, progress)
    refusal = below_baseline(model.meta)
    if refusal:
        raise BelowBaseline(refusal, project=project)
    model.meta |= {
        "project": project.slug,
        "claim_values": [v.value for v in labels.claims],
        "checkworthy": labels.checkworthy,
        "not_claim": labels.not_claim,
        "submitted": submitted,
        "parts": parts_labelled(documents),
        "documents": len(documents),
        "sentences": sum(len(d.sentences) for d in documents),
        "labelled": sum(s.labelled for d in documents for s in d.sentences),
        "seconds": round(time.perf_counter() - started, 1),
    }
    return model_store(project=project, user=user, model=model)


class BelowBaseline(Exception):
    """The trained classifier ranks check-worthy sentences worse than the bag of n-grams on
    the same dev split: the model was not stored, and the project's active model stays."""

    def __init__(self, why: str, *, project: Project):
        active = SuggestionModel.objects.filter(project=project, active=True).first()
        kept = f"model v{active.version} stays active" if active else "the rules keep suggesting"
        super().__init__(f"Not stored: {why}; {kept}.")


def below_baseline(meta: dict[str, Any]) -> str:
    """Return why the model must not be shipped, else ''.

    The claim classifier's dev MAP (calibrated as served) is compared with the bag of
    n-grams' on the same dev articles, article by article. A dev part is a few articles
    whose average precisions vary widely (0.03 to 0.5 on debate transcripts), so a model is
    refused only when it is below the baseline by more than the noise between the two: by
    more than ``MARGIN`` and by more than twice the standard error of the mean difference
    per article. A model level with the baseline is not refused one training and shipped
    the next on the luck of the split.
    """
    classifier = meta.get("classifier", {})
    dev = classifier.get("dev", {})
    per_article = classifier.get("dev_ap", {})
    served, baseline = per_article.get("served", {}), per_article.get("baseline", {})
    keys = sorted(set(served) & set(baseline))
    if keys:
        differences = [served[k] - baseline[k] for k in keys]
        ours = sum(served[k] for k in keys) / len(keys)
        theirs = sum(baseline[k] for k in keys) / len(keys)
    else:  # models trained before the figures per article were kept
        ours = dev.get("calibrated_map", dev.get("map"))
        theirs = dev.get("baseline_map")
        if ours is None or theirs is None:
            return ""
        differences = [ours - theirs]
    gap = -sum(differences) / len(differences)
    margin = max(MARGIN, 2 * standard_error(differences))
    if gap <= margin:
        return ""
    return (
        f"the claim classifier's dev MAP {ours:.3f} is below the bag-of-n-grams baseline's "
        f"{theirs:.3f} on the same {len(differences)} dev article(s), by {gap:.3f}: more than "
        f"the noise between them ({margin:.3f})"
    )


def standard_error(values: list[float]) -> float:
    """Return the standard error of the mean of ``values`` (0 for fewer than two)."""
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    return math.sqrt(variance / len(values))


def train_model(
    documents: list[LabeledDocument],
    settings: TrainingSettings | None = None,
    progress: Callable[[Progress], None] | None = None,
):
    """``claims.nlp.training.train_model``, imported on first call (spaCy: not at start-up)."""
    from claims.nlp.training import train_model

    return train_model(documents, settings, progress)


def check_documents(documents: list[LabeledDocument], *, submitted: bool) -> None:
    what = "gold or submitted" if submitted else "gold"
    if not documents:
        raise InvalidInput({"project": [f"no {what} annotations to learn from"]})
    sentences = [s for d in documents for s in d.sentences if s.labelled]
    if len(documents) < 2:
        raise InvalidInput(
            {"project": [f"{what} labels in only one article: training needs two (one for dev)"]}
        )
    if not any(s.attributions or s.claim or s.stances for s in sentences):
        raise InvalidInput({"project": [f"the {what} annotations have no labels yet"]})


def check_parts(documents: list[LabeledDocument], parts, *, submitted: bool) -> None:
    what = "gold or submitted" if submitted else "gold"
    if not parts:
        raise InvalidInput({"parts": ["choose at least one part to train"]})
    missing = [part for part in parts if part not in parts_labelled(documents)]
    if missing:
        raise InvalidInput({"parts": [f"the {what} labels have nothing for: {', '.join(missing)}"]})


def model_store(*, project: Project, user, model) -> SuggestionModel:
    """Store a trained ``ClaimModel`` as the project's next version (inactive)."""
    data = model.to_bytes()
    for _ in range(3):  # a concurrent training may take the same version number first
        version = (
            SuggestionModel.objects.filter(project=project).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        try:
            with transaction.atomic():
                return SuggestionModel.objects.create(
                    project=project,
                    version=version,
                    data=data,
                    size=len(data),
                    figures=figures_of(model.meta),
                    meta=model.meta,
                    trained_by=user,
                )
        except IntegrityError:
            continue
    raise RuntimeError("could not number the model: too many trainings at once")


def figures_of(meta: dict[str, Any]) -> dict[str, Any]:
    """Return the dev figures to show: per span role, and the claim classifier's."""
    figures: dict[str, Any] = {}
    tagger = meta.get("tagger", {}).get("dev", {})
    for role in ("source", "cue", "content"):
        if f"{role}_precision" in tagger:
            figures[role] = {
                "precision": tagger[f"{role}_precision"],
                "recall": tagger[f"{role}_recall"],
                "f1": tagger[f"{role}_f1"],
            }
    claims = meta.get("classifier", {}).get("dev", {})
    if claims:
        figures["claim"] = dict(claims)
    stance = meta.get("stance", {})
    if stance.get("dev"):
        figures["stance"] = {"f_avg": stance["dev"]["f_avg"]}
        for target, found in stance.get("per_target", {}).items():
            figures[f"stance: {target}"] = {"f_avg": found["f_avg"]}
    return figures
