import signal

import pytest
from django.core.management import call_command

from claims.models import Role
from tests.factories import make_article, make_member, make_project, save_annotation

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued_jobs(settings):
    """Queue jobs in the database, as in production, instead of running them at once."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def run_worker(queued_jobs, transactional_db):
    """Run the worker (manage.py jobs_worker) in batch mode: every queued job, then return.

    The worker commits and drops connections as in production, so the test's data is
    committed too (transactional_db) rather than kept in one transaction.
    """
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}

    def run() -> None:
        call_command("jobs_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    yield run
    for number, handler in handlers.items():  # the worker installs its own
        signal.signal(number, handler)


@pytest.fixture
def unanimous(db):
    """A project wanting two annotations per sentence, two of which are unanimous."""
    project = make_project("jobs", per_sentence=2)
    reviewer = make_member(project, Role.REVIEWER, "rita")
    article = make_article(project, "All agree here. Here too. Not here.")
    sentences = list(article.sentences.order_by("index"))
    first, second = make_member(project), make_member(project)
    for sentence in sentences:
        save_annotation(sentence, first, {"status": "submitted", "claim": "claim"})
        claim = "checkworthy" if sentence.index == 2 else "claim"
        save_annotation(sentence, second, {"status": "submitted", "claim": claim})
    return project, reviewer, sentences
