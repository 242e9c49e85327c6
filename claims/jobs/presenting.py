"""A job as its page shows it: how far it is, what it is doing (a training: part, epoch, loss,
time left), the figures measured so far, and its outcome in words."""

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import format_html

from claims.jobs.models import Job
from claims.jobs.registry import registered_kind

ROLES = ("source", "cue", "content")
PART_TITLES = {"spans": "span tagger", "claim": "claim classifier", "stance": "stance classifier"}
FIGURE_NAMES = {"precision": "P", "recall": "R", "f1": "F1", "map": "MAP", "favg": "F_avg"}


SPANS_NOTE = (
    "The span figures after each epoch are taken before the decoding settings (confidence "
    "floors, help from the rules) are chosen on the dev articles; the model's final figures "
    "are those its outcome gives."
)
STANCE_NOTE = (
    "The stance classifier trains for twice the epochs asked for (its labels are few), once for "
    "each number of neighbouring sentences it may read with a sentence; the one with the best "
    "dev F_avg, for its best number of epochs, is then trained again on every labelled "
    "article, the dev ones included (so without dev figures)."
)
NOTES = {"spans": SPANS_NOTE, "stance": STANCE_NOTE}


@dataclass
class JobView:
    percent: int | None
    doing: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    outcome: str = ""
    result: str = ""
    note: str = ""
    took: str = ""
    waiting: str = ""


# A job queued this long has no worker taking it (a worker takes a job within seconds).
NO_WORKER_AFTER = timedelta(minutes=2)


def waiting_note(job: Job) -> str:
    """Return what a job waiting for a worker for long should say: that none may be running."""
    if job.started_at or job.finished:
        return ""
    waited = timezone.now() - job.created_at
    if waited < NO_WORKER_AFTER:
        return ""
    return (
        f"Queued {duration(waited.total_seconds())} ago: is a job worker running? Start one "
        "with make worker (or the service of docs/deploy.md)."
    )


def job_view(job: Job) -> JobView:
    """Return what the job's page shows of it."""
    percent = round(100 * job.done / job.total) if job.total else None
    detail = job.detail or {}
    columns, rows = history_table(detail.get("history") or [])
    kind = registered_kind(job.kind)
    outcome = kind.describe(job) if kind and kind.describe and job.result else ""
    if not outcome and job.result:
        outcome = "; ".join(f"{k.replace('_', ' ')}: {short(v)}" for k, v in job.result.items())
    return JobView(
        percent=percent,
        doing="" if job.finished else doing(detail),
        columns=columns,
        rows=rows,
        outcome=outcome,
        result=pretty(job.result) if job.result else "",
        note=notes(detail.get("history") or []),
        took=took(job),
        waiting=waiting_note(job),
    )


def took(job: Job) -> str:
    """Return how long a finished job ran, else ""."""
    if not (job.started_at and job.finished_at):
        return ""
    return duration((job.finished_at - job.started_at).total_seconds())


def notes(history: list[dict]) -> str:
    """Return what the figures of the parts in the history need said about them."""
    parts = {entry.get("part") for entry in history}
    return " ".join(note for part, note in NOTES.items() if part in parts)


def doing(detail: dict) -> str:
    """Return what a training is doing now, in words ("" for other jobs)."""
    part = detail.get("part")
    if detail.get("stage") == "preparing":
        return "Reading the project's labels and preparing the training examples."
    if not part:
        return ""
    title = PART_TITLES.get(part, part)
    run = f" ({detail['run']})" if detail.get("run") else ""
    text = f"Training the {title}{run}: epoch {detail.get('epoch')} of {detail.get('epochs')}"
    if detail.get("loss") is not None:
        text += f", loss {detail['loss']:.2f}"
    if detail.get("part_done", 0) >= 1:
        text += "; choosing its settings on the dev articles"
    elif detail.get("left_seconds") is not None:
        text += f"; about {minutes(detail['left_seconds'])} left for it"
    parts = detail.get("parts") or []
    after = parts[parts.index(part) + 1 :] if part in parts else []
    if after:
        text += "; then the " + ", ".join(PART_TITLES.get(p, p) for p in after)
    return text + "."


def duration(seconds: float | None) -> str:
    """Return a time span as "12 s", "2 min 8 s" or "3 h 2 min" (never "0 minutes")."""
    if seconds is None:
        return "?"
    minutes, rest = divmod(round(seconds), 60)
    if minutes >= 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def minutes(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    return f"{round(seconds / 60)} min"


def history_table(history: list[dict]) -> tuple[list[str], list[list[Any]]]:
    """Return the dev figures after each epoch as a table: part, epoch, loss, then a cell per
    group of figures ("source": "P / R / F1"; "accuracy"; "MAP"), in a fixed order (a JSON
    column may give the names back in another)."""
    names = sorted({name for entry in history for name in entry.get("dev", {})}, key=figure_order)
    groups = list(dict.fromkeys(figure_group(name)[0] for name in names))
    rows = []
    for entry in history:
        dev = entry.get("dev", {})
        cells = {
            group: " / ".join(
                f"{dev[n]:.3f}" if isinstance(dev[n], float) else str(dev[n])
                for n in names
                if n in dev and figure_group(n)[0] == group
            )
            for group in groups
        }
        title = PART_TITLES.get(entry.get("part"), entry.get("part"))
        rows.append(
            [
                f"{title}: {entry['stage']}" if entry.get("stage") else title,
                entry.get("epoch"),
                entry.get("loss"),
                *(cells[g] or None for g in groups),
            ]
        )
    titles = []
    for group in groups:
        shorts = [figure_group(n)[1] for n in names if figure_group(n)[0] == group]
        shorts = [short for short in shorts if short]
        titles.append(
            f"{figure_name(group)} {' / '.join(shorts)}" if shorts else figure_name(group)
        )
    return ["part", "epoch", "loss", *titles], rows


def figure_order(name: str) -> tuple:
    """Sort figures: span roles first (source, cue, content), P before R before F1."""
    group, short = figure_group(name)
    role = ROLES.index(group) if group in ROLES else len(ROLES)
    within = list(FIGURE_NAMES.values()).index(short) if short in FIGURE_NAMES.values() else 9
    return role, group, within


def figure_group(name: str) -> tuple[str, str]:
    """Return ("source", "P") for "source_precision"; ("map", "") for "map"."""
    head, _, tail = name.rpartition("_")
    if head and tail in ("precision", "recall", "f1"):
        return head, FIGURE_NAMES[tail]
    return name, ""


def figure_name(name: str) -> str:
    """Return "source_precision" as "source P", "map" as "MAP"."""
    words = name.replace("f_avg", "favg").split("_")
    return " ".join(FIGURE_NAMES.get(w, w) for w in words)


def params_words(params: dict) -> str:
    """Return what the job was asked for, as "name: value" pairs ("parts: spans, claim")."""

    def word(value) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list) and len(value) <= 10:
            return ", ".join(str(v) for v in value)
        return short(value) if isinstance(value, dict | list) else str(value)

    return " · ".join(f"{k.replace('_', ' ')}: {word(v)}" for k, v in (params or {}).items())


def short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def pretty(value) -> str:
    if value in (None, {}):
        return "-"
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))
