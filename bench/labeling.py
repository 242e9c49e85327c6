"""Label sentences through the real page in Chromium and time Enter -> next sentence ready.

Usage: .venv/bin/python bench/labeling.py [--sentences 200] [--port 8101]

Serves a fresh SQLite database with `manage.py runserver` (DEBUG off, one process, threads),
logs in with Chromium (/usr/bin/chromium) and labels sentence after sentence with the keyboard
("2" then Enter). For each Enter it measures, inside the page, the time from the keydown to the
next sentence being shown and ready for keys. Beside it, measured in the same run and the same
browser session: the bare API round trips the page makes (PUT the annotation; GET the next
sentence), timed with fetch() on further sentences.
"""

import argparse
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from results import Figures, append_results

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-labeling-password"
CHROMIUM = "/usr/bin/chromium"

# Installed in the page: the time from Enter's keydown to <main data-state="ready"> showing
# another sentence.
TIMING_HOOK = """() => {
  window.__enterToReady = [];
  let started = null, from = null;
  const main = document.querySelector('main'), sentence = document.querySelector('#sentence');
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && main.dataset.state === 'ready') {
      started = performance.now(); from = sentence.dataset.sentenceId;
    }
  }, true);
  new MutationObserver(() => {
    const moved = sentence.dataset.sentenceId !== from;
    if (started !== null && main.dataset.state === 'ready' && moved) {
      window.__enterToReady.push(performance.now() - started); started = null;
    }
  }).observe(main, {attributes: true, attributeFilter: ['data-state']});
}"""

# The same calls the page makes, without the page: PUT an annotation, GET the next sentence.
API_ROUND_TRIPS = """async ([count, csrf, nextUrl]) => {
  const put = [], next = [];
  let item = await (await fetch(nextUrl)).json();
  for (let i = 0; i < count && item; i++) {
    let t = performance.now();
    const saved = await fetch(`/api/v1/sentences/${item.sentence.id}/annotation/`, {
      method: 'PUT', headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
      body: JSON.stringify({version: null, status: 'submitted', claim: 'claim', lead_time_ms: 1}),
    });
    await saved.json();
    put.push(performance.now() - t);
    t = performance.now();
    const response = await fetch(nextUrl);
    item = response.status === 204 ? null : await response.json();
    next.push(performance.now() - t);
  }
  return {put, next};
}"""


def synthetic_articles(count: int, seed: int = 11) -> list[str]:
    paragraphs = [
        p
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n")
        if p.strip() and len(p.split()) > 8
    ]
    rng = random.Random(seed)
    return [
        f"Bench report {n}\n\n" + "\n\n".join(rng.sample(paragraphs, k=min(10, len(paragraphs))))
        for n in range(count)
    ]


def prepare(database: str, sentences: int) -> None:
    """Create the project, enough articles for the page and the API runs, and the user."""
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from claims.importing.records import ArticleRecord
    from claims.importing.store import articles_import
    from claims.models import Role, Sentence
    from claims.services.projects import (
        membership_set,
        project_get_or_create,
        user_get_or_create,
    )

    call_command("migrate", verbosity=0)
    project, _ = project_get_or_create(slug="bench", name="Bench")
    articles = 1
    while True:
        texts = synthetic_articles(articles)
        records = [
            ArticleRecord(origin="bench", text=t, external_id=f"b{i}") for i, t in enumerate(texts)
        ]
        articles_import(project=project, items=records)
        if Sentence.objects.filter(project=project).count() >= 2 * sentences + 60:
            break
        articles += 4
    user, _ = user_get_or_create(username="bench", password=PASSWORD)
    membership_set(project=project, user=user, role=Role.ANNOTATOR)


def serve(database: str, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip
    for _ in range(1200):  # up to two minutes: a loaded machine starts Django slowly
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"the server did not start on port {port}")


def label_through_page(base: str, sentences: int) -> tuple[list[float], dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        in_flight: set = set()
        page.on("request", lambda r: in_flight.add(r))
        page.on("requestfinished", lambda r: in_flight.discard(r))
        page.on("requestfailed", lambda r: in_flight.discard(r))
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("bench")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/projects/bench/label/")
        page.wait_for_selector("main[data-state='ready']")
        page.evaluate(TIMING_HOOK)
        for done in range(1, sentences + 1):
            page.keyboard.press("2")
            # A person takes seconds per sentence: by then the save before is stored and the
            # next sentence has been fetched.
            page.wait_for_selector("main[data-saves='0'][data-prefetch='ready']", state="attached")
            page.keyboard.press("Enter")
            try:
                page.wait_for_function(f"window.__enterToReady.length >= {done}", timeout=10_000)
            except Exception:
                status = page.evaluate(
                    "[document.querySelector('main').dataset.state,"
                    " document.querySelector('#status').textContent]"
                )
                raise SystemExit(f"sentence {done}: the page did not move on: {status}") from None
        while in_flight:  # the last save and prefetch, before the bare API run starts
            page.wait_for_timeout(5)
        timings = page.evaluate("window.__enterToReady")
        csrf = page.evaluate(
            "JSON.parse(document.getElementById('label-config').textContent).csrfToken"
        )
        api = page.evaluate(API_ROUND_TRIPS, [sentences, csrf, "/api/v1/projects/bench/next/"])
        browser.close()
    return timings, api


def line(label: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    median = statistics.median(ordered)
    return f"{label:<38} median {median:6.1f} ms   p95 {p95:6.1f} ms   (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument(
        "--wal",
        action="store_true",
        help="open SQLite in WAL mode with BEGIN IMMEDIATE (options in DATABASE_URL)",
    )
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="claims-bench-labeling-")
    database = f"sqlite:///{workdir}/bench.sqlite3"
    if args.wal:
        database += "?transaction_mode=IMMEDIATE&init_command=" + quote(
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL"
        )
    prepare(database, args.sentences)
    log = Path(workdir) / "server.log"
    server = serve(database, args.port, log)
    print(f"server log: {log}")
    try:
        timings, api = label_through_page(f"http://127.0.0.1:{args.port}", args.sentences)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    both = [p + n for p, n in zip(api["put"], api["next"], strict=True)]
    mode = "SQLite WAL" if args.wal else "SQLite"
    figures = Figures()
    figures.say(
        f"{args.sentences} sentences labelled through the page (Chromium, runserver, {mode})"
    )
    figures.say(line("page: Enter -> next sentence ready", timings))
    figures.say(line("API: PUT annotation", api["put"]))
    figures.say(line("API: GET next", api["next"]))
    figures.say(line("API: PUT + GET next (no prefetch)", both))
    ratio = statistics.median(timings) / statistics.median(api["put"])
    figures.say(f"ratio page / PUT (median): {ratio:.2f}x   target: page p95 < 100 ms")
    if not args.no_results:
        append_results("Labeling page", figures.lines)


if __name__ == "__main__":
    main()
