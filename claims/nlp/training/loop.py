"""The training loop shared by the span tagger and the claim classifier."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

from spacy.language import Language
from spacy.training import Example
from spacy.training.batchers import minibatch_by_words
from spacy.util import fix_random_seed
from thinc.api import Adam


@dataclass(frozen=True)
class Progress:
    """What a progress callback is told: after each logged step and after each epoch.

    ``dev`` holds the dev figures after an epoch (empty between epochs); ``ended`` says the
    epoch is over (with or without dev figures); ``epochs``: how many this run trains.
    ``stage``: which run of its component this is, when one trains several (the stance
    classifier: once per window tried, then on every labelled article); ``done`` is then
    the share of all its runs.
    """

    component: str
    epoch: int
    step: int
    loss: float
    seconds: float
    done: float
    dev: dict[str, float] = field(default_factory=dict)
    ended: bool = False
    epochs: int = 0
    stage: str = ""


ProgressCallback = Callable[[Progress], None]


def staged(
    progress: ProgressCallback | None, stage: str, run: int, runs: int
) -> ProgressCallback | None:
    """Return a callback telling ``progress`` the reports of run ``run`` (from 0) of ``runs``
    of one component, named ``stage``, their ``done`` a share of all the runs."""
    if progress is None:
        return None

    def report(found: Progress) -> None:
        progress(replace(found, stage=stage, done=(run + found.done) / runs))

    return report


@dataclass(frozen=True)
class LoopSettings:
    """How long and how hard to train."""

    epochs: int = 5
    batch_words: int = 1000
    dropout: float = 0.1
    learn_rate: float = 0.001
    max_seconds: float | None = None
    log_every: int = 50
    seed: int = 0


def fit(
    nlp: Language,
    component: str,
    examples: Sequence[Example],
    settings: LoopSettings,
    *,
    evaluate: Callable[[], dict[str, float]] | None = None,
    progress: ProgressCallback | None = None,
    select: Callable[[dict[str, float]], float] | None = None,
) -> list[dict[str, float]]:
    """Train ``nlp`` on ``examples``; return the dev figures after each epoch.

    Stop early when ``settings.max_seconds`` has passed (checked after every batch). With
    ``select`` (a dev figure to maximise), keep the weights of the epoch scoring best on it,
    not the last epoch's: on small data the last epoch is often past the best.
    """
    rng = random.Random(settings.seed)
    # The initial weights too: the same data and settings train the same model (and a test
    # of a tiny model does not pass or fail by chance).
    fix_random_seed(settings.seed)
    # spaCy's own defaults: a little L2 and weight averaging, whose averages are what is
    # evaluated and kept (they generalise better than the last step's weights).
    optimizer = nlp.initialize(
        lambda: examples[:2000], sgd=Adam(settings.learn_rate, L2=1e-6, use_averages=True)
    )
    total_words = sum(len(eg.predicted) for eg in examples) * settings.epochs or 1
    order, history, started, step, seen = list(examples), [], time.perf_counter(), 0, 0
    best: tuple[float, int, bytes] | None = None
    told = partial(Progress, component, epochs=settings.epochs)
    for epoch in range(1, settings.epochs + 1):
        rng.shuffle(order)
        loss_sum, out_of_time = 0.0, False
        for batch in minibatch_by_words(order, settings.batch_words, tolerance=0.2):
            losses: dict[str, float] = {}
            nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
            step += 1
            seen += sum(len(eg.predicted) for eg in batch)
            loss_sum += losses.get(component, 0.0)
            elapsed = time.perf_counter() - started
            if progress and step % settings.log_every == 0:
                progress(told(epoch, step, loss_sum, elapsed, seen / total_words))
            if settings.max_seconds is not None and elapsed > settings.max_seconds:
                out_of_time = True
                break
        with nlp.use_params(optimizer.averages):
            figures = evaluate() if evaluate else {}
            if select is not None and (best is None or select(figures) > best[0]):
                best = (select(figures), epoch, nlp.to_bytes())
        history.append(figures)
        if progress:
            elapsed = time.perf_counter() - started
            progress(told(epoch, step, loss_sum, elapsed, seen / total_words, figures, ended=True))
        if out_of_time:
            break
    if best is not None:
        nlp.from_bytes(best[2])  # the caller finds that epoch in the history by ``select``
    else:
        keep_averages(nlp, optimizer.averages)
    return history


def keep_averages(nlp: Language, averages: dict) -> None:
    """Replace every trained weight by its running average, for good."""
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None:
            continue
        for node in model.walk():
            for name in node.param_names:
                key = (node.id, name)
                if key in averages:
                    node.set_param(name, averages[key].copy())
