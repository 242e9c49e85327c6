"""Read article files (.txt, .jsonl, .csv, or directories of them) into records."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from claims.errors import InvalidInput
from claims.importing.records import ArticleRecord, ImportProblem, record_from_mapping

Item = ArticleRecord | ImportProblem
SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".csv")
# A CSV field may hold a whole article: lift the csv module's 128 KiB default.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class CsvColumns:
    text: str = "text"
    id: str = "id"
    title: str = "title"


def read_paths(paths: list[Path], columns: CsvColumns = CsvColumns()) -> Iterator[Item]:
    """Yield a record or a problem for every article in the files and directories given."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield from read_file(child, columns)
        elif path.exists():
            yield from read_file(path, columns)
        else:
            yield ImportProblem(str(path), "no such file or directory")


def read_file(path: Path, columns: CsvColumns) -> Iterator[Item]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield ImportProblem(
            str(path), f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl or .csv"
        )
        return
    if suffix == ".jsonl":
        yield from read_jsonl(path)
        return
    try:
        data = path.read_bytes()
        if data.startswith(UTF16_MARKS):
            yield ImportProblem(f"{path}:1", UTF16)
            return
        content = decode(data)
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        yield ImportProblem(f"{path}:{line}", f"invalid UTF-8 ({error.reason})")
        return
    except OSError as error:
        yield ImportProblem(str(path), f"cannot read: {error.strerror}")
        return
    reader = {".txt": read_txt, ".csv": read_csv}[suffix]
    yield from reader(path, content, columns)


# The byte-order marks a UTF-16 file starts with (spreadsheets save "Unicode text" so).
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
UTF16 = "the file is UTF-16 (its first two bytes say so), not UTF-8: save it as UTF-8"
# What a JSON line ending inside a string means, beside the parser's words for it.
OPEN_STRING = (
    "; a string left open at the end of the line, or a tab or line break in a string not "
    "written as \\t or \\n"
)


def decode(data: bytes) -> str:
    """Decode UTF-8, dropping a byte-order mark."""
    return data.decode("utf-8-sig")


def read_txt(path: Path, content: str, columns: CsvColumns) -> Iterator[Item]:
    yield ArticleRecord(origin=str(path), text=content, external_id=path.stem)


def read_jsonl(path: Path) -> Iterator[Item]:
    """Yield one item per line, reading the file a line at a time.

    Lines end at "\n" only (an optional "\r" before it is dropped): U+2028, U+2029, NEL
    and form feed are characters of the text, not line ends. A line that cannot be read is
    reported with its number and the others still import. The native export's trailer line
    is skipped when it is the last line, and reported anywhere else.
    """
    try:
        stream = path.open("rb")
    except OSError as error:
        yield ImportProblem(str(path), f"cannot read: {error.strerror}")
        return
    trailer = None  # the origin of a trailer line, until a line after it shows it is not last
    with stream:
        for number, raw in enumerate(stream, start=1):
            origin = f"{path}:{number}"
            if number == 1 and raw.startswith(UTF16_MARKS):
                yield ImportProblem(origin, UTF16)  # every line would be unreadable
                return
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                yield ImportProblem(origin, f"invalid UTF-8 ({error.reason})")
                continue
            if not line.strip():
                continue
            if trailer is not None:
                yield ImportProblem(trailer, TRAILER_INSIDE)
                trailer = None
            if is_trailer(line):
                trailer = origin
            else:
                yield jsonl_item(line, origin)


TRAILER_INSIDE = (
    "an export's trailer line (where the export ended) in the middle of the file: were two "
    "exports joined, or one cut short and another appended? The lines around it are read on"
)


def is_trailer(line: str) -> bool:
    """Tell whether the line is the native export's last record (its count and checksum)."""
    if not line.startswith('{"trailer":'):
        return False
    try:
        return isinstance(json.loads(line).get("trailer"), dict)
    except ValueError:
        return False  # reported as the bad line it is


def jsonl_item(line: str, origin: str) -> Item:
    """Return the record of one JSONL line, or the problem naming why it cannot be one."""
    try:
        obj = json.loads(line, parse_constant=refuse_constant)
    except json.JSONDecodeError as error:
        # Some of the parser's messages end in "at" ("Invalid control character at").
        message = f"{error.msg.removesuffix(' at')} at column {error.colno}"
        if message.startswith(("Invalid control character", "Unterminated string")):
            message += OPEN_STRING
        return ImportProblem(origin, f"not valid JSON ({message})")
    except RecursionError:
        return ImportProblem(origin, "not valid JSON (nested too deeply)")
    except ValueError as error:  # an integer of over 4,300 digits, NaN, Infinity
        return ImportProblem(origin, f"not valid JSON ({str(error).split(';')[0]})")
    try:
        return record_from_mapping(obj, origin)
    except InvalidInput as error:
        return ImportProblem(origin, str(error))


def refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def read_csv(path: Path, content: str, columns: CsvColumns) -> Iterator[Item]:
    rows = csv_rows(path, content)
    first = next(rows, None)
    if isinstance(first, ImportProblem):
        yield first
        return
    header = first[1] if first else []
    if columns.text not in header:
        yield ImportProblem(
            f"{path}:1",
            f"no column named {columns.text!r} (columns: {', '.join(header) or 'none'})",
        )
        return
    for row in rows:
        if isinstance(row, ImportProblem):
            yield row
            continue
        line, values = row
        fields = dict(zip(header, values, strict=False))
        yield ArticleRecord(
            origin=f"{path}:{line}",
            text=fields.get(columns.text) or "",
            external_id=fields.get(columns.id) or "",
            title=fields.get(columns.title) or "",
        )


def csv_rows(path: Path, content: str) -> Iterator[tuple[int, list[str]] | ImportProblem]:
    """Yield (line where the row starts, its fields), or the problem of a row that cannot be
    read, for every row.

    Quotes are read strictly: a quote opened and not closed where the CSV rules want it would
    otherwise swallow the rows after it into one field, silently. Such a row is reported and
    reading goes on with the line after its first.
    """
    lines = list(io.StringIO(content, newline=""))
    start = 0
    while start < len(lines):
        reader = csv.reader(islice(lines, start, None), strict=True)
        while True:
            first = start + reader.line_num  # index of the line the next row starts on
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield ImportProblem(
                    f"{path}:{first + 1}",
                    f"this row's quotes do not close as CSV requires ({error}); it is not "
                    "imported, and the next line is read as a new row",
                )
                start = first + 1
                break
            if values:
                yield first + 1, values
