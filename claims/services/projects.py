"""Create projects and manage who belongs to them."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.validators import validate_slug
from django.db import transaction

from claims.errors import InvalidInput
from claims.models import LabelSchema, Membership, Project, Role

DEFAULT_SCHEMA = "default"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def default_schema() -> LabelSchema:
    """Return the default label schema, loading its fixture the first time."""
    schema = LabelSchema.objects.filter(name=DEFAULT_SCHEMA).first()
    if schema is None:
        call_command("loaddata", FIXTURES / "label_schema.json", verbosity=0)
        schema = LabelSchema.objects.get(name=DEFAULT_SCHEMA)
    return schema


@transaction.atomic
def project_get_or_create(*, slug: str, name: str = "") -> tuple[Project, bool]:
    """Return the project with this slug, creating it with the default schema when missing.

    A new slug must be a URL slug (ASCII letters, digits, - and _): pages link to the project
    by it, and one that fits no URL would break them (the home page lists every project to a
    superuser). Raise InvalidInput naming `project` otherwise.
    """
    project = Project.objects.filter(slug=slug).first()
    if project is not None:
        return project, False
    longest = Project._meta.get_field("slug").max_length
    try:
        validate_slug(slug)
    except ValidationError:
        problem = f"{slug!r} is not a slug: use ASCII letters, digits, - and _ only"
        raise InvalidInput({"project": [problem]}) from None
    if len(slug) > longest:
        raise InvalidInput({"project": [f"a slug has at most {longest} characters"]})
    project = Project.objects.create(slug=slug, name=name or slug, schema=default_schema())
    return project, True


@transaction.atomic
def membership_set(*, project: Project, user: AbstractBaseUser, role: Role | str) -> Membership:
    """Make the user a member of the project with this role (changing the role if a member).

    Reviewers work in the admin, which opens only to staff: a new reviewer becomes staff (the
    flag grants no project by itself, see claims.access).
    """
    membership, _ = Membership.objects.update_or_create(
        project=project, user=user, defaults={"role": Role(role)}
    )
    if membership.role == Role.REVIEWER and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def user_get_or_create(*, username: str, password: str | None, **fields) -> tuple[object, bool]:
    """Return the user, creating it with the password (unusable when None) if missing.

    The password must pass the configured validators (AUTH_PASSWORD_VALIDATORS), else
    InvalidInput names each problem and no user is created.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = user_model(username=username, **fields)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput({"password": error.messages}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user, True
