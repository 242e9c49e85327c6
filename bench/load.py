"""Serve the app with gunicorn and let simulated annotators label through the API.

Usage (from a fresh clone, after `make install`):

    scripts/with-postgres.sh .venv/bin/python bench/load.py      # PostgreSQL, two app servers
    .venv/bin/python bench/load.py                               # SQLite file, one app server
    options: --sentences 1000000 --articles 20000 --seconds 60 --workers 2 --annotators 16

Fills the database with a project of N sentences (half of its articles already done by k=2
past annotators; bench/fill.py), starts the app servers (gunicorn, `bench/load_app.py`: the
real settings plus a trivial `/bench/ping/` JSON view and a middleware reporting queries and
CPU per request), and runs, each for --seconds:

- baseline: the annotators request /bench/ping/ with no pause (same servers, same run);
- alone: one annotator, paced as below: the latency of a request that waits for no
  colleague's, on this machine as busy as it is now (the paced mode's baseline);
- paced: each annotator labels a sentence every 2 s on average: "next sentence", then submit
  it; annotators start at random moments within the first 2 s, and each sentence takes them
  a random time from 1 to 3 s (--pace), so requests arrive as a team's would, not in bursts;
- saturated: the same with no pause, to find the capacity.

Every annotator alternates between the servers request by request (nothing may live in one
process). Printed per mode and request type: throughput (also per CPU core of the machine,
which serves the app servers and PostgreSQL alike), p50/p95/p99 latency, errors (any
non-2xx answer, and a 204 "nothing left" while sentences are left), CPU per request (in
Django, in the whole app server, in PostgreSQL) and queries per request; afterwards the
database is checked: no sentence has more than k annotations, no (sentence, annotator) pair
twice. The figures are appended to bench/RESULTS.md with the machine's details.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from loadclient import Recorder, annotate, ping, run_clients  # noqa: E402
from loadreport import Machine, append_results, cpu_seconds, format_table  # noqa: E402

PER_SENTENCE = 2
PACE = 2.0  # seconds a sentence takes a paced annotator, on average


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--annotators", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--servers", type=int, default=None, help="2 on PostgreSQL, 1 on SQLite")
    parser.add_argument("--modes", default="baseline,alone,paced,saturated")
    parser.add_argument(
        "--pace", type=float, default=PACE, help="paced: mean seconds a sentence per annotator"
    )
    parser.add_argument("--seed", type=int, default=0, help="paced: start times and pauses")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database filled by an earlier run (reset)"
    )
    return parser.parse_args()


def setup_database(args):
    if "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="claims-bench-load-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/load.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    # The app servers read the sessions made here: the same key signs them.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from fill import fill, reset

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    filled = reset(slug="load", annotators=args.annotators) if args.reuse else None
    filled = filled or fill(
        sentences=args.sentences,
        articles=args.articles,
        per_sentence=PER_SENTENCE,
        done_share=0.5,
        annotators=args.annotators,
    )
    print(
        f"{connection.vendor}: {filled.sentences:,} sentences in {args.articles:,} articles, "
        f"{filled.done_sentences:,} already done, filled in {time.perf_counter() - started:.0f} s"
    )
    return filled


def sessions(filled) -> list[dict]:
    """Return, per annotator, the cookies and header of a signed-in browser session."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    found = []
    for user in get_user_model().objects.filter(id__in=filled.annotator_ids).order_by("id"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = secrets.token_hex(16)
        found.append(
            {
                "Cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
            }
        )
    return found


def start_servers(count: int, workers: int) -> list[tuple[subprocess.Popen, int]]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "load_app",
        "DJANGO_CONN_MAX_AGE": os.environ.get("DJANGO_CONN_MAX_AGE", "600"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    servers = []
    for n in range(count):
        port = 18700 + n + 10 * (os.getpid() % 100)
        command = [
            sys.executable, "-m", "gunicorn", "annotator.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--log-level", "warning", "--backlog", "256", "--timeout", "120",
        ]  # fmt: skip
        servers.append((subprocess.Popen(command, env=env, cwd=ROOT), port))
    for process, port in servers:
        wait_for(port, process)
    return servers


def wait_for(port: int, process: subprocess.Popen, seconds: float = 180) -> None:
    import http.client

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the app server on port {port} stopped (exit {process.returncode})")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/bench/ping/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the app server on port {port} did not answer")


def checks(filled) -> dict[str, int]:
    """Count sentences with more than k annotations and duplicated (sentence, annotator)."""
    from django.db import connection

    from claims.models import Annotation

    table = Annotation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT sentence_id FROM {table} WHERE kind = 'annotator' "
            "AND status IN ('submitted', 'skipped') GROUP BY sentence_id HAVING COUNT(*) > %s) x",
            [PER_SENTENCE],
        )
        excess = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT sentence_id, annotator_id FROM {table} "
            "WHERE kind = 'annotator' GROUP BY sentence_id, annotator_id HAVING COUNT(*) > 1) x"
        )
        duplicated = cursor.fetchone()[0]
    return {"excess": excess, "duplicated": duplicated}


def main() -> None:
    args = parse_args()
    filled = setup_database(args)
    from django.db import connection

    vendor = connection.vendor
    count = args.servers or (2 if vendor == "postgresql" else 1)
    headers = sessions(filled)
    servers = start_servers(count, args.workers)
    ports = [port for _, port in servers]
    project = "load"
    machine = Machine.describe(vendor)
    print(machine.line())
    print(f"{count} app server(s) x {args.workers} gunicorn workers, {len(headers)} annotators")
    tables = []
    try:
        warm = Recorder()
        run_clients(headers, ports, partial(annotate, project=project), 3, warm)
        for mode in args.modes.split(","):
            recorder = Recorder()
            before = cpu_seconds([p for p, _ in servers])
            pace = args.pace if mode in ("alone", "paced") else 0.0
            clients = headers[:1] if mode == "alone" else headers
            work = ping if mode == "baseline" else partial(annotate, project=project)
            started = time.perf_counter()
            run_clients(clients, ports, work, args.seconds, recorder, pace=pace, seed=args.seed)
            elapsed = time.perf_counter() - started
            after = cpu_seconds([p for p, _ in servers])
            table = format_table(mode, recorder, elapsed, before, after)
            print(table, flush=True)
            tables.append(table)
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            process.wait(timeout=30)
    found = checks(filled)
    verdict = (
        f"checks: {found['excess']} sentences with more than k={PER_SENTENCE} annotations, "
        f"{found['duplicated']} duplicated (sentence, annotator) pairs"
    )
    print(verdict)
    if not args.no_results:
        append_results(machine, args, count, tables, verdict)


if __name__ == "__main__":
    main()
