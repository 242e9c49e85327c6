from django.core.management.base import BaseCommand, CommandError

from claims.errors import InvalidInput
from claims.services.demo import DEMO_USERS, demo_setup


class Command(BaseCommand):
    help = (
        "Create the demo project (default label schema, demo fixture, seeds/ imported) and the "
        "demo users when they are missing (passwords from CLAIMS_ADMIN_PASSWORD / "
        "CLAIMS_ANNOTATOR_PASSWORD, else generated and printed once). Once they exist, running "
        "it again changes nothing: edits made in the admin are kept."
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
        if setup.created:
            self.stdout.write(
                f"Project {setup.project.slug!r} created: imported {summary.articles} seed "
                f"articles ({summary.sentences} sentences)."
            )
        else:
            self.stdout.write(f"Project {setup.project.slug!r} exists: left as it is.")
        for user in DEMO_USERS:
            if user.username in setup.new_passwords:
                shown = setup.new_passwords[user.username]
            elif user.username in setup.from_environment:
                shown = f"from {user.password_env}"
            else:
                shown = f"(unchanged; set {user.password_env} before the first run to choose)"
            self.stdout.write(f"  user {user.username:<10} password {shown}")
        if summary.problems:
            raise CommandError("some seed articles could not be imported")
