"""Admin access for reviewers: what a non-superuser sees is limited to the projects they review.

Superusers see everything. Other staff users see the claims pages only for projects where
they hold the reviewer role (claims.access): lists are filtered, other projects'
objects answer "not found", and viewing needs no Django model permission. Changing settings,
schemas and memberships still needs the usual Django permissions (superusers have them).
"""

from django.contrib import admin
from django.db.models import QuerySet

from claims.access import reviewed_projects
from claims.models import Annotation, AnnotationEvent, AnnotationStatus


def reviewed_project_ids(request) -> set[int] | None:
    """Return the ids of the projects the user reviews, or None for all (superusers).

    Kept on the request (never across requests): the admin asks many times per page.
    """
    if request.user.is_superuser:
        return None
    if not hasattr(request, "_claims_reviewed_project_ids"):
        ids = set(reviewed_projects(request.user).values_list("pk", flat=True))
        request._claims_reviewed_project_ids = ids
    return request._claims_reviewed_project_ids


def reviews_anything(request) -> bool:
    ids = reviewed_project_ids(request)
    return ids is None or bool(ids)


class ReviewerMayView:
    """Let reviewers view (never change) the model without Django model permissions."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or reviews_anything(request)


class ProjectScopedAdmin(ReviewerMayView, admin.ModelAdmin):
    """A model admin whose objects are limited to the projects the user reviews."""

    project_lookup = "project"

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request, self.project_lookup)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or reviews_anything(request)


def scoped(queryset: QuerySet, request, project_lookup: str) -> QuerySet:
    ids = reviewed_project_ids(request)
    return queryset if ids is None else queryset.filter(**{f"{project_lookup}__in": ids})


class KeepsAnnotations:
    """Refuse to delete objects whose deletion would cascade to annotations or their history.

    Annotators' work and the record of who changed it are never deleted from the admin; an
    article, sentence or project that has any annotation cannot be deleted here.
    """

    annotation_lookup: str

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        kept = Annotation.objects.filter(**{f"{self.annotation_lookup}__in": list(objs)})
        total = kept.count()
        if total:
            # Say why in one line instead of "no permission to delete annotation, event".
            perms_needed = perms_needed - {
                Annotation._meta.verbose_name,
                AnnotationEvent._meta.verbose_name,
            }
            submitted = kept.filter(status=AnnotationStatus.SUBMITTED).count()
            protected = [
                *protected,
                f"{total} annotation(s), {submitted} of them submitted, with their history: "
                "annotations are never deleted",
            ]
        return deleted, counts, perms_needed, protected
