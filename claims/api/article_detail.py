"""Read one article: its fields and text, and its sentences a page at a time.

An article may have hundreds of thousands of sentences and tens of megabytes of text (a whole
book imported as one): the detail carries the first page of sentences and the text up to
TEXT_INLINE characters, and links to the rest, so every answer stays small.
"""

from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from claims.api.pagination import Pagination
from claims.api.permissions import IsArticleMember
from claims.models import Article, Sentence, SentenceKind

# Up to this many characters the text is part of the article's answer; beyond, at text_url.
TEXT_INLINE = 1_000_000
TEXT_CHUNK = 64 * 1024


class SentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    index = serializers.IntegerField()
    start = serializers.IntegerField(help_text="Offset in the article text (code points)")
    end = serializers.IntegerField(help_text="End-exclusive: text == article.text[start:end]")
    kind = serializers.ChoiceField(SentenceKind.choices)
    text = serializers.CharField()


class ArticleDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.SlugField(source="project.slug")
    external_id = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    published = serializers.DateField(allow_null=True)
    meta = serializers.DictField()
    created_at = serializers.DateTimeField()
    length = serializers.IntegerField(help_text="The text's length in characters")
    text = serializers.CharField(
        allow_null=True, help_text=f"The full text; null beyond {TEXT_INLINE:,} characters"
    )
    text_url = serializers.CharField(help_text="The full text as text/plain, streamed")
    sentence_count = serializers.IntegerField()
    sentences = SentenceSerializer(many=True, help_text="The first page, in article order")
    sentences_next = serializers.CharField(
        allow_null=True, help_text="The next page of sentences (null: this is all of them)"
    )


def sentences_of(article: Article):
    return Sentence.objects.filter(article=article).order_by("index")


class ArticleDetailView(generics.GenericAPIView):
    serializer_class = ArticleDetailSerializer
    permission_classes = [IsArticleMember]

    @extend_schema(
        summary="An article with its text and first page of sentences",
        description=f"The text is included up to {TEXT_INLINE:,} characters (else null: read "
        f"`text_url`); `sentences` holds the first {Pagination.max_page_size} sentences, "
        "`sentences_next` the rest a page at a time.",
    )
    def get(self, request, article_id: int):
        article = self.article
        first = list(sentences_of(article)[: Pagination.max_page_size + 1])
        more = len(first) > Pagination.max_page_size
        sentences_url = reverse("api-article-sentences", args=[article.pk])
        body = {
            **{
                name: getattr(article, name)
                for name in (
                    "id",
                    "project",
                    "external_id",
                    "title",
                    "source",
                    "url",
                    "published",
                    "meta",
                    "created_at",
                )
            },  # fmt: skip
            "length": len(article.text),
            "text": article.text if len(article.text) <= TEXT_INLINE else None,
            "text_url": request.build_absolute_uri(reverse("api-article-text", args=[article.pk])),
            "sentence_count": sentences_of(article).count() if more else len(first),
            "sentences": first[: Pagination.max_page_size],
            "sentences_next": more
            and request.build_absolute_uri(
                f"{sentences_url}?page=2&page_size={Pagination.max_page_size}"
            )
            or None,
        }
        return Response(self.get_serializer(body).data)


class ArticleSentencesView(generics.ListAPIView):
    serializer_class = SentenceSerializer
    permission_classes = [IsArticleMember]
    pagination_class = Pagination

    @extend_schema(summary="An article's sentences, a page at a time, in article order")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return sentences_of(self.article)


class ArticleTextView(generics.GenericAPIView):
    permission_classes = [IsArticleMember]

    @extend_schema(
        summary="An article's whole text (text/plain, UTF-8), streamed",
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="The text")},
    )
    def get(self, request, article_id: int):
        text = self.article.text
        chunks = (text[n : n + TEXT_CHUNK].encode() for n in range(0, len(text), TEXT_CHUNK))
        return StreamingHttpResponse(chunks, content_type="text/plain; charset=utf-8")
