"""The curators' admin pages fit a 1280-pixel-wide window: nothing scrolls sideways (the lists
beside their filters included)."""

from django.urls import reverse

from claims.jobs.models import Job, JobStatus
from claims.learning.models import SuggestionModel
from claims.models import Role
from tests.factories import (
    PASSWORD,
    make_article,
    make_member,
    make_project,
    make_user,
    save_annotation,
)

ROLES = ("source", "cue", "content")
LONG_TITLE = (
    "Russia ready to facilitate dialogue between Maduro and the Venezuelan opposition, "
    "Lavrov says after talks with his Norwegian counterpart in Moscow on Thursday"
)
SIDEWAYS = """() => [...document.querySelectorAll('*')].filter(e => {
    const overflow = getComputedStyle(e).overflowX;
    return (overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.tagName + '.' + e.className) .concat(
    document.documentElement.scrollWidth > window.innerWidth ? ['the page'] : [])"""


def test_the_curators_pages_fit_1280_pixels(page, live_server, transactional_db):
    project = make_project("wide-project-with-a-long-slug")
    make_user("root", is_staff=True, is_superuser=True)
    annotator = make_member(project, Role.ANNOTATOR, "annotator-with-a-long-name")
    article = make_article(project, f"{LONG_TITLE}\nThe talks resumed, Lavrov said.", "a-1")
    save_annotation(
        article.sentences.get(index=1),
        annotator,
        {"status": "submitted", "claim": "checkworthy", "claim_types": ["quantity", "prediction"]},
    )
    figures = {role: {"precision": 0.8, "recall": 0.7, "f1": 0.75} for role in ROLES}
    figures["claim"] = {"accuracy": 0.7, "map": 0.4}
    model = SuggestionModel.objects.create(
        project=project, version=1, data=b"", active=True, figures=figures
    )
    job = Job.objects.create(
        kind="train_suggester", project=project, started_by=annotator, status=JobStatus.SUCCEEDED,
        result={"model": model.pk, "version": 1, "documents": 60, "dev_documents": 6,
                "seconds": 128, "figures": model.figures},
        detail={"history": training_history()},
    )  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pages = [
        reverse("admin:claims_project_changelist"),
        reverse("admin:claims_project_change", args=[project.pk]),
        reverse("admin:claims_project_train", args=[project.pk]),
        reverse("admin:claims_labelschema_change", args=[project.schema_id]),
        reverse("admin:claims_article_changelist"),
        reverse("admin:claims_sentence_changelist"),
        reverse("admin:claims_annotation_changelist"),
        reverse("admin:claims_annotationevent_changelist"),
        reverse("admin:jobs_job_changelist"),
        reverse("admin:jobs_job_change", args=[job.pk]),
        reverse("admin:learning_suggestionmodel_changelist"),
        reverse("admin:learning_suggestionmodel_change", args=[model.pk]),
    ]
    scrolling = {}
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        found = page.evaluate(SIDEWAYS)
        if found:
            scrolling[path] = found
    assert scrolling == {}


def training_history() -> list[dict]:
    """Return the dev figures of a training of every part, the stance classifier's rows each
    named after its training (the longest names a row has)."""
    spans = {f"{role}_{name}": 0.61 for role in ROLES for name in ("precision", "recall", "f1")}
    stance = {"f_avg": 0.52, "accuracy": 0.64}
    stages = ["the sentence alone", "2 sentences each side"]
    stages.append("final: every labelled article, dev included, 2 sentences each side")
    history = [{"part": "spans", "epoch": 1, "loss": 300.0, "dev": spans}]
    history += [{"part": "claim", "epoch": 1, "loss": 2.0, "dev": {"map": 0.4}}]
    for stage in stages:
        history.append({"part": "stance", "epoch": 1, "loss": 0.1, "dev": stance, "stage": stage})
    return history
