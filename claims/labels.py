"""A project's labels, read once: its schema's values by field, and its stance targets.

Everything that offers, checks, measures or exports labels asks this module, so a project
whose schema names its claim values differently (`none` / `fact` / `priority`) works the same
as the default schema: what a claim value means is the schema's `claimbuster` class, and which
values take claim types is the schema's `takes_types`, never a value's name.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from claims.models import ClaimBuster, LabelField, LabelOption, Project, StanceTarget, fold_name
from claims.prepared import Prepared


@dataclass(frozen=True)
class LabelValue:
    """One value of a label field, as the schema defines it."""

    value: str
    title: str
    description: str
    shortcut: str
    takes_types: bool = False
    claimbuster: str = ""


@dataclass(frozen=True)
class Target:
    id: int
    name: str
    description: str


@dataclass(frozen=True)
class ProjectLabels:
    """The values of each label field in display order, and the stance targets."""

    claims: tuple[LabelValue, ...]
    claim_types: tuple[LabelValue, ...]
    stances: tuple[LabelValue, ...]
    targets: tuple[Target, ...]

    @cached_property
    def claim_values(self) -> frozenset[str]:
        return frozenset(v.value for v in self.claims)

    @cached_property
    def claim_type_values(self) -> frozenset[str]:
        return frozenset(v.value for v in self.claim_types)

    @cached_property
    def stance_values(self) -> frozenset[str]:
        return frozenset(v.value for v in self.stances)

    @cached_property
    def typed_claims(self) -> frozenset[str]:
        """Return the claim values that may carry claim types."""
        return frozenset(v.value for v in self.claims if v.takes_types)

    def claim_meaning(self, claimbuster: ClaimBuster) -> str | None:
        """Return the claim value standing for a ClaimBuster class, if the schema has one."""
        return next((v.value for v in self.claims if v.claimbuster == claimbuster), None)

    @property
    def not_claim(self) -> str | None:
        return self.claim_meaning(ClaimBuster.NFS)

    @property
    def checkworthy(self) -> str | None:
        return self.claim_meaning(ClaimBuster.CFS)

    def titles(self, field: LabelField) -> dict[str, str]:
        return {v.value: v.title for v in self.values_of(field)}

    def values_of(self, field: LabelField) -> tuple[LabelValue, ...]:
        return {
            LabelField.CLAIM: self.claims,
            LabelField.CLAIM_TYPE: self.claim_types,
            LabelField.STANCE: self.stances,
        }[LabelField(field)]

    @cached_property
    def target_ids(self) -> dict[str, int]:
        """Return target name -> id."""
        return {t.name: t.id for t in self.targets}

    @cached_property
    def target_names(self) -> dict[int, str]:
        return {t.id: t.name for t in self.targets}

    @cached_property
    def target_keys(self) -> dict[str, int]:
        """Return folded target name -> id (names are unique up to case, spacing and NFC)."""
        return {fold_name(t.name): t.id for t in self.targets}

    def target_id(self, ref: Any) -> int | None:
        """Return the id of a target given by name (in any case, spacing or Unicode form) or by
        id, or None if it is not the project's."""
        if isinstance(ref, str):
            return self.target_ids.get(ref) or self.target_keys.get(fold_name(ref))
        if isinstance(ref, int) and not isinstance(ref, bool) and ref in self.target_names:
            return ref
        return None


# Read on every save and by every page that offers labels: compiled once (claims.prepared).
OPTIONS = Prepared(
    lambda schema: (
        LabelOption.objects.filter(schema_id=schema)
        .order_by("position", "value")
        .values_list(
            "field", "value", "title", "description", "shortcut", "takes_types", "claimbuster"
        )
    ),
    schema=int,
)
TARGETS = Prepared(
    lambda project: (
        StanceTarget.objects.filter(project_id=project)
        .order_by("position", "id")
        .values_list("id", "name", "description")
    ),
    project=int,
)


def project_labels(project: Project) -> ProjectLabels:
    """Return the project's label values and stance targets (two queries)."""
    by_field: dict[str, list[LabelValue]] = {field: [] for field in LabelField.values}
    for field, *values in OPTIONS.rows(schema=project.schema_id):
        by_field[field].append(LabelValue(*values))
    return ProjectLabels(
        claims=tuple(by_field[LabelField.CLAIM]),
        claim_types=tuple(by_field[LabelField.CLAIM_TYPE]),
        stances=tuple(by_field[LabelField.STANCE]),
        targets=tuple(Target(*row) for row in TARGETS.rows(project=project.pk)),
    )
