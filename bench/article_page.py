"""Time and size of an article's pages at 280,000 sentences, beside the same pages of a
10-sentence article in the same run.

Usage (from a fresh clone, after `make install`):

    .venv/bin/python bench/article_page.py                             # SQLite file
    scripts/with-postgres.sh .venv/bin/python bench/article_page.py   # PostgreSQL
    options: --sentences 280000 --no-results

The pages: the admin's article page (a superuser; its sentences a page at a time), the API's
article detail (its first page of sentences; the text when under 1,000,000 characters), a
late page of the API's sentence list, and the whole text streamed from `text_url`. Each is
requested in process through the WSGI application (no server), best of three after a
warm-up; the target is under 1 s and 2 MB at 280,000 sentences.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

from results import scratch_database

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def setup() -> None:
    scratch_database("article")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_hex(32))
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def article_with(project, sentences: int, external_id: str):
    """Store an article of that many sentences directly (the import is not under test)."""
    from django.db import transaction
    from fill import SENTENCES, copy, next_id

    from claims.models import Article, Sentence

    texts = [SENTENCES[n % len(SENTENCES)][0] for n in range(sentences)]
    text = " ".join(texts)
    article = Article.objects.create(
        project=project, external_id=external_id, text=text, content_hash=secrets.token_hex(32)
    )
    first, start, rows = next_id(Sentence), 0, []
    for index, sentence in enumerate(texts):
        rows.append((first + index, project.pk, article.pk, index, start,
                     start + len(sentence), "body", sentence))  # fmt: skip
        start += len(sentence) + 1
    columns = ["id", "project_id", "article_id", "index", "start", "end", "kind", "text"]
    with transaction.atomic():  # one commit, not one per row
        copy(Sentence, columns, rows)
    return article


def timed(get, url: str) -> tuple[float, int, int]:
    """Return the best of three (seconds, bytes, status) after a warm-up request."""
    get(url)
    best = None
    for _ in range(3):
        started = time.perf_counter()
        response = get(url)
        size = len(b"".join(response.streaming_content) if response.streaming else response.content)
        elapsed = time.perf_counter() - started
        if best is None or elapsed < best[0]:
            best = (elapsed, size, response.status_code)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=280_000)
    parser.add_argument("--no-results", action="store_true")
    options = parser.parse_args()
    setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from results import Figures, append_results

    from claims.services.projects import project_get_or_create

    figures = Figures()
    project, _ = project_get_or_create(slug=f"pages-{secrets.token_hex(3)}")
    started = time.perf_counter()
    small = article_with(project, 10, "small")
    large = article_with(project, options.sentences, "large")
    stored_in = time.perf_counter() - started
    figures.say(
        f"{connection.vendor}: an article of {options.sentences:,} sentences "
        f"({len(large.text) / 1e6:.1f} M characters) stored in {stored_in:.0f} s"
    )
    user = get_user_model().objects.create_superuser(
        f"bench-{secrets.token_hex(3)}", "bench@example.org", secrets.token_hex(16)
    )
    client = Client()
    client.force_login(user)
    pages = {
        "admin article page": lambda a: reverse("admin:claims_article_change", args=[a.pk]),
        "API article detail": lambda a: reverse("api-article", args=[a.pk]),
        "API sentences, late page": lambda a: (
            reverse("api-article-sentences", args=[a.pk])
            + f"?page={max(1, a.sentences.count() // 500)}&page_size=500"
        ),
        "API whole text (streamed)": lambda a: reverse("api-article-text", args=[a.pk]),
    }
    figures.say(f"  {'page':<27} {'10 sentences':>20} {f'{options.sentences:,} sentences':>24}")
    for name, url in pages.items():
        base_s, base_b, base_status = timed(client.get, url(small))
        big_s, big_b, big_status = timed(client.get, url(large))
        assert base_status == big_status == 200, (name, base_status, big_status)
        figures.say(
            f"  {name:<27} {base_s * 1000:7.0f} ms {base_b / 1e3:8.1f} kB "
            f"{big_s * 1000:7.0f} ms {big_b / 1e6:8.2f} MB  ({big_s / base_s:.1f}x the time)"
        )
    figures.say("targets: the admin page and the API detail under 1 s and 2 MB")
    if not options.no_results:
        append_results("Article pages", figures.lines)


if __name__ == "__main__":
    main()
