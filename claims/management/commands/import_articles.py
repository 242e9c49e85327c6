from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries

from claims.errors import InvalidInput
from claims.importing.readers import CsvColumns, read_paths
from claims.importing.segmenter import segmenter_for
from claims.importing.store import articles_import
from claims.management.progress import progress_bar
from claims.models import Project
from claims.services.projects import project_get_or_create


class Command(BaseCommand):
    help = (
        "Import articles from .txt (one article per file), .jsonl (one per line) or .csv files, "
        "or directories of them, into a project (--create makes a missing one with the default "
        "schema)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--project", required=True, help="project slug")
        parser.add_argument(
            "--create", action="store_true",
            help="create the project with the default label schema if it does not exist",
        )  # fmt: skip
        parser.add_argument(
            "--workers", type=int,
            help="processes that split articles into sentences while this one stores them "
            "(default: 1 with two or more CPU cores and 1 MB of input or more, else 0)",
        )  # fmt: skip
        parser.add_argument("--text-column", default="text", help="CSV column with the text")
        parser.add_argument("--id-column", default="id", help="CSV column with the article id")
        parser.add_argument("--title-column", default="title", help="CSV column with the title")

    def handle(self, *args, **options):
        project = self.project(options["project"], options["create"])
        columns = CsvColumns(options["text_column"], options["id_column"], options["title_column"])
        segmenter = segmenter_for(options["workers"], input_size(options["paths"]))
        try:
            with progress_bar(self.stderr, unit="article") as advance:
                summary = articles_import(
                    project=project,
                    items=read_paths(options["paths"], columns),
                    on_progress=lambda count: (reset_queries(), advance(count)),
                    keep_outcomes=False,
                    segmenter=segmenter,
                )
        finally:
            segmenter.close()
        for problem in summary.problems:
            self.stderr.write(f"error: {problem}")
        self.stdout.write(
            f"Imported {summary.articles} articles ({summary.sentences} sentences) into "
            f"{project.slug!r}; skipped {summary.duplicates} already imported; "
            f"{len(summary.problems)} errors."
        )
        if summary.problems:
            raise CommandError(f"{len(summary.problems)} articles could not be imported")

    def project(self, slug: str, create: bool) -> Project:
        """Return the project; a missing one only with --create, so a typo creates nothing."""
        if not create:
            project = Project.objects.filter(slug=slug).first()
            if project is None:
                raise CommandError(
                    f"no project {slug!r}; check the slug, or add --create to make a new one"
                )
            return project
        try:
            project, created = project_get_or_create(slug=slug)
        except InvalidInput as error:
            raise CommandError(str(error)) from None
        if created:
            self.stdout.write(f"Created project {project.slug!r} with the default label schema.")
        return project


def input_size(paths: list[Path]) -> int:
    """Return the bytes in the files named and under the directories named."""
    files = (p for path in paths for p in ([path] if path.is_file() else path.rglob("*")))
    return sum(p.stat().st_size for p in files if p.is_file())
