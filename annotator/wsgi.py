"""WSGI entry point (gunicorn annotator.wsgi; `make serve`). Refuses an unfit configuration."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
application = get_wsgi_application()

from annotator.serving import check_serving  # noqa: E402 - needs the settings loaded

check_serving()
