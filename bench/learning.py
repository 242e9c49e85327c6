"""Train the suggestion model through the tool and score what the API serves, beside baselines.

Usage: .venv/bin/python bench/learning.py [--epochs 4] [--sample N] [--no-append]
       .venv/bin/python bench/learning.py --only spans --model FILE [--held-out]

Reads ../shared/data/ next to the repository (never committed: research use only). Works in a
throwaway SQLite database in a temporary directory, through the tool's own path:

- PolNeAR: `import_articles polnear-train.jsonl --as gold` into a new project, then
  `manage.py train_suggester --activate` in a child process (its wall time and peak memory
  are the training figures), then the polnear-dev articles are imported without labels and
  every sentence's suggestions are read as `GET /api/v1/sentences/{id}/suggestions/` makes
  them (`claims.labeling.item.suggestions_for`). A suggested source, cue or content counts
  when it overlaps a gold span of the same role in that sentence (precision); a gold span
  counts when a suggestion overlaps it (recall). The gold is the dev file's attributions
  mapped onto the project's sentences by the import's own mapping. Beside it, in the same
  run: the rules alone (the model deactivated, the same function serving).
- CLEF 2019 CheckThat! task 1 (`--only claims`): `bench/checkworthiness.py`'s run on its
  fixed test transcripts, the classifier beside spaCy's bag of n-grams (see that script).

Prints training time, peak memory and suggestion speed, and appends them to bench/RESULTS.md.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from learning_spans import limits, served_scores

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FILES = ("polnear-train.jsonl", "polnear-dev.jsonl", "clef2019-train.jsonl")
TARGETS = {"precision": 0.80, "recall": 0.80, "map": 0.20, "minutes": 15, "mb": 2048, "rate": 200}
ROLES = ("source", "cue", "content")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="training epochs")
    parser.add_argument(
        "--no-results", "--no-append", dest="no_append", action="store_true",
        help="leave RESULTS.md alone",
    )  # fmt: skip
    parser.add_argument("--sample", type=int, help="only this many articles (a smoke test)")
    parser.add_argument("--only", choices=("spans", "claims"), help="one half")
    parser.add_argument(
        "--previous", help="a model file (ClaimModel bytes) to serve beside the new one"
    )
    parser.add_argument("--save-model", help="write the trained span model's bytes to FILE")
    parser.add_argument("--model", help="serve this model file instead of training one")
    parser.add_argument(
        "--held-out",
        action="store_true",
        help="score --model on the PolNeAR train articles its training held out (where "
        "decoding, rule and threshold choices are made) instead of PolNeAR dev",
    )
    args = parser.parse_args()
    missing = [name for name in FILES if not (DATA / name).exists()]
    if args.held_out and not (args.model and args.only == "spans"):
        parser.error("--held-out scores a given model: give --model and --only spans")
    if missing:
        print(f"bench/learning.py: no data: {', '.join(missing)} not found in {DATA}.")
        print("These research-only files are not in the repository; nothing was measured.")
        sys.exit(1)
    workdir = Path(tempfile.mkdtemp(prefix="claims-bench-learning-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    lines: list[str] = []
    say(lines, machine())
    if args.only in (None, "spans"):
        lines += polnear(args, workdir)
    if args.only in (None, "claims"):
        from checkworthiness import clef

        args.dev = False  # the test transcripts, as bench/checkworthiness.py scores them
        clef(args, workdir, lambda line: say(lines, line))
    say(lines, f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not args.no_append:
        append(lines, args.only, args.held_out)


def say(lines: list[str], line: str) -> None:
    print(line, flush=True)
    lines.append(line)


def machine() -> str:
    import spacy

    info = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((x.split(":", 1)[1].strip() for x in info if "model name" in x), "")
    return (
        f"machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, load average at the start {os.getloadavg()[0]:.1f}"
    )


def read(name: str, sample: int | None = None) -> list[dict]:
    rows = (DATA / name).read_text(encoding="utf-8").splitlines()[:sample]
    return [json.loads(line) for line in rows]


def sampled(name: str, sample: int | None, workdir: Path) -> Path:
    """Return the data file, or the first ``sample`` lines of it in the work directory."""
    if not sample:
        return DATA / name
    path = workdir / name
    path.write_text("\n".join(json.dumps(r) for r in read(name, sample)) + "\n")
    return path


def polnear(args, workdir: Path) -> list[str]:
    """Import PolNeAR train as gold, train and activate; score the served suggestions."""
    from django.core.management import call_command

    from claims.learning.activation import model_activate, model_deactivate
    from claims.learning.training import model_store
    from claims.nlp.training import ClaimModel
    from claims.nlp.training.calibration import reliability
    from claims.services.projects import project_get_or_create

    lines: list[str] = []
    project, _ = project_get_or_create(slug="bench-polnear")
    if args.model:
        # A model trained by an earlier run (--save-model): served and scored, not trained.
        stored = model_store(
            project=project, user=None, model=ClaimModel.from_bytes(Path(args.model).read_bytes())
        )
        model = model_activate(model=stored)
        name = Path(args.model).name  # the file's name: no machine path in RESULTS.md
        say(lines, f"model {name} ({model.size / 1e6:.1f} MB), not trained in this run")
        minutes = peak = 0.0
    else:
        minutes, peak, model = import_and_train(args, project, workdir, lines)
    rows, train_rows = scored_rows(args, model, workdir, lines)
    dev = workdir / "scored.jsonl"
    dev.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    call_command("import_articles", str(dev), project=project.slug, verbosity=0)
    threshold = project.suggestion_threshold
    served = served_scores(project, rows)
    batched = batch_rate(model, project)
    model_deactivate(model=model)
    ruled = served_scores(project, rows)
    runs = {"rules alone": ruled, "model": served}
    if args.previous:
        previous = model_store(
            project=project,
            user=None,
            model=ClaimModel.from_bytes(Path(args.previous).read_bytes()),
        )
        model_activate(model=previous)
        runs["previous model"] = served_scores(project, rows)
        model_deactivate(model=previous)
    say(lines, f"  served at the project's default threshold ({threshold}):")
    for name, run in runs.items():
        say(lines, f"  {name:<14} {run['scores'].line()}  ({run['rate']:.0f} sentences/s)")
    say(lines, "  everything suggested (threshold 0):")
    for name, run in runs.items():
        say(lines, f"  {name:<14} {run['all'].line()}")
    say(
        lines,
        "  everything suggested, gold function-word sources as the tool resolves them "
        '("who" as the phrase before it, "it" as none; a secondary figure):',
    )
    for name, run in runs.items():
        say(lines, f"  {name:<14} {run['resolved'].line()}")
    scored = "the held-out train articles" if args.held_out else "PolNeAR dev"
    say(lines, f"  function-word sources suggested over {scored} (target 0):")
    for name, run in runs.items():
        words = ", ".join(sorted(set(run["function_words"]))[:8])
        say(lines, f"  {name:<14} {len(run['function_words'])}{f' ({words})' if words else ''}")
    say(lines, f"  calibration on {scored} (every suggested attribution, threshold 0):")
    say(lines, "    confidence band  " + "  ".join(f"{n:>24}" for n in runs))
    for band in [f"{i / 10:.1f}" for i in range(10)]:
        cells = []
        for run in runs.values():
            row = next(
                (r for r in reliability(run["confidences"]) if f"{r['from']:.1f}" == band), None
            )
            cells.append(
                f"{row['count']:>5} at {row['confidence']:.2f}: {row['right']:.2f} right"
                if row
                else f"{'-':>24}"
            )
        say(
            lines,
            f"    {band}-{float(band) + 0.1:.1f}          " + "  ".join(f"{c:>24}" for c in cells),
        )
    for line in limits(served["pairs"], train_rows):
        say(lines, line)
    met = all(
        t.precision >= TARGETS["precision"] and t.recall >= TARGETS["recall"]
        for t in served["scores"].roles.values()
    )
    say(
        lines,
        f"  targets: P and R >= 0.80 for every role {'met' if met else 'missed'}; training "
        f"{minutes:.1f} min (target {TARGETS['minutes']}), {peak:.0f} MB (target {TARGETS['mb']}); "
        f"speed (target {TARGETS['rate']} sentences/s): {served['rate']:.0f}/s served one "
        f"request at a time (database reads included), {batched[0]:.0f}/s by article "
        f"(ModelSuggester.suggest; {batched[1]:.0f} per CPU second); model "
        f"{model.size / 1e6:.1f} MB",
    )
    return lines


def scored_rows(args, model, workdir: Path, lines: list[str]) -> tuple[list[dict], list[dict]]:
    """Return the articles to score and the training articles they are unseen by.

    PolNeAR dev by default; with ``--held-out``, the PolNeAR train articles the model's
    training set aside as its dev part (never trained on; its decoding and calibration were
    chosen there, so figures there lean optimistic): where choices are made, so that PolNeAR
    dev is scored once.
    """
    train = read(FILES[0], args.sample)
    if not args.held_out:
        return read(FILES[1], args.sample), train
    from claims.nlp.training import ClaimModel

    meta = ClaimModel.from_bytes(bytes(model.data)).meta.get("tagger") or {}
    keys = {key.split(":", 1)[-1] for key in meta.get("dev_documents", ())}
    held = [row for row in train if row["id"] in keys]
    say(lines, f"  scored: {len(held)} PolNeAR train articles the model's training held out")
    return held, [row for row in train if row["id"] not in keys]


def import_and_train(args, project, workdir: Path, lines: list[str]):
    """Import PolNeAR train as gold and train with `train_suggester --activate`."""
    from django.core.management import CommandError, call_command

    from claims.learning.models import SuggestionModel

    started = time.perf_counter()
    train = sampled(FILES[0], args.sample, workdir)
    try:
        call_command("import_articles", str(train), project=project.slug, as_="gold", verbosity=0)
    except CommandError as error:  # the problems are printed above; the rest is imported
        say(lines, f"PolNeAR import: {error}")
    say(lines, f"PolNeAR train imported as gold in {time.perf_counter() - started:.0f} s")
    minutes, cpu_minutes, peak = train_in_child(project.slug, args.epochs, lines)
    model = SuggestionModel.objects.get(project=project, active=True)
    if args.save_model:
        Path(args.save_model).write_bytes(bytes(model.data))
    say(
        lines,
        f"train_suggester: {minutes:.1f} min wall, {cpu_minutes:.1f} min CPU, peak memory "
        f"{peak:.0f} MB (the command's "
        f"process); dev part of train: {figures_line(model.figures)}",
    )
    return minutes, peak, model


def batch_rate(model, project) -> tuple[float, float]:
    """Return sentences per second, and per CPU second, of the stored model suggesting whole
    dev articles at once (on a shared machine the wall time is mostly waiting)."""
    from claims.models import Sentence
    from claims.nlp.training import ClaimModel, ModelSuggester

    suggester = ModelSuggester(ClaimModel.from_bytes(bytes(model.data)))
    articles: dict[int, list[str]] = {}
    rows = Sentence.objects.filter(project=project).order_by("article_id", "index")
    for article_id, text in rows.values_list("article_id", "text"):
        articles.setdefault(article_id, []).append(text)
    started, cpu, count = time.perf_counter(), time.process_time(), 0
    for texts in articles.values():
        count += len(suggester.suggest(texts))
    return count / (time.perf_counter() - started), count / (time.process_time() - cpu)


def train_in_child(slug: str, epochs: int, lines: list[str]) -> tuple[float, float, float]:
    """Run `manage.py train_suggester --activate`; return its wall and CPU minutes, peak MB.

    CPU minutes as well as wall: on a shared machine the wall time is mostly waiting.
    """
    command = [sys.executable, str(ROOT / "manage.py"), "train_suggester", "--project", slug]
    command += ["--epochs", str(epochs), "--activate"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    for line in process.stdout:
        if "dev" in line or not line.startswith("  "):
            print("    " + line.rstrip(), flush=True)
    if process.wait():
        raise SystemExit(f"train_suggester failed with exit code {process.returncode}")
    minutes = (time.perf_counter() - started) / 60
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return minutes, (usage.ru_utime + usage.ru_stime) / 60, usage.ru_maxrss / 1024


def figures_line(figures: dict) -> str:
    return "  ".join(
        f"{role} P {figures[role]['precision']:.2f} R {figures[role]['recall']:.2f}"
        for role in ROLES
        if role in figures
    )


def append(lines: list[str], only: str | None, held_out: bool = False) -> None:
    """Append the run to bench/RESULTS.md."""
    from results import append_results

    heading = "Suggestion model, held-out train articles" if held_out else "Suggestion model"
    append_results(heading, lines)


if __name__ == "__main__":
    main()
