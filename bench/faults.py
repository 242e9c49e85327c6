"""Reproduce the queue and review faults at their sizes and print the figures beside the targets.

Usage (from a fresh clone, after `make install`):

    scripts/with-postgres.sh .venv/bin/python bench/faults.py     # PostgreSQL (the targets')
    .venv/bin/python bench/faults.py                              # SQLite file
    options: --annotations 225000 --only queue|review --no-results

- Queue, "false nothing left": 16 annotators ask for their next sentence at the same moment,
  15 times (240 asks; each then submits), on a project with plenty left; and the time of a
  "nothing left" answer on a finished project of 10,000 and of 100,000 sentences (asks 2 to 21
  of a new annotator), whose ratio should be about 1.
- Review, "unbounded work behind one click": a project of 225,000 submitted annotations (three
  annotators on every sentence, some disagreeing); each step runs in a fresh process after
  one warm-up request (wall seconds, and peak memory: VmHWM before and after), beside a
  baseline request (the admin index again) in the same run: the agreement page (its figures
  behind: it starts the job), the job computing the figures, the agreement page again, the
  disagreement queue (first page and a late one), "make gold from unanimous sentences" (the
  request starting the job, and the job).
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

ANNOTATORS = 16
PER_ARTICLE = 50


def setup(url: str | None) -> None:
    if url:
        os.environ["DATABASE_URL"] = url
    elif "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="claims-bench-faults-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/faults.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- queue ----------------------------------------------------------------------------------


def concurrent_asks(rounds: int = 15) -> dict:
    from fill import fill

    from claims.labeling.queue import queue_next
    from claims.models import Annotation, Project
    from tests.labeling.race import run_at_once

    filled = fill(
        sentences=20_000, articles=400, per_sentence=1, done_share=0, annotators=ANNOTATORS,
        slug="asks",
    )  # fmt: skip
    project = Project.objects.get(pk=filled.project_id)
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(id__in=filled.annotator_ids))
    nothing_left = 0
    for _ in range(rounds):
        handed = run_at_once(users, lambda user: queue_next(project=project, user=user))
        nothing_left += handed.count(None)
        Annotation.objects.bulk_create(
            Annotation(sentence_id=s, annotator=u, claim="claim", status="submitted")
            for u, s in zip(users, handed, strict=True)
            if s is not None
        )
    return {"asks": rounds * len(users), "nothing_left": nothing_left}


def nothing_left_ms(sentences: int) -> float:
    """Return the median time of asks 2 to 10 of a new annotator on a finished project."""
    from django.contrib.auth import get_user_model
    from fill import fill

    from claims.labeling.queue import queue_next
    from claims.models import Project, Role
    from claims.services.projects import membership_set

    filled = fill(
        sentences=sentences, articles=sentences // PER_ARTICLE, per_sentence=1, done_share=1.0,
        annotators=0, slug=f"done-{sentences}",
    )  # fmt: skip
    project = Project.objects.get(pk=filled.project_id)
    user = get_user_model().objects.create(username=f"late-{sentences}")
    membership_set(project=project, user=user, role=Role.ANNOTATOR)
    times = []
    for _ in range(21):
        started = time.perf_counter()
        assert queue_next(project=project, user=user) is None
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def round_trips_ms(count: int = 5) -> float:
    """Return the median time of `count` trivial queries: the baseline of a short answer."""
    from django.db import connection

    times = []
    for _ in range(21):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _ in range(count):
                cursor.execute("SELECT 1")
                cursor.fetchone()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def queue_faults() -> list[str]:
    found = concurrent_asks()
    small, large = nothing_left_ms(10_000), nothing_left_ms(100_000)
    baseline = round_trips_ms()
    return [
        f"false 'nothing left': {found['nothing_left']} of {found['asks']} concurrent asks "
        "(target 0; before: 43 of 240 on PostgreSQL)",
        f"'nothing left' answer: {small:.1f} ms at 10,000 sentences, {large:.1f} ms at 100,000: "
        f"{large / small:.2f}x (target: the same at any size; before: 22 and 93 ms on SQLite, "
        "371 ms on PostgreSQL at 100,000)",
        f"  baseline: five trivial queries (SELECT 1), {baseline:.1f} ms; the answer runs five "
        "short statements",
    ]


# --- review ---------------------------------------------------------------------------------

STEPS = {
    "baseline": "the admin index (baseline)",
    "agreement": "agreement page, figures behind (starts the job)",
    "refresh": "job: compute agreement and disagreements",
    "agreement_again": "agreement page, figures stored",
    "disagreements": "disagreement queue, page 1",
    "disagreements_late": "disagreement queue, page 500",
    "unanimous": "'make gold from unanimous' (starts the job)",
    "unanimous_job": "job: make gold from unanimous sentences",
}


def measure(step: str, project_id: int) -> dict:
    """Run one step in this (fresh) process; return its wall seconds and peak memory."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from claims.models import Project
    from claims.quality.refresh import review_figures_refresh
    from claims.services.gold import gold_from_unanimous

    project = Project.objects.get(pk=project_id)
    reviewer = get_user_model().objects.get(username="bench-reviewer")
    client = Client()
    client.force_login(reviewer)
    admin = f"/admin/claims/project/{project_id}"
    calls = {
        "baseline": lambda: client.get("/admin/"),
        "agreement": lambda: client.get(f"{admin}/agreement/"),
        "refresh": lambda: review_figures_refresh(project),
        "agreement_again": lambda: client.get(f"{admin}/agreement/"),
        "disagreements": lambda: client.get(f"{admin}/disagreements/"),
        "disagreements_late": lambda: client.get(f"{admin}/disagreements/?page=500"),
        "unanimous": lambda: client.post(f"{admin}/disagreements/", {"action": "unanimous"}),
        "unanimous_job": lambda: gold_from_unanimous(project=project, reviewer=reviewer),
    }
    client.get("/admin/")  # the process's first request loads what any request needs
    before = peak_mb()
    started = time.perf_counter()
    answer = calls[step]()
    seconds = time.perf_counter() - started
    status = getattr(answer, "status_code", "-")
    return {"seconds": seconds, "peak_mb": peak_mb(), "before_mb": before, "status": status}


def review_faults(annotations: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from fill import fill_reviewed

    from claims.models import Role
    from claims.services.projects import membership_set

    articles = round(annotations / 3 / (PER_ARTICLE - 1))
    started = time.perf_counter()
    filled = fill_reviewed(articles=articles)
    reviewer = get_user_model().objects.create(username="bench-reviewer", is_staff=True)
    from claims.models import Project

    membership_set(
        project=Project.objects.get(pk=filled.project_id), user=reviewer, role=Role.REVIEWER
    )
    from claims.models import Annotation

    total = Annotation.objects.filter(sentence__project_id=filled.project_id).count()
    lines = [f"{total:,} submitted annotations, filled in {time.perf_counter() - started:.0f} s"]
    lines.append(f"  {'step':<52} {'seconds':>8} {'peak MB':>8}  targets: < 2 s, < 200 MB")
    for step, title in STEPS.items():
        child = subprocess.run(
            [sys.executable, __file__, "--measure", step, "--project", str(filled.project_id)],
            capture_output=True, text=True, env=os.environ, cwd=ROOT,
        )  # fmt: skip
        if child.returncode:
            lines.append(f"  {title:<52} failed: {child.stderr.strip().splitlines()[-1]}")
            continue
        found = json.loads(child.stdout.strip().splitlines()[-1])
        lines.append(
            f"  {title:<52} {found['seconds']:>8.2f} {found['peak_mb']:>8.0f}"
            f"  (HTTP {found['status']}; {found['before_mb']:.0f} MB before)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", type=int, default=225_000)
    parser.add_argument("--only", choices=["queue", "review"])
    parser.add_argument("--no-results", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--project", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup(None)
    if args.measure:
        print(json.dumps(measure(args.measure, args.project)))
        return
    from django.core.management import call_command
    from django.db import connection
    from loadreport import Machine

    call_command("migrate", verbosity=0)
    machine = Machine.describe(connection.vendor)
    lines = [machine.line()]
    print(lines[0], flush=True)
    for name, run in (("queue", queue_faults), ("review", review_faults)):
        if args.only in (None, name):
            found = run(args.annotations) if name == "review" else run()
            print("\n".join(found), flush=True)
            lines += found
    if not args.no_results:
        from results import append_results

        append_results("Faults", lines)


if __name__ == "__main__":
    threading.stack_size(1024 * 1024)
    main()
