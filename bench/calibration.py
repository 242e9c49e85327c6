"""Measure the calibration of the rules' suggestions: the share right per kind of rule span.

Usage: .venv/bin/python bench/calibration.py [--sample N] [--split train|dev]

Reads ../shared/data/polnear-<split>.jsonl (research use only, never committed). Every
article is segmented as the tool segments it; the rules suggest for each sentence as they do
without a model (``claims.nlp.training.features.featurize``); a suggested span is right when it
overlaps a gold span of its role in the sentence, an attribution when all its spans are. On
train it prints the calibration to keep as ``RULES_ALONE`` (claims/nlp/training/calibration.py);
on dev, how well the kept one holds on articles it was not measured on: per band of
confidence, the share right.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "dev"), default="train")
    parser.add_argument("--sample", type=int, help="only this many articles")
    args = parser.parse_args()
    path = DATA / f"polnear-{args.split}.jsonl"
    if not path.exists():
        print(f"bench/calibration.py: no data: {path.name} not found in {DATA}; nothing measured.")
        sys.exit(1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from claims.nlp.segmentation import get_nlp
    from claims.nlp.training import label_article
    from claims.nlp.training.calibration import (
        RULES_ALONE,
        Points,
        fit_attributions,
        reliability,
    )
    from claims.nlp.training.features import featurize
    from claims.nlp.training.suggestion import from_rules

    started = time.perf_counter()
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = rows[: args.sample] if args.sample else rows
    points, sentences = Points(), []
    for row in rows:
        document = label_article(row["id"], row["text"], row["attributions"])
        features = featurize(get_nlp(), [s.text for s in document.sentences])
        for sentence, found in zip(document.sentences, features, strict=True):
            suggested = from_rules(found.rules)
            points.add(sentence.text, suggested, sentence.attributions)
            sentences.append((sentence.text, suggested, sentence.attributions))
    print(f"PolNeAR {args.split}: {len(rows)} articles, {len(sentences)} sentences, "
          f"{time.perf_counter() - started:.0f} s")  # fmt: skip
    if args.split == "train":
        measured, pairs = fit_attributions(points.fit(), sentences)
        counts = {key: len(hits) for key, hits in points.rules.items()}
        print("rule spans per kind:", json.dumps(counts, sort_keys=True))
        print("RULES_ALONE =", json.dumps(measured.to_dict(), sort_keys=True))
    else:
        pairs = [(RULES_ALONE.attribution(x), r) for x, r in _weakest(RULES_ALONE, sentences)]
    print("  confidence band   attributions  mean confidence  share right")
    for row in reliability(pairs):
        print(f"  {row['from']:.1f}-{row['to']:.1f}  {row['count']:>18}  {row['confidence']:>15.2f}"
              f"  {row['right']:>11.2f}")  # fmt: skip


def _weakest(calibration, sentences):
    """Yield (weakest calibrated span, right) for each attribution, with ``calibration``."""
    from claims.nlp.training.calibration import attribution_right

    for text, suggested, gold in sentences:
        for attribution in calibration.apply(text, suggested):
            weakest = min((s.confidence for s in attribution.spans()), default=0.0)
            yield weakest, attribution_right(attribution, gold)


if __name__ == "__main__":
    main()
