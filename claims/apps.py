from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims annotation"

    def ready(self) -> None:
        # Connect the signal that revokes API tokens on a password change, in every process.
        from claims.api import tokens  # noqa: F401
