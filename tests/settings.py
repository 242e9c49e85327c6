"""Settings for the test suite: the app's settings with jobs run at once.

Jobs run in the request that starts them (django-tasks' immediate backend), so a test sees
their result at once; tests/jobs/ switches to the database backend and runs the real worker.
"""

import os
import secrets

# The app refuses to serve without these from the environment (and a key that looks like a
# placeholder); tests get throwaway ones, inherited by the servers they start.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from annotator.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
