"""Run an export: record stream -> formatter -> bytes, for a file, a stream or an HTTP response."""

import gc
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db.models import QuerySet

from claims.errors import InvalidInput
from claims.exporting.dataset import sentence_records
from claims.exporting.files import atomic_file, atomic_files, is_stream
from claims.exporting.formats import FORMATS, Formatter
from claims.exporting.options import ExportOptions, ResolveRule
from claims.labels import project_labels
from claims.models import Annotation, AnnotationKind, Membership, Project, Role

ArticleIds = Iterable[int] | QuerySet | None


@dataclass(frozen=True)
class ExportResult:
    examples: int  # lines or docs written
    left_out: int  # sentences with nothing to write for a single-label format
    files: tuple[str, ...]


def formatter_for(name: str, *, project: Project, options: ExportOptions) -> Formatter:
    """Return the formatter for the format name, or raise InvalidInput naming `format`."""
    formatter_class = FORMATS.get(name)
    if formatter_class is None:
        raise InvalidInput({"format": [f"{name!r} is not one of {list(FORMATS)}"]})
    annotator_check(project, options)
    labels = project_labels(project) if formatter_class.needs_labels else None
    return formatter_class(slug=project.slug, labels=labels, options=options)


def annotator_check(project: Project, options: ExportOptions) -> None:
    """Raise InvalidInput naming an annotator the project has never had: a mistyped name would
    otherwise export nothing (or only the gold) as if it were that annotator's work."""
    resolution = options.resolution
    if resolution.rule != ResolveRule.ANNOTATOR:
        return
    name = resolution.annotator
    # A reviewer's or superuser's gold is stored under their name, but is no annotator's work:
    # only annotators' own annotations (or the role) make someone one.
    annotator = Membership.objects.filter(project=project, user__username=name, role=Role.ANNOTATOR)
    annotated = Annotation.objects.filter(
        sentence__project=project, annotator__username=name, kind=AnnotationKind.ANNOTATOR
    )
    if not annotator.exists() and not annotated.exists():
        field = "resolve" if options.resolve is not None else "annotator"
        raise InvalidInput(
            {field: [f"unknown annotator {name!r}: no one of that username is or was an "
                     "annotator of the project"]}
        )  # fmt: skip


def export_bytes(
    *,
    project: Project,
    formatter: Formatter,
    article_ids: ArticleIds = None,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """Yield the export as it is produced (the body of a streaming response or a pipe)."""
    records = sentence_records(
        project=project,
        options=formatter.options,
        article_ids=article_ids,
        on_progress=on_progress,
    )
    yield from formatter.encode(records)


def export_to_stream(
    stream: BinaryIO,
    *,
    project: Project,
    formatter: Formatter,
    article_ids: ArticleIds = None,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the export to an open binary stream."""
    for chunk in export_bytes(
        project=project, formatter=formatter, article_ids=article_ids, on_progress=on_progress
    ):
        stream.write(chunk)
    return ExportResult(formatter.examples, formatter.left_out, ())


def export_to_path(
    path: Path,
    *,
    project: Project,
    formatter: Formatter,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write the export to a file, atomically (see files.py); spaCy with a split writes a
    directory of <split>.spacy files. A named pipe or a device is written in place."""
    if formatter.writes_directory:
        return split_files(path, project=project, formatter=formatter, on_progress=on_progress)
    if is_stream(path):
        with path.open("wb") as stream:
            export_to_stream(stream, project=project, formatter=formatter, on_progress=on_progress)
    else:
        with atomic_file(path) as stream:
            export_to_stream(stream, project=project, formatter=formatter, on_progress=on_progress)
    return ExportResult(formatter.examples, formatter.left_out, (str(path),))


def split_files(
    directory: Path,
    *,
    project: Project,
    formatter: Formatter,
    on_progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Write one file per split; none replaces its old version until all are complete."""
    records = sentence_records(project=project, options=formatter.options, on_progress=on_progress)
    parts = formatter.split_parts(records)
    directory.mkdir(parents=True, exist_ok=True)
    files = [directory / f"{name}{formatter.extension}" for name in parts]
    with atomic_files(files) as streams:
        for stream, data in zip(streams, parts.values(), strict=True):
            for chunk in data:
                stream.write(chunk)
    return ExportResult(formatter.examples, formatter.left_out, tuple(str(f) for f in files))


def export_to_temporary_file(
    *, project: Project, formatter: Formatter, article_ids: ArticleIds = None
) -> tuple[BinaryIO, ExportResult]:
    """Write the export to an unnamed temporary file; return it (at its start) and the counts.

    For answers that must say their size and record count before the body (formats without
    a trailer, see api/export.py).
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    try:
        result = export_to_stream(
            spool, project=project, formatter=formatter, article_ids=article_ids
        )
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool, result


@contextmanager
def long_lived_objects_frozen() -> Iterator[None]:
    """Spare the garbage collector from walking everything the process has loaded.

    A large export allocates millions of short-lived dicts and lists, which makes the
    collector run full collections often; each one would also walk every object Django and
    the modules hold (a quarter of a million-line export's time). Freezing what exists now
    keeps those out of the collections. For commands, which own their process: the freeze is
    process-wide.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def quiet_when_the_reader_leaves() -> Iterator[None]:
    """End a command writing to stdout quietly when its reader stops reading (`| head`)."""
    try:
        yield
    except BrokenPipeError:
        # Point stdout at /dev/null so that the interpreter's final flush does not fail again.
        with suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
