import hashlib
import shutil
import tempfile
import zlib

import pytest

from claims.learning import training
from claims.models import Role
from claims.nlp.training import ClaimModel
from tests.factories import make_article, make_member, make_project
from tests.memory import memory_folder

LAVROV = (
    "Clarifying the goals\n"
    '"We truly wish to help create conditions for dialogue between the government and the '
    'opposition," Lavrov noted. Russia is ready to facilitate the launch of dialogue.\n'
)

# What gives a test the database (directly or through the fixtures it uses).
MEMORY_BASETEMP = pytest.StashKey[str]()
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-independent-share",
        metavar="K/N",
        help="run only share K of N of the tests that never touch the database (they run the "
        "same on every database) and of the browser tests: make test splits them between its "
        "two runs",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    # Tests' files in memory: the SQLite files of the child processes (migrate, restore,
    # export) are synced to disk at every commit otherwise, which is most of their time.
    if config.option.basetemp is None and memory_folder():
        config.option.basetemp = tempfile.mkdtemp(prefix="claims-tests-", dir=memory_folder())
        config.stash[MEMORY_BASETEMP] = config.option.basetemp


def pytest_unconfigure(config):
    if MEMORY_BASETEMP in config.stash:
        shutil.rmtree(config.stash[MEMORY_BASETEMP], ignore_errors=True)


def touches_the_database(item) -> bool:
    return bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("skipif")  # may depend on the database: kept in every run
    )


def split_between_runs(item) -> bool:
    """Tell whether the test runs in one of make test's runs only: it never touches the
    database, or it drives the browser (a page over the API, whose database work the API and
    service tests check on every database; Chromium is most of its time)."""
    return "live_server" in getattr(item, "fixturenames", ()) or not touches_the_database(item)


def pytest_collection_modifyitems(config, items):
    share = config.getoption("--database-independent-share")
    if not share:
        return
    k, n = (int(part) for part in share.split("/"))
    kept, other = [], []
    for item in items:
        # A stable split by name: the same tests in the same run each time.
        shared = zlib.crc32(item.nodeid.encode()) % n == k - 1
        mine = shared if split_between_runs(item) else True
        (kept if mine else other).append(item)
    if other:
        config.hook.pytest_deselected(items=other)
        items[:] = kept


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Hash test users' passwords cheaply: hashing is not under test, and costs seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def train_each_input_once():
    """Train a model once for each set of documents and settings, then reuse its bytes.

    Training is seeded, so the same documents and settings give the same model: a test that
    trains again on what an earlier one trained on (the same fixture's articles) gets that
    model back, and its progress reports replayed, instead of training for seconds more. What
    train_suggester does around the training (the checks, the baseline, storing, numbering)
    runs every time; tests/nlp trains without this cache.
    """
    train = training.train_model
    trained: dict[str, tuple[bytes, list]] = {}

    def train_once(documents, settings=None, progress=None):
        key = hashlib.sha256(repr((list(documents), settings)).encode()).hexdigest()
        if key not in trained:
            reports: list = []

            def report(step) -> None:
                reports.append(step)
                if progress:
                    progress(step)

            model = train(documents, settings, report)
            trained[key] = (model.to_bytes(), reports)
            return model
        data, reports = trained[key]
        for step in reports:
            if progress:
                progress(step)
        return ClaimModel.from_bytes(data)

    training.train_model = train_once
    yield
    training.train_model = train


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
