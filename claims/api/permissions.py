"""The access rules of claims.access, declared on each API view as permission classes.

Each class finds the object its view is scoped to (a project by slug, a sentence, an article),
stores it and the requester's role on the view, and lets the rule decide; outsiders get 404,
as if the object did not exist. `audience` says who may call a view, in the OpenAPI schema.
"""

from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from claims.access import annotation_visible, article_for, project_for, role_in, sentence_for
from claims.models import Annotation, Role
from claims.selectors import annotations_with_details

MAX_ID = 2**63 - 1
REVIEWERS_ONLY = "Only the project's reviewers may do this."


class ScopedPermission(BasePermission):
    """Resolve the view's scope for a signed-in requester; subclasses say which roles pass."""

    audience = "members of the project"
    message = REVIEWERS_ONLY

    def has_permission(self, request, view) -> bool:
        if not IsAuthenticated().has_permission(request, view):
            return False
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 whoever asks: nothing is looked up
        if getattr(view, "role", None) is None:
            self.resolve(request, view)
        return self.allows(request, view.role)

    def resolve(self, request, view) -> None:
        view.project, view.role = project_for(request.user, view.kwargs["slug"])

    def allows(self, request, role: str) -> bool:
        return True


class IsProjectMember(ScopedPermission):
    """Annotators and reviewers of the project."""


class IsProjectReviewer(ScopedPermission):
    audience = "reviewers of the project"

    def allows(self, request, role: str) -> bool:
        return role == Role.REVIEWER


class IsProjectMemberReviewerWrites(ScopedPermission):
    audience = "members of the project may read; its reviewers may write"

    def allows(self, request, role: str) -> bool:
        return request.method in SAFE_METHODS or role == Role.REVIEWER


class IsMemberOfObjectProject(ScopedPermission):
    """Members of the project of the object the URL names (`name`_id), stored as view.`name`."""

    name: str
    find = None  # claims.access's lookup: (user, id) -> (object, role), 404 for outsiders

    def resolve(self, request, view) -> None:
        object_id = view.kwargs[f"{self.name}_id"]
        if object_id > MAX_ID:
            raise Http404(f"No such {self.name}.")
        found, view.role = type(self).find(request.user, object_id)
        setattr(view, self.name, found)
        view.project = found.project


class IsSentenceMember(IsMemberOfObjectProject):
    audience = "members of the sentence's project"
    name = "sentence"
    find = sentence_for


class IsArticleMember(IsMemberOfObjectProject):
    audience = "members of the article's project"
    name = "article"
    find = article_for


class CanReadAnnotation(ScopedPermission):
    audience = "reviewers of the annotation's project, and its own annotator"

    def resolve(self, request, view) -> None:
        annotation_id = view.kwargs["annotation_id"]
        annotation = None
        if annotation_id <= MAX_ID:  # no row has a larger id; the database refuses to look
            annotation = (
                annotations_with_details(Annotation.objects.filter(pk=annotation_id))
                .select_related("sentence__project")
                .first()
            )
        role = role_in(annotation.sentence.project, request.user) if annotation else None
        if not annotation_visible(annotation, request.user, role):
            raise Http404("No such annotation.")
        view.annotation, view.role = annotation, role


def audience_of(view) -> list[str]:
    """Return who may call the view, as its permission classes declare it."""
    return [
        permission.audience
        for permission in view.get_permissions()
        if isinstance(permission, ScopedPermission)
    ]
