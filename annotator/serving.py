"""Refuse to serve requests with a configuration that is only fit for commands or a laptop.

Checked when the WSGI application loads (gunicorn, runserver) and by `check --deploy` (which
`make serve` runs before migrating): with DEBUG off the secret key and the allowed hosts must
come from the environment (every app server must share the key) and the key must be one
nobody can guess; with DEBUG on, only loopback hosts may be allowed (its error pages show
settings and requests).
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from annotator.environment import env_list, is_loopback

REQUIRED = {
    "DJANGO_SECRET_KEY": "the key signing sessions and tokens, the same on every app server",
    "DJANGO_ALLOWED_HOSTS": "the host names the site answers to, comma-separated",
}
# A key signs sessions and password-reset links: one that can be guessed lets anyone sign
# in as anyone. Django's own deploy check asks for 50 characters and 5 different ones; a
# generated key has far more (secrets.token_urlsafe(50): 67 characters, 30 or more different;
# 64 hex digits: 16 at most, 10 or more all but never).
MIN_KEY_LENGTH = 50
MIN_KEY_CHARACTERS = 10
# Placeholders of documentation and templates, and Django's startproject keys.
PLACEHOLDERS = (
    "...", "change-me", "changeme", "example", "django-insecure-", "secret-key", "secret_key",
    "your-key", "your_key",
)  # fmt: skip
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def key_problem(key: str) -> str | None:
    """Return why the key is unfit to sign sessions (never the key itself), or None."""
    if len(key) < MIN_KEY_LENGTH:
        return f"is too short ({len(key)} characters; at least {MIN_KEY_LENGTH})"
    if len(set(key)) < MIN_KEY_CHARACTERS:
        return (
            f"repeats too few characters ({len(set(key))} different; at least {MIN_KEY_CHARACTERS})"
        )
    lowered = key.lower()
    if any(placeholder in lowered for placeholder in PLACEHOLDERS):
        return "looks like a placeholder, not a random key"
    return None


def secret_key_problems() -> list[str]:
    """Return what is wrong with the environment's secret key and its fallbacks, one line each."""
    problems = []
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key and (problem := key_problem(key)):
        problems.append(f"DJANGO_SECRET_KEY {problem}: make one with {MAKE_A_KEY}")
    for position, old in enumerate(env_list("DJANGO_SECRET_KEY_FALLBACKS", []), start=1):
        if problem := key_problem(old):
            problems.append(
                f"DJANGO_SECRET_KEY_FALLBACKS: key {position} {problem}; a weak old key lets "
                "anyone sign sessions: drop it (everyone signed in with it logs in again)"
            )
    return problems


def serving_problems() -> list[str]:
    """Return what stops this configuration from serving requests, one line each."""
    if settings.DEBUG:
        public = [host for host in settings.ALLOWED_HOSTS if not is_loopback(host)]
        if public:
            return [
                f"DJANGO_DEBUG=1 with public hosts allowed ({', '.join(public)}): debug pages "
                "show settings and requests to anyone; serve on 127.0.0.1 or set DJANGO_DEBUG=0"
            ]
        return []
    missing = [
        f"{name} is not set ({meaning})"
        for name, meaning in REQUIRED.items()
        if not os.environ.get(name, "").strip()
    ]
    return missing + secret_key_problems()


def check_serving() -> None:
    problems = serving_problems()
    if problems:
        raise ImproperlyConfigured(
            "Cannot serve requests: " + "; ".join(problems) + " (see docs/deploy.md)."
        )
