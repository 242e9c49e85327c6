"""Find the labels in import files, and the articles a native export file brings.

Only JSON lines carry labels: an article line with ``attributions`` or ``claims``, or the
native export's sentence lines. A native file's articles are new articles of the project
(their text rebuilt from the sentences) unless the project has them already.
"""

import json
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from claims.errors import InvalidInput
from claims.importing.readers import read_paths
from claims.importing.records import ImportProblem, record_from_mapping
from claims.learning.label_native import native_articles
from claims.learning.label_records import (
    ArticleLabels,
    BadLabels,
    ImportAs,
    article_labels,
    has_labels,
    is_native,
)
from claims.models import Article, Project

Line = tuple[str, dict[str, Any]]


def jsonl_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        yield from (p for p in found if p.suffix.lower() == ".jsonl" and p.is_file())


def lines_of(path: Path) -> Iterator[Line]:
    """Yield (file:line, object) for each JSON object line (others are the import's to report).

    Lines are read as the article import reads them (claims/importing/readers.read_jsonl), so
    that a line number names the same line in both.
    """
    try:
        stream = path.open("rb")
    except OSError:
        return
    with stream:
        for number, raw in enumerate(stream, start=1):
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                found = json.loads(text) if text.strip() else None
            except (UnicodeDecodeError, ValueError, RecursionError):
                continue
            if isinstance(found, dict):
                yield f"{path}:{number}", found


def native_files(paths: list[Path]) -> set[Path]:
    """Return the files whose first object line is a native export record."""
    return {p for p in jsonl_files(paths) if is_native(next(lines_of(p), ("", {}))[1])}


def native_article_items(files: set[Path], as_: ImportAs, project: Project) -> Iterator:
    """Yield an article record (or a problem) for each article of the native files that the
    project does not have yet."""
    # One read of the project's article ids, not a query per article of the file.
    known = set(Article.objects.filter(project=project).values_list("external_id", flat=True))
    for item in _native(files, as_):
        if isinstance(item, ImportProblem):
            continue  # the labels' import reports it (labels_in reads the same lines)
        if item.external_id in known:
            continue
        fields = {"id": item.external_id, "text": item.text, **(item.record or {})}
        try:
            yield record_from_mapping(fields, item.ref)
        except InvalidInput as error:
            yield ImportProblem(item.ref, str(error))


def labels_in(paths: list[Path], as_: ImportAs) -> Iterator[ArticleLabels | ImportProblem]:
    """Yield the labels of every article line and native file among the paths."""
    natives = native_files(paths)
    yield from _native(natives, as_)
    for path in jsonl_files(paths):
        if path in natives:
            continue
        for ref, line in lines_of(path):
            if not has_labels(line):
                continue
            try:
                yield article_labels(ref, line, str(line.get("id") or ""))
            except BadLabels as error:
                yield ImportProblem(ref, str(error))


def _native(files: set[Path], as_: ImportAs) -> Iterator[ArticleLabels | ImportProblem]:
    lines = chain.from_iterable(lines_of(p) for p in sorted(files))
    yield from native_articles((line for line in lines if is_native(line[1])), as_)


def article_items(paths: list[Path], columns, as_: ImportAs | None, project: Project):
    """Return the article records to import: the files' own, and a native file's articles."""
    if as_ is None:
        return read_paths(paths, columns)
    natives = native_files(paths)
    if not natives:
        return read_paths(paths, columns)
    others = [p for p in _files(paths) if p not in natives]
    return chain(read_paths(others, columns), native_article_items(natives, as_, project))


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        else:
            yield path
