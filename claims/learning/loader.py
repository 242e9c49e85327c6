"""The active model of a project, loaded once per process and reloaded when it changes.

Every app server reads the model from the database; what a process keeps is only a cache of
that row, checked per request by one indexed query (the active model's id): activating
another model, or deactivating it, takes effect at every app server's next request.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from claims.learning.models import SuggestionModel

# spaCy (behind the model) is imported when a model is first loaded, not at app start-up.
if TYPE_CHECKING:
    from claims.nlp.training import ModelSuggester

_lock = threading.Lock()
# project id -> (model id, suggester); at most one model per project is held.
_loaded: dict[int, tuple[int, ModelSuggester]] = {}


def active_model_id(project_id: int) -> int | None:
    """Return the id of the project's active model (one query), or None."""
    return (
        SuggestionModel.objects.filter(project_id=project_id, active=True)
        .values_list("id", flat=True)
        .first()
    )


def active_suggester(project_id: int) -> tuple[int, ModelSuggester] | None:
    """Return (model id, suggester) for the project's active model, or None without one."""
    model_id = active_model_id(project_id)
    if model_id is None:
        _loaded.pop(project_id, None)
        return None
    return model_id, suggester_for(project_id, model_id)


def suggester_for(project_id: int, model_id: int) -> ModelSuggester:
    """Return the suggester of a stored model, loading it when this process holds another."""
    held = _loaded.get(project_id)
    if held is not None and held[0] == model_id:
        return held[1]
    with _lock:  # two requests of one process must not both load a model of 10 MB
        held = _loaded.get(project_id)
        if held is not None and held[0] == model_id:
            return held[1]
        data, meta = SuggestionModel.objects.values_list("data", "meta").get(pk=model_id)
        suggester = load_suggester(data, meta.get("not_claim"))
        _loaded[project_id] = (model_id, suggester)
        return suggester


def load_suggester(data: bytes | None, not_claim: str | None) -> ModelSuggester:
    """Return a suggester of a stored model's bytes (the rules alone for None), uncached."""
    # spaCy loads here, on first use, not at app start-up.
    from claims.nlp.training import ClaimModel, ModelSuggester

    model = ClaimModel.from_bytes(bytes(data)) if data is not None else None
    return ModelSuggester(model, not_claim=not_claim)


def load_active_models() -> int:
    """Load spaCy, the rules and every project's active model into this process, and return
    how many models were loaded. `make serve` calls it in gunicorn's master before it forks
    the workers, so no annotator waits seconds for a worker's first suggestions."""
    from claims.nlp.suggestions import suggest

    suggest("The minister said talks would resume.")
    active = SuggestionModel.objects.filter(active=True).values_list("project_id", "id")
    for project_id, model_id in active:
        suggester_for(project_id, model_id).suggest(["The minister said talks would resume."])
    return len(active)


def forget_models() -> None:
    """Drop every loaded model (tests; a process that wants its memory back)."""
    with _lock:
        _loaded.clear()
