"""Measure the annotators' hot path in process: Django CPU and queries per "next" and "submit".

Usage (from a fresh clone, after `make install`):

    .venv/bin/python bench/hotpath.py                          # SQLite in a temporary file
    scripts/with-postgres.sh .venv/bin/python bench/hotpath.py
    options: --sentences 20000 --articles 400 --pairs 300 --annotators 16 --profile

Fills a project (bench/fill.py: half of its articles already done by k=2 past annotators),
signs its annotators in (database sessions, as the browser's), and sends requests straight
to the WSGI application of bench/load_app.py (the real settings, middleware and URLs), in
one thread, no server and no network in between:

- baseline: `/bench/ping/` (a trivial JSON view) and `/bench/ping-auth/` (a trivial DRF view
  that needs a signed-in user: the session and the user, read from the database);
- pairs: annotators in turn ask for their next sentence and submit an annotation of it (a
  claim, and the attribution of its source and cue where the sentence has one).

Printed per request type: Django CPU time per request (time.thread_time: what this thread
spent, whatever else runs on the machine), its ratio to the trivial view's, and queries per
request. With `--profile`, the pairs run again under cProfile (thread time) and the functions
with the most cumulative time are listed.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20_000)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--pairs", type=int, default=300, help="next + submit pairs measured")
    parser.add_argument("--annotators", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="list the costliest functions")
    parser.add_argument("--top", type=int, default=40, help="functions listed with --profile")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    return parser.parse_args()


def setup(args):
    if "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="claims-bench-hotpath-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/hotpath.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "load_app"
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command
    from fill import fill

    call_command("migrate", verbosity=0)
    return fill(
        sentences=args.sentences,
        articles=args.articles,
        per_sentence=2,
        done_share=0.5,
        annotators=args.annotators,
    )


class App:
    """The WSGI application, called as a server would, one request at a time."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.application = get_wsgi_application()

    def call(self, method: str, path: str, cookie: str, csrf: str, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_COOKIE": cookie,
            "HTTP_X_CSRFTOKEN": csrf,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(headers)

        response = self.application(environ, start_response)
        content = b"".join(response)
        response.close()
        return answer["status"], content, answer["headers"]


def sessions(filled) -> list[tuple[str, str]]:
    """Return (cookie header, CSRF token) of a signed-in browser session per annotator."""
    sys.path.insert(0, str(ROOT / "bench"))
    from load import sessions as load_sessions

    return [(h["Cookie"], h["X-CSRFToken"]) for h in load_sessions(filled)]


class Tally:
    def __init__(self):
        self.cpu_us: dict[str, list[int]] = {}
        self.queries: dict[str, list[int]] = {}

    def add(self, kind: str, headers: dict) -> None:
        self.cpu_us.setdefault(kind, []).append(int(headers["X-CPU-us"]))
        self.queries.setdefault(kind, []).append(int(headers["X-Queries"]))

    def cpu_ms(self, kind: str) -> float:
        return statistics.fmean(self.cpu_us[kind]) / 1000

    def median_ms(self, kind: str) -> float:
        return statistics.median(self.cpu_us[kind]) / 1000

    def table(self, baseline: str) -> str:
        lines = [
            "  request          n   Django CPU ms (mean, median)   / ping   queries",
        ]
        for kind in self.cpu_us:
            ratio = self.cpu_ms(kind) / self.cpu_ms(baseline)
            lines.append(
                f"  {kind:<12} {len(self.cpu_us[kind]):>5}   {self.cpu_ms(kind):>10.2f} "
                f"{self.median_ms(kind):>10.2f}        {ratio:>9.1f}x"
                f"   {statistics.fmean(self.queries[kind]):>7.1f}"
            )
        return "\n".join(lines)


def pairs(app: App, people: list[tuple[str, str]], count: int, tally: Tally) -> int:
    """Let the annotators in turn ask for their next sentence and submit it; return how many
    pairs ran (fewer when the queue ran out)."""
    from loadclient import submission

    done = 0
    for n in range(count):
        cookie, csrf = people[n % len(people)]
        status, content, headers = app.call("GET", "/api/v1/projects/load/next/", cookie, csrf)
        if status == 204:
            break
        assert status == 200, (status, content[:500])
        tally.add("next", headers)
        item = json.loads(content)
        path = f"/api/v1/sentences/{item['sentence']['id']}/annotation/"
        status, content, headers = app.call("PUT", path, cookie, csrf, submission(item))
        assert status in (200, 201), (status, content[:500])
        tally.add("submit", headers)
        done += 1
    return done


def baseline(app: App, people: list[tuple[str, str]], count: int, tally: Tally) -> None:
    for n in range(count):
        cookie, csrf = people[n % len(people)]
        for kind, path in (("ping", "/bench/ping/"), ("ping-auth", "/bench/ping-auth/")):
            status, content, headers = app.call("GET", path, cookie, csrf)
            assert status == 200, (status, content[:500])
            tally.add(kind, headers)


def profiled(app: App, people, count: int, top: int) -> str:
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
    pairs(app, people, count, Tally())
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    filled = setup(args)
    from django.db import connection
    from loadreport import Machine

    machine = Machine.describe(connection.vendor)
    people = sessions(filled)
    app = App()
    print(f"{machine.line()}")
    print(
        f"{filled.sentences:,} sentences in {args.articles:,} articles, "
        f"{args.annotators} annotators, filled in {time.perf_counter() - started:.0f} s"
    )
    warm = Tally()
    baseline(app, people, 20, warm)
    pairs(app, people, 20, warm)
    tally = Tally()
    # Interleaved, so a busier moment of the machine weighs on both alike.
    ran = 0
    for _ in range(10):
        baseline(app, people, args.pairs // 10, tally)
        ran += pairs(app, people, args.pairs // 10, tally)
    report = f"{ran} next + submit pairs, interleaved with the baseline requests\n"
    report += tally.table("ping")
    print(report, flush=True)
    if args.profile:
        print(profiled(app, people, min(args.pairs, 100), args.top))
    if not args.no_results:
        from results import append_results

        head = [machine.line(), f"{filled.sentences:,} sentences, {args.annotators} annotators"]
        append_results("Hot path", head + report.splitlines())


if __name__ == "__main__":
    main()
