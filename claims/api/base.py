"""What every view under /api/v1/projects/{slug}/ shares."""

from rest_framework import generics

from claims.api.permissions import IsProjectMember
from claims.models import Project


class ProjectScopedView(generics.GenericAPIView):
    """A view of one project; its permission classes set `project` and the requester's `role`.

    Members only by default; outsiders get 404 for everything, anonymous requests 401.
    """

    permission_classes = [IsProjectMember]
    project: Project
    role: str
