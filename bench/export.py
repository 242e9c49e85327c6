"""Export 1,000,000 annotated sentences and compare with a bare SQL-and-json baseline.

Usage: .venv/bin/python bench/export.py [--sentences 1000000] [--small 100000]
                                        [--keep | --workdir DIR] [--format jsonl|spacy]

Builds a SQLite database in a temp directory (migrated schema; synthetic articles, sentences,
one submitted annotation per sentence, an attribution with a speaker on every other one, a
stance on each) with raw executemany, not the services. Then, each in a fresh subprocess so
its peak memory (ru_maxrss) is its own, for the large and the small project:

- exporter: `manage.py export_dataset --project SLUG --output FILE` (native JSONL), run
  through call_command in the measured process;
- baseline: one raw SQL join of the same rows through sqlite3, each row written as a JSON
  object with the same json library, in the same batches.

With `--format spacy` the exporter writes a DocBin (`--format spacy`), and the baseline is
what the exporter did before it streamed: the same sentences tokenized into one spaCy
DocBin held in memory and written with `to_bytes()` (try `--sentences 225000 --small 22500`).

Prints records/second, seconds (wall and CPU) and peak memory of both, and the
exporter/baseline ratios. On a shared machine the CPU seconds are the steadier figure: wall
time also counts the time other processes held the CPU.
"""

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import append_results

ROOT = Path(__file__).resolve().parent.parent
SENTENCES_PER_ARTICLE = 20
ANNOTATORS = 5
SPEAKERS = 200
WORDS = [
    "minister", "said", "talks", "government", "opposition", "dialogue", "ready", "conditions",
    "president", "parliament", "election", "sanctions", "oil", "economy", "crisis", "mediation",
    "agreement", "rejected", "supported", "country", "percent", "million", "billion", "week",
    "statement", "foreign", "security", "council", "spokesman", "according",
]  # fmt: skip
EXTRA = ["Venezuela", "Caracas", "Bogotá", "Moscú", "São Paulo", "€4bn", "🇻🇪", "😀", "𝄞"]


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sentence_text(rng: random.Random, number: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    if number % 20 == 0:
        words.insert(rng.randrange(len(words)), rng.choice(EXTRA))
    return f"Source {number % 97} {' '.join(words)}."


def build(database: Path, projects: dict[str, int]) -> None:
    """Migrate, then fill each project with its number of annotated sentences."""
    setup_django(database)
    from django.core.management import call_command

    from claims.models import StanceTarget
    from claims.services.projects import project_get_or_create

    call_command("migrate", verbosity=0)
    ids = {}
    for slug in projects:
        project, _ = project_get_or_create(slug=slug)
        target = StanceTarget.objects.create(project=project, name=f"Target of {slug}")
        ids[slug] = (project.pk, target.pk)
    from django.db import connection

    connection.close()
    db = sqlite3.connect(database)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    users = [(f"annotator{n}", "!", 0, 0, 1, "", "", "", "2026-01-01 00:00:00") for n in range(5)]
    db.executemany(
        "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, "
        "first_name, last_name, email, date_joined) VALUES (?,?,?,?,?,?,?,?,?)",
        users,
    )
    user_ids = [row[0] for row in db.execute("SELECT id FROM auth_user ORDER BY id")]
    for slug, count in projects.items():
        fill_project(db, ids[slug], count, user_ids, random.Random(slug))
    db.commit()
    db.execute("ANALYZE")
    db.close()


def fill_project(db, ids: tuple[int, int], count: int, user_ids: list[int], rng) -> None:
    project_id, target_id = ids
    speakers = [(f"Speaker {project_id}-{n}", f"speaker {project_id}-{n}", "person", "[]",
                 "2026-01-01 00:00:00", project_id) for n in range(SPEAKERS)]  # fmt: skip
    db.executemany(
        "INSERT INTO claims_speaker (name, name_key, kind, aliases, created_at, project_id) "
        "VALUES (?,?,?,?,?,?)",
        speakers,
    )
    speaker_ids = [
        r[0] for r in db.execute("SELECT id FROM claims_speaker WHERE project_id=?", [project_id])
    ]
    next_sentence = (db.execute("SELECT max(id) FROM claims_sentence").fetchone()[0] or 0) + 1
    next_annotation = (db.execute("SELECT max(id) FROM claims_annotation").fetchone()[0] or 0) + 1
    for first in range(0, count, 20_000):
        articles, sentences, annotations, attributions, stances = [], [], [], [], []
        last = min(first + 20_000, count)
        for article_number in range(first // SENTENCES_PER_ARTICLE, last // SENTENCES_PER_ARTICLE):
            texts = [
                sentence_text(rng, article_number * SENTENCES_PER_ARTICLE + n)
                for n in range(SENTENCES_PER_ARTICLE)
            ]
            article_id = project_id * 10_000_000 + article_number + 1
            text = " ".join(texts)
            articles.append(
                (article_id, f"{project_id}-{article_number}", texts[0][:80], "Bench Wire", "",
                 "2026-01-30", text, f"{project_id}-{article_number}", "{}",
                 "2026-01-30 00:00:00", project_id)
            )  # fmt: skip
            start = 0
            for index, sentence in enumerate(texts):
                sentence_id, annotation_id = next_sentence, next_annotation
                next_sentence += 1
                next_annotation += 1
                sentences.append(
                    (sentence_id, index, start, start + len(sentence), "body", sentence,
                     article_id, project_id)
                )  # fmt: skip
                start += len(sentence) + 1
                annotations.append(
                    (annotation_id, "annotator", rng.choice(("claim", "checkworthy", "not_claim")),
                     rng.choice(('["quantity"]', "[]", '["prediction","quantity"]')), "submitted",
                     "", rng.randint(500, 60_000), 1, "2026-02-01 10:00:00.123456",
                     f"2026-02-01 10:{index:02d}:00.654321", rng.choice(user_ids), sentence_id)
                )  # fmt: skip
                if index % 2 == 0:
                    attributions.append(
                        (0, 0, 6, 7, 11, 12, len(sentence) - 1, "indirect", 0, annotation_id,
                         rng.choice(speaker_ids))
                    )  # fmt: skip
                stances.append((rng.choice(("favor", "against", "neutral")), annotation_id,
                                target_id))  # fmt: skip
        db.executemany(
            "INSERT INTO claims_article (id, external_id, title, source, url, published, text, "
            "content_hash, meta, created_at, project_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            articles,
        )
        db.executemany(
            'INSERT INTO claims_sentence (id, "index", start, "end", kind, text, article_id, '
            "project_id) VALUES (?,?,?,?,?,?,?,?)",
            sentences,
        )
        db.executemany(
            "INSERT INTO claims_annotation (id, kind, claim, claim_types, status, skip_reason, "
            "lead_time_ms, version, created_at, updated_at, annotator_id, sentence_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            annotations,
        )
        db.executemany(
            "INSERT INTO claims_attribution (position, source_start, source_end, cue_start, "
            "cue_end, content_start, content_end, quote_type, suggested, annotation_id, "
            "speaker_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            attributions,
        )
        db.executemany(
            "INSERT INTO claims_stance (label, annotation_id, target_id) VALUES (?,?,?)", stances
        )


BASELINE_SQL = """
SELECT s.id, s."index", s.kind, s.text, s.start, s."end", a.external_id, a.title, a.source,
       a.url, a.published, n.status, n.claim, n.claim_types, n.lead_time_ms, n.updated_at,
       u.username, t.source_start, t.source_end, t.cue_start, t.cue_end, t.content_start,
       t.content_end, t.quote_type, t.suggested, sp.name, sp.kind, st.label, tg.name
FROM claims_sentence s
JOIN claims_article a ON a.id = s.article_id
JOIN claims_annotation n ON n.sentence_id = s.id
JOIN auth_user u ON u.id = n.annotator_id
LEFT JOIN claims_attribution t ON t.annotation_id = n.id
LEFT JOIN claims_speaker sp ON sp.id = t.speaker_id
LEFT JOIN claims_stance st ON st.annotation_id = n.id
LEFT JOIN claims_stancetarget tg ON tg.id = st.target_id
WHERE s.project_id = (SELECT id FROM claims_project WHERE slug = ?)
ORDER BY s.article_id, s."index"
"""


def run_baseline(database: Path, slug: str, output: Path) -> int:
    """Read the same rows with one raw query and write each as a JSON object."""
    from claims.exporting.formats.base import dumps  # the exporter's own encoder

    db = sqlite3.connect(database)
    cursor = db.execute(BASELINE_SQL, [slug])
    columns = [c[0] for c in cursor.description]
    records = 0
    with output.open("wb") as stream:
        while rows := cursor.fetchmany(2000):
            lines = [dumps(dict(zip(columns, row, strict=True))) for row in rows]
            records += len(lines)
            lines.append(b"")
            stream.write(b"\n".join(lines))
    return records


def run_docbin_baseline(database: Path, slug: str, output: Path) -> int:
    """Tokenize the same sentences into one in-memory DocBin and write it (the old exporter)."""
    import spacy
    from spacy.tokens import DocBin

    make_doc = spacy.blank("en").make_doc
    db = sqlite3.connect(database)
    cursor = db.execute(
        "SELECT s.id, s.text, n.claim FROM claims_sentence s JOIN claims_annotation n ON "
        "n.sentence_id = s.id WHERE s.project_id = (SELECT id FROM claims_project WHERE slug = ?)"
        ' ORDER BY s.article_id, s."index"',
        [slug],
    )
    docs = DocBin(store_user_data=True)
    for sentence_id, text, claim in cursor:
        doc = make_doc(text)
        doc.cats = {claim: 1.0}
        doc.user_data["id"] = sentence_id
        docs.add(doc)
    output.write_bytes(docs.to_bytes())
    return len(docs)


def run_exporter(database: Path, slug: str, output: Path) -> int:
    """Run the export command users run: manage.py export_dataset --project SLUG --output."""
    import io

    from django.core.management import call_command

    said = io.StringIO()
    call_command(
        "export_dataset", "--project", slug, "--output", str(output), "--format", FORMAT,
        stdout=said,
    )  # fmt: skip
    return int(said.getvalue().split()[1])  # "Exported N jsonl records of ..."


FORMAT = "jsonl"  # --format


def child(kind: str, database: Path, slug: str, output: Path) -> None:
    """Run one export in this process and print its figures as JSON."""
    baseline = run_docbin_baseline if FORMAT == "spacy" else run_baseline
    runner = run_exporter if kind == "exporter" else baseline
    setup_django(database)  # imports are not part of the timed runs
    started, cpu_started = time.perf_counter(), time.process_time()
    records = runner(database, slug, output)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        json.dumps(
            {"records": records, "seconds": seconds, "cpu": cpu, "peak_mb": peak_megabytes()}
        )
    )


def peak_megabytes() -> float:
    """Return this process's peak resident memory.

    Linux keeps ru_maxrss across exec (a child started from a large parent would report the
    parent's peak), so read VmHWM, the high-water mark of this program's own memory.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
    return int(kilobytes) / 1024


def measure(kind: str, database: Path, slug: str, workdir: Path) -> dict:
    output = workdir / f"{slug}-{kind}.jsonl"
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--db", str(database), "--slug", slug,
         "--out", str(output), "--format", FORMAT],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["megabytes"] = output.stat().st_size / 1e6
    output.unlink()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temp directory")
    parser.add_argument(
        "--workdir", type=Path, help="build the database here (kept), or reuse the one built there"
    )
    parser.add_argument("--format", choices=["jsonl", "spacy"], default="jsonl")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--child", choices=["exporter", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global FORMAT
    FORMAT = args.format
    if args.child:
        child(args.child, args.db, args.slug, args.out)
        return

    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="claims-bench-export-"))
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "bench.sqlite3"
    sizes = {"small": args.small, "large": args.sentences}
    started = time.perf_counter()
    if not database.exists():
        build(database, sizes)
    built = time.perf_counter() - started
    say(
        f"built {sum(sizes.values()):,} annotated sentences in {built:.0f} s"
        f" ({database.stat().st_size / 1e6:.0f} MB SQLite; "
        f"{sqlite3.sqlite_version}, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)"
    )
    say(f"{'project':>10} {'run':>9} {'records':>10} {'seconds':>8} {'records/s':>10} "
          f"{'CPU s':>6} {'rec/CPU s':>10} {'peak MB':>8} {'file MB':>8}")  # fmt: skip
    results = {}
    for slug, count in sizes.items():
        for kind in ("baseline", "exporter"):
            figures = measure(kind, database, slug, workdir)
            assert figures["records"] == count, figures
            results[slug, kind] = figures
            say(
                f"{count:>10,} {kind:>9} {figures['records']:>10,} {figures['seconds']:>8.1f} "
                f"{figures['records'] / figures['seconds']:>10,.0f} {figures['cpu']:>6.1f} "
                f"{figures['records'] / figures['cpu']:>10,.0f} {figures['peak_mb']:>8.0f} "
                f"{figures['megabytes']:>8.0f}"
            )
        exporter, baseline = results[slug, "exporter"], results[slug, "baseline"]
        wall, cpu = (exporter[key] / baseline[key] for key in ("seconds", "cpu"))
        say(f"{count:>10,} exporter/baseline ratio: {wall:.2f}x wall time, {cpu:.2f}x CPU time")
    for kind in ("exporter", "baseline"):
        growth = results["large", kind]["peak_mb"] - results["small", kind]["peak_mb"]
        say(f"{kind} peak memory, large minus small: {growth:+.0f} MB")
    if args.keep or args.workdir:
        say(f"kept {workdir}")
    else:
        shutil.rmtree(workdir)

    if not args.no_results:
        append_results("Export", lines)


if __name__ == "__main__":
    main()
