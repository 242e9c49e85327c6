"""The edit-gold form: labels, stances and attribution rows, read straight into content."""

from typing import Any

from django import forms

from claims.content import (
    MAX_ATTRIBUTIONS,
    AnnotationContent,
    AttributionContent,
    Span,
    SpeakerRef,
    StanceContent,
    content_of,
)
from claims.labels import LabelValue, ProjectLabels
from claims.models import Annotation, AnnotationStatus, Project, QuoteType, SpanRole, Speaker

Choices = list[tuple[Any, Any]]


def speaker_choices(project: Project, used_speaker_ids: set[int]) -> Choices:
    """Return the speakers to offer: those used on the sentence first, then all (one query)."""
    speakers = list(Speaker.objects.filter(project=project).values_list("id", "name"))
    used = [(pk, name) for pk, name in speakers if pk in used_speaker_ids]
    return [
        ("", "no speaker"),
        ("Used on this sentence", used),
        ("All speakers of the project", speakers),
    ]


def choices(values: tuple[LabelValue, ...]) -> Choices:
    return [(v.value, f"{v.title} ({v.value})") for v in values]


class GoldForm(forms.Form):
    claim = forms.ChoiceField(widget=forms.RadioSelect)
    claim_types = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    based_on = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, labels: ProjectLabels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].choices = choices(labels.claims)
        self.fields["claim_types"].choices = choices(labels.claim_types)
        self.targets = labels.targets
        for target in labels.targets:
            self.fields[f"stance_{target.id}"] = forms.ChoiceField(
                label=f"Stance toward: {target.name}",
                required=False,
                choices=[("", "no stance"), *choices(labels.stances)],
            )

    def stance_fields(self):
        return [self[f"stance_{target.id}"] for target in self.targets]


class AttributionForm(forms.Form):
    """One attribution row: a speaker, a from/to pair per span role, a quote type."""

    speaker = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    quote_type = forms.ChoiceField(required=False, choices=[("", "-"), *QuoteType.choices])

    def __init__(self, *args, speakers: Choices = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].choices = speakers
        for role in SpanRole:
            for name in role.fields:
                self.fields[name] = forms.IntegerField(required=False, min_value=0)
        self.order_fields(["speaker", *(n for role in SpanRole for n in role.fields)])

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(value not in (None, "") for key, value in data.items() if key != "DELETE")

    def span(self, role: SpanRole) -> Span | None:
        start, end = (self.cleaned_data.get(name) for name in role.fields)
        if start is None and end is None:
            return None
        # A half-given span is kept as given, so that the check names the missing end.
        return Span(-1 if start is None else start, -1 if end is None else end)

    def content(self) -> AttributionContent:
        speaker = self.cleaned_data.get("speaker")
        return AttributionContent(
            speaker=SpeakerRef(id=speaker) if speaker else None,
            quote_type=self.cleaned_data.get("quote_type") or "",
            **{role.value: self.span(role) for role in SpanRole},
        )


AttributionFormSet = forms.formset_factory(
    AttributionForm, extra=1, can_delete=True, max_num=MAX_ATTRIBUTIONS, validate_max=True
)


def initial_from(annotation: Annotation | None) -> tuple[dict, list[dict]]:
    """Return the form's and the attribution rows' initial values copied from an annotation."""
    if annotation is None:
        return {}, []
    content = content_of(annotation)
    form = {
        "claim": content.claim,
        "claim_types": list(content.claim_types),
        **{f"stance_{s.target_id}": s.label for s in content.stances},
    }
    rows = []
    for attribution in content.attributions:
        row = {
            "speaker": attribution.speaker and attribution.speaker.id,
            "quote_type": attribution.quote_type,
        }
        for role in SpanRole:
            row.update(zip(role.fields, attribution.span(role) or (None, None), strict=True))
        rows.append(row)
    return form, rows


def gold_content(form: GoldForm, formset) -> tuple[AnnotationContent, list[int]]:
    """Return the content the forms hold, and the form row number of each attribution in it."""
    data = form.cleaned_data
    attributions, rows = [], []
    for number, row in enumerate(formset.forms, start=1):
        if row.is_blank() or row.cleaned_data.get("DELETE"):
            continue
        attributions.append(row.content())
        rows.append(number)
    content = AnnotationContent(
        claim=data["claim"],
        claim_types=tuple(sorted(set(data["claim_types"]))),
        attributions=tuple(attributions),
        stances=tuple(
            StanceContent(target.id, data[f"stance_{target.id}"])
            for target in form.targets
            if data.get(f"stance_{target.id}")
        ),
        status=AnnotationStatus.SUBMITTED,
    )
    return content, rows
