"""Set up the demo: label schema, demo project, seed articles and two demo users.

Set-up only ever adds what is missing. The demo project's fixture and the seeds are loaded
when the project is created; once it exists, nothing a curator may have changed in the admin
(annotations per sentence, guidelines, targets, the label schema, members' roles) is touched.
"""

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from claims.errors import InvalidInput
from claims.importing.readers import read_paths
from claims.importing.store import ImportSummary, articles_import
from claims.models import Membership, Project, Role
from claims.services.projects import FIXTURES, default_schema, user_get_or_create

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
    created: bool
    imported: ImportSummary
    new_passwords: dict[str, str] = field(default_factory=dict)  # generated, to show once
    from_environment: set[str] = field(default_factory=set)  # created with the variable's


def demo_setup() -> DemoSetup:
    """Create the demo project with its seeds and users when missing; never change them after."""
    project, created = demo_project_get_or_create()
    imported = ImportSummary()
    if created:
        imported = articles_import(project=project, items=read_paths([SEEDS]))
    setup = DemoSetup(project=project, created=created, imported=imported)
    for demo_user in DEMO_USERS:
        password = os.environ.get(demo_user.password_env) or secrets.token_urlsafe(9)
        try:
            user, user_created = user_get_or_create(
                username=demo_user.username,
                password=password,
                is_staff=demo_user.is_staff,
                is_superuser=demo_user.is_staff,
            )
        except InvalidInput as error:  # a password from the environment was refused
            raise InvalidInput({demo_user.password_env: error.errors["password"]}) from None
        if user_created and os.environ.get(demo_user.password_env):
            setup.from_environment.add(user.username)
        elif user_created:
            setup.new_passwords[user.username] = password
        Membership.objects.get_or_create(
            project=project, user=user, defaults={"role": demo_user.role}
        )
    return setup


@transaction.atomic
def demo_project_get_or_create() -> tuple[Project, bool]:
    """Return the demo project, loading its fixture (and the default schema) only when missing."""
    project = Project.objects.filter(slug=DEMO_SLUG).first()
    if project is not None:
        return project, False
    default_schema()
    call_command("loaddata", FIXTURES / "demo_project.json", verbosity=0)
    return Project.objects.get(slug=DEMO_SLUG), True
