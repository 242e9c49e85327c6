"""Routes of the JSON API. Add new endpoints to the list; the catch-all below stays last."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from claims.api.agreement import ProjectAgreementView
from claims.api.annotations import (
    AnnotationDetailView,
    ProjectAnnotationsView,
    SentenceAnnotationView,
)
from claims.api.article_detail import ArticleDetailView, ArticleSentencesView, ArticleTextView
from claims.api.articles import ProjectArticlesView
from claims.api.auth import ApiDocsPermission, TokenView
from claims.api.errors import api_not_found
from claims.api.export import ProjectExportView
from claims.api.jobs import JobDetailView
from claims.api.projects import ProjectDetailView, ProjectListView
from claims.api.queue import NextSentenceView, PreviousSentenceView, SentenceSuggestionsView
from claims.api.speaker_candidates import SpeakerCandidatesView
from claims.api.speakers import ProjectSpeakersView
from claims.api.targets import ProjectTargetsView
from claims.api.work import ArticleWorkView

PROJECT = "api/v1/projects/<slug:slug>/"

urlpatterns = [
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[ApiDocsPermission]),
        name="api-schema",
    ),
    # The split view loads its start-up script from a URL: no inline script (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[ApiDocsPermission]
        ),
        name="api-docs",
    ),
    path("api/v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("api/v1/projects/", ProjectListView.as_view(), name="api-projects"),
    path(PROJECT, ProjectDetailView.as_view(), name="api-project"),
    path(PROJECT + "articles/", ProjectArticlesView.as_view(), name="api-project-articles"),
    path(PROJECT + "annotations/", ProjectAnnotationsView.as_view(), name="api-annotations"),
    path(PROJECT + "speakers/", ProjectSpeakersView.as_view(), name="api-speakers"),
    path(PROJECT + "targets/", ProjectTargetsView.as_view(), name="api-targets"),
    path(PROJECT + "export/", ProjectExportView.as_view(), name="api-export"),
    path(PROJECT + "agreement/", ProjectAgreementView.as_view(), name="api-agreement"),
    path(PROJECT + "next/", NextSentenceView.as_view(), name="api-next"),
    path(PROJECT + "previous/", PreviousSentenceView.as_view(), name="api-previous"),
    path(PROJECT + "queue/articles/", ArticleWorkView.as_view(), name="api-queue-articles"),
    path(
        "api/v1/sentences/<int:sentence_id>/suggestions/",
        SentenceSuggestionsView.as_view(),
        name="api-sentence-suggestions",
    ),
    path(
        "api/v1/sentences/<int:sentence_id>/speaker-candidates/",
        SpeakerCandidatesView.as_view(),
        name="api-speaker-candidates",
    ),
    path("api/v1/articles/<int:article_id>/", ArticleDetailView.as_view(), name="api-article"),
    path(
        "api/v1/articles/<int:article_id>/sentences/",
        ArticleSentencesView.as_view(),
        name="api-article-sentences",
    ),
    path(
        "api/v1/articles/<int:article_id>/text/", ArticleTextView.as_view(), name="api-article-text"
    ),
    path(
        "api/v1/annotations/<int:annotation_id>/",
        AnnotationDetailView.as_view(),
        name="api-annotation",
    ),
    path(
        "api/v1/sentences/<int:sentence_id>/annotation/",
        SentenceAnnotationView.as_view(),
        name="api-sentence-annotation",
    ),
    path("api/v1/jobs/<int:job_id>/", JobDetailView.as_view(), name="api-job"),
]

# Must stay last: any other path under /api/ gets a JSON 404 (see errors.api_not_found).
urlpatterns.append(re_path(r"^api/", api_not_found, name="api-not-found"))
