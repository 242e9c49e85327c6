"""History payloads as curators read them: speakers and targets by name, not by database id.

The history stores what was saved (claims.content.history_record), speakers and stance
targets by id. A speaker merged away is named from its SpeakerMerge record; one deleted
unused, or unknown, keeps its id.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import format_html

from claims.models import AnnotationEvent, Speaker, SpeakerMerge, StanceTarget


@dataclass
class HistoryNames:
    speakers: dict[int, str] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable[AnnotationEvent]) -> "HistoryNames":
        """Return the names the events refer to, in at most three queries."""
        speaker_ids, target_ids = set(), set()
        for event in events:
            for payload in (event.before, event.after):
                speaker_ids |= set(payload_speakers(payload))
                target_ids |= set(payload_targets(payload))
        names = cls()
        if speaker_ids:
            names.speakers = dict(
                Speaker.objects.filter(pk__in=speaker_ids).values_list("pk", "name")
            )
            merged = SpeakerMerge.objects.filter(removed_id__in=speaker_ids - set(names.speakers))
            for removed_id, removed, kept in merged.values_list(
                "removed_id", "removed_name", "kept_name"
            ):
                names.speakers[removed_id] = f"{removed} (merged into {kept})"
        if target_ids:
            names.targets = dict(
                StanceTarget.objects.filter(pk__in=target_ids).values_list("pk", "name")
            )
        return names

    def speaker(self, speaker_id: int) -> str:
        return self.speakers.get(speaker_id, f"speaker #{speaker_id} (deleted)")

    def target(self, target_id: int) -> str:
        return self.targets.get(target_id, f"target #{target_id} (deleted)")

    def readable(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Return the payload with speakers and targets named."""
        result = dict(payload)
        if isinstance(payload.get("attributions"), list):
            result["attributions"] = [
                {**a, "speaker": self.speaker(a["speaker"])} if speaker_of(a) is not None else a
                for a in payload["attributions"]
            ]
        if isinstance(payload.get("stance"), list):
            result["stance"] = [
                [self.target(s[0]), *s[1:]] if target_of(s) is not None else s
                for s in payload["stance"]
            ]
        return result


def speaker_of(attribution: Any) -> int | None:
    value = attribution.get("speaker") if isinstance(attribution, dict) else None
    return value if isinstance(value, int) else None


def target_of(stance: Any) -> int | None:
    value = stance[0] if isinstance(stance, list) and stance else None
    return value if isinstance(value, int) else None


def payload_speakers(payload: Any) -> Iterable[int]:
    items = payload.get("attributions") if isinstance(payload, dict) else None
    return (s for s in map(speaker_of, items or []) if s is not None)


def payload_targets(payload: Any) -> Iterable[int]:
    items = payload.get("stance") if isinstance(payload, dict) else None
    return (t for t in map(target_of, items or []) if t is not None)


def pretty_json(value: dict[str, Any] | None, names: HistoryNames) -> str:
    """Return a stored payload one key a line, each value as compact JSON, things named."""
    if value is None:
        return "-"
    lines = (
        f"{key}: {json.dumps(item, ensure_ascii=False)}"
        for key, item in names.readable(value).items()
    )
    return format_html('<pre class="history-payload">{}</pre>', "\n".join(lines))
