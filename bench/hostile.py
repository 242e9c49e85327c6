"""The audit's battery, run again: hostile label files and API bodies, races at 16 threads,
long usernames, huge ids, and a worker killed mid-job; counts tracebacks and 500s (target 0).

Usage (from a fresh clone, after `make install-dev`; the races need PostgreSQL):

    scripts/with-postgres.sh .venv/bin/python bench/hostile.py
    .venv/bin/python bench/hostile.py          # SQLite file (races run one writer at a time)
    options: --no-results

- Label files: each hostile case of tests/learning/test_hostile_labels.py (article lines and
  native export lines: unknown quote type, speaker kind "alien" or 5, a 5,000-character or NUL
  speaker name, gold a string or a list, an attribution a string, a span a list, offsets of
  1e12, 10^12 and 2e8, spans past the end of the text) in a file between two good lines,
  imported by `manage.py import_articles --as gold` in a process of its own: tracebacks, exit
  status, good lines whose labels were stored, peak memory (the largest of all the imports,
  beside the import of a file of good lines only). Also `--as predictions`.
- API bodies: the same attributions sent to `POST .../articles/?as=gold|predictions|
  annotator:NAME`: answers of 500, and of 400 naming the field.
- Races (16 threads): 15 annotators saving through the API while a curator merges the
  speakers they name; 16 reviewers activating models through the admin at once.
- Long usernames (256, 300, 5,000 characters) on the login page, the admin login and the token
  endpoint: 500s, and attempts the throttle counted. Huge ids (10^20, 2^63, 2^64) on every id
  route and id parameter: 500s.
- A worker killed with SIGKILL mid-job: whether its job was taken back within the lease, and
  the time it took.
"""

import argparse
import json
import os
import resource
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from results import scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
LEASE_SECONDS = 4
STARTUP_SECONDS = 20


def setup() -> None:
    scratch_database("hostile")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["CLAIMS_JOB_LEASE_SECONDS"] = str(LEASE_SECONDS)
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    # 4xx lines and failed logins are what this bench sends: only errors are worth a line.
    for name in ("django.request", "axes", "claims.jobs.leases"):
        logging.getLogger(name).setLevel(logging.ERROR)

    call_command("migrate", verbosity=0)


def run_manage(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ}, timeout=600, check=False,
    )  # fmt: skip


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# --- label files -----------------------------------------------------------------------------


def label_files(say) -> None:
    from claims.models import Annotation
    from claims.services.projects import project_get_or_create
    from tests.learning.test_hostile_labels import (
        ATTRIBUTIONS,
        NATIVE,
        article_line,
        native_line,
    )
    from tests.learning.test_label_import import lavrov

    workdir = Path(tempfile.mkdtemp(prefix="claims-hostile-files-"))
    cases = {f"article line: {name}": [article_line(1, lavrov()), article_line(2, bad),
                                       article_line(3, lavrov())]
             for name, (bad, _) in ATTRIBUTIONS.items()}  # fmt: skip
    cases |= {f"native line: {name}": [native_line("n1"), native_line("n2", **changes),
                                       native_line("n3")]
              for name, (changes, _) in NATIVE.items()}  # fmt: skip

    def write(rows) -> str:
        path = workdir / f"{secrets.token_hex(4)}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        return str(path)

    good_ids = {"a1", "a3", "n1", "n3"}
    baseline = project_get_or_create(slug="hostile-baseline")[0]
    done = run_manage("import_articles", write([article_line(1, lavrov()), native_line("n1")]),
                      "--project", baseline.slug, "--as", "gold")  # fmt: skip
    baseline_mb = children_peak_mb()
    say(f"label files: the good lines alone import with exit {done.returncode}, "
        f"peak {baseline_mb:.0f} MB")  # fmt: skip
    tracebacks = crashed = good = expected = reported = 0
    for name, rows in cases.items():
        project = project_get_or_create(slug=f"hostile-{secrets.token_hex(3)}")[0]
        done = run_manage("import_articles", write(rows), "--project", project.slug, "--as",
                          "gold")  # fmt: skip
        tracebacks += "Traceback (most recent call last)" in done.stderr
        crashed += done.returncode not in (0, 1)
        reported += ":2: " in done.stderr
        stored = set(
            Annotation.objects.gold()
            .filter(sentence__project=project, attributions__isnull=False)
            .values_list("sentence__article__external_id", flat=True)
        )
        good += len(stored & good_ids)
        expected += 2
        if "Traceback" in done.stderr or done.returncode not in (0, 1):
            say(f"  {name}: exit {done.returncode}: {done.stderr.strip().splitlines()[-1]}")
    peak = children_peak_mb()
    say(
        f"  {len(cases)} hostile files: {tracebacks} tracebacks, {crashed} crashes, bad line "
        f"reported as file:2 in {reported}, good lines' labels stored {good} of {expected}"
    )
    say(f"  peak memory of the imports: {peak:.0f} MB (target < 400 MB; the good lines alone: "
        f"{baseline_mb:.0f} MB)")  # fmt: skip
    project = project_get_or_create(slug="hostile-predictions")[0]
    bad, _ = ATTRIBUTIONS["unknown quote type"]
    done = run_manage("import_articles", write([article_line(1, bad)]), "--project",
                      project.slug, "--as", "predictions")  # fmt: skip
    from claims.learning.models import Prediction

    stored = Prediction.objects.filter(sentence__project=project).count()
    say(
        f"  --as predictions with quote_type 'sarcastic': {stored} predictions stored, "
        f"tracebacks {int('Traceback' in done.stderr)}"
    )


# --- API bodies ------------------------------------------------------------------------------


def api_bodies(say) -> None:
    from rest_framework.test import APIClient

    from claims.models import Role
    from claims.services.projects import project_get_or_create
    from tests.factories import make_member
    from tests.learning.test_hostile_labels import ATTRIBUTIONS, article_line
    from tests.learning.test_label_import import lavrov

    project = project_get_or_create(slug="hostile-api")[0]
    reviewer = make_member(project, Role.REVIEWER, f"api-reviewer-{secrets.token_hex(2)}")
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(reviewer)
    url = f"/api/v1/projects/{project.slug}/articles/"
    answers = []
    for bad, _ in ATTRIBUTIONS.values():
        for as_ in ("gold", "predictions", f"annotator:{reviewer.username}"):
            body = [article_line(1, lavrov()), article_line(2, bad)]
            answers.append(client.post(f"{url}?as={as_}", body, format="json").status_code)
    say(
        f"API bodies: {len(answers)} hostile requests: {answers.count(500)} answered 500, "
        f"{answers.count(400)} answered 400 naming the field"
    )


# --- races -----------------------------------------------------------------------------------


def at_once(count: int, work) -> list:
    from django.db import connections

    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def one(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 - counted
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results + errors


def merge_race(say) -> None:
    from rest_framework.test import APIClient

    from claims.models import Annotation, Role, Speaker
    from claims.services.projects import project_get_or_create
    from claims.services.speaker_curation import speakers_merge
    from tests.factories import make_article, make_member

    project = project_get_or_create(slug=f"merge-race-{secrets.token_hex(2)}")[0]
    reviewer = make_member(project, Role.REVIEWER)
    users = [make_member(project) for _ in range(15)]
    sentences = [make_article(project, f'Lavrov said: "We will help {n}."', f"a{n}").sentences
                 .get() for n in range(15)]  # fmt: skip
    kept = Speaker.objects.create(project=project, name="Sergey Lavrov", kind="person")
    duplicates = [Speaker.objects.create(project=project, name=f"Lavrov {n}", kind="person")
                  for n in range(8)]  # fmt: skip
    rounds, statuses = 14, []

    def work(n: int):
        if n == 15:
            for duplicate in duplicates:
                speakers_merge(kept=kept, removed=[duplicate], actor=reviewer)
                time.sleep(0.05)
            return None
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(users[n])
        version = None
        for r in range(rounds):
            body = {"version": version, "status": "submitted",
                    "claim": ("claim", "checkworthy")[r % 2],
                    "attributions": [{"speaker": {"id": duplicates[r % 8].pk},
                                      "source": {"start": 0, "end": 6}}]}  # fmt: skip
            response = client.put(f"/api/v1/sentences/{sentences[n].pk}/annotation/", body,
                                  format="json")  # fmt: skip
            statuses.append(response.status_code)
            if response.status_code in (200, 201):
                version = response.json()["version"]
        return None

    errors = [e for e in at_once(16, work) if isinstance(e, str)]
    stored = Annotation.objects.filter(sentence__project=project)
    lost = sum(a.claim != ("claim", "checkworthy")[(rounds - 1) % 2] for a in stored)
    say(
        f"race, saves during merges: {len(statuses)} saves by 15 annotators while 8 merges ran: "
        f"{statuses.count(500)} answered 500, {statuses.count(409)} answered 409, "
        f"{len(errors)} errors, {lost + 15 - stored.count()} last saves lost"
    )


def activation_race(say) -> None:
    from django.test import Client
    from django.urls import reverse

    from claims.learning.models import SuggestionModel
    from claims.models import Role
    from claims.services.projects import project_get_or_create
    from tests.factories import make_member

    project = project_get_or_create(slug=f"activation-race-{secrets.token_hex(2)}")[0]
    models = [SuggestionModel.objects.create(project=project, version=n, data=b"-", meta={})
              for n in range(1, 5)]  # fmt: skip
    reviewers = [make_member(project, Role.REVIEWER) for _ in range(16)]

    def work(n: int) -> tuple[int, str]:
        client = Client(raise_request_exception=False)
        client.force_login(reviewers[n])
        # The model page's "Activate…" confirmed (the list's action only opens that page).
        url = reverse("admin:learning_suggestionmodel_activate", args=[models[n % 4].pk])
        response = client.post(url, follow=True)
        page = response.content.decode(errors="replace")
        if "Another reviewer is activating" in page:
            return response.status_code, "busy"
        return response.status_code, "activated" if "is now active" in page else "?"

    answers = at_once(16, work)
    statuses = [a[0] if isinstance(a, tuple) else 500 for a in answers]
    told = [a[1] for a in answers if isinstance(a, tuple)]
    active = SuggestionModel.objects.filter(project=project, active=True).count()
    say(
        f"race, activations: 16 at once: {statuses.count(500)} answered 500; "
        f"{told.count('activated')} activated, {told.count('busy')} told another reviewer was "
        f"changing it, {told.count('?')} neither; {active} model active at the end"
    )


# --- logins and ids --------------------------------------------------------------------------


def logins_and_ids(say) -> None:
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.test import APIClient

    from claims.models import Role
    from claims.services.projects import project_get_or_create
    from tests.api.test_huge_ids import HUGE, admin_urls, api_urls
    from tests.factories import make_member

    statuses, counted = [], 0
    for n, url in enumerate(["/accounts/login/", "/admin/login/", "/api/v1/auth/token/"]):
        for length in (256, 300, 5000):
            address = f"10.9.{n}.{length % 250}"
            data = {"username": "u" * length, "password": "wrong"}
            if "/api/" in url:
                client = APIClient(REMOTE_ADDR=address, raise_request_exception=False)
                statuses.append(client.post(url, data, format="json").status_code)
            else:
                client = Client(REMOTE_ADDR=address, raise_request_exception=False)
                statuses.append(client.post(url, data).status_code)
            counted += AccessAttempt.objects.filter(ip_address=address).exists()
    say(
        f"long usernames: {len(statuses)} attempts: {statuses.count(500)} answered 500, "
        f"{counted} counted by the throttle"
    )
    project = project_get_or_create(slug="demo")[0]
    users = [
        get_user_model().objects.create_superuser(
            f"root-{secrets.token_hex(2)}", "r@example.org", secrets.token_hex(12)
        ),
        make_member(project, Role.REVIEWER),
        make_member(project, Role.ANNOTATOR),
    ]
    answers = []
    for user in users:
        api, client = (
            APIClient(raise_request_exception=False),
            Client(raise_request_exception=False),
        )
        api.force_authenticate(user)
        client.force_login(user)
        for huge in HUGE:
            answers += [api.get(url).status_code for url in api_urls(huge)]
            answers += [client.get(url).status_code for url in admin_urls(huge)]
    say(
        f"huge ids: {len(answers)} requests (3 users x 3 ids x every id route and parameter): "
        f"{sum(s >= 500 for s in answers)} answered 5xx"
    )


# --- a worker killed mid-job -----------------------------------------------------------------


def killed_worker(say) -> None:
    from django.db import connection

    from claims.jobs.models import Job, JobStatus
    from claims.jobs.services import job_start
    from claims.models import Role
    from claims.services.projects import project_get_or_create
    from tests.factories import make_member
    from tests.jobs import stalling

    if connection.vendor != "postgresql":
        say("worker killed mid-job: skipped (run on PostgreSQL)")
        return
    project = project_get_or_create(slug=f"jobs-{secrets.token_hex(2)}")[0]
    reviewer = make_member(project, Role.REVIEWER)
    worker_command = [sys.executable, "-m", "tests.jobs.stalling", "--no-reload",
                      "--no-startup-delay", "--interval", "0.2", "--verbosity", "0"]  # fmt: skip
    for kind in (stalling.STALL_RERUN, stalling.STALL_ONCE):
        job = job_start(kind=kind, user=reviewer, project=project)
        worker = subprocess.Popen(worker_command, cwd=ROOT, env={**os.environ})
        while not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, done=1).exists():
            time.sleep(0.1)
        # Another worker, up and idle, as in a deployment with two (it takes a few seconds to
        # start: spaCy), then the one running the job is killed.
        second = subprocess.Popen(worker_command, cwd=ROOT, env={**os.environ})
        time.sleep(STARTUP_SECONDS)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed = time.monotonic()
        try:
            while Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=1).exists():
                time.sleep(0.1)
            taken = time.monotonic() - killed
            deadline = time.monotonic() + 60
            while not Job.objects.get(pk=job.pk).finished and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            second.kill()
            second.wait()
        job.refresh_from_db()
        say(
            f"worker killed mid-job ({kind}): taken back {taken:.1f} s after the kill "
            f"(lease {LEASE_SECONDS} s), then {job.status} (attempts {job.attempts})"
            + (f": {job.error}" if job.error else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-results", action="store_true")
    options = parser.parse_args()
    setup()
    from django.db import connection
    from results import Figures, append_results

    figures = Figures()
    figures.say(f"database: {connection.vendor}")
    for part in (label_files, api_bodies, merge_race, activation_race, logins_and_ids,
                 killed_worker):  # fmt: skip
        part(figures.say)
    if not options.no_results:
        append_results("Hostile input and faults (the audit's battery)", figures.lines)


if __name__ == "__main__":
    main()
