"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import os

import pytest

from claims.importing.readers import read_paths
from claims.importing.store import articles_import
from claims.models import Role
from tests.browser.pages import settle, track
from tests.factories import PASSWORD, SEEDS, make_member, make_project

# The live server runs in a thread next to Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def login(live_server):
    """Return a function that logs a user in through the login form."""

    def log_in(page, username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return log_in


@pytest.fixture
def seeded(transactional_db):
    """The demo project with both seed articles, and an annotator."""
    project = make_project("demo")
    project.guidelines = "Mark **who** says it.\n\n<script>window.__pwned = 'guidelines'</script>"
    project.save()
    summary = articles_import(project=project, items=read_paths([SEEDS]))
    assert summary.ok
    return project, make_member(project, Role.ANNOTATOR, "ann")


@pytest.fixture(autouse=True)
def settled_page(transactional_db, page):
    """Let the page finish talking to the server before the database is torn down."""
    track(page)
    yield
    if not page.is_closed():
        settle(page)
