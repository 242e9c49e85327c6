"""Figures of bench/load.py: CPU of the servers and the database, tables, RESULTS.md."""

import contextlib
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """Return the user + system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def database_pids() -> list[int]:
    """Return the PostgreSQL server's processes (its backends and helpers), if it is one."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()")
        return [row[0] for row in cursor.fetchall()]


def cpu_seconds(masters) -> dict[str, dict[int, float]]:
    """Return CPU seconds per process: the app servers' workers, and the database's."""
    workers = [child for master in masters for child in children(master.pid)]
    return {
        "app": {pid: process_cpu(pid) for pid in workers},
        "db": {pid: process_cpu(pid) for pid in database_pids()},
    }


def spent(before: dict, after: dict, part: str) -> float:
    return sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def format_table(mode: str, recorder, elapsed: float, before, after) -> str:
    total = sum(len(v) for v in recorder.latencies.values())
    cores = os.cpu_count() or 1
    lines = [
        f"{mode}: {elapsed:.0f} s, {total:,} requests, {total / elapsed:.1f} requests/s "
        f"({total / elapsed / cores:.1f} per core of {cores})"
        + (f", {recorder.nothing_left} answers 'nothing left'" if mode != "baseline" else ""),
        "  request       n    per s   p50 ms   p95 ms   p99 ms  errors  queries  Django CPU ms",
    ]
    for kind in sorted(recorder.latencies):
        values = recorder.latencies[kind]
        n = len(values)
        lines.append(
            f"  {kind:<7} {n:>7,} {n / elapsed:>8.1f} {percentile(values, 0.5) * 1000:>8.1f} "
            f"{percentile(values, 0.95) * 1000:>8.1f} {percentile(values, 0.99) * 1000:>8.1f} "
            f"{recorder.errors[kind]:>7} {recorder.queries[kind] / n:>8.1f} "
            f"{recorder.cpu_us[kind] / n / 1000:>13.2f}"
        )
    if total:
        app, db = spent(before, after, "app"), spent(before, after, "db")
        lines.append(
            f"  CPU per request: app servers {app / total * 1000:.2f} ms, "
            f"PostgreSQL {db / total * 1000:.2f} ms (of {app:.1f} s and {db:.1f} s)"
        )
    return "\n".join(lines)


@dataclass
class Machine:
    cpu: str
    cores: int
    python: str
    database: str
    load: str

    @classmethod
    def describe(cls, vendor: str) -> "Machine":
        from django.db import connection

        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            import sqlite3

            database = f"SQLite {sqlite3.sqlite_version}"
        return cls(
            cpu=model,
            cores=os.cpu_count() or 0,
            python=platform.python_version(),
            database=database,
            load=" ".join(f"{x:.1f}" for x in os.getloadavg()),
        )

    def line(self) -> str:
        return (
            f"machine: {self.cores} x {self.cpu}, Python {self.python}, {self.database}, "
            f"load average {self.load} at the start"
        )


def append_results(machine: Machine, args, servers: int, tables: list[str], verdict: str) -> None:
    command = " ".join(["bench/load.py", *sys.argv[1:]])
    with RESULTS.open("a") as out:
        out.write(
            f"\n## Load ({time.strftime('%Y-%m-%d %H:%M')} UTC, `{command}`)\n\n"
            f"    {machine.line()}\n"
            f"    {servers} app server(s) x {args.workers} gunicorn workers, "
            f"{args.annotators} annotators, {args.sentences:,} sentences\n"
        )
        for table in tables:
            out.write("".join(f"    {line}\n" for line in table.splitlines()))
        out.write(f"    {verdict}\n")
