"""Store imported articles and their sentences: one short transaction per batch.

Records are read, checked and split into sentences a batch at a time, outside any
transaction; each batch is then written in one transaction of a few inserts. So an import
holds SQLite's write lock for a fraction of a second at a time (an annotator's save waits at
most that long, not for the whole import), memory stays flat however long the input, and no
article is ever stored without its sentences.
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from itertools import islice

from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from claims.importing.prepare import (
    TITLE_LENGTH,
    Pending,
    PreparedArticle,
    prepare,
    split_known,
)
from claims.importing.records import ArticleRecord, ImportProblem
from claims.importing.segmenter import Segmenter
from claims.models import Article, Project, Sentence
from claims.nlp.segmentation import Segment
from claims.nlp.segments import check_segments, title_from_segments

# A batch ends at this many articles or this much text, whichever comes first: it bounds the
# memory an import holds and the time its transaction holds SQLite's write lock (a few
# hundredths of a second for a full batch).
BATCH_ARTICLES = 128
BATCH_CHARACTERS = 1_000_000

Item = ArticleRecord | ImportProblem


@dataclass(frozen=True)
class Outcome:
    """What became of one record: imported as an article, or a duplicate of a stored one."""

    origin: str
    imported: bool
    article_id: int
    external_id: str
    sentences: int


@dataclass
class ImportSummary:
    articles: int = 0
    sentences: int = 0
    duplicates: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def article_ids(self) -> list[int]:
        return [o.article_id for o in self.outcomes if o.imported]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Batch:
    """A batch on its way: checked, its new articles being segmented."""

    size: int
    fresh: list[PreparedArticle]
    duplicates: list[PreparedArticle]
    segments: "Future[list[list[Segment]]]"


def articles_import(
    *,
    project: Project,
    items: Iterable[Item],
    batch_size: int = BATCH_ARTICLES,
    on_progress: Callable[[int], None] | None = None,
    keep_outcomes: bool = True,
    segmenter: Segmenter | None = None,
) -> ImportSummary:
    """Import records into the project, skipping texts it already holds; report problems.

    Each batch is committed on its own (inside an outer transaction it is a savepoint).
    `keep_outcomes=False` keeps memory flat for long imports that need only the counts. With
    a segmenter that has workers, that many batches are segmented ahead, in other processes.
    """
    summary = ImportSummary()
    segmenter = segmenter or Segmenter()
    pending, in_flight = Pending(), deque()

    def finish_oldest() -> None:
        batch = in_flight.popleft()
        outcomes = batch_finish(project, batch, summary)
        pending.discard(batch.fresh)
        if keep_outcomes:
            summary.outcomes += outcomes
        if on_progress:
            on_progress(batch.size)

    for items_of_batch in item_batches(items, batch_size):
        in_flight.append(batch_checked(project, items_of_batch, pending, summary, segmenter))
        if len(in_flight) > segmenter.workers:
            finish_oldest()
    while in_flight:
        finish_oldest()
    return summary


def item_batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Yield lists of at most `size` items and about BATCH_CHARACTERS of text."""
    iterator = iter(items)
    while first := list(islice(iterator, 1)):
        batch, characters = first, text_length(first[0])
        while len(batch) < size and characters < BATCH_CHARACTERS:
            more = list(islice(iterator, 1))
            if not more:
                break
            batch += more
            characters += text_length(more[0])
        yield batch


def text_length(item: Item) -> int:
    return len(item.text) if isinstance(item, ArticleRecord) else 0


def batch_checked(
    project: Project,
    items: list[Item],
    pending: Pending,
    summary: ImportSummary,
    segmenter: Segmenter,
) -> Batch:
    """Check a batch's records and submit its new articles for segmentation."""
    fresh, duplicates, problems = split_known(project, prepared(items, summary), pending)
    summary.problems += problems
    return Batch(len(items), fresh, duplicates, segmenter.submit([a.text for a in fresh]))


def prepared(items: list[Item], summary: ImportSummary) -> list[PreparedArticle]:
    """Return the records that can be stored; add the problems of the others to the summary."""
    articles = []
    for item in items:
        checked = item if isinstance(item, ImportProblem) else prepare(item)
        if isinstance(checked, ImportProblem):
            summary.problems.append(checked)
        else:
            articles.append(checked)
    return articles


def batch_finish(project: Project, batch: Batch, summary: ImportSummary) -> list[Outcome]:
    """Store a segmented batch; return what became of each of its records."""
    segmented = list(zip(batch.fresh, batch.segments.result(), strict=True))
    stored = batch_store(project, segmented, summary)
    return stored + duplicates_counted(project, batch.duplicates, summary)


def batch_store(
    project: Project,
    segmented: list[tuple[PreparedArticle, list[Segment]]],
    summary: ImportSummary,
) -> list[Outcome]:
    """Store the articles with their sentences in one transaction; return their outcomes."""
    ready = []
    for article, segments in segmented:
        if segments:
            check_segments(article.text, segments)
            ready.append((article, segments))
        else:
            summary.problems.append(ImportProblem(article.record.origin, "no sentences found"))
    if not ready:
        return []
    try:
        with transaction.atomic():
            stored = Article.objects.bulk_create(new_article(project, *pair) for pair in ready)
            sentences_insert(project, zip(stored, (s for _, s in ready), strict=True))
    except IntegrityError:
        # Another import stored one of these meanwhile: store them one at a time, so that only
        # that one is refused.
        return [o for pair in ready if (o := article_store(project, *pair, summary))]
    outcomes = [
        Outcome(a.record.origin, True, row.pk, a.external_id, len(segments))
        for row, (a, segments) in zip(stored, ready, strict=True)
    ]
    summary.articles += len(outcomes)
    summary.sentences += sum(o.sentences for o in outcomes)
    return outcomes


def article_store(
    project: Project, article: PreparedArticle, segments: list[Segment], summary: ImportSummary
) -> Outcome | None:
    """Store one article with its sentences in its own transaction (see batch_store)."""
    try:
        with transaction.atomic():
            row = new_article(project, article, segments)
            row.save(force_insert=True)
            sentences_insert(project, [(row, segments)])
    except IntegrityError as error:
        summary.problems.append(ImportProblem(article.record.origin, f"not stored: {error}"))
        return None
    summary.articles += 1
    summary.sentences += len(segments)
    return Outcome(article.record.origin, True, row.pk, article.external_id, len(segments))


def new_article(project: Project, article: PreparedArticle, segments: list[Segment]) -> Article:
    record = article.record
    return Article(
        project=project,
        external_id=article.external_id,
        title=(record.title or title_from_segments(article.text, segments))[:TITLE_LENGTH],
        source=record.source,
        url=record.url,
        published=record.published,
        text=article.text,
        content_hash=article.content_hash,
        meta=record.meta,
    )


SENTENCE_COLUMNS = ("project", "article", "index", "start", "end", "kind", "text")


def sentences_insert(project: Project, articles: Iterable[tuple[Article, list[Segment]]]) -> None:
    """Insert the articles' sentences: PostgreSQL's COPY, else one executemany.

    Plain rows rather than bulk_create(): building a model instance and compiling an INSERT
    for every 124 of them (SQLite's parameter limit) took three times as long as inserting,
    and sentences are most of an import's rows. On PostgreSQL, COPY took an eighth of the
    time of executemany.
    """
    quote = connection.ops.quote_name
    table = quote(Sentence._meta.db_table)
    columns = ", ".join(quote(Sentence._meta.get_field(name).column) for name in SENTENCE_COLUMNS)
    project_id = project.pk
    rows = (
        (project_id, article_id, index, start, end, kind, text[start:end])
        for article, segments in articles
        for article_id, text in [(article.pk, article.text)]
        for index, (start, end, kind) in enumerate(segments)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            values = ", ".join(["%s"] * len(SENTENCE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})", list(rows))


def duplicates_counted(
    project: Project, duplicates: list[PreparedArticle], summary: ImportSummary
) -> list[Outcome]:
    """Return the duplicates' outcomes: the article holding each text, with its sentences.

    Looked up by text (hash) once the batch is stored, so a duplicate of an article earlier
    in the same import finds it too; two queries, only when there are duplicates.
    """
    if not duplicates:
        return []
    rows = Article.objects.filter(
        project=project, content_hash__in={a.content_hash for a in duplicates}
    ).values_list("content_hash", "id", "external_id")
    holder = {digest: (pk, external_id) for digest, pk, external_id in rows}
    counts = dict(
        Sentence.objects.filter(article_id__in=[pk for pk, _ in holder.values()])
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("id"))
    )
    outcomes = []
    for article in duplicates:
        if article.content_hash in holder:
            pk, external_id = holder[article.content_hash]
            outcomes.append(Outcome(article.record.origin, False, pk, external_id, counts[pk]))
            summary.duplicates += 1
        else:  # the article it repeats could not be stored (see batch_store)
            summary.problems.append(
                ImportProblem(article.record.origin, "not stored: its text is that of an "
                              "earlier record, which could not be stored")
            )  # fmt: skip
    return outcomes


class ImportRejected(Exception):
    """An all-or-nothing import found problems; nothing was stored."""

    def __init__(self, summary: ImportSummary):
        super().__init__("; ".join(str(p) for p in summary.problems))
        self.summary = summary


def articles_check(*, project: Project, records: list[ArticleRecord]) -> ImportSummary:
    """Return the problems importing the records would meet, storing nothing."""
    summary, pending = ImportSummary(), Pending()
    for batch in item_batches(records, 500):
        summary.problems += split_known(project, prepared(batch, summary), pending)[2]
    return summary


def articles_import_checked(
    *,
    project: Project,
    records: list[ArticleRecord],
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import the records only if none of them is refused (else raise ImportRejected).

    All are checked before any is stored; then they are stored batch by batch like any
    import, so that the write lock is never held for the whole request.
    """
    checked = articles_check(project=project, records=records)
    if checked.problems:
        raise ImportRejected(checked)
    return articles_import(project=project, items=records, on_progress=on_progress)
