"""Import articles into a project (one or a list, all or nothing), list them, read one."""

from contextlib import nullcontext
from typing import Any

from django.db import transaction
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from claims.api.base import ProjectScopedView
from claims.api.known_fields import KnownQuerySerializer
from claims.api.permissions import IsProjectMemberReviewerWrites
from claims.errors import InvalidInput
from claims.importing.records import (
    ArticleRecord,
    check_url,
    parse_published,
    record_from_mapping,
)
from claims.importing.store import ImportRejected, ImportSummary, articles_import_checked
from claims.learning.label_records import (
    ANNOTATOR,
    GOLD,
    BadLabels,
    ImportAs,
    article_labels,
    has_labels,
)
from claims.learning.label_store import labels_import
from claims.models import Article, Membership
from claims.selectors import articles_with_counts

# The import service names Article's fields; the API names them as the request does.
API_FIELDS = {"external_id": "id"}
# Column sizes of Article, checked here so PostgreSQL never sees an over-long value.
MAX_LENGTHS = {"id": 200, "title": 500, "source": 200, "url": 2000}


@extend_schema_field({"oneOf": [{"type": "string", "maxLength": 200}, {"type": "integer"}]})
class ExternalIdField(serializers.Field):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            raise ValidationError("must be a string or an integer")
        if len(str(data)) > MAX_LENGTHS["id"]:
            raise ValidationError(f"must be at most {MAX_LENGTHS['id']} characters")
        return data


class WholeTextField(serializers.CharField):
    """A CharField without DRF's character-by-character check for lone surrogates.

    The parser refuses them in the whole body at once (claims.api.parsers), and the import
    checks every field again; DRF's Python loop took a second for an 8 MB article.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitSurrogateCharactersValidator)
        ]


class ArticleInSerializer(serializers.Serializer):
    """One article to import; only `text` is required (the import command's JSONL fields)."""

    text = WholeTextField(trim_whitespace=False, help_text="The full text")
    id = ExternalIdField(required=False, help_text="Your id; default: a hash of the text")
    title = serializers.CharField(required=False, allow_blank=True, max_length=MAX_LENGTHS["title"])
    source = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_LENGTHS["source"]
    )
    url = serializers.CharField(required=False, allow_blank=True, max_length=MAX_LENGTHS["url"])
    published = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="ISO date (YYYY-MM-DD)"
    )
    meta = serializers.DictField(required=False, help_text="Any JSON object, kept as is")

    def validate_text(self, text: str) -> str:
        if not text.strip():
            raise ValidationError("must contain more than whitespace")
        return text

    def validate_url(self, url: str) -> str:
        try:
            return check_url(url)
        except InvalidInput as error:
            raise ValidationError(str(error)) from None

    def validate_published(self, published: str | None) -> str | None:
        try:
            parse_published(published)
        except InvalidInput as error:
            raise ValidationError(str(error)) from None
        return published


class ImportedItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position in the request (0 for a single object)")
    status = serializers.ChoiceField(
        ["imported", "duplicate", "rejected"],
        help_text="duplicate: the text was already in the project; rejected: another import "
        "stored an article with this id and another text while this one ran (nothing stored)",
    )
    id = serializers.IntegerField(
        allow_null=True, help_text="The stored article (for a duplicate: the existing)"
    )
    external_id = serializers.CharField(allow_null=True)
    sentences = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(required=False, help_text="Why a rejected item was not stored")


class ImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField(help_text="Articles stored by this request")
    duplicates = serializers.IntegerField(help_text="Articles skipped: text already present")
    sentences = serializers.IntegerField(help_text="Sentences stored by this request")
    results = ImportedItemSerializer(many=True)


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    published = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    sentences = serializers.IntegerField(source="sentence_count")


class ArticleFilterSerializer(KnownQuerySerializer):
    external_id = serializers.CharField(required=False, max_length=200)


class ArticlesInSerializer(serializers.Serializer):
    """One article, or a list of them (documentation only; see ArticlesInExtension)."""


class ArticlesInExtension(OpenApiSerializerExtension):
    target_class = ArticlesInSerializer

    def map_serializer(self, auto_schema, direction):
        one = auto_schema.resolve_serializer(ArticleInSerializer, direction).ref
        return {"oneOf": [one, {"type": "array", "items": one}]}


ERRORS_BY_INDEX = OpenApiResponse(
    description=(
        "Nothing was stored. For one object, its bad fields: "
        '{"text": ["This field is required."]}; for a list, the bad items by index: '
        '{"3": {"id": ["article id \'a1\' already exists with a different text"]}}.'
    )
)


AS_PARAMETER = OpenApiParameter(
    "as",
    str,
    OpenApiParameter.QUERY,
    pattern=r"^(gold|predictions|annotator:.+)$",
    description=(
        "Also store each item's `attributions` and `claims` (article offsets, as "
        "`import_articles --as` reads them), in the same transaction as the articles: `gold` "
        "(under the requesting reviewer), `annotator:NAME` (NAME's annotations; NAME must be a "
        "member of the project) or `predictions`. Without it, labels in the items are ignored."
    ),
)


class ProjectArticlesView(mixins.ListModelMixin, ProjectScopedView):
    queryset = Article.objects.none()
    serializer_class = ArticleSummarySerializer
    permission_classes = [IsProjectMemberReviewerWrites]

    @extend_schema(
        summary="List the project's articles",
        parameters=[ArticleFilterSerializer],
        responses={
            200: ArticleSummarySerializer(many=True),
            400: OpenApiResponse(description='A bad filter: {"external_id": [...]}'),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        filters = ArticleFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        articles = articles_with_counts(self.project)
        if "external_id" in filters.validated_data:
            articles = articles.filter(external_id=filters.validated_data["external_id"])
        return articles

    @extend_schema(
        summary="Import articles (reviewers)",
        description=(
            "Import one article or a list, split into sentences as the import command does. "
            "Every item is checked first: if any is bad, nothing is stored (400). The items "
            "are then stored in batches of short transactions, each article whole with its "
            "sentences, so annotators' saves are not held up. An article whose text is already "
            "in the project is skipped and reported as a duplicate. The body may be at most "
            "CLAIMS_MAX_REQUEST_BYTES (413 beyond). With `?as=gold`, `?as=annotator:NAME` or "
            "`?as=predictions`, an item's `attributions` and `claims` (article offsets, as the "
            "import command reads them) are stored too, and then the articles and their labels "
            "are stored in one transaction (all or nothing); `labels` says how many sentences "
            "they labelled and what could not be mapped as given."
        ),
        request=ArticlesInSerializer,
        parameters=[AS_PARAMETER],
        responses={
            201: ImportResultSerializer,
            200: OpenApiResponse(ImportResultSerializer, description="Nothing new: duplicates"),
            400: ERRORS_BY_INDEX,
        },
        examples=[
            OpenApiExample(
                "One article",
                value={"id": "a1", "title": "Talks", "text": "Lavrov said so. Talks resumed."},
                request_only=True,
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        single = isinstance(request.data, dict)
        items = [request.data] if single else request.data
        if not isinstance(items, list):
            raise ValidationError({"non_field_errors": ["expected an article or a list of them"]})
        records = checked_records(items, single)
        as_, labels = checked_labels(request.query_params.get("as"), items, records, single)
        labels_user = as_ and labels_owner(as_, self.project, request.user)
        try:
            # Labels refer to the articles' sentences: the two are stored together or not at all.
            with transaction.atomic() if as_ else nullcontext():
                summary = articles_import_checked(project=self.project, records=records)
                stored = as_ and labels_import(
                    project=self.project, articles=labels, as_=as_, user=labels_user,
                    actor=request.user,
                )  # fmt: skip
                if stored and stored.refused:
                    # All or nothing: a label no annotation may hold stores no article either.
                    errors = {ref: {"labels": lines} for ref, lines in stored.refused.items()}
                    raise item_errors(errors, single)
        except ImportRejected as rejected:
            problems = rejected.summary.problems
            errors = {
                p.origin: {API_FIELDS.get(p.field, p.field or "non_field_errors"): [p.message]}
                for p in problems
            }
            raise item_errors(errors, single) from None
        result = import_result(summary)
        if stored:
            result["labels"] = {
                "sentences": stored.counts["sentences changed"],
                "unchanged": stored.counts["sentences unchanged"],
                "kept": stored.counts["sentences kept"],
                "problems": stored.problems,
            }
        created = result["imported"] > 0
        return Response(result, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def checked_records(items: list, single: bool) -> list[ArticleRecord]:
    """Return the items as records, or raise 400 naming each bad item's index and field."""
    errors: dict[str, Any] = {}
    records = []
    for index, item in enumerate(items):
        serializer = ArticleInSerializer(data=item)
        if not serializer.is_valid():
            errors[str(index)] = serializer.errors
            continue
        try:
            records.append(record_from_mapping(serializer.validated_data, str(index)))
        except InvalidInput as error:
            errors[str(index)] = error.errors
    if errors:
        raise item_errors(errors, single)
    return records


def checked_labels(as_value, items: list, records: list, single: bool):
    """Return what ``?as=`` asks the labels to become and each item's labels (400 if bad)."""
    if not as_value:
        return None, []
    try:
        as_ = ImportAs.parse(as_value)
    except BadLabels as error:
        raise ValidationError({"as": [str(error).removeprefix("--as: ")]}) from None
    errors, labels = {}, []
    for index, (item, record) in enumerate(zip(items, records, strict=True)):
        if not has_labels(item):
            continue
        try:
            labels.append(article_labels(str(index), item, record.external_id))
        except BadLabels as error:
            field, _, message = str(error).partition(": ")
            errors[str(index)] = {field.split(".")[0].split("[")[0]: [f"{field}: {message}"]}
    if errors:
        raise item_errors(errors, single)
    return as_, labels


def labels_owner(as_: ImportAs, project, reviewer):
    """Return whose labels they become: the reviewer's gold, a member's annotations, or no
    one's (predictions). An API import never creates a user: NAME must be a member."""
    if as_.kind == GOLD:
        return reviewer
    if as_.kind != ANNOTATOR:
        return None
    member = Membership.objects.filter(project=project, user__username=as_.annotator).first()
    if member is None:
        raise ValidationError(
            {"as": [f"no member of this project is named {as_.annotator!r}; add them first"]}
        )
    return member.user


def item_errors(errors: dict[str, Any], single: bool) -> ValidationError:
    """Return the 400 error: a single object's fields, or a list's bad items by index."""
    return ValidationError(next(iter(errors.values())) if single else errors)


def import_result(summary: ImportSummary) -> dict:
    """Return what happened to each item: imported, or a duplicate of which article."""
    results = [
        {
            "index": int(outcome.origin),
            "status": "imported" if outcome.imported else "duplicate",
            "id": outcome.article_id,
            "external_id": outcome.external_id,
            "sentences": outcome.sentences,
        }
        for outcome in summary.outcomes
    ]
    # Only a concurrent import can refuse an item that passed the checks (see the description).
    results += [
        {
            "index": int(problem.origin),
            "status": "rejected",
            "id": None,
            "external_id": None,
            "sentences": None,
            "error": problem.message,
        }
        for problem in summary.problems
    ]
    results.sort(key=lambda result: result["index"])
    return {
        "imported": summary.articles,
        "duplicates": summary.duplicates,
        "sentences": summary.sentences,
        "results": results,
    }
