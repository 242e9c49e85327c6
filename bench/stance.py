"""Stance suggestions through the tool on SemEval-2016 tweets, beside an SVM in the same run.

Usage: .venv/bin/python bench/stance.py [--folds 5] [--epochs 4] [--only-folds 0,1] [--no-results]

Reads ../shared/data/semeval2016-stance-dev.jsonl (research use only, never committed). In a
throwaway SQLite database, for each fold of tweets (the tweets shuffled with a fixed seed,
every fifth held out once):

- a project with the five targets (`POST /api/v1/projects/{slug}/targets/`'s service) and a
  schema whose stance labels are favor / against / none imports the other folds' tweets as
  gold, each tweet an article whose sentences carry its stance (`import_articles --as gold`),
  and the held-out tweets without labels;
- `manage.py train_suggester --activate` trains in a child process (its CPU minutes are the
  training cost);
- each held-out tweet's sentences are read as `GET /api/v1/sentences/{id}/suggestions/` serves
  them (`claims.labeling.item.suggestions_for`); the tweet's stance is the label with the
  highest mean probability over its sentences toward its target;
- the baseline, in the same run on the same folds: a linear SVM per target on word 1-3-grams
  and character 2-5-grams (TF-IDF; scikit-learn, a test-only tool).

F_avg (SemEval-2016 Task 6): the mean of the F1 of favor and of against over all held-out
tweets, and per target.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from results import scratch_database

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semeval2016-stance-dev.jsonl"
LABELS = ("favor", "against", "none")
TARGET = 0.70
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="folds of tweets (5)")
    parser.add_argument("--epochs", type=int, default=4, help="train_suggester --epochs (4)")
    parser.add_argument("--only-folds", help="comma-separated folds to run (all)")
    parser.add_argument("--no-results", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"bench/stance.py: no data: {DATA.name} not found in {DATA.parent}.")
        print("This research-only file is not in the repository; nothing was measured.")
        sys.exit(1)
    workdir = scratch_database("stance", keep_given=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from results import Figures, append_results

    call_command("migrate", verbosity=0)
    figures = Figures()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    fold_of = {index: rank % args.folds for rank, index in enumerate(order)}
    chosen = range(args.folds)
    if args.only_folds:
        chosen = [int(f) for f in args.only_folds.split(",")]
    figures.say(
        f"SemEval-2016 stance: {len(rows)} tweets, {len({r['target'] for r in rows})} targets, "
        f"{args.folds} folds of tweets (held out: {', '.join(map(str, chosen))}); "
        f"load average at the start {os.getloadavg()[0]:.1f}"
    )
    gold, ours, svm, held_targets, cpu, wall = [], [], [], [], 0.0, 0.0
    for fold in chosen:
        train = [r for i, r in enumerate(rows) if fold_of[i] != fold]
        held = [r for i, r in enumerate(rows) if fold_of[i] == fold]
        started = time.perf_counter()
        served, minutes = through_the_tool(fold, train, held, args.epochs, workdir)
        wall += time.perf_counter() - started
        cpu += minutes
        baseline = svm_predictions(train, held)
        gold += [r["stance"] for r in held]
        held_targets += [r["target"] for r in held]
        ours += served
        svm += baseline
        figures.say(
            f"  fold {fold}: model F_avg {f_avg([r['stance'] for r in held], served):.3f}, "
            f"SVM {f_avg([r['stance'] for r in held], baseline):.3f} ({len(held)} tweets; "
            f"import, training and serving {minutes:.1f} CPU min)"
        )
    targets = sorted({r["target"] for r in rows})
    for target in targets:
        keep = [i for i, t in enumerate(held_targets) if t == target]
        truth = [gold[i] for i in keep]
        figures.say(
            f"  {target:<34} model F_avg {f_avg(truth, [ours[i] for i in keep]):.3f}   "
            f"SVM {f_avg(truth, [svm[i] for i in keep]):.3f}   ({len(keep)} tweets)"
        )
    model_score, svm_score = f_avg(gold, ours), f_avg(gold, svm)
    figures.say(
        f"  all targets: model F_avg {model_score:.3f}   SVM (word 1-3 + char 2-5 n-grams, per "
        f"target) {svm_score:.3f}   ratio {model_score / svm_score:.2f}x   over {len(gold)} "
        "held-out tweets"
    )
    figures.say(
        f"  target F_avg >= {TARGET}: {'met' if model_score >= TARGET else 'missed'}; "
        f"the model above the SVM: {'yes' if model_score > svm_score else 'no'}; "
        f"{cpu:.1f} CPU min, {wall / 60:.1f} min wall for {len(chosen)} folds"
    )
    figures.say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not args.no_results:
        append_results("Stance suggestions on SemEval-2016 tweets", figures.lines)


def through_the_tool(fold: int, train, held, epochs: int, workdir: Path) -> tuple[list[str], float]:
    """Import, train with the command, and read the served stance of each held-out tweet.

    Return the predicted labels in the order of ``held`` and the CPU minutes (this process's
    and the training child's).
    """
    from django.core.management import call_command

    from claims.labeling.item import suggestions_for
    from claims.models import Article

    before = cpu_minutes()
    project = stance_project(f"stance-{fold}")
    gold_file, held_file = workdir / f"train-{fold}.jsonl", workdir / f"held-{fold}.jsonl"
    write_articles(gold_file, train, labelled=True)
    write_articles(held_file, held, labelled=False)
    call_command("import_articles", str(gold_file), project=project.slug, as_="gold", verbosity=0)
    call_command("import_articles", str(held_file), project=project.slug, verbosity=0)
    command = [sys.executable, str(ROOT / "manage.py"), "train_suggester", "--project"]
    command += [project.slug, "--epochs", str(epochs), "--activate"]
    trained = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    if trained.returncode:
        raise SystemExit(f"train_suggester failed: {trained.stderr or trained.stdout}")
    for line in trained.stdout.splitlines():
        if line.startswith("  dev") or line.startswith("Stored"):
            print("    " + line.strip(), flush=True)
    predicted = []
    for row in held:
        article = Article.objects.get(project=project, external_id=row["id"])
        sentences = list(article.sentences.select_related("project").order_by("index"))
        totals = dict.fromkeys(LABELS, 0.0)
        for sentence in sentences:
            for stance in suggestions_for(sentence)["stance"]:
                if stance["target"] == row["target"]:
                    for label, p in stance["probabilities"].items():
                        totals[label] += p
        predicted.append(max(LABELS, key=lambda label: totals[label]))
    return predicted, cpu_minutes() - before


def cpu_minutes() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime) / 60


def stance_project(slug: str):
    """Return a new project with SemEval's targets and stance labels favor / against / none."""
    from claims.models import LabelField, LabelOption, LabelSchema, Project
    from claims.services.targets import target_add

    schema = LabelSchema.objects.create(name=f"bench-{slug}")
    for position, value in enumerate(LABELS):
        LabelOption.objects.create(
            schema=schema, field=LabelField.STANCE, value=value, title=value.title(),
            position=position, shortcut="fan"[position],
        )  # fmt: skip
    project = Project.objects.create(name=slug, slug=slug, schema=schema)
    for target in sorted({r["target"] for r in read_rows()}):
        target_add(project=project, name=target)
    return project


_ROWS: list[dict] = []


def read_rows() -> list[dict]:
    if not _ROWS:
        _ROWS.extend(json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines())
    return _ROWS


def write_articles(path: Path, rows, *, labelled: bool) -> None:
    """Write one article per tweet; with ``labelled``, its stance on the whole text."""
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            line = {"id": row["id"], "title": row["target"], "text": row["text"]}
            if labelled:
                stance = [{"target": row["target"], "label": row["stance"]}]
                line["claims"] = [
                    {"start": 0, "end": len(row["text"]), "claim": "", "stance": stance}
                ]
            out.write(json.dumps(line) + "\n")


def svm_predictions(train, held) -> list[str]:
    """Return a linear SVM's label per held-out tweet: one model per target."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    predicted = {}
    for target in sorted({r["target"] for r in held}):
        mine = [r for r in train if r["target"] == target]
        model = make_pipeline(
            make_union(
                TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True),
                TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            ),
            LinearSVC(C=0.5),
        )
        model.fit([r["text"] for r in mine], [r["stance"] for r in mine])
        tested = [r for r in held if r["target"] == target]
        for row, label in zip(tested, model.predict([r["text"] for r in tested]), strict=True):
            predicted[row["id"]] = str(label)
    return [predicted[r["id"]] for r in held]


def f_avg(gold, predicted) -> float:
    from claims.nlp.training.stance import f_avg as measure

    return measure(gold, predicted, LABELS)


if __name__ == "__main__":
    main()
