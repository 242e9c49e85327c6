"""Time the annotation queue on a large project: 16 annotators taking sentences in turn.

Usage: .venv/bin/python bench/queue_scale.py [--sentences 1000000] [--done 0.5] [--rounds 40]
       (DATABASE_URL selects the database; default a fresh SQLite file in a temp directory)

Builds a project of N sentences (25 per article) whose first `done` share already has its one
wanted annotation, then lets 16 new annotators ask for their next sentence and submit it, in
turn. Printed: queue_next (reserve the next sentence) and the full next-sentence item, median
and p95, beside a baseline measured in the same run: the same first-available query scanning
from the start of the queue, as it would without the stored cursors.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
PER_ARTICLE = 25
ANNOTATORS = 16


def build(sentences: int, done_share: float) -> tuple:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from claims.models import Annotation, Article, Project, Role, Sentence
    from claims.services.projects import membership_set, project_get_or_create

    project, _ = project_get_or_create(slug="queue-bench")
    users = get_user_model()
    past = users.objects.create(username="past-annotator")
    annotators = [users.objects.create(username=f"annotator-{n}") for n in range(ANNOTATORS)]
    for user in (past, *annotators):
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
    text = "Lavrov said the talks between the parties would resume in Oslo next week."
    articles = sentences // PER_ARTICLE
    done_articles = int(articles * done_share)
    for first in range(0, articles, 2000):
        with transaction.atomic():
            batch = Article.objects.bulk_create(
                Article(project=project, external_id=f"a{n}", text=text, content_hash=f"h{n}")
                for n in range(first, min(first + 2000, articles))
            )
            rows = Sentence.objects.bulk_create(
                (
                    Sentence(project=project, article=a, index=i, start=0, end=len(text), text=text)
                    for a in batch
                    for i in range(PER_ARTICLE)
                ),
                batch_size=5000,
            )
            done_ids = {a.id for a in batch if int(a.external_id[1:]) < done_articles}
            Annotation.objects.bulk_create(
                (
                    Annotation(sentence=s, annotator=past, claim="claim", status="submitted")
                    for s in rows
                    if s.article_id in done_ids
                ),
                batch_size=5000,
            )
    return Project.objects.get(pk=project.pk), annotators


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    median = statistics.median(ordered)
    return f"median {median:7.2f}  p95 {p95:7.2f}  max {ordered[-1]:7.2f} ms  (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--done", type=float, default=0.5)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="claims-bench-queue-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from loadreport import RESULTS, Machine

    from claims.labeling import queue_sql
    from claims.labeling.item import queue_item
    from claims.labeling.queue import RESERVATION, START, fetch_one, queue_next
    from claims.models import Annotation, Sentence

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    project, annotators = build(args.sentences, args.done)
    built = time.perf_counter() - started
    total = Sentence.objects.filter(project=project).count()
    print(f"{connection.vendor}: {total} sentences, {args.done:.0%} done, built in {built:.0f} s")

    first_calls, next_times, item_times = [], [], []
    for round_number in range(args.rounds):
        for user in annotators:
            started = time.perf_counter()
            sentence_id = queue_next(project=project, user=user)
            elapsed = (time.perf_counter() - started) * 1000
            (first_calls if round_number == 0 else next_times).append(elapsed)
            started = time.perf_counter()
            queue_item(sentence_id=sentence_id, user=user)
            item_times.append((time.perf_counter() - started) * 1000)
            Annotation.objects.create(
                sentence_id=sentence_id, annotator=user, claim="claim", status="submitted"
            )
    baseline = []
    scan = queue_sql.claim_scan(connection.vendor, 0, True)
    for user in annotators[:4]:
        now = timezone.now()
        values = queue_sql.params(
            project=project.id, user=user.id, k=project.annotations_per_sentence, now=now,
            expires=now + RESERVATION, fresh=now, **START.as_params("start"),
        )  # fmt: skip
        started = time.perf_counter()
        with transaction.atomic():
            fetch_one(scan, values)
        baseline.append((time.perf_counter() - started) * 1000)

    lines = [
        Machine.describe(connection.vendor).line(),
        f"{total:,} sentences, {args.done:.0%} done",
        f"queue_next, first call per annotator  {percentiles(first_calls)}",
        f"queue_next, later calls               {percentiles(next_times)}",
        f"next item (context, progress, hints)  {percentiles(item_times)}",
        f"baseline: scan from the queue start   {percentiles(baseline)}",
    ]
    print("\n".join(lines[2:]))
    if not args.no_results:
        command = " ".join(["bench/queue_scale.py", *sys.argv[1:]])
        with RESULTS.open("a") as out:
            out.write(f"\n## Queue scale ({time.strftime('%Y-%m-%d %H:%M')} UTC, `{command}`)\n\n")
            out.write("".join(f"    {line}\n" for line in lines))


if __name__ == "__main__":
    main()
