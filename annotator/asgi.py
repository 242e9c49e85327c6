"""ASGI entry point. Refuses an unfit configuration, as annotator.wsgi does."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
application = get_asgi_application()

from annotator.serving import check_serving  # noqa: E402 - needs the settings loaded

check_serving()
