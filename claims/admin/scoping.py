"""Admin access for reviewers: what a non-superuser sees is limited to the projects they review.

Superusers see everything. Other staff users see the claims pages only for projects where
they hold the reviewer role (claims.access): lists are filtered, other projects'
objects answer "not found", and viewing needs no Django model permission. Changing settings,
schemas and memberships still needs the usual Django permissions (superusers have them).
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet
from django.template.response import TemplateResponse

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


class ReadOnly:
    """Records written elsewhere (history, jobs, merges): the admin only shows them.

    For model admins and inlines alike (an inline's add permission is asked with the parent).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The largest id a database column holds (64-bit signed); larger numbers fail in the driver.
MAX_ID = 2**63 - 1
SEARCH_VAR = "q"


class BadLookup(Exception):
    """The list's query string holds a value that cannot be looked up: a 400, not a 500."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def lookup_problems(params) -> list[str]:
    """Return a line per parameter no database could look up (named, with the problem)."""
    problems = []
    for name, values in params.lists():
        for value in values:
            if "\x00" in name or "\x00" in value:
                problems.append(f"{name.replace(chr(0), '')}: contains a NUL character")
            elif name != SEARCH_VAR and value.lstrip("-").isdigit() and abs(int(value)) > MAX_ID:
                problems.append(f"{name}: {value} is out of range")
    return problems


class ChecksLookups:
    """Answer a list whose filters cannot be looked up with a 400 naming each parameter.

    Django's own answer to a malformed filter is a redirect to the unfiltered list with no
    reason given, and values that reach the database unchecked (a NUL character on
    PostgreSQL, a number beyond 64 bits on SQLite) fail there as a server error.
    """

    def get_changelist_instance(self, request):
        problems = lookup_problems(request.GET)
        if problems:
            raise BadLookup(problems)
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise BadLookup([str(error)]) from None

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadLookup as bad:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Cannot list {self.model._meta.verbose_name_plural}",
                "problems": bad.problems,
            }
            return TemplateResponse(request, "admin/claims/bad_lookup.html", context, status=400)


class ProjectScopedAdmin(ChecksLookups, ReviewerMayView, admin.ModelAdmin):
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
