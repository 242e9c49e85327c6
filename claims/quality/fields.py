"""The label fields agreement is measured on, each a function from a rating to a label.

A rating that has no value for a field (no stance toward a target) is a missing rating for
that field, which Krippendorff's alpha and the pairwise statistics handle as such.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from claims.labels import ProjectLabels
from claims.quality.gather import Rating

PRESENT, ABSENT = "present", "absent"


@dataclass(frozen=True)
class LabelFieldSpec:
    """One label field: `field` is the kind, `subject` the claim type or stance target name."""

    field: str
    subject: str | None
    title: str
    value: Callable[[Rating], Hashable | None]


def claim_type_value(claim_type: str) -> Callable[[Rating], str]:
    return lambda rating: PRESENT if claim_type in rating.claim_types else ABSENT


def stance_value(target_id: int) -> Callable[[Rating], str | None]:
    return lambda rating: rating.stances.get(target_id)


def label_fields(labels: ProjectLabels) -> list[LabelFieldSpec]:
    """Return the fields of the report: claim, check-worthiness, each claim type, each target."""
    fields = [LabelFieldSpec("claim", None, "Claim label", lambda rating: rating.claim)]
    if (checkworthy := labels.checkworthy) is not None:
        fields.append(
            LabelFieldSpec(
                "checkworthiness",
                None,
                "Check-worthy (vs not)",
                lambda rating: rating.claim == checkworthy,
            )
        )
    fields += [
        LabelFieldSpec("claim_type", t.value, f"Claim type: {t.value}", claim_type_value(t.value))
        for t in labels.claim_types
    ]
    fields += [
        LabelFieldSpec("stance", t.name, f"Stance: {t.name}", stance_value(t.id))
        for t in labels.targets
    ]
    return fields


def field_ratings(
    spec: LabelFieldSpec, by_sentence: Mapping[int, Mapping[str, Rating]]
) -> dict[int, dict[str, Hashable | None]]:
    """Return sentence -> annotator -> label for one field, the input of claims.quality.stats."""
    return {
        sentence_id: {name: spec.value(rating) for name, rating in by_user.items()}
        for sentence_id, by_user in by_sentence.items()
    }
