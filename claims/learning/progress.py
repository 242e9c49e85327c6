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
        # A part trained in several runs (the stance classifier): the seconds of its runs
        # before the one at hand, and that run's (stage, seconds) so far.
        self.earlier_seconds: dict[str, float] = {}
        self.run: dict[str, tuple[str, float]] = {}

    def __call__(self, progress) -> None:
        part = PART_OF_COMPONENT.get(progress.component, progress.component)
        if part not in self.parts:
            self.parts.append(part)
        index = self.parts.index(part)
        share = min(max(progress.done, 0.0), 1.0)
        seconds = self.part_seconds(part, progress)
        # The final run of a part trained in stages has no dev figures, but its epochs are
        # listed all the same: without them the page would not say the part trained again.
        if progress.dev or (progress.ended and progress.stage):
            entry = {
                "part": part,
                "epoch": progress.epoch,
                "loss": round(progress.loss, 3),
                "dev": {k: round(v, 4) for k, v in progress.dev.items()},
            }
            if progress.stage:
                entry["stage"] = progress.stage
            self.history.append(entry)
        detail = {
            "part": part,
            "parts": self.parts,
            "run": progress.stage,
            "epoch": progress.epoch,
            "epochs": progress.epochs or self.epochs,
            "loss": round(progress.loss, 3),
            "part_done": round(share, 3),
            "part_seconds": round(seconds, 1),
            "left_seconds": left_seconds(seconds, share),
            "history": self.history,
        }
        overall = (index + share) / len(self.parts)
        self.report(round(overall * 100), 100, detail, now=bool(progress.ended))

    def part_seconds(self, part: str, progress) -> float:
        """Return the seconds the part has trained, over all its runs so far."""
        stage, seconds = self.run.get(part, (progress.stage, 0.0))
        if stage != progress.stage:
            self.earlier_seconds[part] = self.earlier_seconds.get(part, 0.0) + seconds
        self.run[part] = (progress.stage, progress.seconds)
        return self.earlier_seconds.get(part, 0.0) + progress.seconds


def left_seconds(elapsed: float, share: float) -> float | None:
    """Return the time the part at hand still needs at the pace so far (None: too early)."""
    if share <= 0.02:
        return None
    return round(elapsed * (1 - share) / share, 1)
