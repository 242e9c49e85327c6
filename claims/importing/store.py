"""Store imported articles and their sentences: one short transaction per batch.

Records are read, checked and split into sentences a batch at a time, outside any
transaction; each batch is then written in one transaction of a few inserts. So an import
holds SQLite's write lock for a fraction of a second at a time (an annotator's save waits at
most that long, not for the whole import), memory stays flat however long the input, and no
article is ever stored without its sentences.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q

from claims.importing.records import ArticleRecord, ImportProblem, content_hash, record_problem
from claims.models import Article, Project, Sentence
from claims.nlp.segmentation import Segment, normalize_text, segment_many
from claims.nlp.segments import check_segments, title_from_segments

TITLE_LENGTH = 500
# Column sizes of Article: longer values are refused up front, not left to the database.
FIELD_LENGTHS = {"external_id": 200, "title": TITLE_LENGTH, "source": 200, "url": 2000}
# A batch ends at this many articles or this much text, whichever comes first: it bounds the
# memory an import holds and the time its transaction holds SQLite's write lock (about a
# tenth of a second for a full batch).
BATCH_ARTICLES = 128
BATCH_CHARACTERS = 1_000_000

Item = ArticleRecord | ImportProblem


@dataclass(frozen=True)
class Outcome:
    """What became of one record: imported as an article, or a duplicate of a stored one."""

    origin: str
    imported: bool
    article_id: int | None  # None: a duplicate of an article of the same batch, not known yet
    external_id: str
    sentences: int | None = None  # None until counted


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


@dataclass(frozen=True)
class PreparedArticle:
    record: ArticleRecord
    text: str
    external_id: str
    content_hash: str


def articles_import(
    *,
    project: Project,
    items: Iterable[Item],
    batch_size: int = BATCH_ARTICLES,
    on_progress: Callable[[int], None] | None = None,
    keep_outcomes: bool = True,
) -> ImportSummary:
    """Import records into the project, skipping texts it already holds; report problems.

    Each batch is committed on its own (inside an outer transaction it is a savepoint).
    `keep_outcomes=False` keeps memory flat for long imports that need only the counts.
    """
    summary = ImportSummary()
    for batch in item_batches(items, batch_size):
        outcomes = articles_import_batch(project, batch, summary)
        if keep_outcomes:
            summary.outcomes.extend(outcomes)
        if on_progress:
            on_progress(len(batch))
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


def articles_import_batch(
    project: Project, batch: list[Item], summary: ImportSummary
) -> list[Outcome]:
    """Check, segment and store one batch; return what became of each of its records."""
    prepared = prepared_articles(batch, summary)
    fresh, duplicates = split_known(project, prepared, summary)
    segmented = list(zip(fresh, segment_many(a.text for a in fresh), strict=True))
    stored = batch_store(project, segmented, summary)
    return stored + duplicates_counted(duplicates, stored, summary)


def prepared_articles(batch: list[Item], summary: ImportSummary) -> list[PreparedArticle]:
    prepared = []
    for item in batch:
        if isinstance(item, ImportProblem):
            summary.problems.append(item)
        elif (article := prepare(item, summary)) is not None:
            prepared.append(article)
    return prepared


def prepare(record: ArticleRecord, summary: ImportSummary) -> PreparedArticle | None:
    if problem := record_problem(record):
        summary.problems.append(problem)
        return None
    text = normalize_text(record.text)
    if not text.strip():
        summary.problems.append(ImportProblem(record.origin, "empty text", field="text"))
        return None
    for name, limit in FIELD_LENGTHS.items():
        if len(getattr(record, name)) > limit:
            message = f"'{name}' is longer than {limit} characters"
            summary.problems.append(ImportProblem(record.origin, message, field=name))
            return None
    digest = content_hash(text)
    return PreparedArticle(record, text, record.external_id or digest[:16], digest)


def split_known(
    project: Project, prepared: list[PreparedArticle], summary: ImportSummary
) -> tuple[list[PreparedArticle], list[Outcome]]:
    """Return the articles new to the project, and the outcomes of the duplicates.

    A text the project (or an earlier record) already holds is a duplicate; an id it holds
    with another text is a problem.
    """
    ids = {a.external_id for a in prepared}
    hashes = {a.content_hash for a in prepared}
    known = Article.objects.filter(project=project).filter(
        Q(external_id__in=ids) | Q(content_hash__in=hashes)
    )
    rows = known.values_list("id", "external_id", "content_hash")
    hash_by_id = {external_id: digest for _, external_id, digest in rows}
    stored_by_hash: dict[str, tuple[int, str] | PreparedArticle] = {
        digest: (pk, external_id) for pk, external_id, digest in rows
    }
    fresh, duplicates = [], []
    for article in prepared:
        if article.content_hash in stored_by_hash:
            summary.duplicates += 1
            duplicates.append(duplicate_of(article, stored_by_hash[article.content_hash]))
        elif article.external_id in hash_by_id:
            summary.problems.append(id_taken(article))
        else:
            stored_by_hash[article.content_hash] = article
            hash_by_id[article.external_id] = article.content_hash
            fresh.append(article)
    return fresh, duplicates


def id_taken(article: PreparedArticle) -> ImportProblem:
    return ImportProblem(
        article.record.origin,
        f"article id {article.external_id!r} already exists with a different text; not replaced",
        field="external_id",
    )


def duplicate_of(article: PreparedArticle, stored: tuple[int, str] | PreparedArticle) -> Outcome:
    """Return a duplicate's outcome; `duplicates_counted` fills in what is not known yet."""
    if isinstance(stored, PreparedArticle):
        return Outcome(article.record.origin, False, None, stored.external_id)
    return Outcome(article.record.origin, False, stored[0], stored[1])


def duplicates_counted(
    duplicates: list[Outcome], stored: list[Outcome], summary: ImportSummary
) -> list[Outcome]:
    """Return the duplicates with their articles and sentence counts (one query at most)."""
    if not duplicates:
        return []
    twins = {o.external_id: o for o in stored}
    wanted = {o.article_id for o in duplicates} - {None}
    counts = dict(
        Sentence.objects.filter(article_id__in=wanted)
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("id"))
    )
    counted = []
    for outcome in duplicates:
        if outcome.article_id is not None:
            counted.append(replace(outcome, sentences=counts.get(outcome.article_id, 0)))
        elif (twin := twins.get(outcome.external_id)) is not None:
            counted.append(replace(outcome, article_id=twin.article_id, sentences=twin.sentences))
        else:  # its twin could not be stored (see batch_store)
            summary.duplicates -= 1
            summary.problems.append(
                ImportProblem(outcome.origin, "not stored: the same text as an article that failed")
            )
    return counted


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
    """Insert the articles' sentences with one executemany.

    Plain rows rather than bulk_create(): building a model instance and compiling an INSERT
    for every 124 of them (SQLite's parameter limit) took three times as long as inserting,
    and sentences are most of an import's rows.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Sentence._meta.get_field(name).column) for name in SENTENCE_COLUMNS)
    sql = (
        f"INSERT INTO {quote(Sentence._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(SENTENCE_COLUMNS))})"
    )
    project_id = project.pk
    rows = [
        (project_id, article_id, index, s.start, s.end, s.kind, text[s.start : s.end])
        for article, segments in articles
        for article_id, text in [(article.pk, article.text)]
        for index, s in enumerate(segments)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class ImportRejected(Exception):
    """An all-or-nothing import found problems; nothing was stored."""

    def __init__(self, summary: ImportSummary):
        super().__init__("; ".join(str(p) for p in summary.problems))
        self.summary = summary


def articles_check(*, project: Project, records: list[ArticleRecord]) -> ImportSummary:
    """Return the problems importing the records would meet, storing nothing."""
    summary = ImportSummary()
    hash_by_id: dict[str, str] = {}  # across batches, as split_known does within one
    for batch in item_batches(records, 500):
        fresh, _ = split_known(project, prepared_articles(batch, summary), summary)
        for article in fresh:
            if hash_by_id.setdefault(article.external_id, article.content_hash) != (
                article.content_hash
            ):
                summary.problems.append(id_taken(article))
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
