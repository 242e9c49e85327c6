"""Refuse to serve requests with a configuration that is only fit for commands or a laptop.

Checked when the WSGI application loads (gunicorn, runserver): with DEBUG off the secret key
and the allowed hosts must come from the environment (every app server must share the key);
with DEBUG on, only loopback hosts may be allowed (its error pages show settings and requests).
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from annotator.environment import is_loopback

REQUIRED = {
    "DJANGO_SECRET_KEY": "the key signing sessions and tokens, the same on every app server",
    "DJANGO_ALLOWED_HOSTS": "the host names the site answers to, comma-separated",
}


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
    return [
        f"{name} is not set ({meaning})"
        for name, meaning in REQUIRED.items()
        if not os.environ.get(name, "").strip()
    ]


def check_serving() -> None:
    problems = serving_problems()
    if problems:
        raise ImproperlyConfigured(
            "Cannot serve requests: " + "; ".join(problems) + " (see docs/deploy.md)."
        )
