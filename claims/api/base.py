"""What every view under /api/v1/projects/{slug}/ shares."""

from rest_framework import generics

from claims.access import project_for
from claims.models import Project


class ProjectScopedView(generics.GenericAPIView):
    """Resolve the project and the requester's role once; outsiders get 404 for everything.

    Authentication runs first, so anonymous requests get 401 before anything is looked up.
    """

    project: Project
    role: str

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.project, self.role = project_for(request.user, kwargs["slug"])
