from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.backup.restore import RestoreError, project_restore


class Command(BaseCommand):
    help = (
        "Restore a project written by export_project into this database, which must not hold "
        "a project of that slug. Users are matched by username or created without a password. "
        "All or nothing: a bad line stops the restore and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the JSONL file export_project wrote")
        parser.add_argument("--slug", help="store the project under this slug instead")
        parser.add_argument(
            "--schema-name", help="store the project's label schema under this name (when this "
            "database has another schema of the same name)",
        )  # fmt: skip

    def handle(self, *args, **options):
        path = options["path"]
        try:
            # utf-8-sig: a file re-saved by an editor may have gained a byte order mark.
            with path.open(encoding="utf-8-sig") as lines:
                summary = project_restore(
                    lines=lines, origin=str(path), slug=options["slug"],
                    schema_name=options["schema_name"],
                )  # fmt: skip
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error.reason})") from None
        except RestoreError as error:
            raise CommandError(str(error)) from None
        created = ", ".join(summary.users_created) or "none"
        self.stdout.write(
            f"Restored project {summary.slug!r}: {summary.articles} articles, "
            f"{summary.sentences} sentences, {summary.annotations} annotations, "
            f"{summary.events} history events, {summary.merges} speaker merges, "
            f"{summary.models} suggestion models, {summary.predictions} predictions. "
            f"Users created without a password: {created}."
        )
