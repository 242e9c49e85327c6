"""Import 100,000 sentences of whole articles and compare with spaCy's bare sentencizer.

Usage: .venv/bin/python bench/import_articles.py [--sentences 100000] [--corpus news|polnear]
       scripts/with-postgres.sh .venv/bin/python bench/import_articles.py   # on PostgreSQL

Writes the articles to a JSONL file, then runs, each in a fresh process (so that its peak
memory is its own) and all in this one run:

- baseline: spaCy's blank English pipeline with its sentencizer over the same article texts
  (`nlp.pipe`, counting `doc.sents`): what the import is measured against;
- segmentation: `claims.nlp.segmentation.segment_many` over the same texts (our rules);
- import: `manage.py import_articles FILE --project P --create` (read, check, segment, store),
  into a fresh SQLite file, or the database of $DATABASE_URL when it is PostgreSQL, with its
  default worker process; then again in one process (`--workers 0`);
- the import and the baseline again with a tenth of the articles, to show that memory stays
  flat (spaCy's own vocabulary grows with the words it meets, in both).

CPU time counts the worker processes too. Each is run `--repeat` times (3), taking turns, and
the fastest run kept: on a machine shared with other work, wall time also counts the time
others held the CPUs.

The corpus is generated (bench/newstext.py: wire-style news, about 30 sentences an article),
or `--corpus polnear` reads the PolNeAR article texts from ../shared/data at run time (never
copied into the project). Prints the figures and appends them to bench/RESULTS.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import append_results

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
POLNEAR = ROOT.parent / "shared" / "data" / "polnear-train.jsonl"
SENTENCES_PER_ARTICLE = 30


def corpus(name: str, sentences: int) -> list[str]:
    """Return whole article texts holding about `sentences` sentences."""
    if name == "news":
        import newstext

        return newstext.articles(sentences // SENTENCES_PER_ARTICLE, sentences=30)
    if not POLNEAR.exists():
        sys.exit(f"--corpus polnear needs {POLNEAR}, which is absent here")
    texts = [json.loads(line)["text"] for line in POLNEAR.open(encoding="utf-8")]
    # PolNeAR has about 30,000 sentences: repeat it, each copy made distinct, to the size asked.
    per_copy = sum(t.count(". ") + 1 for t in texts)
    copies = max(1, round(sentences / per_copy))
    return [f"Copy {n}\n\n{t}" for n in range(copies) for t in texts]


def peak_megabytes() -> float:
    """Return this process's peak resident memory (VmHWM; ru_maxrss would count the parent)."""
    status = Path("/proc/self/status").read_text()
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(kilobytes) / 1024


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()


def child(kind: str, path: Path, limit: int | None) -> dict:
    """Run one measurement in this (fresh) process and return its figures."""
    setup_django()
    from django.core.management import call_command

    from claims.models import Sentence
    from claims.nlp.segmentation import get_nlp, segment_many

    if limit is not None:
        path = first_lines(path, limit)
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    nlp = get_nlp()
    list(nlp.pipe(texts[:5]))  # load the pipeline and warm it: not part of any figure
    if kind == "import":
        call_command("migrate", verbosity=0)
        slug = f"bench-{os.getpid()}"
    started, cpu = time.perf_counter(), time.process_time()
    if kind == "baseline":
        sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=256))
    elif kind == "segmentation":
        sentences = sum(len(segments) for segments in segment_many(texts))
    else:
        chosen = os.environ.get("BENCH_WORKERS", "")
        workers = ["--workers", chosen] if chosen else []
        call_command(
            "import_articles", str(path), "--project", slug, "--create", *workers, verbosity=0
        )  # fmt: skip
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker processes, joined
    if kind == "import":
        sentences = Sentence.objects.filter(project__slug=slug).count()
    return {
        "sentences": sentences,
        "seconds": seconds,
        "cpu": cpu + workers.ru_utime + workers.ru_stime,
        "peak_mb": peak_megabytes(),
    }


def first_lines(path: Path, limit: int) -> Path:
    part = path.with_name(f"first-{limit}.jsonl")
    with path.open(encoding="utf-8") as source, part.open("w", encoding="utf-8") as out:
        out.writelines(line for _, line in zip(range(limit), source, strict=False))
    return part


def measure(
    kind: str, path: Path, database_url: str, limit: int | None = None, workers: str = ""
) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--file", str(path)]
    if limit is not None:
        command += ["--limit", str(limit)]
    env = {**os.environ, "DATABASE_URL": database_url, "BENCH_WORKERS": workers}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def database_version(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    os.environ["DATABASE_URL"] = database_url
    setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--corpus", choices=["news", "polnear"], default="news")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the best kept")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.file, args.limit)))
        return

    workdir = Path(tempfile.mkdtemp(prefix="claims-bench-import-"))
    environment = os.environ.get("DATABASE_URL", "")
    database_url = (
        environment
        if environment.startswith("postgres")
        else f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    texts = corpus(args.corpus, args.sentences)
    path = workdir / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for number, text in enumerate(texts):
            out.write(json.dumps({"id": f"a{number}", "text": text}, ensure_ascii=False) + "\n")
    small = max(1, len(texts) // 10)
    plans = {
        "baseline": ("baseline", None, ""),
        "baseline, a tenth": ("baseline", small, ""),
        "segmentation": ("segmentation", None, ""),
        "import": ("import", None, ""),
        "import, 1 process": ("import", None, "0"),
        "import, a tenth": ("import", small, ""),
    }
    # Each run several times, taking turns, and the fastest kept: load from other work on the
    # machine then weighs on each alike, and least.
    runs: dict[str, dict] = {}
    for _ in range(args.repeat):
        for name, (kind, limit, workers) in plans.items():
            run = measure(kind, path, database_url, limit=limit, workers=workers)
            if name not in runs or run["seconds"] < runs[name]["seconds"]:
                runs[name] = run
    lines = report(args, texts, path, runs, database_version(database_url))
    print("\n".join(lines))
    if not args.no_results:
        append_results("Import", lines)
    for leftover in workdir.iterdir():
        leftover.unlink()
    workdir.rmdir()


def report(args, texts: list[str], path: Path, runs: dict, database: str) -> list[str]:
    baseline, imported = runs["baseline"], runs["import"]
    load = os.getloadavg()
    lines = [
        f"bench/import_articles.py, {dt.date.today()}: {len(texts):,} articles "
        f"({path.stat().st_size / 1e6:.1f} MB, corpus {args.corpus}), {database}, best of "
        f"{args.repeat}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
        f"{'run':<18} {'sentences':>10} {'seconds':>8} {'sent/s':>8} {'CPU s':>6} {'peak MB':>8}",
    ]
    for name, run in runs.items():
        lines.append(
            f"{name:<18} {run['sentences']:>10,} {run['seconds']:>8.2f} "
            f"{run['sentences'] / run['seconds']:>8,.0f} {run['cpu']:>6.2f} {run['peak_mb']:>8.0f}"
        )

    def ratio(name: str, key: str = "seconds") -> float:
        return runs[name][key] / baseline[key]

    growth = imported["peak_mb"] - runs["import, a tenth"]["peak_mb"]
    spacy_growth = baseline["peak_mb"] - runs["baseline, a tenth"]["peak_mb"]
    lines += [
        f"import / baseline: {ratio('import'):.2f}x wall time (target: at most 2x), "
        f"{ratio('import', 'cpu'):.2f}x CPU time (all processes); in one process "
        f"{ratio('import, 1 process'):.2f}x wall; segmentation alone "
        f"{ratio('segmentation'):.2f}x wall",
        f"import of {imported['sentences']:,} sentences: {imported['seconds']:.1f} s "
        f"(target: 100,000 in at most 12 s)",
        f"peak memory, all minus a tenth of the articles: import {growth:+.0f} MB, "
        f"bare spaCy {spacy_growth:+.0f} MB (its vocabulary grows with new words)",
    ]
    return lines


if __name__ == "__main__":
    main()
