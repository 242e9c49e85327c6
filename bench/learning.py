"""Train the suggestion model on public data and score it beside baselines from the same run.

Usage: .venv/bin/python bench/learning.py [--epochs 4] [--folds 4] [--no-append]

Reads ../shared/data/ next to the repository (never committed: research use only):

- PolNeAR: the span tagger is trained on polnear-train (a tenth of its articles split off as
  dev, for progress figures and the decode settings) and scored on polnear-dev, sentence by
  sentence as the project segments it: a suggested source, cue or content counts when it
  overlaps a gold span of the same role (precision), a gold span counts when a suggestion
  overlaps it (recall). Beside it, the rules alone and the tagger without the rules' help.
- CLEF 2019 CheckThat! task 1: the claim classifier (CNN + bag of n-grams) and the baseline
  (spaCy's bag of n-grams, textcat_bow, alone) are trained on all transcripts but a fold and
  rank the held-out fold's sentences by check-worthiness; mean average precision per held-out
  transcript (the CLEF 2019 measure), every transcript held out once.

Prints training time, peak memory and suggestion speed, and appends the figures with the
machine's details to bench/RESULTS.md.
"""

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FILES = ("polnear-train.jsonl", "polnear-dev.jsonl", "clef2019-train.jsonl")
TARGETS = {"precision": 0.80, "recall": 0.80, "map": 0.20, "minutes": 15, "mb": 2048, "rate": 200}
sys.path.insert(0, str(ROOT))

from claims.nlp.training import (  # noqa: E402
    ClaimModel,
    LabeledDocument,
    LabeledSentence,
    LoopSettings,
    ModelSuggester,
    SpanScores,
    TrainingSettings,
    average_precision,
    label_article,
    train_claim_classifier,
    train_span_tagger,
)
from claims.nlp.training.classifier import claim_probabilities, in_context  # noqa: E402

NOT_CHECKWORTHY = "not_checkworthy"  # CLEF labels only check-worthiness


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4, help="tagger epochs")
    parser.add_argument("--folds", type=int, default=4, help="CLEF folds of transcripts")
    parser.add_argument("--no-append", action="store_true", help="leave RESULTS.md alone")
    parser.add_argument("--sample", type=int, help="only this many articles (a smoke test)")
    parser.add_argument("--save", type=Path, help="write the model's bytes here (not in git)")
    parser.add_argument(
        "--only", choices=("spans", "claims"), help="one half (two processes on a busy machine)"
    )
    args = parser.parse_args()
    missing = [name for name in FILES if not (DATA / name).exists()]
    if missing:
        print(f"bench/learning.py: no data: {', '.join(missing)} not found in {DATA}.")
        print("These research-only files are not in the repository; nothing was measured.")
        sys.exit(1)
    lines: list[str] = []
    say(lines, machine())
    model = ClaimModel()
    if args.only in (None, "spans"):
        tagger_lines, model = polnear(args.epochs, args.sample)
        lines += tagger_lines
    if args.only in (None, "claims"):
        clef_lines, model.classifier = clef(args.folds, args.sample)
        lines += clef_lines
    lines += speed(model, args.sample)
    if args.save:
        args.save.write_bytes(model.to_bytes())
    say(lines, f"load average at the end: {os.getloadavg()[0]:.1f}")
    if not args.no_append:
        append(lines, args.only)


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


def polnear(epochs: int, sample: int | None) -> tuple[list[str], ClaimModel]:
    """Train the tagger on PolNeAR train; score it, the rules and both on PolNeAR dev."""
    lines: list[str] = []
    train = [label_article(r["id"], r["text"], r["attributions"]) for r in read(FILES[0], sample)]
    dev = [label_article(r["id"], r["text"], r["attributions"]) for r in read(FILES[1], sample)]
    sentences = sum(len(d.sentences) for d in train)
    say(lines, f"PolNeAR train: {len(train)} articles, {sentences} sentences; dev: {len(dev)}")
    settings = TrainingSettings(tagger_loop=LoopSettings(epochs=epochs, batch_words=1000))
    started, cpu = time.perf_counter(), time.process_time()
    tagger, report = train_span_tagger(train, settings, progress=show_progress)
    minutes = (time.perf_counter() - started) / 60
    cpu_minutes = (time.process_time() - cpu) / 60
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(
        lines,
        f"tagger trained in {minutes:.1f} min wall, {cpu_minutes:.1f} min CPU (features "
        f"{report['prepare_seconds']} s), peak memory {peak:.0f} MB (whole process)",
    )
    say(lines, f"decode settings chosen on the train split's dev part: {report['decode']}")
    model = ClaimModel(tagger=tagger, meta={"decode": report["decode"]})
    bare = ClaimModel(tagger=tagger, meta={"decode": {"fill": False, "fallback": False}})
    systems = {
        "rules alone": ModelSuggester(),
        "tagger alone": ModelSuggester(bare),
        "tagger + rules": ModelSuggester(model),
    }
    for name, suggester in systems.items():
        scores = score(suggester, dev)
        say(lines, f"  {name:<15} {scores.line()}")
    for line in limits(systems["tagger + rules"], train, dev):
        say(lines, line)
    met = all(
        t.precision >= TARGETS["precision"] and t.recall >= TARGETS["recall"]
        for t in scores.roles.values()
    )
    say(
        lines,
        f"  target P and R >= 0.80 for every role: {'met' if met else 'missed'}; "
        f"training {minutes:.1f} min wall, {cpu_minutes:.1f} CPU (target {TARGETS['minutes']}), "
        f"{peak:.0f} MB "
        f"(target {TARGETS['mb']})",
    )
    return lines, model


def limits(suggester: ModelSuggester, train, dev) -> list[str]:
    """Measure what bounds the figures: cues never seen in training, nested reports."""
    seen = {cue_text(s.text, a) for d in train for s in d.sentences for a in s.attributions}
    counts = dict.fromkeys(("seen", "seen_hit", "unseen", "unseen_hit"), 0)
    counts |= dict.fromkeys(("fp", "nested", "src", "src_hit", "src_cue_missed"), 0)
    for document in dev:
        found = suggester.suggest([s.text for s in document.sentences])
        for sentence, suggested in zip(document.sentences, found, strict=True):
            contents = [p for a in sentence.attributions for p in a.content]
            for gold in sentence.attributions:
                if not gold.cue:
                    continue
                key = "seen" if cue_text(sentence.text, gold) in seen else "unseen"
                hit = any(touch(gold.cue, a.parts("cue")) for a in suggested.attributions)
                counts[key] += 1
                counts[key + "_hit"] += hit
                if gold.source:
                    counts["src"] += 1
                    counts["src_cue_missed"] += not hit
                    counts["src_hit"] += any(
                        touch(gold.source, a.parts("source")) for a in suggested.attributions
                    )
            for attribution in suggested.attributions:
                cue = attribution.parts("cue")
                if cue and not any(touch(cue, g.cue) for g in sentence.attributions):
                    counts["fp"] += 1
                    counts["nested"] += touch(cue, contents)
    c = counts
    total = c["seen"] + c["unseen"]
    return [
        f"  limits: {c['unseen']} of {total} dev cues ({c['unseen'] / total:.0%}) are words "
        f"never a cue in train; recall {c['unseen_hit'] / max(c['unseen'], 1):.2f} on those, "
        f"{c['seen_hit'] / max(c['seen'], 1):.2f} on the others",
        f"  limits: {c['src_cue_missed']} of {c['src'] - c['src_hit']} missed sources belong to "
        f"a missed cue; {c['nested']} of {c['fp']} unmatched cues lie inside a gold content "
        "(reports nested in a report, never annotated in PolNeAR)",
    ]


def cue_text(text: str, attribution) -> str:
    return " ".join(text[a:b] for a, b in attribution.cue).lower()


def touch(a, b) -> bool:
    return any(x[0] < y[1] and y[0] < x[1] for x in a for y in b)


def show_progress(progress) -> None:
    figures = "  ".join(f"{k} {v:.2f}" for k, v in progress.dev.items())
    where = "dev" if progress.dev else "   "
    print(
        f"    {progress.component} epoch {progress.epoch} step {progress.step:>5} "
        f"{progress.done:4.0%} {progress.seconds:6.0f} s loss {progress.loss:9.1f} {where} "
        f"{figures}",
        flush=True,
    )


def score(suggester: ModelSuggester, documents: list[LabeledDocument]) -> SpanScores:
    scores = SpanScores()
    for document in documents:
        found = suggester.suggest([s.text for s in document.sentences])
        for sentence, suggested in zip(document.sentences, found, strict=True):
            scores.add(suggested.attributions, sentence.attributions)
    return scores


def clef(folds: int, sample: int | None):
    """Cross-validate the claim classifier and the bag-of-words baseline over transcripts."""
    lines: list[str] = []
    transcripts = [transcript(row) for row in read(FILES[2])]
    if sample:
        transcripts = [t for t in transcripts if len(t.sentences) < 500][:sample]
    say(lines, f"CLEF 2019: {len(transcripts)} transcripts, {folds} folds of transcripts")
    precisions: dict[str, list[float]] = {"classifier": [], "bow baseline": []}
    seconds = dict.fromkeys(precisions, 0.0)
    kept = None
    for fold in range(folds):
        held = [t for i, t in enumerate(transcripts) if i % folds == fold]
        rest = [t for i, t in enumerate(transcripts) if i % folds != fold]
        for name, kind in (("classifier", "ensemble"), ("bow baseline", "bow")):
            settings = TrainingSettings(
                dev_share=0.15, classifier_kind=kind, classifier_loop=LoopSettings(epochs=4)
            )
            started = time.perf_counter()
            nlp, report = train_claim_classifier(rest, settings, progress=epoch_only)
            seconds[name] += time.perf_counter() - started
            # The baseline is the bag of n-grams alone: no neighbouring sentences.
            context = report["context"] if name == "classifier" else 0.0
            found = [ap(nlp, t, context) for t in held]
            precisions[name] += found
            kept = nlp if name == "classifier" else kept
            say(
                lines,
                f"  fold {fold} {name:<12} AP per held-out transcript "
                + " ".join(f"{x:.3f}" for x in found)
                + f"  (neighbour weight {context})",
            )
    for name, values in precisions.items():
        mean = sum(values) / len(values)
        say(
            lines,
            f"  {name:<12} MAP {mean:.3f} over {len(values)} held-out transcripts "
            f"(training {seconds[name] / folds:.0f} s per fold)",
        )
    ours = sum(precisions["classifier"]) / len(precisions["classifier"])
    say(lines, f"  target MAP >= {TARGETS['map']}: {'met' if ours >= TARGETS['map'] else 'missed'}")
    return lines, kept


def transcript(row: dict) -> LabeledDocument:
    text = row["text"]
    sentences = tuple(
        LabeledSentence(
            text[s["start"] : s["end"]], (), "checkworthy" if s["checkworthy"] else NOT_CHECKWORTHY
        )
        for s in row["sentences"]
    )
    return LabeledDocument(row["id"], sentences)


def epoch_only(progress) -> None:
    if progress.dev:
        show_progress(progress)


def ap(nlp, document: LabeledDocument, context: float) -> float:
    found = claim_probabilities(nlp, [s.text for s in document.sentences])
    relevant = [s.claim == "checkworthy" for s in document.sentences]
    return average_precision(in_context([p["checkworthy"] for p in found], context), relevant)


def speed(model: ClaimModel, sample: int | None) -> list[str]:
    """Time suggestions (tagger, rules and classifier) over PolNeAR dev's sentences."""
    lines: list[str] = []
    rows = read(FILES[1], sample)
    dev = [label_article(r["id"], r["text"], r["attributions"]) for r in rows]
    for name, suggester in (("model", ModelSuggester(model)), ("rules", ModelSuggester())):
        started, cpu, count = time.perf_counter(), time.process_time(), 0
        for document in dev:
            count += len(suggester.suggest([s.text for s in document.sentences]))
        rate = count / (time.perf_counter() - started)
        per_cpu = count / (time.process_time() - cpu)
        parts = ", ".join(
            part for part in ("tagger", "classifier") if getattr(suggester.model, part, None)
        )
        say(
            lines,
            f"suggestions from the {name}: {rate:.0f} sentences/s wall, {per_cpu:.0f} per CPU "
            f"second ({count} sentences; rules{', ' + parts if parts else ''})",
        )
    data = model.to_bytes()
    say(lines, f"model size: {len(data) / 1e6:.1f} MB as bytes (target rate {TARGETS['rate']}/s)")
    return lines


def append(lines: list[str], only: str | None) -> None:
    """Append the run to bench/RESULTS.md."""
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
        stamp = time.strftime("%Y-%m-%d %H:%M")
        part = f" --only {only}" if only else ""
        results.write(f"\n### `bench/learning.py{part}`, run of {stamp}\n\n")
        results.write("".join(f"    {line}\n" for line in lines))


if __name__ == "__main__":
    main()
