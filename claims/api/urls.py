from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from claims.api.annotations import SentenceAnnotationView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/v1/sentences/<int:sentence_id>/annotation/",
        SentenceAnnotationView.as_view(),
        name="api-sentence-annotation",
    ),
]
