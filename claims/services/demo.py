"""Set up the demo: label schema, demo project, seed articles and two demo users."""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from claims.errors import InvalidInput
from claims.importing.readers import read_paths
from claims.importing.store import ImportSummary, articles_import
from claims.models import Project, Role
from claims.services.projects import FIXTURES, membership_set, user_get_or_create

DEMO_SLUG = "demo"
SEEDS = Path(settings.BASE_DIR) / "seeds"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password_env: str
    role: Role
    is_staff: bool = False


DEMO_USERS = (
    DemoUser("admin", "CLAIMS_ADMIN_PASSWORD", Role.REVIEWER, is_staff=True),
    DemoUser("annotator", "CLAIMS_ANNOTATOR_PASSWORD", Role.ANNOTATOR),
)


@dataclass
class DemoSetup:
    project: Project
    imported: ImportSummary
    new_passwords: dict[str, str] = field(default_factory=dict)


def demo_setup() -> DemoSetup:
    """Load fixtures, import the seeds and create the demo users; safe to run again."""
    call_command(
        "loaddata", FIXTURES / "label_schema.json", FIXTURES / "demo_project.json", verbosity=0
    )
    project = Project.objects.get(slug=DEMO_SLUG)
    imported = articles_import(project=project, items=read_paths([SEEDS]))
    setup = DemoSetup(project=project, imported=imported)
    for demo_user in DEMO_USERS:
        password = os.environ.get(demo_user.password_env) or secrets.token_urlsafe(9)
        try:
            user, created = user_get_or_create(
                username=demo_user.username,
                password=password,
                is_staff=demo_user.is_staff,
                is_superuser=demo_user.is_staff,
            )
        except InvalidInput as error:  # a password from the environment was refused
            raise InvalidInput({demo_user.password_env: error.errors["password"]}) from None
        if created and not os.environ.get(demo_user.password_env):
            setup.new_passwords[user.username] = password
        membership_set(project=project, user=user, role=demo_user.role)
    return setup
