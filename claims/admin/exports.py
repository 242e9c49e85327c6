"""The reviewers' export page: choose format, status, split and rule; download the stream.

The download is the same streamed export as `manage.py export_dataset` and the API
(claims.exporting.pipeline); "Count" runs it without keeping the bytes and shows what was
resolved how and what was left out.
"""

from django import forms
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse

from claims.admin.review import page, reviewed_project
from claims.errors import InvalidInput
from claims.exporting.formats import FORMATS
from claims.exporting.options import ExportPer, ExportStatus, ResolveRule, options_from_strings
from claims.exporting.pipeline import export_bytes, formatter_for
from claims.models import Membership, Project, Role

STATUS_HELP = {
    ExportStatus.SUBMITTED: "sentences with a submitted annotation",
    ExportStatus.GOLD: "sentences with gold",
    ExportStatus.ALL: "every sentence, labeled or not (for pre-annotation)",
}
RESOLVE_HELP = {
    ResolveRule.MAJORITY: "majority: what more than half of the annotators chose",
    ResolveRule.UNION: "union: every span any annotator marked, the claim label by majority",
    ResolveRule.ANNOTATOR: "one annotator's annotation (choose below)",
    ResolveRule.GOLD: "gold only: leave sentences without gold out",
}


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=[(n, f"{n}: {f.description}") for n, f in FORMATS.items()])
    status = forms.ChoiceField(choices=list(STATUS_HELP.items()))
    resolve = forms.ChoiceField(
        choices=list(RESOLVE_HELP.items()),
        help_text="Single-label formats (spacy, hf, prodigy, doccano), for sentences without "
        "gold; the gold always wins. The jsonl format keeps every annotation.",
    )
    annotator = forms.ChoiceField(required=False, help_text="With the one-annotator rule.")
    split = forms.CharField(
        required=False,
        help_text="By article: train/dev/test percentages, e.g. 80/10/10 (or 90/10).",
        widget=forms.TextInput(attrs={"placeholder": "80/10/10", "size": 10}),
    )
    seed = forms.CharField(required=False, widget=forms.TextInput(attrs={"size": 6}))
    per = forms.ChoiceField(
        choices=[(p.value, f"one line per {p.value}") for p in ExportPer], required=False
    )
    min_annotations = forms.CharField(
        required=False, label="At least N submitted annotations",
        widget=forms.TextInput(attrs={"size": 4}),
    )  # fmt: skip
    since = forms.CharField(
        required=False, label="Annotated since", help_text="An ISO date, e.g. 2026-01-30.",
        widget=forms.TextInput(attrs={"size": 12}),
    )  # fmt: skip

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        annotators = Membership.objects.filter(project=project, role=Role.ANNOTATOR)
        names = annotators.order_by("user__username").values_list("user__username", flat=True)
        self.fields["annotator"].choices = [("", "-"), *((n, n) for n in names)]
        self.project = project
        self.formatter = None

    def clean(self):
        data = super().clean()
        rule = data.get("resolve")
        if rule == ResolveRule.ANNOTATOR and not data.get("annotator"):
            self.add_error("annotator", "Choose the annotator whose labels to use.")
        if self.errors:
            return data
        values = {
            name: data.get(name) or None
            for name in ("status", "split", "seed", "per", "min_annotations", "since")
        }
        if FORMATS[data["format"]].needs_labels and data["per"] != ExportPer.ANNOTATION:
            chosen = f"annotator:{data['annotator']}" if rule == ResolveRule.ANNOTATOR else rule
            values["resolve"] = chosen
        try:
            options = options_from_strings(values)
            self.formatter = formatter_for(data["format"], project=self.project, options=options)
        except InvalidInput as error:
            for name, problems in error.errors.items():
                for problem in problems:
                    self.add_error(name if name in self.fields else None, problem)
        return data


def export_page(model_admin, request, project_id: int):
    """Show the export form; download the export or count what it resolves and leaves out."""
    project = reviewed_project(request, project_id)
    asked = request.GET.get("do")
    form = ExportForm(request.GET if asked else None, project=project, initial=INITIAL)
    if asked and form.is_valid():
        formatter = form.formatter
        if asked == "download":
            return download(project, formatter)
        for _ in export_bytes(project=project, formatter=formatter):
            pass
        return export_form_page(model_admin, request, project, form, formatter)
    return export_form_page(model_admin, request, project, form, None)


INITIAL = {"format": "jsonl", "status": "submitted", "resolve": "majority", "per": "sentence"}


def export_form_page(model_admin, request, project, form, counted) -> TemplateResponse:
    return page(
        model_admin,
        request,
        "export.html",
        f"Export: {project.name}",
        project=project,
        form=form,
        counted=counted,
    )


def download(project: Project, formatter) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        export_bytes(project=project, formatter=formatter), content_type=formatter.media_type
    )
    filename = f"{project.slug}-{formatter.name}{formatter.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
