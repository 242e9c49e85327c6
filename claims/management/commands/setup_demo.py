from django.core.management.base import BaseCommand, CommandError

from claims.errors import InvalidInput
from claims.services.demo import DEMO_USERS, demo_setup


class Command(BaseCommand):
    help = (
        "Load the default label schema and the demo project, import seeds/ into it and create "
        "the demo users (passwords from CLAIMS_ADMIN_PASSWORD / CLAIMS_ANNOTATOR_PASSWORD, "
        "else generated and printed once). Running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            setup = demo_setup()
        except InvalidInput as error:  # keyed by the variable whose password was refused
            raise CommandError(
                "; ".join(f"{name} refused: {' '.join(why)}" for name, why in error.errors.items())
            ) from None
        summary = setup.imported
        for problem in summary.problems:
            self.stderr.write(f"error: {problem}")
        self.stdout.write(
            f"Project {setup.project.slug!r}: imported {summary.articles} seed articles "
            f"({summary.sentences} sentences), {summary.duplicates} already there."
        )
        for user in DEMO_USERS:
            password = setup.new_passwords.get(user.username)
            shown = password if password else f"(unchanged; set {user.password_env} to choose)"
            self.stdout.write(f"  user {user.username:<10} password {shown}")
        if summary.problems:
            raise CommandError("some seed articles could not be imported")
