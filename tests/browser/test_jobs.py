"""A job's page follows the job by itself (a script file, under the site's CSP): the training's
epoch and dev figures appear as the worker writes them, then its outcome with a link."""

import re

from playwright.sync_api import expect

from claims.jobs.models import Job, JobStatus
from claims.learning.models import SuggestionModel
from claims.models import Role
from tests.factories import PASSWORD, make_member, make_project


def test_the_job_page_updates_itself_until_the_job_is_done(page, live_server, transactional_db):
    project = make_project("loop")
    reviewer = make_member(project, Role.REVIEWER, "cora")
    reviewer.is_staff = True
    reviewer.save()
    detail = {"part": "spans", "parts": ["spans"], "epoch": 1, "epochs": 2, "loss": 300.0}
    job = Job.objects.create(
        kind="train_suggester", project=project, started_by=reviewer, status=JobStatus.RUNNING,
        done=10, total=100, detail=detail,
    )  # fmt: skip
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}/admin/login/?next={job.get_absolute_url()}")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    state = page.locator(".job-state")
    expect(state).to_contain_text("Training the span tagger: epoch 1 of 2")

    history = [{"part": "spans", "epoch": 1, "loss": 300.0, "dev": {"source_precision": 0.61}}]
    Job.objects.filter(pk=job.pk).update(
        done=50, detail={**detail, "epoch": 2, "loss": 120.0, "history": history}
    )
    expect(state).to_contain_text("epoch 2 of 2, loss 120.00", timeout=10_000)
    expect(page.locator(".job-figures")).to_contain_text("0.610")

    model = SuggestionModel.objects.create(project=project, version=1, data=b"")
    result = {"model": model.pk, "version": 1, "documents": 9, "dev_documents": 1, "seconds": 75}
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=100, result=result)
    expect(state).to_contain_text("Trained model v1 of loop on 9 article(s)", timeout=10_000)
    page.get_by_role("link", name="model v1").click()
    expect(page).to_have_url(re.compile(rf"/admin/learning/suggestionmodel/{model.pk}/change/$"))
    assert refused == []
