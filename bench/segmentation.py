"""Sentence segmentation on real text: sentence-start F1 on CLEF 2019, sources and cues cut on
PolNeAR, and what changed against an earlier run.

Usage: .venv/bin/python bench/segmentation.py [--save FILE] [--against FILE] [--examples N]

Reads ../shared/data/ (research use only, never committed; the script stops when absent):

- CLEF 2019 CheckThat! transcripts come with their own sentences (one per line of the
  original files). Every article is segmented as the import segments it; a sentence start
  counts when it is one of the reference's (a speaker turn's "NAME: " is skipped, as the
  reference's first sentence of a turn starts after it). Precision, recall and F1 of starts.
- PolNeAR has no sentences of its own here: the figure is the number of gold sources and cues
  (spans that never run over two sentences) that a sentence boundary cuts.
- ``--save FILE`` keeps every sentence start; ``--against FILE`` compares this run's starts
  with a saved run (another checkout's): starts added and removed, with examples.
"""

import argparse
import bisect
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FILES = ("clef2019-train.jsonl", "polnear-train.jsonl", "polnear-dev.jsonl")
SPEAKER = re.compile(r"[A-Z][\w .'’-]{0,40}: ")
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", help="write this run's sentence starts to FILE (JSON)")
    parser.add_argument("--against", help="compare with the starts saved in FILE")
    parser.add_argument("--examples", type=int, default=8, help="changes shown per kind")
    args = parser.parse_args()
    missing = [name for name in FILES if not (DATA / name).exists()]
    if missing:
        print(f"bench/segmentation.py: no data: {', '.join(missing)} not found in {DATA}.")
        sys.exit(1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from claims.nlp.segmentation import segment

    starts: dict[str, list[int]] = {}
    texts: dict[str, str] = {}
    found = {"tp": 0, "fp": 0, "fn": 0}
    for row in read(FILES[0]):
        ours = set()
        for piece in segment(row["text"]):
            start = piece.start
            turn = SPEAKER.match(row["text"], start)
            if turn and (start == 0 or row["text"][start - 1] == "\n"):
                start = turn.end()
            ours.add(start)
        reference = {s["start"] for s in row["sentences"]}
        found["tp"] += len(ours & reference)
        found["fp"] += len(ours - reference)
        found["fn"] += len(reference - ours)
        key = f"clef/{row['id']}"
        starts[key], texts[key] = sorted(ours), row["text"]
    p = found["tp"] / (found["tp"] + found["fp"])
    r = found["tp"] / (found["tp"] + found["fn"])
    print(
        f"CLEF 2019 train: sentence starts P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f} "
        f"({found['tp']} right, {found['fp']} not in the reference, {found['fn']} missed)"
    )
    for name in FILES[1:]:
        cut = spans = sentences = 0
        for row in read(name):
            pieces = segment(row["text"])
            sentences += len(pieces)
            bounds = [p.start for p in pieces]
            for attribution in row["attributions"]:
                for role in ("source", "cue"):
                    for start, end in attribution.get(role) or ():
                        spans += 1
                        inside = bisect.bisect_left(bounds, end) - bisect.bisect_right(
                            bounds, start
                        )
                        cut += inside > 0
            key = f"polnear/{row['id']}"
            starts[key], texts[key] = bounds, row["text"]
        print(
            f"PolNeAR {name.split('-')[1].split('.')[0]}: {sentences} sentences; {cut} of "
            f"{spans} gold sources and cues cut by a sentence boundary"
        )
    if args.save:
        Path(args.save).write_text(json.dumps(starts))
    if args.against:
        compare(json.loads(Path(args.against).read_text()), starts, texts, args.examples)


def compare(before: dict, after: dict, texts: dict, examples: int) -> None:
    """Print the starts added and removed since the saved run, with examples."""
    for corpus in ("clef", "polnear"):
        added, removed = [], []
        for key, starts in after.items():
            if not key.startswith(corpus):
                continue
            old, new = set(before.get(key, ())), set(starts)
            added += [(key, s) for s in sorted(new - old)]
            removed += [(key, s) for s in sorted(old - new)]
        print(f"{corpus}: against the saved run, {len(added)} starts added, {len(removed)} removed")
        for label, changes in (("added", added), ("removed", removed)):
            for key, start in changes[:examples]:
                text = texts[key]
                shown = text[max(start - 50, 0) : start] + " ‖ " + text[start : start + 40]
                print(f"  {label}: {' '.join(shown.split())}")


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


if __name__ == "__main__":
    main()
