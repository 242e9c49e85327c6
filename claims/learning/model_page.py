"""What a model's admin page shows: what it was trained on, how it compares with the rules and
the active model on the same dev articles, how its confidence relates to being right, and
what activating it changes."""

from dataclasses import dataclass
from typing import Any

from claims.labeling.progress import queue_sentences
from claims.learning.comparison import active_other, latest_comparison
from claims.learning.models import ModelComparison, SuggestionModel
from claims.learning.uncertainty import model_parts_of
from claims.models import QueueOrder

ROLES = ("source", "cue", "content")
FIGURES = (("precision", "P"), ("recall", "R"), ("f1", "F1"))
PART_NAMES = {"spans": "spans", "claim": "claim label", "stance": "stance"}
RELIABILITY_NAMES = {"spans": "attributions", "claim": "claim label", "stance": "stance"}


@dataclass
class Row:
    label: str
    values: list[float | None]
    change: float | None = None
    section: str = ""


def comparison_table(comparison: ModelComparison) -> tuple[list[str], list[Row]]:
    """Return the columns (rules, the active model, this one) and a row per label figure."""
    figures = comparison.figures
    names = ["rules"] + (["active"] if "active" in figures else []) + ["model"]
    columns = ["rules"]
    if "active" in figures:
        columns.append(f"model v{comparison.against_version} (active)")
    columns.append(f"this model (v{comparison.model.version})")
    now = "active" if "active" in figures else "rules"
    rows: list[Row] = []

    def add(section: str, label: str, path: tuple[str, ...]):
        values = [dig(figures.get(name), path) for name in names]
        mine, current = dig(figures.get("model"), path), dig(figures.get(now), path)
        change = None if mine is None or current is None else round(mine - current, 4)
        rows.append(Row(label, values, change, section))

    for role in ROLES:
        for key, short in FIGURES:
            add(
                "Spans (overlapping a gold span of the same role)",
                f"{role} {short}",
                ("spans", role, key),
            )
    claim_labels = sorted(
        {label for name in names for label in dig(figures.get(name), ("claim", "labels")) or {}}
    )
    if claim_labels:
        section = "Claim label"
        add(section, "accuracy", ("claim", "accuracy"))
        for label in claim_labels:
            add(section, f"{label} F1", ("claim", "labels", label, "f1"))
        add(section, "check-worthiness MAP", ("claim", "map"))
    targets = sorted({t for name in names for t in dig(figures.get(name), ("stance",)) or {}})
    for target in targets:
        add("Stance (F_avg: mean F1 of favor and against)", target, ("stance", target, "f_avg"))
    return columns, rows


def dig(value: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def reliability_table(comparison: ModelComparison) -> tuple[list[str], list[list[Any]], dict]:
    """Return the model's confidence bins as rows: the range, then per part how many
    suggestions fell there and the share right; and each part's calibration error."""
    tables = dig(comparison.figures.get("model"), ("reliability",)) or {}
    parts = [p for p in ("spans", "claim", "stance") if tables.get(p, {}).get("n")]
    by_bin: dict[float, dict[str, dict]] = {}
    for part in parts:
        for found in tables[part]["bins"]:
            by_bin.setdefault(found["low"], {})[part] = found
    rows = []
    for low in sorted(by_bin):
        cells: list[Any] = [f"{low:.1f}–{low + 0.1:.1f}"]
        for part in parts:
            found = by_bin[low].get(part)
            cells += [found["n"], found["right"]] if found else [0, None]
        rows.append(cells)
    return [RELIABILITY_NAMES[p] for p in parts], rows, {p: tables[p].get("ece") for p in parts}


def training_facts(model: SuggestionModel) -> list[tuple[str, str]]:
    """Return what the model was trained on and how, as (name, value) lines."""
    meta = model.meta or {}
    settings = meta.get("settings") or {}
    epochs = dig(settings, ("tagger_loop", "epochs")) or dig(
        settings, ("classifier_loop", "epochs")
    )
    labels = "gold and submitted labels" if meta.get("submitted") else "gold labels"
    facts = [
        ("parts", ", ".join(PART_NAMES[p] for p in model_parts_of(model)) or "-"),
        ("trained on", f"{meta.get('documents', '?')} articles, {meta.get('labelled', '?')} "
         f"labelled sentences ({labels})"),
        ("epochs", str(epochs or "-")),
        ("training time", f"{round((meta.get('seconds') or 0) / 60, 1)} min"),
        ("trained by", f"{model.trained_by or '-'}, {model.created_at:%Y-%m-%d %H:%M}"),
        ("size", f"{model.size / 1e6:.1f} MB"),
    ]  # fmt: skip
    return facts


def activation_effects(model: SuggestionModel) -> list[str]:
    """Say what activating the model changes in its project."""
    project = model.project
    current = active_other(model)
    if model.active:
        return [
            f"The suggestions of project {project} already come from model v{model.version}.",
            "Activating it again only scores the queue's uncertainty again (after a scoring "
            "that failed, or one the project's page says has not been done).",
        ]
    source = f"model v{current.version}" if current else "the rules"
    effects = [
        f"Suggestions in project {project} will come from model v{model.version} instead of "
        f"{source}, at every app server's next request."
    ]
    compared = latest_comparison(model)
    if compared is not None:
        effects.append(comparison_line(compared))
    parts = ", ".join(PART_NAMES[p] for p in model_parts_of(model)) or "nothing"
    todo = queue_sentences(project)
    count = todo.count()
    if project.queue_order == QueueOrder.UNCERTAIN:
        effects.append(
            f"The uncertain-first order will be rescored by model v{model.version} (how unsure it "
            f"is of the {parts} of {count} sentence(s) of the queue), in the background; until "
            "then sentences come in article order."
        )
    else:
        effects.append(
            f"The queue order (article by article) does not change; the {count} sentence(s) of "
            f"the queue are scored by model v{model.version} anyway, so that uncertain first "
            "works as soon as it is chosen."
        )
    return effects


def comparison_line(comparison: ModelComparison) -> str:
    """Say in a line how the model compares with what suggests now, by F1 (and claim and
    stance figures), on its dev articles."""
    columns, rows = comparison_table(comparison)
    now = columns[-2]
    wanted = [
        r for r in rows if r.label.endswith(" F1") or "MAP" in r.label or "Stance" in r.section
    ]
    changes = ", ".join(
        f"{r.label} {r.values[-2]:.3f} → {r.values[-1]:.3f}"
        for r in wanted
        if r.values[-1] is not None and r.values[-2] is not None
    )
    return (
        f"On its {comparison.figures['model']['articles']} dev articles, against {now}: {changes}."
    )


def deactivation_effects(model: SuggestionModel) -> list[str]:
    project = model.project
    if not model.active:
        return [f"Model v{model.version} is not active: nothing changes."]
    effects = [f"Suggestions in project {project} will come from the rules again."]
    if project.queue_order == QueueOrder.UNCERTAIN:
        effects.append(
            "Uncertain first will have nothing to order by: sentences come in article order "
            "until another model is activated."
        )
    return effects
