from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.backup.write import project_backup_lines
from claims.exporting.pipeline import long_lived_objects_frozen, quiet_when_the_reader_leaves
from claims.models import Project


class Command(BaseCommand):
    help = (
        "Write everything in a project (settings, label schema, targets, members, speakers and "
        "merges, suggestion models, articles with sentences, annotations, gold, history, "
        "predictions, uncertainty scores, timestamps) as JSONL without database ids; "
        "import_project restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="project slug")
        parser.add_argument("--output", required=True, help="file to write, '-' for stdout")

    def handle(self, *args, **options):
        project = Project.objects.select_related("schema").filter(slug=options["slug"]).first()
        if project is None:
            raise CommandError(f"no project {options['slug']!r}")
        with quiet_when_the_reader_leaves(), long_lived_objects_frozen():
            self.write(project_backup_lines(project), options["output"])
        if options["output"] != "-":
            self.stdout.write(f"Wrote project {project.slug!r} to {options['output']}.")

    def write(self, lines, output: str) -> None:
        if output == "-":
            for line in lines:
                self.stdout.write(line)
            return
        path = Path(output)
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as stream:
                for line in lines:
                    stream.write(line + "\n")
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
