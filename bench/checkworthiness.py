"""Check-worthiness on debate transcripts never used for any choice, beside a bag of n-grams.

Usage: .venv/bin/python bench/checkworthiness.py [--epochs 4] [--dev [--folds 3]] [--no-results]

Reads ../shared/data/clef2019-train.jsonl (CLEF 2019 CheckThat! task 1; research use only,
never committed). In a throwaway SQLite database the transcripts are imported as gold through
the tool (claim labels `checkworthy` / `other`, article-level `claims`) into a project whose
schema says which value is check-worthy.

The split is fixed and never re-drawn: the transcripts sorted by name, every third from the
third is a test transcript (6 of 19), the other 13 are the training transcripts. Every choice
is made on data split from the training transcripts only: training (`claims.learning`'s
documents, `train_model` as `train_suggester` runs it) keeps the epoch with the best MAP on its
own dev part, and fits there the calibration in context with its penalty and features chosen
by a leave-one-transcript-out MAP over that dev part. Then:

- by default, the classifier trained on the 13 training transcripts ranks the test
  transcripts' sentences as the served suggestions score them (`ModelSuggester`), and the
  baseline, spaCy's bag of n-grams (`textcat_bow`) trained on the same transcripts with its
  epoch chosen on the same dev part, ranks them by its bare probability. This is the figure
  to report; run it once per change to report, never to choose between changes;
- with `--dev`, the same on folds of the training transcripts alone (each fold held out
  once): the test transcripts' labels are never read. This is the run to develop with.

The measure: mean average precision per transcript (CLEF 2019's).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from results import scratch_database

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "clef2019-train.jsonl"
TARGET = 0.20
# Every TEST_EVERY-th transcript by name, from position TEST_AT, is a test transcript.
TEST_EVERY, TEST_AT = 3, 2
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="training epochs (4)")
    parser.add_argument(
        "--dev", action="store_true", help="folds of the training transcripts; no test"
    )
    parser.add_argument("--folds", type=int, default=3, help="folds for --dev (3)")
    parser.add_argument("--sample", type=int, help="only this many short transcripts (smoke)")
    parser.add_argument("--no-results", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"bench/checkworthiness.py: no data: {DATA.name} not found in {DATA.parent}.")
        print("This research-only file is not in the repository; nothing was measured.")
        sys.exit(1)
    workdir = scratch_database("checkworthiness", keep_given=False)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from results import Figures, append_results

    call_command("migrate", verbosity=0)
    figures = Figures()
    figures.say(f"load average at the start {os.getloadavg()[0]:.1f}")
    clef(args, workdir, figures.say)
    figures.say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not args.no_results:
        title = (
            "Check-worthiness, folds of the training transcripts"
            if args.dev
            else ("Check-worthiness on the test transcripts")
        )
        append_results(title, figures.lines)


def clef(args, workdir: Path, say) -> None:
    """Import the transcripts as gold; train on the training ones; score the held-out ones."""
    documents = import_transcripts(args, workdir, say)
    training = [d for i, d in enumerate(documents) if i % TEST_EVERY != TEST_AT]
    test = [d for i, d in enumerate(documents) if i % TEST_EVERY == TEST_AT]
    if args.dev:
        runs = [
            (
                f"fold {fold}",
                [d for i, d in enumerate(training) if i % args.folds != fold],
                [d for i, d in enumerate(training) if i % args.folds == fold],
            )
            for fold in range(args.folds)
        ]
        say(
            f"  {len(training)} training transcripts in {args.folds} folds, each held out "
            f"once; the {len(test)} test transcripts are not scored"
        )
    else:
        runs = [("test", training, test)]
        say(
            f"  trained on {len(training)} training transcripts; scored once on the "
            f"{len(test)} test transcripts: {', '.join(name(d) for d in test)}"
        )
    precisions: dict[str, list[float]] = {"classifier": [], "bow baseline": []}
    cpu = dict.fromkeys(precisions, 0.0)
    served: list[tuple[float, bool]] = []
    for run, rest, held in runs:
        for who, kind in (("classifier", "ensemble"), ("bow baseline", "bow")):
            started = time.process_time()
            model = train_claims(rest, kind, args.epochs)
            cpu[who] += time.process_time() - started
            found = [ranked(model, d, served=who == "classifier", into=served) for d in held]
            precisions[who] += found
            say(
                f"  {run} {who:<12} AP per held-out transcript "
                + " ".join(f"{x:.3f}" for x in found)
                + f"  ({chosen_on_dev(model.meta['classifier'], served=who == 'classifier')})"
            )
    means = {who: sum(v) / len(v) for who, v in precisions.items()}
    for who, value in means.items():
        say(
            f"  {who:<12} MAP {value:.3f} over {len(precisions[who])} held-out transcripts "
            f"({cpu[who] / len(runs) / 60:.1f} CPU min of training per run)"
        )
    ours, theirs = means["classifier"], means["bow baseline"]
    mean = sum(p for p, _ in served) / len(served)
    rate = sum(w for _, w in served) / len(served)
    say(
        f"  served check-worthiness on held-out sentences: mean {mean:.3f} (check-worthy share "
        f"{rate:.3f}); {sum(p >= 0.99 for p, _ in served) / len(served):.1%} at 0.99 or more"
    )
    say(
        f"  classifier / bag of n-grams: {ours / theirs:.2f}x; target MAP >= {TARGET}: "
        f"{'met' if ours >= TARGET else 'missed'}"
        + (" (folds of the training transcripts: not the figure to report)" if args.dev else "")
    )


def name(document) -> str:
    return document.key.split(":", 1)[1]


def import_transcripts(args, workdir: Path, say):
    """Import the CLEF transcripts as gold; return the project's documents sorted by name."""
    from django.core.management import CommandError, call_command

    from claims.learning.documents import project_documents
    from claims.models import LabelField, LabelOption, LabelSchema, Project

    schema = LabelSchema.objects.create(name="bench-clef")
    for position, (value, meaning) in enumerate((("other", "ufs"), ("checkworthy", "cfs"))):
        LabelOption.objects.create(
            schema=schema, field=LabelField.CLAIM, value=value, title=value,
            position=position, claimbuster=meaning,
        )  # fmt: skip
    project = Project.objects.create(name="bench-clef", slug="bench-clef", schema=schema)
    path = workdir / "clef-as-labels.jsonl"
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    if args.sample:
        rows = [r for r in rows if len(r["sentences"]) < 500][: max(args.sample, 4)]
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            claims = [
                {"start": s["start"], "end": s["end"], "claim": claim_of(s)}
                for s in row["sentences"]
            ]
            out.write(json.dumps({"id": row["id"], "text": row["text"], "claims": claims}) + "\n")
    started = time.perf_counter()
    try:
        call_command("import_articles", str(path), project=project.slug, as_="gold", verbosity=0)
    except CommandError as error:  # the problems are printed above; the rest is imported
        say(f"CLEF import: {error} (a CLEF sentence over two of the project's)")
    documents = sorted(project_documents(project.pk), key=name)
    say(
        f"CLEF 2019: {len(documents)} transcripts imported as gold in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return documents


def claim_of(sentence: dict) -> str:
    return "checkworthy" if sentence["checkworthy"] else "other"


def train_claims(documents, kind: str, epochs: int):
    """Train the claim classifier as train_suggester does (the schema's check-worthy value)."""
    from claims.nlp.training import LoopSettings, TrainingSettings, train_model

    settings = TrainingSettings(
        dev_share=0.15,
        classifier_kind=kind,
        classifier_loop=LoopSettings(epochs=epochs),
        checkworthy="checkworthy",
        baseline=False,  # the bench trains and scores the baseline itself, on held-out data
    )
    return train_model(documents, settings)


def chosen_on_dev(report: dict, *, served: bool) -> str:
    """Return what training chose on its dev part and the dev figures it chose by."""
    dev = report["dev"]
    said = f"epoch kept {report['best_epoch']}"
    if "calibration_choice" in report:
        said += (
            f" out of fold over {report['train_documents']} transcripts (MAP "
            f"{dev.get('out_of_fold_map', 0):.3f})"
        )
    said += f"; dev part of {len(report['dev_documents'])}: MAP {dev.get('map', 0):.3f}"
    choice = report.get("calibration_choice")
    if served and choice:
        said += (
            f"; calibration on {choice['folds']} folds: features {choice['features']}, "
            f"penalty {choice['penalty']:g}, MAP of the choice {choice['map']:.3f}"
        )
    elif served and report.get("calibration"):
        said += f"; calibrated on the dev part, MAP {report['dev'].get('calibrated_map', 0):.3f}"
    return said


def ranked(model, document, *, served: bool, into: list | None = None) -> float:
    """Return the AP of ranking the transcript's labelled sentences by check-worthiness.

    ``served``: as the suggestions score them (calibrated in context as training fitted);
    else the classifier's bare probability (the baseline). ``into`` collects the served
    (probability, check-worthy) of each labelled sentence.
    """
    from claims.nlp.training import ModelSuggester, average_precision
    from claims.nlp.training.classifier import claim_probabilities

    texts = [s.text for s in document.sentences]
    if served:
        scores = [s.checkworthiness for s in ModelSuggester(model).suggest(texts)]
    else:
        scores = [p["checkworthy"] for p in claim_probabilities(model.classifier, texts)]
    keep = [i for i, s in enumerate(document.sentences) if s.labelled and s.claim]
    relevant = [document.sentences[i].claim == "checkworthy" for i in keep]
    if served and into is not None:
        into += [(scores[i], r) for i, r in zip(keep, relevant, strict=True)]
    return average_precision([scores[i] for i in keep], relevant)


if __name__ == "__main__":
    main()
