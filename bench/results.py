"""Every benchmark's record: its figures appended to bench/RESULTS.md with the machine's details.

A run's heading names its title, time and command line; below it, the machine (CPUs, Python,
load average at the end of the run, since the figures are ratios to a baseline measured on the
same machine at the same time) and the lines the script printed.
"""

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """Return one line on the machine: CPUs, Python, load average."""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} CPUs ({platform.machine()}), Python "
        f"{platform.python_version()}, load average {load}"
    )


def scratch_database(prefix: str, *, keep_given: bool = True) -> Path:
    """Point DATABASE_URL at a SQLite file in a new temporary directory and return it; with
    `keep_given`, a DATABASE_URL already set (PostgreSQL through scripts/with-postgres.sh) is
    used instead, the directory still made for the bench's files."""
    workdir = Path(tempfile.mkdtemp(prefix=f"claims-bench-{prefix}-"))
    if not (keep_given and "DATABASE_URL" in os.environ):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    return workdir


def append_results(title: str, lines: list[str]) -> None:
    """Append the figures under a heading with the title, the time and the command."""
    # A file outside the repository is named by its file name only: the record speaks of the
    # project, not of the machine the run was on.
    args = [Path(arg).name if os.path.isabs(arg) else arg for arg in sys.argv[1:]]
    command = " ".join([f"bench/{Path(sys.argv[0]).name}", *args])
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(f"\n## {title} ({when} UTC, `{command}`)\n\n")
        out.write("".join(f"    {line}\n" for line in [machine(), *lines]))


class Figures:
    """Lines printed as they come and kept for RESULTS.md."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.extend(line.splitlines() or [""])
