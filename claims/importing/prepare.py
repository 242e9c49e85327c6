"""Check records before anything is stored: readable fields, new texts, ids not taken."""

from dataclasses import dataclass, field

from django.db.models import Q

from claims.importing.records import ArticleRecord, ImportProblem, content_hash, record_problem
from claims.models import Article, Project
from claims.nlp.segmentation import normalize_text

TITLE_LENGTH = 500
# Column sizes of Article: longer values are refused up front, not left to the database.
FIELD_LENGTHS = {"external_id": 200, "title": TITLE_LENGTH, "source": 200, "url": 2000}


@dataclass(frozen=True)
class PreparedArticle:
    record: ArticleRecord
    text: str  # normalized
    external_id: str
    content_hash: str


@dataclass
class Pending:
    """Articles accepted as new but not stored yet: later records are checked against them."""

    hash_by_id: dict[str, str] = field(default_factory=dict)
    hashes: set[str] = field(default_factory=set)

    def add(self, article: PreparedArticle) -> None:
        self.hash_by_id[article.external_id] = article.content_hash
        self.hashes.add(article.content_hash)

    def discard(self, articles: list[PreparedArticle]) -> None:
        """Forget stored articles: the database answers for them from now on."""
        for article in articles:
            self.hash_by_id.pop(article.external_id, None)
            self.hashes.discard(article.content_hash)


def prepare(record: ArticleRecord) -> PreparedArticle | ImportProblem:
    """Return the record normalized and hashed, or the problem that keeps it out."""
    if problem := record_problem(record):
        return problem
    text = normalize_text(record.text)
    if not text.strip():
        return ImportProblem(record.origin, "empty text", field="text")
    for name, limit in FIELD_LENGTHS.items():
        if len(getattr(record, name)) > limit:
            message = f"'{name}' is longer than {limit} characters"
            return ImportProblem(record.origin, message, field=name)
    digest = content_hash(text)
    return PreparedArticle(record, text, record.external_id or digest[:16], digest)


def split_known(
    project: Project, prepared: list[PreparedArticle], pending: Pending
) -> tuple[list[PreparedArticle], list[PreparedArticle], list[ImportProblem]]:
    """Return the new articles, the duplicates and the problems, in one query.

    A text the project holds (or a pending article has) is a duplicate; an id it holds with
    another text is a problem. New articles are added to `pending`.
    """
    ids = {a.external_id for a in prepared}
    hashes = {a.content_hash for a in prepared}
    known = Article.objects.filter(project=project).filter(
        Q(external_id__in=ids) | Q(content_hash__in=hashes)
    )
    rows = list(known.values_list("external_id", "content_hash"))
    stored_hash_by_id = dict(rows)
    stored_hashes = {digest for _, digest in rows}
    fresh, duplicates, problems = [], [], []
    for article in prepared:
        if article.content_hash in stored_hashes or article.content_hash in pending.hashes:
            duplicates.append(article)
        elif article.external_id in stored_hash_by_id or article.external_id in pending.hash_by_id:
            problems.append(id_taken(article))
        else:
            pending.add(article)
            fresh.append(article)
    return fresh, duplicates, problems


def id_taken(article: PreparedArticle) -> ImportProblem:
    return ImportProblem(
        article.record.origin,
        f"article id {article.external_id!r} already exists with a different text; not replaced",
        field="external_id",
    )
