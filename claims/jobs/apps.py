from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "claims.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Register every job kind in each process, the worker's included.
        from claims.jobs import kinds  # noqa: F401
