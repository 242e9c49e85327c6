"""The first suggestions a fresh app server answers: `make serve` with the projects' active
models loaded before gunicorn forks its workers, beside the same server leaving them to load
on first use (CLAIMS_LOAD_MODELS_AT_START=0), in the same run.

Usage (a database with a project whose model is active, e.g. the keys bench's):

    .venv/bin/python bench/first_request.py --db FILE.sqlite3 --project keys-data
    options: --port 8301 --requests 5 --no-results

The database is copied; each server runs `scripts/serve.sh` (gunicorn, one worker) on the
copy. Timed through HTTP with an API token: the server's start (until it answers), then the
suggestions of different sentences one after another: the first is what the first annotator
of a worker waits for.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from results import Figures, append_results

ROOT = Path(__file__).resolve().parent.parent
USER = "first-request"


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def call(url: str, token: str | None = None, body: dict | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=120) as r:
        return json.loads(r.read())


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(1200):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode})")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer within 120 s")


def run_server(env: dict, port: int, load: str, sentence_ids: list[int], password: str):
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(
        ["scripts/serve.sh", "127.0.0.1", str(port)],
        cwd=ROOT, env={**env, "CLAIMS_LOAD_MODELS_AT_START": load, "WORKERS": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(base, server)
        up = time.perf_counter() - started
        token = call(f"{base}/api/v1/auth/token/", body={"username": USER, "password": password})
        times = []
        for sentence_id in sentence_ids:
            began = time.perf_counter()
            served = call(f"{base}/api/v1/sentences/{sentence_id}/suggestions/", token["token"])
            times.append(time.perf_counter() - began)
            assert served["model"], "no model served: is the project's model active?"
        return up, times
    finally:
        os.killpg(server.pid, 15)
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an SQLite database to copy")
    parser.add_argument("--project", required=True, help="a project with an active model")
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args()
    figures = Figures()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "served.sqlite3"
        shutil.copy(args.db, copy)
        password = secrets.token_urlsafe(16)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{copy}",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_DEBUG": "0",
            "MIGRATE": "0",
            "DJANGO_STATIC_ROOT": str(Path(scratch) / "static"),  # not the checkout's
            "BENCH_PASSWORD": password,
        }
        manage(
            env, "add_member", args.project, USER, "--role", "annotator",
            "--password-env", "BENCH_PASSWORD",
        )  # fmt: skip
        ids = manage(
            env, "shell", "--verbosity", "0", "-c",
            "from claims.models import Sentence; print(*Sentence.objects.filter("
            f"project__slug={args.project!r}).order_by('id').values_list('id', flat=True)"
            f"[: {2 * args.requests}])",
        ).split()  # fmt: skip
        sentences = [int(i) for i in ids]
        runs = {}
        for load, label in (("0", "models loaded on first use"), ("1", "models loaded at start")):
            half = sentences[: args.requests] if load == "0" else sentences[args.requests :]
            up, times = run_server(env, args.port, load, half, password)
            runs[load] = times
            later = sorted(times[1:])[len(times[1:]) // 2] if len(times) > 1 else 0.0
            figures.say(
                f"{label:28} up in {up:5.1f} s   first suggestions {times[0]:6.3f} s"
                f"   later ones (median) {later:6.3f} s"
            )
        ratio = runs["0"][0] / runs["1"][0]
        figures.say(
            f"first suggestions of a worker: {ratio:.1f}x faster with the models loaded at start"
        )
    if not args.no_results:
        append_results("The first suggestions of a fresh app server", figures.lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
