"""Which jobs a user may see: those they started, and those of the projects they review."""

from django.db.models import Q, QuerySet

from claims.access import is_signed_in, reviewed_projects
from claims.jobs.models import Job


def jobs_visible_to(user) -> QuerySet[Job]:
    if not is_signed_in(user):
        return Job.objects.none()
    if user.is_superuser:
        return Job.objects.all()
    return Job.objects.filter(Q(started_by=user) | Q(project__in=reviewed_projects(user)))
