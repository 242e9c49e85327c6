"""Settings for the test suite: the app's settings with jobs run at once.

Jobs run in the request that starts them (django-tasks' immediate backend), so a test sees
their result at once; tests/jobs/ switches to the database backend and runs the real worker.
"""

import os

# The app refuses to serve without these from the environment; tests get throwaway ones.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from annotator.settings import *  # noqa: E402,F403

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
