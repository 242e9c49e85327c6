import getpass
import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.errors import InvalidInput
from claims.models import Project, Role
from claims.services.projects import membership_set, user_get_or_create


class Command(BaseCommand):
    help = "Add a user to a project with a role, creating the user when missing."

    def add_arguments(self, parser):
        parser.add_argument("project", help="project slug")
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.ANNOTATOR)
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="environment variable holding the new user's password (else prompted)",
        )

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with slug {options['project']!r}")
        try:
            user, created = user_get_or_create(
                username=options["username"], password=self.new_password(options)
            )
        except InvalidInput as error:
            raise CommandError("password refused: " + "; ".join(error.lines())) from None
        membership_set(project=project, user=user, role=options["role"])
        verb = "Created user and added" if created else "Added"
        self.stdout.write(f"{verb} {user.username} to {project.slug} as {options['role']}.")
        if options["role"] == Role.REVIEWER:
            self.stdout.write(f"{user.username} can now log in to the admin (/admin/).")

    def new_password(self, options) -> str | None:
        if get_user_model().objects.filter(username=options["username"]).exists():
            return None
        variable = options["password_env"]
        if variable:
            password = os.environ.get(variable)
            if not password:
                raise CommandError(f"environment variable {variable} is not set or empty")
            return password
        try:
            return getpass.getpass(f"Password for new user {options['username']}: ")
        except EOFError:
            raise CommandError("no password given; use --password-env VAR") from None
