"""A tiny project's stance labels train a stance classifier, served per target."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.jobs.models import Job, JobStatus
from claims.labeling.queue import queue_rules_changed
from claims.learning import loader
from claims.learning.activation import model_activate
from claims.learning.models import ModelComparison, SuggestionModel
from claims.learning.training import train_suggester
from claims.models import Role
from claims.nlp.training import LoopSettings, TrainingSettings
from claims.nlp.training.stance_training import STANCE_LEARN_RATE
from claims.services.targets import target_add
from tests.factories import TARGET, make_article, make_member

BREXIT = "Brexit"
# (sentence, target, stance): each target's stance is in its own words.
SENTENCES = [
    ("Leaving the union was a triumph for Britain.", BREXIT, "favor"),
    ("Leaving the union was a disaster for Britain.", BREXIT, "against"),
    ("The envoys brought both sides to the table at last.", TARGET, "favor"),
    ("The envoys are a sham and should go home.", TARGET, "against"),
    ("The weather was mild on Tuesday.", BREXIT, "neutral"),
]
STANCE_ONLY = TrainingSettings(
    dev_share=0.25, stance_loop=LoopSettings(epochs=12, learn_rate=STANCE_LEARN_RATE)
)


def article(number: int) -> dict:
    """Return an article line whose sentences carry stance labels (no claim label)."""
    text, claims = "", []
    for offset in range(len(SENTENCES)):
        sentence, target, label = SENTENCES[(number + offset) % len(SENTENCES)]
        claims.append({
            "start": len(text), "end": len(text) + len(sentence), "claim": "",
            "stance": [{"target": target, "label": label}],
        })  # fmt: skip
        text += sentence + "\n"
    text += f"Filed from desk {number}.\n"  # unlabelled, and makes each article's text its own
    return {"id": f"s{number}", "text": text, "claims": claims}


@pytest.fixture
def stance_project(tmp_path, project):
    target_add(project=project, name=BREXIT)
    path = tmp_path / "stance.jsonl"
    path.write_text("".join(json.dumps(article(n)) + "\n" for n in range(12)), encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold")
    loader.forget_models()
    return project


def test_stance_labels_train_a_classifier_served_per_target(stance_project, client):
    model = train_suggester(project=stance_project, settings=STANCE_ONLY)
    stored = SuggestionModel.objects.get(pk=model.pk)
    assert sorted(stored.meta["stance"]["targets"]) == sorted([BREXIT, TARGET])
    assert 0 <= stored.figures["stance"]["f_avg"] <= 1
    assert {f"stance: {BREXIT}", f"stance: {TARGET}"} <= set(stored.figures)
    model_activate(model=model)

    client.force_login(make_member(stance_project, Role.ANNOTATOR, "ann"))
    sentence = stance_project.sentences.filter(text__startswith="Leaving the union was a tri")
    served = client.get(f"/api/v1/sentences/{sentence.first().pk}/suggestions/").json()
    by_target = {s["target"]: s for s in served["stance"]}
    assert set(by_target) == {BREXIT, TARGET}
    brexit = by_target[BREXIT]
    assert brexit["label"] == "favor"
    assert set(brexit["probabilities"]) == {"favor", "against", "neutral"}
    assert sum(brexit["probabilities"].values()) == pytest.approx(1, abs=1e-3)
    assert brexit["confidence"] == max(brexit["probabilities"].values())
    against = stance_project.sentences.filter(text__startswith="The envoys are a sham").first()
    served = client.get(f"/api/v1/sentences/{against.pk}/suggestions/").json()
    assert {s["target"]: s["label"] for s in served["stance"]}[TARGET] == "against"


def test_a_heading_is_offered_a_stance_too(stance_project, client):
    model_activate(model=train_suggester(project=stance_project, settings=STANCE_ONLY))
    client.force_login(make_member(stance_project, Role.ANNOTATOR, "ann"))
    article = make_article(stance_project, "Leaving the union a triumph\nIt was.\n", "h")
    heading = article.sentences.get(index=0)
    assert heading.kind == "heading"
    served = client.get(f"/api/v1/sentences/{heading.pk}/suggestions/").json()
    assert {s["target"] for s in served["stance"]} == {BREXIT, TARGET}


def test_the_labeling_item_carries_the_stance_suggestion(stance_project, client):
    model_activate(model=train_suggester(project=stance_project, settings=STANCE_ONLY))
    # Every sentence has gold (the training data): the project hands them out anyway.
    stance_project.gold_in_queue = True
    stance_project.save(update_fields=["gold_in_queue"])
    queue_rules_changed(stance_project)
    client.force_login(make_member(stance_project, Role.ANNOTATOR, "ann"))
    item = client.get(f"/api/v1/projects/{stance_project.slug}/next/").json()
    assert {s["target"] for s in item["suggestions"]["stance"]} == {BREXIT, TARGET}


def test_without_a_stance_model_no_stance_is_suggested(stance_project, client):
    client.force_login(make_member(stance_project, Role.ANNOTATOR, "ann"))
    sentence = stance_project.sentences.first()
    assert client.get(f"/api/v1/sentences/{sentence.pk}/suggestions/").json()["stance"] == []


def test_an_unknown_target_in_imported_labels_refuses_that_article(tmp_path, project):
    target_add(project=project, name=BREXIT)
    line = article(0)
    line["claims"][0]["stance"] = [{"target": "Nobody's target", "label": "favor"}]
    path = tmp_path / "unknown.jsonl"
    path.write_text(json.dumps(line) + "\n" + json.dumps(article(1)) + "\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), project=project.slug, as_="gold")
    assert project.articles.count() == 2
    labelled = project.articles.filter(sentences__annotations__isnull=False).distinct()
    assert {a.external_id for a in labelled} == {"s1"}


def test_the_model_page_compares_stance_with_the_active_model_and_the_rules(stance_project, client):
    model_activate(model=train_suggester(project=stance_project, settings=STANCE_ONLY))
    model = train_suggester(project=stance_project, settings=STANCE_ONLY)
    curator = make_member(stance_project, Role.REVIEWER, "cora")
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    html = client.get(reverse("admin:learning_suggestionmodel_change", args=[model.pk]))
    html = html.content.decode()
    figures = ModelComparison.objects.get(model=model).figures
    # Scored as served: the rules have no stance; both models have one per target.
    assert "stance" not in figures["rules"]
    for name in ("model", "active"):
        assert set(figures[name]["stance"]) == {BREXIT, TARGET}
        assert 0 <= figures[name]["stance"][BREXIT]["f_avg"] <= 1
    assert figures["model"]["reliability"]["stance"]["n"] > 0
    assert "Stance (F_avg: mean F1 of favor and against)" in html
    f_avg = figures["model"]["stance"][BREXIT]["f_avg"]
    assert f"<tr><td>{BREXIT}</td><td>—</td><td>{f_avg:.3f}</td><td>{f_avg:.3f}</td>" in html
    assert '<th scope="colgroup" colspan="2">stance</th>' in html
    assert "then trained again on every labelled article, these included" in html


def test_the_job_page_says_which_training_of_the_stance_classifier_each_row_is(
    stance_project, client
):
    curator = make_member(stance_project, Role.REVIEWER, "cora")
    curator.is_staff = True
    curator.save()
    client.force_login(curator)
    train = reverse("admin:claims_project_train", args=[stance_project.pk])
    client.post(train, {"parts": ["stance"], "epochs": 2})
    job = Job.objects.get()
    assert job.status == JobStatus.SUCCEEDED, job.error
    window = SuggestionModel.objects.get().meta["stance"]["window"]
    kept = "the sentence alone" if window == 0 else f"{window} sentences each side"
    final = f"final: every labelled article, dev included, {kept}"
    stages = [(h["stage"], h["epoch"]) for h in job.detail["history"]]
    # Twice the epochs asked for, once per window tried; then the final training.
    tried = [("the sentence alone", e) for e in range(1, 5)]
    tried += [("2 sentences each side", e) for e in range(1, 5)]
    assert stages[:8] == tried
    assert stages[8:] and all(stage == final for stage, _ in stages[8:])
    state = client.get(reverse("admin:jobs_job_state", args=[job.pk])).content.decode()
    for stage in ("the sentence alone", "2 sentences each side", final):
        assert f"<td>stance classifier: {stage}</td>" in state
    assert "trained again on every labelled article" in state
    # While it trains, it says which training is at hand and its own number of epochs.
    running = dict(job.detail, part="stance", run=final, epoch=1, epochs=len(stages[8:]))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, detail=running)
    state = client.get(reverse("admin:jobs_job_state", args=[job.pk])).content.decode()
    assert f"Training the stance classifier ({final}): epoch 1 of {len(stages[8:])}" in state
