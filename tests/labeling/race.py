"""Annotators asking for their next sentence at the same moment, each in a thread of its own.

Used by test_concurrency.py: in-process on PostgreSQL; on SQLite in a child process with a
database file (`python -m tests.labeling.race`, every scenario), because threads sharing the test
run's in-memory database lock whole tables, which a real SQLite file does not.
"""

import json
import os
import shutil
import tempfile
import threading
from collections import Counter

ANNOTATORS = 16
SUBMITTED = {"status": "submitted", "claim": "claim"}


def many_sentences(project, articles: int, per_article: int) -> None:
    """Store articles and their sentences directly: the import pipeline is not under test."""
    from claims.models import Article, Sentence

    text = "Lavrov said the talks would resume."
    for n in range(articles):
        article = Article.objects.create(
            project=project, external_id=f"a{n}", text=text, content_hash=f"h{n}"
        )
        Sentence.objects.bulk_create(
            Sentence(project=project, article=article, index=i, start=0, end=len(text), text=text)
            for i in range(per_article)
        )


def run_at_once(users, work) -> list:
    """Run work(user) in one thread per user, all released together; return the results."""
    from django.db import connection

    results: list = [None] * len(users)
    errors: list[str] = []
    barrier = threading.Barrier(len(users))

    def one(n: int, user) -> None:
        try:
            barrier.wait()
            results[n] = work(user)
        except Exception as error:  # noqa: BLE001 (reported to the test)
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(n, u)) for n, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors)
    return results


def annotators(project) -> list:
    from claims.models import Role
    from tests.factories import make_member

    return [make_member(project, Role.ANNOTATOR) for _ in range(ANNOTATORS)]


def looping(per_sentence: int, loops: int = 12) -> dict:
    """Each annotator takes and submits sentences `loops` times, all at once; report what went
    wrong: answers of "nothing left" (with sentences left for everyone), too many holders."""
    from claims.labeling.queue import queue_next
    from claims.models import Annotation, Assignment, Sentence
    from tests.factories import make_project, save_annotation

    project = make_project(per_sentence=per_sentence)
    many_sentences(project, articles=20, per_article=20)

    def work(user) -> int:
        nothing_left = 0
        for _ in range(loops):
            sentence_id = queue_next(project=project, user=user)
            if sentence_id is None:
                nothing_left += 1
            else:
                save_annotation(Sentence.objects.get(pk=sentence_id), user, SUBMITTED)
        return nothing_left

    users = annotators(project)
    nothing_left = sum(run_at_once(users, work))
    holders = Counter(Assignment.objects.values_list("sentence_id", flat=True))
    done = Counter(Annotation.objects.values_list("sentence_id", flat=True))
    return {
        "asks": loops * len(users),
        "nothing_left": nothing_left,
        "most_holders": max(holders.values()),
        "most_annotations": max(done.values()),
    }


def last_free(per_sentence: int) -> dict:
    """Sixteen ask for the last three sentences at once; return how often each was handed."""
    from claims.labeling.queue import queue_next
    from tests.factories import make_project

    project = make_project(per_sentence=per_sentence)
    many_sentences(project, articles=1, per_article=3)
    handed = run_at_once(annotators(project), lambda user: queue_next(project=project, user=user))
    return {"handed": sorted(Counter(h for h in handed if h).values()), "none": handed.count(None)}


SCENARIOS = {
    "loops of one wanted": lambda: looping(1),
    "loops of two wanted": lambda: looping(2),
    "last free of two wanted": lambda: last_free(2),
}


def main() -> None:
    from tests.memory import memory_folder

    workdir = tempfile.mkdtemp(prefix="claims-race-", dir=memory_folder())
    try:
        run_every_scenario(f"sqlite:///{workdir}/race.sqlite3")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run_every_scenario(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    print(json.dumps({name: scenario() for name, scenario in SCENARIOS.items()}))


if __name__ == "__main__":
    main()
