"""`manage.py check --deploy` refuses what serving refuses (annotator.serving), so `make serve`
stops before it migrates anything."""

from django.core.checks import Error, Tags, register

from annotator.serving import secret_key_problems


@register(Tags.security, deploy=True)
def secret_keys_check(app_configs, **kwargs):
    return [
        Error(problem, hint="docs/operations.md, Rotating secrets", id="annotator.E001")
        for problem in secret_key_problems()
    ]
