"""The reviewers' training page: which parts to train, how long, from which labels; the job
then trains in a worker and its page shows the progress."""

from django import forms
from django.db.models import Count, Q
from django.http import HttpResponseRedirect

from claims.admin.review import page, reviewed_project
from claims.jobs.kinds.learning import DEFAULT_EPOCHS, TRAIN_SUGGESTER
from claims.jobs.services import job_start
from claims.learning.documents import PARTS
from claims.models import Annotation, AnnotationKind, AnnotationStatus, Attribution, Project, Stance

MAX_EPOCHS = 50
PART_CHOICES = {
    "spans": "Span tagger: source, cue and content of attributions",
    "claim": "Claim classifier: the claim label and the check-worthiness score",
    "stance": "Stance classifier: the stance toward each of the project's targets",
}


def label_counts(project: Project) -> dict[str, dict[str, int]]:
    """Return, per part, how many gold and submitted annotator labels the project has."""
    kinds = {"gold": AnnotationKind.GOLD, "submitted": AnnotationKind.ANNOTATOR}
    where = {"sentence__project": project, "status": AnnotationStatus.SUBMITTED}

    def counted(model, prefix: str, **more) -> dict[str, int]:
        return model.objects.filter(
            **{f"{prefix}{k}": v for k, v in where.items()}, **more
        ).aggregate(
            **{
                name: Count("pk", filter=Q(**{f"{prefix}kind": kind}))
                for name, kind in kinds.items()
            }
        )

    return {
        "spans": counted(Attribution, "annotation__"),
        "claim": counted(Annotation, "", claim__gt=""),
        "stance": counted(Stance, "annotation__"),
    }


def labelled_articles(project: Project) -> dict[str, int]:
    """Return how many articles have a gold annotation, and how many have a gold or a
    submitted annotator one (what training counts as its documents)."""
    where = Q(sentence__project=project, status=AnnotationStatus.SUBMITTED)
    return Annotation.objects.filter(where).aggregate(
        gold=Count("sentence__article", distinct=True, filter=Q(kind=AnnotationKind.GOLD)),
        submitted=Count("sentence__article", distinct=True),
    )


class TrainingForm(forms.Form):
    parts = forms.MultipleChoiceField(
        label="Train",
        widget=forms.CheckboxSelectMultiple,
        choices=list(PART_CHOICES.items()),
        error_messages={"required": "Choose at least one part to train."},
    )
    epochs = forms.IntegerField(
        min_value=1,
        max_value=MAX_EPOCHS,
        initial=DEFAULT_EPOCHS,
        help_text="Passes over the training articles, for each part. More take longer; the "
        "dev figures after each epoch show whether they still help.",
        widget=forms.NumberInput(attrs={"size": 4}),
    )
    submitted = forms.BooleanField(
        required=False,
        label="Also learn from the annotators' submitted labels",
        help_text="Where a sentence has no gold: the labels most of its annotators gave.",
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.counts = label_counts(project)
        self.articles = labelled_articles(project)
        self.fields["parts"].choices = [
            (part, f"{PART_CHOICES[part]} ({self.count_line(part)})") for part in PARTS
        ]
        self.fields["parts"].initial = [p for p in PARTS if self.counts[p]["gold"]]

    def count_line(self, part: str) -> str:
        found = self.counts[part]
        gold = found["gold"]
        return f"{gold} gold label{'' if gold == 1 else 's'}, {found['submitted']} submitted"

    def clean(self):
        data = super().clean()
        submitted = data.get("submitted")
        for part in data.get("parts") or ():
            found = self.counts[part]
            if not found["gold"] and not (submitted and found["submitted"]):
                hint = " (tick the submitted labels)" if found["submitted"] else ""
                self.add_error(
                    "parts",
                    f"{PART_CHOICES[part].split(':')[0]}: no labels to learn from{hint}.",
                )
        self.check_articles(submitted=bool(submitted))
        return data

    def check_articles(self, *, submitted: bool) -> None:
        """Refuse labels in a single article: training keeps an article apart for dev, so the
        job would fail after the wait."""
        found = self.articles["submitted" if submitted else "gold"]
        if found != 1:
            return  # none: the parts' errors say so
        what = "gold or submitted labels" if submitted else "gold labels"
        hint = (
            " (or tick the submitted labels: they are in more articles)"
            if not submitted and self.articles["submitted"] > 1
            else ""
        )
        self.add_error(
            None,
            f"The {what} are in only one article: training needs two, one of them kept "
            f"apart to measure the model on. Label a second article{hint}.",
        )


def training_page(model_admin, request, project_id: int):
    """Show the training form; on a valid post start the training job and open its page."""
    project = reviewed_project(request, project_id)
    form = TrainingForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind=TRAIN_SUGGESTER,
            user=request.user,
            project=project,
            params={
                "parts": form.cleaned_data["parts"],
                "epochs": form.cleaned_data["epochs"],
                "submitted": form.cleaned_data["submitted"],
            },
        )
        return HttpResponseRedirect(job.get_absolute_url())
    return page(
        model_admin, request, "train.html", f"Train a suggestion model: {project.name}",
        project=project, form=form,
    )  # fmt: skip
