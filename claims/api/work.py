"""The articles an annotator can pick to work in (the labeling page's article list)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from claims.api.base import ProjectScopedView
from claims.labeling.articles import article_work, project_articles


class ArticleWorkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="The title, else the article's id")
    sentences = serializers.IntegerField(help_text="Sentences annotators are asked to label")
    done = serializers.IntegerField(help_text="Those the requester submitted or skipped")
    left = serializers.IntegerField(
        help_text="Those still open to the requester (not done by them, short of annotations)"
    )


class ArticleWorkView(ProjectScopedView):
    serializer_class = ArticleWorkSerializer

    @extend_schema(
        summary="Articles to work in",
        description=(
            "The project's articles in queue order with the requester's own progress in each "
            "(blind: nobody else's labels). Open one with `next/?article={id}`."
        ),
        responses={200: ArticleWorkSerializer(many=True)},
    )
    def get(self, request, slug: str):
        page = self.paginate_queryset(project_articles(self.project))
        return self.get_paginated_response(article_work(self.project, request.user, page))
