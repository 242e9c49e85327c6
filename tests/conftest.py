import zlib

import pytest

from claims.models import Role
from tests.factories import make_article, make_member, make_project

LAVROV = (
    "Clarifying the goals\n"
    '"We truly wish to help create conditions for dialogue between the government and the '
    'opposition," Lavrov noted. Russia is ready to facilitate the launch of dialogue.\n'
)

# What gives a test the database (directly or through the fixtures it uses).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-independent-share",
        metavar="K/N",
        help="run only share K of N of the tests that never touch the database (the others run "
        "the same on every database): make test splits them between its two runs",
    )


def touches_the_database(item) -> bool:
    return bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("skipif")  # may depend on the database: kept in every run
    )


def pytest_collection_modifyitems(config, items):
    share = config.getoption("--database-independent-share")
    if not share:
        return
    k, n = (int(part) for part in share.split("/"))
    kept, other = [], []
    for item in items:
        # A stable split by name: the same tests in the same run each time.
        mine = touches_the_database(item) or zlib.crc32(item.nodeid.encode()) % n == k - 1
        (kept if mine else other).append(item)
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = kept


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash test users' passwords cheaply: hashing is not under test, and costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(db):
    return make_project("demo")


@pytest.fixture
def annotator(project):
    return make_member(project, Role.ANNOTATOR, "annotator1")


@pytest.fixture
def reviewer(project):
    return make_member(project, Role.REVIEWER, "reviewer1")


@pytest.fixture
def article(project):
    return make_article(project, LAVROV, "lavrov")


@pytest.fixture
def quote_sentence(article):
    """The sentence with Lavrov's direct quote."""
    return article.sentences.get(index=1)
