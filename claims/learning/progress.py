"""A training's progress as its job shows it: which part, which epoch, the loss, the dev
figures after each epoch, and the time left.

The training loop reports per component (``claims.nlp.training.Progress``); this turns that
into the job's ``done`` of 100 (the parts weigh alike: a guess, which is why the page also says
the time left in the part at hand) and its ``detail``.
"""

from collections.abc import Callable, Sequence
from typing import Any

# The part of the model each training component is (claims.nlp.training).
PART_OF_COMPONENT = {"tagger": "spans", "textcat": "claim", "textcat_multilabel": "stance"}
PART_TITLES = {"spans": "span tagger", "claim": "claim classifier", "stance": "stance classifier"}


class TrainingProgress:
    """The training's progress callback: passes each report to the job as done and detail."""

    def __init__(self, report: Callable[..., None], parts: Sequence[str], epochs: int):
        self.report = report
        self.parts = list(parts) or ["spans"]
        self.epochs = epochs
        self.history: list[dict[str, Any]] = []

    def __call__(self, progress) -> None:
        part = PART_OF_COMPONENT.get(progress.component, progress.component)
        if part not in self.parts:
            self.parts.append(part)
        index = self.parts.index(part)
        share = min(max(progress.done, 0.0), 1.0)
        if progress.dev:
            self.history.append(
                {
                    "part": part,
                    "epoch": progress.epoch,
                    "loss": round(progress.loss, 3),
                    "dev": {k: round(v, 4) for k, v in progress.dev.items()},
                }
            )
        detail = {
            "part": part,
            "parts": self.parts,
            "epoch": progress.epoch,
            "epochs": self.epochs,
            "loss": round(progress.loss, 3),
            "part_done": round(share, 3),
            "part_seconds": round(progress.seconds, 1),
            "left_seconds": left_seconds(progress.seconds, share),
            "history": self.history,
        }
        overall = (index + share) / len(self.parts)
        self.report(round(overall * 100), 100, detail, now=bool(progress.dev))


def left_seconds(elapsed: float, share: float) -> float | None:
    """Return the time the part at hand still needs at the pace so far (None: too early)."""
    if share <= 0.02:
        return None
    return round(elapsed * (1 - share) / share, 1)
