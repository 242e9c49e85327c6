import pytest

from claims.models import Role
from tests.factories import make_article, make_member, make_project

LAVROV = (
    "Clarifying the goals\n"
    '"We truly wish to help create conditions for dialogue between the government and the '
    'opposition," Lavrov noted. Russia is ready to facilitate the launch of dialogue.\n'
)


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
