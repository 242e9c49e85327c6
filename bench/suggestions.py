"""Measure the suggester's source and cue spans against the hand-labelled seed sentences.

Usage: .venv/bin/python bench/suggestions.py [--gold fixtures/suggestions_gold.jsonl] [--show]

The gold file holds every labelable sentence of the two seed articles with its attributions,
labelled by hand following docs/label-schema.md (PARC 3.0 / PolNeAR style). Printed: precision,
recall and F1 of suggested source and cue spans, exact and overlapping, beside a baseline
measured in the same run (every cue word of the lexicon, with the token before it as source).
No public attribution corpus is reachable from here; this small file stands in until one is.
"""

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from results import Figures, append_results

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass
class Score:
    true_positive: int = 0
    suggested: int = 0
    gold: int = 0

    def add(self, suggested: set, gold: set, *, overlap: bool) -> None:
        self.suggested += len(suggested)
        self.gold += len(gold)
        if overlap:
            hits = {s for s in suggested if any(s[0] < g[1] and g[0] < s[1] for g in gold)}
        else:
            hits = suggested & gold
        self.true_positive += len(hits)

    def line(self) -> str:
        precision = self.true_positive / self.suggested if self.suggested else 0.0
        recall_hits = min(self.true_positive, self.gold)
        recall = recall_hits / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f"P {precision:5.2f}  R {recall:5.2f}  F1 {f1:5.2f}  ({self.suggested} suggested)"


def spans(attributions, role: str) -> set[tuple[int, int]]:
    return {(a[role]["start"], a[role]["end"]) for a in attributions if a.get(role)}


def baseline(text: str) -> list[dict]:
    """Return a cue for each lexicon word, with the word before it as source."""
    from claims.nlp.lexicon import CUE_WORDS
    from claims.nlp.segmentation import get_nlp

    doc = get_nlp().make_doc(text)
    found = []
    for token in doc:
        if token.lower_ in CUE_WORDS and token.i > 0:
            before = doc[token.i - 1]
            found.append(
                {
                    "cue": {"start": token.idx, "end": token.idx + len(token)},
                    "source": {"start": before.idx, "end": before.idx + len(before)},
                }
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", default=str(ROOT / "fixtures" / "suggestions_gold.jsonl"))
    parser.add_argument("--show", action="store_true", help="print every miss and false alarm")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    from claims.nlp.suggestions import suggest

    rows = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines()]
    scores = {
        (system, role, overlap): Score()
        for system in ("suggester", "baseline")
        for role in ("source", "cue")
        for overlap in (False, True)
    }
    for row in rows:
        gold = row["attributions"]
        systems = {
            "suggester": suggest(row["text"], kind=row["kind"])["attributions"],
            "baseline": baseline(row["text"]),
        }
        for (system, role, overlap), score in scores.items():
            score.add(spans(systems[system], role), spans(gold, role), overlap=overlap)
        if args.show:
            show(row, systems["suggester"])
    figures = Figures()
    figures.say(
        f"gold: {len(rows)} sentences, {sum(len(r['attributions']) for r in rows)} attributions"
    )
    for system in ("suggester", "baseline"):
        for role in ("source", "cue"):
            for overlap in (False, True):
                how = "overlap" if overlap else "exact  "
                label = f"{system:<9} {role:<6} {how}"
                figures.say(f"{label}: {scores[(system, role, overlap)].line()}")
    if not args.no_results:
        append_results("Suggestion rules on the seeds", figures.lines)


def show(row, suggested) -> None:
    text = row["text"]
    for role in ("source", "cue"):
        want, got = spans(row["attributions"], role), spans(suggested, role)
        for start, end in sorted(want - got):
            print(
                f"  miss  {role:<6} {text[start:end]!r:40}  in {row['article'][:3]}#{row['index']}"
            )
        for start, end in sorted(got - want):
            print(
                f"  extra {role:<6} {text[start:end]!r:40}  in {row['article'][:3]}#{row['index']}"
            )


if __name__ == "__main__":
    main()
