"""Add stance targets to a project (the project's reviewers, through the API or the admin)."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from claims.errors import InvalidInput
from claims.models import Project, StanceTarget, fold_name, tidy_name

NAME_LENGTH = StanceTarget._meta.get_field("name").max_length


@transaction.atomic
def target_add(*, project: Project, name: str, description: str = "") -> StanceTarget:
    """Add a target after the project's others; raise InvalidInput naming ``name`` when it is
    blank, too long, or already a target of the project (in any case: two targets differing
    only in case or Unicode form would split one stance in two)."""
    name = tidy_name(name)
    if not name:
        raise InvalidInput({"name": ["a target needs a name"]})
    if len(name) > NAME_LENGTH:
        raise InvalidInput({"name": [f"at most {NAME_LENGTH} characters"]})
    targets = StanceTarget.objects.select_for_update().filter(project=project)
    # Compared as speaker names are (fold_name), not by the database's idea of case.
    taken = next(
        (t for t in targets.values_list("id", "name") if fold_name(t[1]) == fold_name(name)), None
    )
    if taken:
        raise InvalidInput({"name": [f"{taken[1]!r} is already target {taken[0]} of this project"]})
    last = targets.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            return StanceTarget.objects.create(
                project=project,
                name=name,
                description=description.strip(),
                position=0 if last is None else last + 1,
            )
    except IntegrityError:  # another request added the same name a moment ago
        raise InvalidInput({"name": [f"{name!r} is already a target of this project"]}) from None
