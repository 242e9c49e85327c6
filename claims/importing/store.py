"""Store imported articles and their sentences, one atomic transaction per article."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from claims.importing.records import ArticleRecord, ImportProblem, content_hash
from claims.models import Article, Project, Sentence
from claims.nlp.segmentation import Segment, normalize_text, segment_many
from claims.nlp.segments import check_segments, title_from_segments

TITLE_LENGTH = 500
# Column sizes of Article: longer values are refused up front, not left to the database.
FIELD_LENGTHS = {"external_id": 200, "title": TITLE_LENGTH, "source": 200, "url": 2000}


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
    items: Iterable[ArticleRecord | ImportProblem],
    batch_size: int = 64,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import records into the project, skipping texts it already holds; report problems."""
    summary = ImportSummary()
    iterator = iter(items)
    while batch := list(islice(iterator, batch_size)):
        articles_import_batch(project, batch, summary)
        if on_progress:
            on_progress(len(batch))
    return summary


def articles_import_batch(
    project: Project, batch: list[ArticleRecord | ImportProblem], summary: ImportSummary
) -> None:
    prepared = []
    for item in batch:
        if isinstance(item, ImportProblem):
            summary.problems.append(item)
        elif (article := prepare(item, summary)) is not None:
            prepared.append(article)
    fresh = list(drop_known(project, prepared, summary))
    for article, segments in zip(fresh, segment_many(a.text for a in fresh), strict=True):
        article_store(project, article, segments, summary)
    duplicates_count(summary)


def prepare(record: ArticleRecord, summary: ImportSummary) -> PreparedArticle | None:
    text = normalize_text(record.text)
    if not text.strip():
        summary.problems.append(ImportProblem(record.origin, "empty text"))
        return None
    for name, limit in FIELD_LENGTHS.items():
        if len(getattr(record, name)) > limit:
            message = f"'{name}' is longer than {limit} characters"
            summary.problems.append(ImportProblem(record.origin, message, field=name))
            return None
    digest = content_hash(text)
    return PreparedArticle(record, text, record.external_id or digest[:16], digest)


def drop_known(
    project: Project, prepared: list[PreparedArticle], summary: ImportSummary
) -> Iterator[PreparedArticle]:
    """Yield articles new to the project; known texts count as duplicates, clashing ids fail."""
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
    for article in prepared:
        stored_hash = hash_by_id.get(article.external_id)
        if article.content_hash in stored_by_hash:
            summary.duplicates += 1
            summary.outcomes.append(duplicate_of(article, stored_by_hash[article.content_hash]))
        elif stored_hash is not None:
            summary.problems.append(
                ImportProblem(
                    article.record.origin,
                    f"article id {article.external_id!r} already exists with a different text; "
                    "not replaced",
                    field="external_id",
                )
            )
        else:
            stored_by_hash[article.content_hash] = article
            hash_by_id[article.external_id] = article.content_hash
            yield article


def duplicate_of(article: PreparedArticle, stored: tuple[int, str] | PreparedArticle) -> Outcome:
    """Return a duplicate's outcome; `duplicates_count` fills in what is not known yet."""
    if isinstance(stored, PreparedArticle):
        return Outcome(article.record.origin, False, None, stored.external_id)
    return Outcome(article.record.origin, False, stored[0], stored[1])


def duplicates_count(summary: ImportSummary) -> None:
    """Fill in the articles and sentence counts of the duplicates found (one query)."""
    pending = [i for i, o in enumerate(summary.outcomes) if o.sentences is None]
    if not pending:
        return
    by_external_id = {o.external_id: o for o in summary.outcomes if o.imported}
    wanted = {summary.outcomes[i].article_id for i in pending} - {None}
    counts = dict(
        Sentence.objects.filter(article_id__in=wanted)
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("id"))
    )
    for i in pending:
        outcome = summary.outcomes[i]
        if outcome.article_id is None and outcome.external_id in by_external_id:
            twin = by_external_id[outcome.external_id]
            summary.outcomes[i] = replace(
                outcome, article_id=twin.article_id, sentences=twin.sentences
            )
        elif outcome.article_id is not None:
            summary.outcomes[i] = replace(outcome, sentences=counts.get(outcome.article_id, 0))


def article_store(
    project: Project, article: PreparedArticle, segments: list[Segment], summary: ImportSummary
) -> None:
    record = article.record
    if not segments:
        summary.problems.append(ImportProblem(record.origin, "no sentences found"))
        return
    check_segments(article.text, segments)
    try:
        with transaction.atomic():
            stored = Article.objects.create(
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
            Sentence.objects.bulk_create(
                Sentence(
                    project=project,
                    article=stored,
                    index=index,
                    start=s.start,
                    end=s.end,
                    kind=s.kind,
                    text=article.text[s.start : s.end],
                )
                for index, s in enumerate(segments)
            )
    except IntegrityError as error:
        # Another import stored the same article meanwhile; this one is rolled back whole.
        summary.problems.append(ImportProblem(record.origin, f"not stored: {error}"))
        return
    summary.articles += 1
    summary.sentences += len(segments)
    summary.outcomes.append(
        Outcome(record.origin, True, stored.pk, article.external_id, len(segments))
    )


class ImportRejected(Exception):
    """An all-or-nothing import found problems; nothing was stored."""

    def __init__(self, summary: ImportSummary):
        super().__init__("; ".join(str(p) for p in summary.problems))
        self.summary = summary


def articles_import_atomic(
    *, project: Project, items: Iterable[ArticleRecord | ImportProblem]
) -> ImportSummary:
    """Import the records in one transaction: if any is rejected, store none of them."""
    with transaction.atomic():
        summary = articles_import(project=project, items=items)
        if summary.problems:
            raise ImportRejected(summary)
    return summary
