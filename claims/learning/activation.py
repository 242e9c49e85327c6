"""Activate or deactivate a project's model."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.utils import timezone

from claims.access import may_review
from claims.learning.models import SuggestionModel, Uncertainty


def check_reviewer(user, model: SuggestionModel) -> None:
    if user is not None and not may_review(user, model.project):
        raise PermissionDenied("Only a reviewer of this project can change its models.")


class ModelsBusy(Exception):
    """Another reviewer is changing which model of the project is active at this moment."""

    def __init__(self, model: SuggestionModel):
        super().__init__(
            f"Another reviewer is activating or deactivating a model of {model.project} at this "
            "moment; look at the list again and choose."
        )


def models_locked(model: SuggestionModel) -> None:
    """Lock the project's models for this transaction; raise ModelsBusy if another holds them.

    Two activations at once would each deactivate the others and activate their own: one
    wins, and the other is told rather than waiting to overrule it (PostgreSQL; SQLite runs
    one writing transaction at a time anyway).
    """
    rows = SuggestionModel.objects.filter(project_id=model.project_id).order_by("pk")
    try:
        list(rows.select_for_update(nowait=True).values_list("pk"))
    except OperationalError:
        raise ModelsBusy(model) from None


@transaction.atomic
def model_activate(*, model: SuggestionModel, user=None) -> SuggestionModel:
    """Make the model the one its project's suggestions use (the other models stop).

    ``user`` None: a command run by the operator, who may do anything. Raise ModelsBusy when
    another activation of the project's models is under way.
    """
    check_reviewer(user, model)
    models_locked(model)
    SuggestionModel.objects.filter(project_id=model.project_id, active=True).exclude(
        pk=model.pk
    ).update(active=False)
    model.active, model.activated_at = True, timezone.now()
    model.save(update_fields=["active", "activated_at"])
    return model


@transaction.atomic
def model_deactivate(*, model: SuggestionModel, user=None) -> SuggestionModel:
    """Stop using the model: the project's suggestions come from the rules again."""
    check_reviewer(user, model)
    models_locked(model)
    model.active = False
    model.save(update_fields=["active"])
    Uncertainty.objects.filter(model=model).delete()
    return model
