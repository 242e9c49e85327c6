"""Activate or deactivate a project's model."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from claims.access import may_review
from claims.learning.models import SuggestionModel, Uncertainty


def check_reviewer(user, model: SuggestionModel) -> None:
    if user is not None and not may_review(user, model.project):
        raise PermissionDenied("Only a reviewer of this project can change its models.")


@transaction.atomic
def model_activate(*, model: SuggestionModel, user=None) -> SuggestionModel:
    """Make the model the one its project's suggestions use (the other models stop).

    ``user`` None: a command run by the operator, who may do anything.
    """
    check_reviewer(user, model)
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
    model.active = False
    model.save(update_fields=["active"])
    Uncertainty.objects.filter(model=model).delete()
    return model
