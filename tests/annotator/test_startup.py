"""The app starts without importing spaCy: every manage.py command, server, worker and the
tests' child processes start the app, and spaCy (with thinc and numpy) adds seconds to each.
spaCy loads when a pipeline or a model is first needed (claims.nlp.segmentation, parsing,
claims.learning.loader)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("spacy", "thinc", "numpy")

# What a process does when it starts the app: settings, apps (their admin modules), the URLs
# with their views, and the management commands' modules.
START = """
import json, pkgutil, sys, importlib
import django
django.setup()
import django.urls
django.urls.get_resolver().url_patterns
from django.contrib import admin
admin.autodiscover()
from django.core.management import get_commands, load_command_class
for name, app in get_commands().items():
    load_command_class(app, name)
print(json.dumps(sorted(m for m in {heavy} if m in sys.modules)))
"""


@pytest.mark.parametrize("settings_module", ["annotator.settings", "tests.settings"])
def test_app_start_up_imports_no_spacy(settings_module):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    done = subprocess.run(
        [sys.executable, "-c", START.format(heavy=HEAVY)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
