"""Backup lines of what a project owns beyond its texts and annotations (format version 3):
speaker merges, suggestion models (the active one marked), and per article its imported
predictions and the queue's uncertainty scores.

Database ids never appear: a speaker is its name; one merged away (so no longer a speaker,
but still named by history and by predictions made before the merge) is ``{"merged": N}``,
the N-th merge line of the file; a model is its version.
"""

import base64
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from claims.learning.models import Prediction, SuggestionModel, Uncertainty
from claims.models import Project, SpeakerMerge


class SpeakerNames:
    """How the backup names the speaker ids the database holds (see the module)."""

    def __init__(self):
        self.live: dict[int, str] = {}
        self.merged: dict[int, dict[str, int]] = {}

    def __call__(self, speaker_id: Any) -> str | dict | None:
        if speaker_id in self.live:
            return self.live[speaker_id]
        return self.merged.get(speaker_id)  # None: a speaker deleted unused


def timestamp(value: dt.datetime | None) -> str | None:
    return value and value.astimezone(dt.UTC).isoformat()


def merge_lines(project: Project, names: SpeakerNames) -> Iterator[dict[str, Any]]:
    """Yield the project's speaker merges, oldest first; record the names of the removed."""
    merges = SpeakerMerge.objects.filter(project=project).order_by("created_at", "id")
    for number, merge in enumerate(merges.select_related("actor")):
        names.merged.setdefault(merge.removed_id, {"merged": number})
        yield {
            "type": "merge", "kept": names(merge.kept_id), "kept_name": merge.kept_name,
            "removed_name": merge.removed_name, "removed_kind": merge.removed_kind,
            "removed_aliases": merge.removed_aliases, "attributions": merge.attributions,
            "annotations": merge.annotations, "actor": merge.actor and merge.actor.username,
            "created_at": timestamp(merge.created_at),
        }  # fmt: skip


def model_lines(project: Project) -> Iterator[dict[str, Any]]:
    """Yield the project's suggestion models, their weights in base64, oldest first."""
    models = SuggestionModel.objects.filter(project=project).order_by("version")
    for model_id in models.values_list("id", flat=True):
        # One at a time: a model is about 10 MB.
        model = SuggestionModel.objects.select_related("trained_by").get(pk=model_id)
        yield {
            "type": "model", "version": model.version, "active": model.active,
            "data": base64.b64encode(bytes(model.data)).decode("ascii"), "size": model.size,
            "figures": model.figures, "meta": model.meta,
            "trained_by": model.trained_by and model.trained_by.username,
            "created_at": timestamp(model.created_at),
            "activated_at": timestamp(model.activated_at),
        }  # fmt: skip


def prediction_lines(
    article_ids: list[int], where: dict[int, tuple[str, int]], names: SpeakerNames
) -> dict[str, list[dict]]:
    """Return the chunk's predictions by article (one line per sentence), in sentence order."""
    rows = (
        Prediction.objects.filter(sentence__article_id__in=article_ids)
        .order_by("sentence__article_id", "sentence__index")
        .values_list("sentence_id", "claim", "attributions", "created_at", "updated_at")
    )
    by_article: dict[str, list[dict]] = defaultdict(list)
    for sentence_id, claim, attributions, created, updated in rows:
        external_id, index = where[sentence_id]
        by_article[external_id].append(
            {
                "type": "prediction", "article": external_id, "sentence": index, "claim": claim,
                "attributions": [with_speaker_named(a, names) for a in attributions],
                "created_at": timestamp(created), "updated_at": timestamp(updated),
            }
        )  # fmt: skip
    return by_article


def with_speaker_named(attribution: Any, names: SpeakerNames) -> Any:
    """Return a prediction's attribution with its speaker's id replaced by its backup name."""
    speaker = isinstance(attribution, dict) and attribution.get("speaker")
    if not isinstance(speaker, dict) or "id" not in speaker:
        return attribution
    return {**attribution, "speaker": {**speaker, "id": names(speaker["id"])}}


def score_lines(
    article_ids: list[int], where: dict[int, tuple[str, int]], versions: dict[int, int]
) -> dict[str, list[dict]]:
    """Return the chunk's uncertainty scores: one line per article and model."""
    rows = (
        Uncertainty.objects.filter(sentence__article_id__in=article_ids)
        .order_by("sentence__article_id", "sentence__index")
        .values_list("sentence_id", "model_id", "score")
    )
    grouped: dict[tuple[str, int], list] = defaultdict(list)
    for sentence_id, model_id, score in rows:
        external_id, index = where[sentence_id]
        grouped[external_id, versions[model_id]].append([index, score])
    by_article: dict[str, list[dict]] = defaultdict(list)
    for (external_id, version), scores in grouped.items():
        by_article[external_id].append(
            {"type": "scores", "article": external_id, "model": version, "scores": scores}
        )
    return by_article
