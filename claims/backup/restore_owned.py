"""Restore what a project owns beyond its texts and annotations (see owned.py): speaker
merges, suggestion models, predictions and uncertainty scores. Each line is checked first."""

import base64
import binascii
import math
import uuid
from typing import Any

from claims.backup.checks import (
    LineError,
    check_span,
    need,
    need_choice,
    need_count,
    need_time,
)
from claims.backup.store import times_restore
from claims.learning.models import SuggestionModel
from claims.models import QuoteType, Speaker, SpeakerKind, SpeakerMerge


class OwnedRestorer:
    """The Restorer's handlers of merge, model, prediction and scores lines (a mixin)."""

    def owned_init(self) -> None:
        self.merges: list[dict] = []
        self.merged_ids: list[int] = []  # the restored removed_id of each merge line
        self.model_ids: dict[int, int] = {}  # version -> id

    def take_merge(self, obj: dict, line: int) -> None:
        kept = need(obj, "kept", str, nullable=True)
        if kept is not None and kept not in self.speakers:
            raise LineError(f"the kept speaker {kept!r} has no speaker line")
        aliases = need(obj, "removed_aliases", list)
        if not all(isinstance(alias, str) for alias in aliases):
            raise LineError("'removed_aliases' must be a list of strings")
        actor = need(obj, "actor", str, nullable=True)
        self.merges.append(
            {
                "kept": kept, "kept_name": need(obj, "kept_name", str),
                "removed_name": need(obj, "removed_name", str),
                "removed_kind": need_choice(obj, "removed_kind", SpeakerKind.values),
                "removed_aliases": aliases, "attributions": need_count(obj, "attributions"),
                "annotations": need_count(obj, "annotations"),
                "actor_id": actor and self.user_id(actor),
                "created_at": need_time(obj, "created_at"),
            }
        )  # fmt: skip

    def merges_store(self) -> None:
        """Store the merges, each removed speaker under an id no speaker will ever have.

        History and predictions name removed speakers by id; the ids are taken from the
        speakers' own sequence (placeholder rows, deleted at once), as the merge did.
        """
        placeholders = Speaker.objects.bulk_create(
            Speaker(project=self.project, name=f"removed {uuid.uuid4().hex}", kind="person")
            for _ in self.merges
        )
        self.merged_ids = [speaker.pk for speaker in placeholders]
        Speaker.objects.filter(pk__in=self.merged_ids).delete()
        merges = [
            SpeakerMerge(
                project=self.project, removed_id=removed_id,
                kept_id=merge["kept"] and self.speaker_ids[merge["kept"]],
                **{k: v for k, v in merge.items() if k not in {"kept", "created_at"}},
            )
            for merge, removed_id in zip(self.merges, self.merged_ids, strict=True)
        ]  # fmt: skip
        SpeakerMerge.objects.bulk_create(merges)
        times_restore(SpeakerMerge, merges, created_at=[m["created_at"] for m in self.merges])

    def speaker_named(self, name: Any) -> int:
        """Return the restored id of a speaker as the backup names it (see owned.py)."""
        if isinstance(name, dict) and set(name) == {"merged"}:
            number = name["merged"]
            if not isinstance(number, int) or not 0 <= number < len(self.merges):
                raise LineError(f"names the merge {number!r}, which has no merge line")
            return self.merged_ids[number]
        if name not in self.speaker_ids:
            raise LineError(f"names the speaker {name!r}, which has no speaker line")
        return self.speaker_ids[name]

    def take_model(self, obj: dict, line: int) -> None:
        version = need_count(obj, "version", 1)
        if version in self.model_ids:
            raise LineError(f"model version {version} is given twice")
        try:
            data = base64.b64decode(need(obj, "data", str), validate=True)
        except (binascii.Error, ValueError):
            raise LineError("'data' is not base64") from None
        active = need(obj, "active", bool)
        if active and SuggestionModel.objects.filter(project=self.project, active=True).exists():
            raise LineError("a second model is marked active")
        trained_by = need(obj, "trained_by", str, nullable=True)
        model = SuggestionModel.objects.create(
            project=self.project, version=version, active=active, data=data,
            size=need_count(obj, "size"), figures=need(obj, "figures", dict),
            meta=need(obj, "meta", dict), trained_by_id=trained_by and self.user_id(trained_by),
            activated_at=need_time(obj, "activated_at", nullable=True),
        )  # fmt: skip
        times_restore(SuggestionModel, [model], created_at=[need_time(obj, "created_at")])
        self.model_ids[version] = model.pk

    def take_prediction(self, obj: dict, line: int) -> None:
        sentence = self.sentence_of(obj)
        claim = need(obj, "claim", str)
        if claim and claim not in self.labels.claim_values:
            raise LineError(f"claim {claim!r} is not in the schema")
        length = sentence.end - sentence.start
        attributions = [
            self.predicted_attribution(item, length) for item in need(obj, "attributions", list)
        ]
        self.batch.predictions.append(
            (
                line,
                {
                    "article": self.article[0], "sentence": sentence.index, "claim": claim,
                    "attributions": attributions, "created_at": need_time(obj, "created_at"),
                    "updated_at": need_time(obj, "updated_at"),
                },
            )
        )  # fmt: skip

    def predicted_attribution(self, item: Any, length: int) -> dict:
        if not isinstance(item, dict):
            raise LineError("each predicted attribution must be an object")
        result = dict(item)
        for role in ("source", "cue", "content"):
            check_span(item.get(role), role, length)
        need_choice(item, "quote_type", QuoteType.values, blank=True)
        speaker = item.get("speaker")
        if speaker is not None:
            if not isinstance(speaker, dict) or "id" not in speaker:
                raise LineError("a predicted speaker must be {'id', 'name', 'kind'} or null")
            result["speaker"] = {**speaker, "id": self.speaker_named(speaker["id"])}
        return result

    def take_scores(self, obj: dict, line: int) -> None:
        if self.article is None or need(obj, "article", str) != self.article[0]:
            raise LineError("scores must follow the line of their article")
        version = need_count(obj, "model", 1)
        if version not in self.model_ids:
            raise LineError(f"scores of model version {version}, which has no model line")
        rows = []
        for item in need(obj, "scores", list):
            if not (
                isinstance(item, list) and len(item) == 2 and isinstance(item[0], int)
                and isinstance(item[1], int | float) and math.isfinite(item[1])
                and 0 <= item[0] < len(self.article[1])
            ):  # fmt: skip
                raise LineError(f"a score is not [sentence index, number]: {item!r}")
            rows.append((item[0], float(item[1])))
        self.batch.scores.append((line, self.article[0], self.model_ids[version], rows))
