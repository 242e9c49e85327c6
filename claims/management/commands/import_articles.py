from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries
from django.template.defaultfilters import pluralize

from claims.errors import InvalidInput
from claims.importing.readers import CsvColumns
from claims.importing.segmenter import segmenter_for
from claims.importing.store import articles_import
from claims.learning.label_files import article_items, labels_in
from claims.learning.label_records import BadLabels, ImportAs
from claims.learning.label_store import import_user, labels_import
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
        parser.add_argument(
            "--as",
            dest="as_",
            metavar="gold|annotator:NAME|predictions",
            help="also import the labels in the JSONL lines (article-level attributions and "
            "claims, or the native export) as gold, as NAME's annotations, or as predictions",
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="with --as gold: the reviewer the gold is stored under"
        )

    def handle(self, *args, **options):
        try:
            as_ = ImportAs.parse(options["as_"]) if options["as_"] else None
        except BadLabels as error:
            raise CommandError(str(error)) from None
        project = self.project(options["project"], options["create"])
        columns = CsvColumns(options["text_column"], options["id_column"], options["title_column"])
        items = article_items(options["paths"], columns, as_, project)
        segmenter = segmenter_for(options["workers"], input_size(options["paths"]))
        try:
            with progress_bar(self.stderr, unit="article") as advance:
                summary = articles_import(
                    project=project,
                    items=items,
                    on_progress=lambda count: (reset_queries(), advance(count)),
                    keep_outcomes=False,
                    segmenter=segmenter,
                )
        finally:
            segmenter.close()
        for problem in summary.problems:
            self.stderr.write(f"error: {problem}")
        self.stdout.write(
            f"Imported {counted(summary.articles, 'article')} "
            f"({counted(summary.sentences, 'sentence')}) into {project.slug!r}; skipped "
            f"{summary.duplicates} already imported; {counted(len(summary.problems), 'error')}."
        )
        labels = as_ and self.import_labels(project, as_, options)
        if summary.problems:
            raise CommandError(f"{counted(len(summary.problems), 'article')} could not be imported")
        if labels and labels.problems:
            raise CommandError(
                f"{counted(len(labels.problems), 'label')} could not be imported as given"
            )

    def import_labels(self, project, as_, options):
        user = import_user(as_, options["by"] or "") if as_.kind != "predictions" else None
        # The articles are stored first: until their labels are, annotators may be handed
        # sentences meant as gold. Say how to finish if this pass stops.
        try:
            result = labels_import(
                project=project, articles=labels_in(options["paths"], as_), as_=as_, user=user
            )
        except (KeyboardInterrupt, Exception):
            self.stderr.write(
                "The labels were not all stored (the articles were): run the same command "
                "again; it skips the articles already imported and stores the labels."
            )
            raise
        for problem in result.problems:
            self.stderr.write(f"label: {problem}")
        counts = result.counts
        self.stdout.write(
            f"Labels as {options['as_']}: {counted(counts['articles'], 'article')}, "
            f"{counted(counts['sentences changed'], 'sentence')} stored, "
            f"{counts['sentences unchanged']} unchanged, "
            f"{counts['sentences kept']} kept (labelled before, no label in the file), "
            f"{counted(counts['attributions'], 'attribution')}; "
            f"{counted(len(result.problems), 'problem')}"
            + (
                f" ({counted(counts['articles refused'], 'article')} refused whole: none of "
                "their labels were stored)."
                if counts["articles refused"]
                else "."
            )
        )
        return result

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


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{pluralize(number)}"
