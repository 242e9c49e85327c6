"""Who may review (see agreement, adjudicate) which project.

Superusers review every project. Everyone else, staff included, reviews only the projects
where they hold the reviewer role: the admin's review pages and gold writes are checked
against the sentence's own project, so a reviewer of project A cannot adjudicate in B.
"""

from django.db.models import QuerySet

from claims.models import Membership, Project, Role


def reviewed_projects(user) -> QuerySet[Project]:
    """Return the projects the user reviews."""
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    return Project.objects.filter(memberships__user=user, memberships__role=Role.REVIEWER)


def may_review(user, project: Project) -> bool:
    """Return True when the user reviews the project."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(project=project, user=user, role=Role.REVIEWER).exists()
