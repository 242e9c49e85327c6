from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.errors import InvalidInput
from claims.exporting.dataset import sentence_rows
from claims.exporting.files import terminated_as_exit
from claims.exporting.formats import FORMATS
from claims.exporting.options import OPTION_NAMES, options_from_strings
from claims.exporting.pipeline import (
    export_to_path,
    export_to_stream,
    formatter_for,
    long_lived_objects_frozen,
    quiet_when_the_reader_leaves,
)
from claims.management.progress import progress_bar
from claims.models import Project


class Command(BaseCommand):
    help = (
        "Export a project's labeled sentences as native JSONL (docs/export-format.md), a spaCy "
        "DocBin, Hugging Face JSONL, Prodigy or doccano JSONL."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="project slug")
        parser.add_argument("--format", default="jsonl", choices=list(FORMATS))
        parser.add_argument(
            "--output", required=True, help="file to write (replaced only once complete), '-' "
            "for stdout; a directory for --format spacy with --split (train.spacy, dev.spacy, "
            "test.spacy)",
        )  # fmt: skip
        parser.add_argument(
            "--status", default="submitted", help="submitted (default): sentences with a "
            "submitted annotation; gold: sentences with gold; all: every sentence",
        )  # fmt: skip
        parser.add_argument("--min-annotations", help="at least N submitted annotations")
        parser.add_argument("--since", help="annotated (or gold) on or after this ISO date")
        parser.add_argument("--split", help="train/dev/test percentages by article, e.g. 80/10/10")
        parser.add_argument("--seed", help="seed of the split (default 0)")
        parser.add_argument("--per", help="sentence (default) or annotation: one line per ...")
        parser.add_argument(
            "--resolve", help="single-label formats: how to choose one label set where a "
            "sentence has no gold: majority (default), annotator:NAME, union, or gold (leave "
            "sentences without gold out)",
        )  # fmt: skip
        parser.add_argument("--annotator", help="the same as --resolve annotator:NAME")
        parser.add_argument(
            "--trailer", action="store_const", const="1", help="jsonl only: end with a trailer "
            "line (record count, SHA-256) that tells a whole file from a cut-off one",
        )  # fmt: skip

    def handle(self, *args, **options):
        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"no project {options['project']!r}")
        try:
            export_options = options_from_strings({name: options[name] for name in OPTION_NAMES})
            formatter = formatter_for(options["format"], project=project, options=export_options)
        except InvalidInput as error:
            raise CommandError(
                "; ".join(
                    f"--{n.replace('_', '-')}: {' '.join(m)}" for n, m in error.errors.items()
                )
            ) from None
        to_stdout = options["output"] == "-"
        if to_stdout and formatter.writes_directory:
            raise CommandError(
                f"--format {formatter.name} with --split writes a directory: give --output DIR"
            )
        total = sentence_rows(project, export_options).count() if self.stderr.isatty() else None
        with (
            quiet_when_the_reader_leaves(),
            terminated_as_exit(),
            long_lived_objects_frozen(),
            progress_bar(self.stderr, unit="sentence", total=total) as advance,
        ):
            if to_stdout:
                stream = self.binary_stdout()
                result = export_to_stream(
                    stream, project=project, formatter=formatter, on_progress=advance
                )
                stream.flush()
            else:
                result = export_to_path(
                    Path(options["output"]), project=project, formatter=formatter,
                    on_progress=advance,
                )  # fmt: skip
        message = (
            f"Exported {result.examples} {formatter.name} records of {project.slug!r} to "
            f"{', '.join(result.files) or 'stdout'}"
        )
        # With '-', stdout carries the data, so the summary goes to stderr.
        out = self.stderr if to_stdout else self.stdout
        out.write(message + ".")
        for line in formatter.report.lines() if formatter.report else ():
            out.write(f"  {line}")

    def binary_stdout(self):
        stream = self.stdout._out
        return getattr(stream, "buffer", None) or TextBridge(stream)


class TextBridge:
    """Let a text stream (a test's StringIO) take the UTF-8 bytes of a line format."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode())

    def flush(self) -> None:
        self.stream.flush()
