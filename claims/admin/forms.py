"""The edit-gold form: labels, stances and attribution rows, checked like an API payload."""

from dataclasses import dataclass
from typing import Any

from django import forms

from claims.models import Annotation, LabelField, LabelOption, Project, QuoteType, Speaker
from claims.payloads import MAX_ATTRIBUTIONS, SPAN_ROLES

Choices = list[tuple[Any, str]]


@dataclass(frozen=True)
class GoldOptions:
    """What the form offers: the project's labels, targets and speakers (three queries)."""

    claims: Choices
    claim_types: Choices
    stances: Choices
    targets: Choices
    speakers: Choices

    @classmethod
    def for_project(cls, project: Project, used_speaker_ids: set[int]) -> "GoldOptions":
        by_field: dict[str, Choices] = {field: [] for field in LabelField.values}
        for option in LabelOption.objects.filter(schema_id=project.schema_id):
            by_field[option.field].append((option.value, f"{option.title} ({option.value})"))
        speakers = list(Speaker.objects.filter(project=project).values_list("id", "name"))
        used = [(pk, name) for pk, name in speakers if pk in used_speaker_ids]
        return cls(
            claims=by_field[LabelField.CLAIM],
            claim_types=by_field[LabelField.CLAIM_TYPE],
            stances=by_field[LabelField.STANCE],
            targets=list(project.targets.values_list("id", "name")),
            speakers=[
                ("", "no speaker"),
                ("Used on this sentence", used),
                ("All speakers of the project", speakers),
            ],
        )


class GoldForm(forms.Form):
    claim = forms.ChoiceField(widget=forms.RadioSelect)
    claim_types = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    based_on = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, options: GoldOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = options.claims
        self.fields["claim_types"].choices = options.claim_types
        self.targets = options.targets
        for target_id, name in options.targets:
            self.fields[f"stance_{target_id}"] = forms.ChoiceField(
                label=f"Stance toward: {name}",
                required=False,
                choices=[("", "no stance"), *options.stances],
            )

    def stance_fields(self):
        return [self[f"stance_{target_id}"] for target_id, _ in self.targets]


class AttributionForm(forms.Form):
    speaker = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    source_start = forms.IntegerField(required=False, min_value=0)
    source_end = forms.IntegerField(required=False, min_value=0)
    cue_start = forms.IntegerField(required=False, min_value=0)
    cue_end = forms.IntegerField(required=False, min_value=0)
    content_start = forms.IntegerField(required=False, min_value=0)
    content_end = forms.IntegerField(required=False, min_value=0)
    quote_type = forms.ChoiceField(required=False, choices=[("", "-"), *QuoteType.choices])

    def __init__(self, *args, speakers: Choices = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = speakers

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(value not in (None, "") for key, value in data.items() if key != "DELETE")


AttributionFormSet = forms.formset_factory(
    AttributionForm, extra=1, can_delete=True, max_num=MAX_ATTRIBUTIONS, validate_max=True
)


def initial_from(annotation: Annotation | None) -> tuple[dict, list[dict]]:
    """Return the form's and the attribution rows' initial values copied from an annotation."""
    if annotation is None:
        return {}, []
    form = {
        "claim": annotation.claim,
        "claim_types": list(annotation.claim_types),
        **{f"stance_{s.target_id}": s.label for s in annotation.stances.all()},
    }
    rows = [
        {
            "speaker": a.speaker_id,
            "quote_type": a.quote_type,
            **{
                f"{role}_{end}": getattr(a, f"{role}_{end}")
                for role in SPAN_ROLES
                for end in ("start", "end")
            },
        }
        for a in annotation.attributions.all()
    ]
    return form, rows


def span_payload(data: dict, role: str) -> dict | None:
    start, end = data.get(f"{role}_start"), data.get(f"{role}_end")
    if start is None and end is None:
        return None
    return {"start": start, "end": end}


def gold_payload(form: GoldForm, formset) -> tuple[dict, list[int]]:
    """Return the annotation payload, and the form row number of each attribution in it."""
    data = form.cleaned_data
    attributions, rows = [], []
    for number, row in enumerate(formset.forms, start=1):
        if row.is_blank() or row.cleaned_data.get("DELETE"):
            continue
        cleaned = row.cleaned_data
        attributions.append(
            {
                "speaker": {"id": cleaned["speaker"]} if cleaned.get("speaker") else None,
                **{role: span_payload(cleaned, role) for role in SPAN_ROLES},
                "quote_type": cleaned.get("quote_type") or "",
            }
        )
        rows.append(number)
    payload = {
        "status": "submitted",
        "claim": data["claim"],
        "claim_types": data["claim_types"],
        "attributions": attributions,
        "stance": [
            {"target": target_id, "label": data[f"stance_{target_id}"]}
            for target_id, _ in form.targets
            if data.get(f"stance_{target_id}")
        ],
        "lead_time_ms": 0,
    }
    return payload, rows


ITEM_NAMES = {"attributions": "attribution row", "stance": "stance"}


def error_lines(errors: Any, rows: list[int], path: tuple[str, ...] = ()) -> list[str]:
    """Flatten DRF-shaped payload errors into lines naming the field, rows numbered as shown."""
    if isinstance(errors, dict):
        return [
            line for key, value in errors.items() for line in error_lines(value, rows, (*path, key))
        ]
    if isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        where = " ".join(p for p in path if p != "non_field_errors").replace("_", " ")
        where = where.strip().rstrip(",")
        return [f"{where}: {message}" if where else message for message in errors]
    name = ITEM_NAMES.get(path[-1], path[-1]) if path else "item"
    lines = []
    for index, item in enumerate(errors or []):
        if item:
            shown = rows[index] if name == "attribution row" and index < len(rows) else index + 1
            lines += error_lines(item, rows, (*path[:-1], f"{name} {shown},"))
    return lines
