"""The curator's loop in the admin: the training form starts a job with the chosen options,
the job's page follows its progress (part, epoch, loss, dev figures) and ends in words with a
link to the model; the model's page compares it with the rules and the active model on its dev
articles and shows its reliability; activating says what changes."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.jobs.models import Job, JobStatus
from claims.learning.activation import model_activate
from claims.learning.models import ModelComparison, SuggestionModel, Uncertainty
from claims.learning.training import train_suggester
from claims.models import QueueOrder, Role
from tests.factories import make_article, make_member
from tests.learning.test_models import SMALL, article, labelled  # noqa: F401 - the fixture

TODO = "Officials said the border is closed. Rain fell overnight in the capital."


@pytest.fixture
def curator(labelled):  # noqa: F811
    user = make_member(labelled, Role.REVIEWER, "cora")
    user.is_staff = True
    user.save()
    return user


def train_url(project) -> str:
    return reverse("admin:claims_project_train", args=[project.pk])


def test_the_training_form_starts_a_job_with_the_chosen_options(client, labelled, curator):  # noqa: F811
    client.force_login(curator)
    page = client.get(train_url(labelled)).content.decode()
    assert "30 gold labels, 0 submitted" in page  # the attributions of the ten articles
    response = client.post(
        train_url(labelled), {"parts": ["spans"], "epochs": 2, "submitted": "on"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.params == {"parts": ["spans"], "epochs": 2, "submitted": True}
    assert job.status == JobStatus.SUCCEEDED, job.error
    model = SuggestionModel.objects.get(pk=job.result["model"])
    assert model.meta["parts"] == ["spans"] and model.meta["submitted"] is True
    assert "classifier" not in model.meta  # the claim labels were left out, as asked
    assert model.meta["settings"]["tagger_loop"]["epochs"] == 2
    # Its progress: two epochs of the span tagger, each with its dev figures.
    history = job.detail["history"]
    assert [(h["part"], h["epoch"]) for h in history] == [("spans", 1), ("spans", 2)]
    assert {"source_precision", "cue_recall"} <= set(history[-1]["dev"])
    assert job.detail["epochs"] == 2 and job.detail["parts"] == ["spans"]


def test_the_form_refuses_a_part_without_labels(client, labelled, curator):  # noqa: F811
    client.force_login(curator)
    response = client.post(train_url(labelled), {"parts": ["stance"], "epochs": 2})
    assert response.status_code == 200
    assert "Stance classifier: no labels to learn from." in response.content.decode()
    response = client.post(train_url(labelled), {"parts": ["spans"], "epochs": 0})
    assert "greater than or equal to 1" in response.content.decode()
    assert not Job.objects.exists()
    outsider = make_member(make_article(labelled, TODO).project, Role.ANNOTATOR, "ann")
    outsider.is_staff = True
    outsider.save()
    client.force_login(outsider)
    assert client.get(train_url(labelled)).status_code == 404


def test_the_form_refuses_labels_in_a_single_article_and_queues_nothing(client, tmp_path, project):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(article(0)) + "\n", encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold")
    user = make_member(project, Role.REVIEWER, "cora")
    user.is_staff = True
    user.save()
    client.force_login(user)
    page = client.get(train_url(project)).content.decode()
    assert "3 gold labels, 0 submitted" in page  # the one article's attributions
    response = client.post(train_url(project), {"parts": ["spans", "claim"], "epochs": 2})
    assert response.status_code == 200
    assert "The gold labels are in only one article: training needs two" in (
        response.content.decode()
    )
    assert not Job.objects.exists()


def test_the_job_page_shows_progress_and_ends_in_words_with_a_link(client, labelled, curator):  # noqa: F811
    client.force_login(curator)
    client.post(train_url(labelled), {"parts": ["spans", "claim"], "epochs": 2})
    job = Job.objects.get()
    model = SuggestionModel.objects.get()
    # A run in the middle, as its page and the API show it while it trains.
    running = dict(job.detail, part="spans", run="", epoch=1, epochs=2)
    running |= {"left_seconds": 150, "part_done": 0.5}
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, detail=running, done=25)
    state_url = reverse("admin:jobs_job_state", args=[job.pk])
    state = client.get(state_url).content.decode()
    assert "Training the span tagger: epoch 1 of 2" in state
    assert "about 2 min left for it; then the claim classifier." in state
    assert "data-final" not in state and f'data-refresh="{state_url}"' in state
    assert '<th scope="col">source P / R / F1</th>' in state
    assert "Figures on the dev articles after each epoch" in state
    page = client.get(job.get_absolute_url()).content.decode()
    assert "annotator/refresh.js" in page and "<script>" not in page.replace(" ", "")
    api = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert api["detail"]["epoch"] == 1 and api["detail"]["history"][0]["dev"]

    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, done=100)
    done = client.get(state_url).content.decode()
    assert "data-final" in done
    link = reverse("admin:learning_suggestionmodel_change", args=[model.pk])
    assert f'Trained <a href="{link}">model v1</a> of demo on 10 article(s), 1 kept apart' in done
    assert "On dev: source P" in done
    listed = client.get(reverse("admin:jobs_job_changelist")).content.decode()
    assert "Trained model v1 of demo on 10 article(s)" in listed and "{&quot;" not in listed


def test_the_model_page_compares_it_with_the_rules_and_the_active_model(client, labelled, curator):  # noqa: F811
    first = train_suggester(project=labelled, settings=SMALL)
    model_activate(model=first)
    second = train_suggester(project=labelled, settings=SMALL)
    client.force_login(curator)
    page = client.get(reverse("admin:learning_suggestionmodel_change", args=[second.pk]))
    html = page.content.decode()
    comparison = ModelComparison.objects.get(model=second)
    assert comparison.against == first
    figures = comparison.figures
    assert set(figures) == {"model", "rules", "active"}
    assert figures["model"]["articles"] == 2  # the quarter of the ten articles kept for dev
    assert figures["rules"]["articles"] == figures["model"]["articles"]
    assert "claim" not in figures["rules"] and "claim" in figures["model"]
    # Trained with the same settings, the active model kept the same articles apart.
    assert figures["active"]["trained_on"] == 0 and "Model v1 kept them apart too." in html
    assert '<th scope="col">model v1 (active)</th>' in html
    assert '<th scope="col">this model (v2)</th>' in html
    for label in ("source F1", "cue P", "content R", "accuracy", "check-worthiness MAP"):
        assert f"<td>{label}</td>" in html
    assert 'id="reliability"' in html and "share right" in html and "calibration error" in html
    # Decoding and calibration were chosen on these articles: the page says so.
    assert "were chosen on these same articles, so these figures lean optimistic" in html
    bins = figures["model"]["reliability"]["spans"]
    assert bins["n"] == sum(b["n"] for b in bins["bins"]) > 0
    # Asked again, the stored comparison is shown; none is computed twice.
    client.get(reverse("admin:learning_suggestionmodel_change", args=[second.pk]))
    assert ModelComparison.objects.filter(model=second).count() == 1


def test_activation_says_what_changes_then_activates_and_rescores(client, labelled, curator):  # noqa: F811
    labelled.queue_order = QueueOrder.UNCERTAIN
    labelled.save(update_fields=["queue_order"])
    todo = make_article(labelled, TODO, "todo")
    first = train_suggester(project=labelled, settings=SMALL)
    model_activate(model=first)
    second = train_suggester(project=labelled, settings=SMALL)
    client.force_login(curator)
    url = reverse("admin:learning_suggestionmodel_activate", args=[second.pk])
    page = client.get(url).content.decode()
    assert "Suggestions in project demo will come from model v2 instead of model v1" in page
    assert "The uncertain-first order will be rescored by model v2" in page
    assert "of 2 sentence(s) of the queue" in page
    assert SuggestionModel.objects.get(pk=second.pk).active is False  # nothing changed yet
    response = client.post(url, follow=True)
    assert "Model v2 is now active" in response.content.decode()
    assert SuggestionModel.objects.get(active=True) == second
    scored = Uncertainty.objects.filter(project=labelled)
    assert set(scored.values_list("sentence_id", flat=True)) == set(
        todo.sentences.values_list("id", flat=True)
    )
    assert set(scored.values_list("model_id", flat=True)) == {second.pk}


def test_the_models_list_is_narrow_and_links_each_model(client, labelled, curator):  # noqa: F811
    model = train_suggester(project=labelled, settings=SMALL)
    client.force_login(curator)
    html = client.get(reverse("admin:learning_suggestionmodel_changelist")).content.decode()
    assert reverse("admin:learning_suggestionmodel_change", args=[model.pk]) in html
    assert "sou " in html and "F_avg" not in html  # figures in short form, no stance here
