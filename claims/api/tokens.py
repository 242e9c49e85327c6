"""API tokens: refused once older than CLAIMS_TOKEN_MAX_AGE_DAYS, deleted on a password change.

Kept apart from the views (claims.api.auth): REST framework's settings import the
authentication class below while its views are being imported.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expired(token: Token) -> bool:
    days = settings.CLAIMS_TOKEN_MAX_AGE_DAYS
    return bool(days) and token.created < timezone.now() - timedelta(days=days)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens older than CLAIMS_TOKEN_MAX_AGE_DAYS."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                "Token expired; POST your username and password to /api/v1/auth/token/ "
                "for a new one."
            )
        return user, token


@receiver(pre_save, sender=get_user_model(), dispatch_uid="claims-token-password-check")
def note_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._claims_password_changed = stored is not None and stored != instance.password


@receiver(post_save, sender=get_user_model(), dispatch_uid="claims-token-revoke")
def revoke_tokens_on_password_change(sender, instance, **kwargs) -> None:
    """Delete the user's API tokens once a new password is saved (a leaked token dies too)."""
    if getattr(instance, "_claims_password_changed", False):
        Token.objects.filter(user=instance).delete()
        instance._claims_password_changed = False
