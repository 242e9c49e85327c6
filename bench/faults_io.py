"""Reproduce two failures of imports over HTTP, and print the figures beside their targets.

Usage: .venv/bin/python bench/faults_io.py [--articles 3000] [--megabytes 7.9] [--saves 10]
       scripts/with-postgres.sh .venv/bin/python bench/faults_io.py   # on PostgreSQL

Serves a fresh database (a SQLite file, or the PostgreSQL of $DATABASE_URL) with
`manage.py runserver` (threads, DEBUG off), then:

1. Saves while an import runs. A reviewer POSTs 3,000 news-like articles (about 9.8 MB of
   JSON) to /api/v1/projects/P/articles/; meanwhile an annotator PUTs an annotation every
   half second until the import has answered. Beside them, in the same run: the same saves
   with nothing else running. Target: no save fails ("database is locked"), and none waits
   much more than a second.
2. One 7.9 MB article (about 75,000 sentences in 3,000 paragraphs) POSTed alone; then the
   article list. Beside it, in the same run: the time to segment that text in this process.
   Target: answered within 2x of the segmentation time, the list at once.

Appends the figures, with the machine's details, to bench/RESULTS.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from labeling import serve
from results import append_results

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PASSWORD = "bench-faults-password"


def setup(database_url: str) -> dict:
    """Migrate; make the project, a reviewer and an annotator; return their tokens."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from claims.importing.readers import read_paths
    from claims.importing.store import articles_import
    from claims.models import Role
    from claims.services.projects import membership_set, project_get_or_create, user_get_or_create

    call_command("migrate", verbosity=0)
    project, _ = project_get_or_create(slug=f"faults-{os.getpid()}")
    articles_import(project=project, items=read_paths([ROOT / "seeds"]))
    tokens = {}
    for name, role in (("reviewer", Role.REVIEWER), ("annotator", Role.ANNOTATOR)):
        user, _ = user_get_or_create(username=f"{name}-{os.getpid()}", password=PASSWORD)
        membership_set(project=project, user=user, role=role)
        tokens[name] = Token.objects.get_or_create(user=user)[0].key
    sentence = project.sentences.filter(kind="body").order_by("id").first()
    from django.db import connections

    connections.close_all()
    return {"slug": project.slug, "sentence": sentence.id, **tokens}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Annotator:
    """PUT annotations of one sentence, one after another, recording status and seconds."""

    def __init__(self, api: str, token: str, sentence: int):
        self.url = f"{api}/sentences/{sentence}/annotation/"
        self.headers = {"Authorization": f"Token {token}"}
        self.version = None
        self.saves: list[tuple[int, float]] = []

    def save(self) -> None:
        body = {"version": self.version, "status": "submitted", "claim": "not_claim"}
        started = time.perf_counter()
        try:
            response = requests.put(self.url, json=body, headers=self.headers, timeout=120)
            status = response.status_code
        except requests.RequestException:
            status = 0
        self.saves.append((status, time.perf_counter() - started))
        if status == 200:
            self.version = response.json()["version"]


def import_articles(api: str, slug: str, token: str, articles: list[dict]) -> tuple[int, float]:
    """POST the articles; return the status and the seconds to the answer."""
    data = json.dumps(articles).encode()
    started = time.perf_counter()
    response = requests.post(
        f"{api}/projects/{slug}/articles/",
        data=data,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        timeout=3600,
    )
    return response.status_code, time.perf_counter() - started


def saves_during_import(api: str, ids: dict, articles: list[dict], saves: int) -> dict:
    idle = Annotator(api, ids["annotator"], ids["sentence"])
    for _ in range(saves):
        idle.save()
    busy = Annotator(api, ids["annotator"], ids["sentence"])
    busy.version = idle.version
    answer: list = []
    importer = threading.Thread(
        target=lambda: answer.append(import_articles(api, ids["slug"], ids["reviewer"], articles))
    )
    importer.start()
    time.sleep(0.5)
    while importer.is_alive() or len(busy.saves) < saves:
        busy.save()
        time.sleep(0.5)
    importer.join()
    return {"idle": idle.saves, "busy": busy.saves, "import": answer[0]}


def big_article(megabytes: float) -> str:
    import newstext

    paragraphs = [
        p for text in newstext.articles(4000, seed=3) for p in text.split("\n\n")[1:] if p
    ]
    text, size = [], 0
    while size < megabytes * 1e6:
        text.append(paragraphs[len(text) % len(paragraphs)])
        size += len(text[-1].encode()) + 2
    return "\n\n".join(text)


def one_big_article(api: str, ids: dict, megabytes: float) -> dict:
    from claims.nlp.segmentation import get_nlp, segment

    text = big_article(megabytes)
    get_nlp()
    started = time.perf_counter()
    sentences = len(segment(text))
    segmented = time.perf_counter() - started
    status, answered = import_articles(api, ids["slug"], ids["reviewer"], [{"text": text}])
    started = time.perf_counter()
    listed = requests.get(
        f"{api}/projects/{ids['slug']}/articles/",
        headers={"Authorization": f"Token {ids['reviewer']}"},
        timeout=600,
    )
    return {
        "megabytes": len(text.encode()) / 1e6,
        "sentences": sentences,
        "segment": segmented,
        "status": status,
        "answered": answered,
        "list_status": listed.status_code,
        "list": time.perf_counter() - started,
    }


def report(args, database: str, during: dict, alone: dict) -> list[str]:
    load = os.getloadavg()
    failed = [status for status, _ in during["busy"] if status != 200]
    waits = [seconds for _, seconds in during["busy"]]
    idle = [seconds for _, seconds in during["idle"]]
    status, seconds = during["import"]
    return [
        f"bench/faults_io.py, {dt.date.today()}: {database}, runserver, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        f"import of {args.articles:,} articles ({during['megabytes']:.1f} MB): {status} in "
        f"{seconds:.1f} s",
        f"saves during it: {len(waits)}, failed {len(failed)} {sorted(set(failed)) or ''}"
        f"(target 0); longest {max(waits):.2f} s, median {statistics.median(waits):.2f} s "
        f"(target: about 1 s at most)",
        f"saves with nothing else running: {len(idle)}, longest {max(idle):.2f} s, median "
        f"{statistics.median(idle):.2f} s",
        f"one {alone['megabytes']:.1f} MB article ({alone['sentences']:,} sentences): "
        f"{alone['status']} in {alone['answered']:.1f} s; segmenting it here: "
        f"{alone['segment']:.1f} s; ratio {alone['answered'] / alone['segment']:.2f}x "
        "(target: at most 2x)",
        f"then the article list: {alone['list_status']} in {alone['list']:.2f} s",
    ]


def database_name() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    version = connection.pg_version
    return f"PostgreSQL {version // 10000}.{version % 10000}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--megabytes", type=float, default=7.9)
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    import newstext

    workdir = Path(tempfile.mkdtemp(prefix="claims-bench-faults-"))
    environment = os.environ.get("DATABASE_URL", "")
    database_url = (
        environment if environment.startswith("postgres") else f"sqlite:///{workdir / 'db.sqlite3'}"
    )
    ids = setup(database_url)
    articles = [
        {"id": f"a{n}", "text": text} for n, text in enumerate(newstext.articles(args.articles))
    ]
    port = free_port()
    server = serve(database_url, port, workdir / "server.log")
    api = f"http://127.0.0.1:{port}/api/v1"
    try:
        during = saves_during_import(api, ids, articles, args.saves)
        during["megabytes"] = len(json.dumps(articles).encode()) / 1e6
        alone = one_big_article(api, ids, args.megabytes)
    finally:
        server.terminate()
        server.wait()
        for leftover in workdir.iterdir():
            leftover.unlink()
        workdir.rmdir()
    lines = report(args, database_name(), during, alone)
    print("\n".join(lines))
    if not args.no_results:
        append_results("Import faults", lines)


if __name__ == "__main__":
    main()
