"""WSGI entry point (gunicorn annotator.wsgi; `make serve`). Refuses an unfit configuration."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
application = get_wsgi_application()

from annotator.serving import check_serving  # noqa: E402 - needs the settings loaded

check_serving()

if os.environ.get("CLAIMS_LOAD_MODELS_AT_START") == "1":
    # `make serve`: gunicorn's master loads spaCy and the active models before forking the
    # workers (--preload), then lets go of its database connection, which no worker may share.
    import logging

    from django.db import connections

    from claims.learning.loader import load_active_models

    try:
        load_active_models()
    except Exception as error:  # noqa: BLE001 - the server still starts; models load on use
        logging.getLogger(__name__).warning("models not loaded at start (%s): on first use", error)
    connections.close_all()
