"""Import 1,000 news-length articles and compare with writing the same rows directly.

Usage: .venv/bin/python bench/import_articles.py [--articles N]

Prints seconds and articles/second for the import service (read -> segment with spaCy ->
one transaction per article) beside a baseline measured in the same run: bulk-inserting the
same articles and the same sentence rows in one transaction with no segmentation.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def synthetic_articles(count: int, seed: int = 7) -> list[str]:
    """Return distinct articles of ordinary news length built from the seeds' paragraphs."""
    paragraphs = [
        p
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n")
        if p.strip()
    ]
    rng = random.Random(seed)
    return [
        f"Report number {n}\n\n" + "\n\n".join(rng.sample(paragraphs, k=min(12, len(paragraphs))))
        for n in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="claims-bench-import-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from claims.importing.records import ArticleRecord, content_hash
    from claims.importing.store import articles_import
    from claims.models import Article, Sentence
    from claims.nlp.segmentation import get_nlp, segment_many
    from claims.services.projects import project_get_or_create

    call_command("migrate", verbosity=0)
    texts = synthetic_articles(args.articles)
    words = sum(len(t.split()) for t in texts)
    get_nlp()  # loading the pipeline is a one-off per process, not part of either figure

    project, _ = project_get_or_create(slug="bench")
    records = [
        ArticleRecord(origin="bench", text=t, external_id=f"a{i}") for i, t in enumerate(texts)
    ]
    started = time.perf_counter()
    summary = articles_import(project=project, items=records)
    service_seconds = time.perf_counter() - started
    assert summary.ok and summary.articles == len(texts), summary.problems

    segments = list(segment_many(texts))
    baseline_project, _ = project_get_or_create(slug="baseline")
    started = time.perf_counter()
    with transaction.atomic():
        articles = Article.objects.bulk_create(
            Article(
                project=baseline_project, external_id=f"a{i}", text=t, content_hash=content_hash(t)
            )
            for i, t in enumerate(texts)
        )
        Sentence.objects.bulk_create(
            (
                Sentence(
                    project=baseline_project, article=a, index=j, start=s.start, end=s.end,
                    kind=s.kind, text=a.text[s.start : s.end],
                )
                for a, segs in zip(articles, segments, strict=True)
                for j, s in enumerate(segs)
            ),
            batch_size=2000,
        )  # fmt: skip
    baseline_seconds = time.perf_counter() - started

    print(f"articles: {len(texts)}  words: {words}  sentences: {summary.sentences}")
    for label, seconds, how in (
        ("import service", service_seconds, "segmentation + one transaction per article"),
        ("baseline", baseline_seconds, "same rows, one bulk insert, segmented beforehand"),
    ):
        rate = len(texts) / seconds
        print(f"{label:<15}: {seconds:6.2f} s  {rate:8.0f} articles/s  ({how})")
    print(f"ratio          : {service_seconds / baseline_seconds:6.1f}x")


if __name__ == "__main__":
    main()
