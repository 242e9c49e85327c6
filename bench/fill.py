"""Fill a database fast with a large labeling project, for the benchmarks.

Rows are written with PostgreSQL's COPY (or SQLite's executemany) and explicit ids, straight
into the migrated schema: going through the import pipeline would take most of an hour at a
million sentences and is measured by bench/import_articles.py instead.
"""

from dataclasses import dataclass

# Sentences with an attribution in the first words, so the suggester has work to do and a
# submitted annotation can mark a source and a cue: (text, source span, cue span).
SENTENCES = [
    ("Lavrov said the talks between the parties would resume in Oslo next week.", (0, 6), (7, 11)),
    ("Guaido said he welcomed the initiative and called on all states to support it.",
     (0, 6), (7, 11)),
    ("Officials said prices rose by 4 percent in the first quarter of the year.", (0, 9), (10, 14)),
    ("Maduro told reporters that the government was ready for a dialogue.", (0, 6), (7, 11)),
    ("Norway will host the next round of negotiations, according to the ministry.", None, None),
]  # fmt: skip
SPANS = {text: (source, cue) for text, source, cue in SENTENCES}
HEADING = "Talks on Venezuela resume in Oslo"
DATELINE = "MOSCOW, January 30. /TASS/."
PASSWORD = "bench-password"


@dataclass
class Filled:
    project_id: int
    annotator_ids: list[int]
    usernames: list[str]
    sentences: int
    done_sentences: int


def article_sentences(per_article: int) -> list[tuple[str, str]]:
    """Return (kind, text) of one article: a heading, a dateline, then body sentences."""
    rows = [("heading", HEADING), ("dateline", DATELINE)]
    rows += [("body", SENTENCES[i % len(SENTENCES)][0]) for i in range(per_article - 2)]
    return rows


def fill(
    *,
    sentences: int,
    articles: int,
    per_sentence: int,
    done_share: float,
    annotators: int,
    slug: str = "load",
) -> Filled:
    """Create the project, its annotators and past annotators, articles, sentences, and the
    submitted annotations of the first `done_share` of the articles (k past annotators each)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from claims.models import Annotation, Article, QueueCursor, Role, Sentence
    from claims.services.projects import membership_set, project_get_or_create

    project, _ = project_get_or_create(slug=slug)
    project.annotations_per_sentence = per_sentence
    project.save()
    users = get_user_model()
    names = [f"{slug}-annotator-{n}" for n in range(annotators)]
    people = []
    for name in [*names, *(f"{slug}-past-{n}" for n in range(per_sentence))]:
        user = users(username=name)
        user.set_password(PASSWORD)
        user.save()
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        people.append(user)
    past = people[annotators:]
    per_article = sentences // articles
    layout = article_sentences(per_article)
    text = " ".join(t for _, t in layout)
    offsets, at = [], 0
    for _, t in layout:
        offsets.append((at, at + len(t)))
        at += len(t) + 1
    done_articles = int(articles * done_share)
    base_article = next_id(Article)
    base_sentence = next_id(Sentence)
    base_annotation = next_id(Annotation)
    article_rows = (
        (base_article + n, project.id, f"a{n}", f"Article {n}", "", "", text, f"h{n}", "{}",
         "2026-01-01 00:00:00+00")
        for n in range(articles)
    )  # fmt: skip
    sentence_rows = (
        (base_sentence + n * per_article + i, project.id, base_article + n, i, *offsets[i], kind, t)
        for n in range(articles)
        for i, (kind, t) in enumerate(layout)
    )
    done = [
        (base_sentence + n * per_article + i, user.id)
        for n in range(done_articles)
        for i, (kind, _) in enumerate(layout)
        if kind != "dateline"
        for user in past
    ]
    annotation_rows = (
        (base_annotation + n, sentence_id, user_id, "annotator", "claim", "[]", "submitted", "",
         1000, 1, "2026-01-01 00:00:00+00", "2026-01-01 00:00:00+00")
        for n, (sentence_id, user_id) in enumerate(done)
    )  # fmt: skip
    with transaction.atomic():
        copy(Article, ["id", "project_id", "external_id", "title", "source", "url", "text",
                       "content_hash", "meta", "created_at"], article_rows)  # fmt: skip
        copy(Sentence, ["id", "project_id", "article_id", "index", "start", "end", "kind",
                        "text"], sentence_rows)  # fmt: skip
        copy(Annotation, ["id", "sentence_id", "annotator_id", "kind", "claim", "claim_types",
                          "status", "skip_reason", "lead_time_ms", "version", "created_at",
                          "updated_at"], annotation_rows)  # fmt: skip
    # Where a project labeled this far keeps its frontier: at the first article not done.
    QueueCursor.objects.create(
        project=project,
        annotator=None,
        at_article=base_article + done_articles,
        at_index=0,
        per_sentence=per_sentence,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Article, Sentence, Annotation):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")  # statistics and visibility map, as in production
    return Filled(
        project_id=project.id,
        annotator_ids=[u.id for u in people[:annotators]],
        usernames=names,
        sentences=articles * per_article,
        done_sentences=len(done) // max(1, len(past)),
    )


def reset(*, slug: str, annotators: int) -> Filled | None:
    """Undo what the annotators of an earlier run did in the project; None if there is none."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from claims.models import (
        Annotation,
        AnnotationEvent,
        Assignment,
        Project,
        QueueCursor,
        Sentence,
        Speaker,
    )

    project = Project.objects.filter(slug=slug).first()
    if project is None:
        return None
    names = [f"{slug}-annotator-{n}" for n in range(annotators)]
    users = list(get_user_model().objects.filter(username__in=names).order_by("id"))
    AnnotationEvent.objects.filter(actor__in=users).delete()
    Annotation.objects.filter(annotator__in=users).delete()
    Speaker.objects.filter(project=project).delete()
    Assignment.objects.filter(project=project).delete()
    QueueCursor.objects.filter(project=project, annotator__isnull=False).delete()
    annotated = Annotation.objects.filter(sentence=OuterRef("pk"))
    first_open = (
        Sentence.objects.filter(project=project)
        .in_queue()
        .filter(~Exists(annotated))
        .order_by("article_id", "index")
        .values_list("article_id", "index")
        .first()
    )
    QueueCursor.objects.filter(project=project, annotator=None).update(
        at_article=first_open[0], at_index=first_open[1]
    )
    done = Annotation.objects.filter(sentence__project=project).values("sentence").distinct()
    return Filled(
        project_id=project.id,
        annotator_ids=[u.id for u in users],
        usernames=names,
        sentences=Sentence.objects.filter(project=project).count(),
        done_sentences=done.count(),
    )


def next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1


def copy(model, columns: list[str], rows) -> None:
    """Write rows into the model's table: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as out:
                for row in rows:
                    out.write_row(row)
            return
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) == 10_000:
                cursor.cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.cursor.executemany(sql, batch)


def fill_reviewed(*, articles: int, annotators: int = 3, slug: str = "reviewed") -> Filled:
    """Create a project where `annotators` submitted every queue sentence (k of them): most
    sentences agree, every fifth differs on the claim, every seventh on the speaker; body
    sentences with a source carry an attribution."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from claims.models import Annotation, Attribution, Role, Sentence, Speaker
    from claims.services.projects import membership_set, project_get_or_create

    per_article = 50
    filled = fill(
        sentences=articles * per_article,
        articles=articles,
        per_sentence=annotators,
        done_share=0.0,
        annotators=0,
        slug=slug,
    )
    project, _ = project_get_or_create(slug=slug)

    users = []
    for n in range(annotators):
        user = get_user_model().objects.create(username=f"{slug}-rater-{n}")
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        users.append(user)
    speakers = [
        Speaker.objects.create(project=project, name=name, kind="person")
        for name in ("Sergey Lavrov", "Juan Guaido")
    ]
    rows = Sentence.objects.filter(project=project).in_queue().order_by("id")
    sentences = list(rows.values_list("id", "text"))
    base_annotation = next_id(Annotation)
    base_attribution = next_id(Attribution)
    claims = ("claim", "checkworthy", "not_claim")
    annotation_rows, attribution_rows = [], []
    for n, (sentence_id, text) in enumerate(sentences):
        source, cue = SPANS.get(text, (None, None))
        for r, user in enumerate(users):
            pk = base_annotation + n * annotators + r
            claim = claims[(r * (n % 5 == 0)) % 3]
            annotation_rows.append(
                (pk, sentence_id, user.id, "annotator", claim, "[]", "submitted", "",
                 1000 + 100 * r, 1, "2026-01-01 00:00:00+00", "2026-01-01 00:00:00+00")
            )  # fmt: skip
            if source:
                speaker = speakers[(r * (n % 7 == 0)) % 2].id
                attribution_rows.append(
                    (base_attribution + len(attribution_rows), pk, 0, speaker, *source, *cue,
                     None, None, "", False)
                )  # fmt: skip
    copy(Annotation, ["id", "sentence_id", "annotator_id", "kind", "claim", "claim_types",
                      "status", "skip_reason", "lead_time_ms", "version", "created_at",
                      "updated_at"], annotation_rows)  # fmt: skip
    copy(Attribution, ["id", "annotation_id", "position", "speaker_id", "source_start",
                       "source_end", "cue_start", "cue_end", "content_start", "content_end",
                       "quote_type", "suggested"], attribution_rows)  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Annotation, Attribution):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")
    filled.annotator_ids = [u.id for u in users]
    filled.done_sentences = len(sentences)
    return filled
