"""List filters whose choices come from small tables (never a scan of the annotations)."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from claims.admin.scoping import reviewed_project_ids, scoped
from claims.models import LabelField, LabelOption, Membership, Project, Stance


def number(value: str, name: str) -> int:
    """Return the id given in the query string, or refuse it naming the parameter."""
    if not value.isdigit():
        raise IncorrectLookupParameters(f"{name}: {value!r} is not an id (a whole number)")
    return int(value)


class ProjectFilter(admin.SimpleListFilter):
    """Filter by project; the model admin's `project_lookup` says how to reach it."""

    title = "project"
    parameter_name = "project"

    def __init__(self, request, params, model, model_admin):
        self.project_lookup = getattr(model_admin, "project_lookup", "project")
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return list(
            scoped(Project.objects.order_by("name"), request, "pk").values_list("pk", "name")
        )

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        project_id = number(self.value(), self.parameter_name)
        return queryset.filter(**{f"{self.project_lookup}_id": project_id})


class AnnotatorFilter(admin.SimpleListFilter):
    """Filter by annotator, choosing among the members of the projects in view."""

    title = "annotator"
    parameter_name = "annotator"

    def lookups(self, request, model_admin):
        ids = reviewed_project_ids(request)
        members = (
            Membership.objects.all()
            if ids is None
            else Membership.objects.filter(project_id__in=ids)
        )
        users = get_user_model().objects.filter(pk__in=members.values("user_id"))
        return list(users.order_by("username").values_list("pk", "username"))

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(annotator_id=number(self.value(), self.parameter_name))


class LabelFilter(admin.SimpleListFilter):
    """Filter by one of the label schemas' values of `label_field`."""

    label_field: str

    def lookups(self, request, model_admin):
        ids = reviewed_project_ids(request)
        options = LabelOption.objects.filter(field=self.label_field)
        if ids is not None:
            options = options.filter(schema__projects__in=ids)
        seen: dict[str, str] = {}
        for value, title in options.order_by("position", "value").values_list("value", "title"):
            seen.setdefault(value, title)
        return list(seen.items())


class ClaimLabelFilter(LabelFilter):
    title = "claim label"
    parameter_name = "claim"
    label_field = LabelField.CLAIM

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(claim=self.value())


class StanceLabelFilter(LabelFilter):
    """Annotations with at least one stance of this label (toward any target)."""

    title = "stance label"
    parameter_name = "stance"
    label_field = LabelField.STANCE

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        stances = Stance.objects.filter(annotation=OuterRef("pk"), label=self.value())
        return queryset.filter(Exists(stances))
