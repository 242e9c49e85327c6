"""Training on a tiny project end to end, storing and activating models, and the origin and
confidence of the suggestions served."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.learning import loader
from claims.learning.activation import model_activate, model_deactivate
from claims.learning.models import SuggestionModel, Uncertainty
from claims.learning.training import model_store, train_suggester
from claims.models import Role
from claims.nlp.training import ClaimModel, LoopSettings, TaggerShape, TrainingSettings
from tests.factories import make_article, make_member

NAMES = ["Lavrov", "Maduro", "The minister", "Guaido", "The envoy", "Officials"]
CUES = ["said", "noted", "stressed"]
CONTENTS = ["talks would resume", "the border is closed", "aid will arrive soon"]
SMALL = TrainingSettings(
    dev_share=0.25,
    shape=TaggerShape(width=32, depth=2, window=1, rows=500),
    tagger_loop=LoopSettings(epochs=8, batch_words=200),
    classifier_kind="bow",
    classifier_loop=LoopSettings(epochs=8, batch_words=200),
)


def article(number: int) -> dict:
    """Return an article line with attributions and claim labels in article offsets."""
    text, attributions, claims = "", [], []
    for i in range(3):
        name, cue = NAMES[(number + i) % 6], CUES[i % 3]
        content = CONTENTS[(number + i) % 3]
        start = len(text)
        sentence = f"{name} {cue} {content}."
        cue_start = start + len(name) + 1
        attributions.append({
            "source": [[start, start + len(name)]],
            "cue": [[cue_start, cue_start + len(cue)]],
            "content": [[cue_start + len(cue) + 1, cue_start + len(cue) + 1 + len(content)]],
        })  # fmt: skip
        claims.append({"start": start, "end": start + len(sentence), "claim": "claim"})
        text += sentence + " "
    start = len(text)
    text += f"Unemployment rose {number + 3} percent in {2000 + number}."
    claims.append({"start": start, "end": len(text), "claim": "checkworthy"})
    return {"id": f"a{number}", "text": text, "attributions": attributions, "claims": claims}


@pytest.fixture
def labelled(tmp_path, project):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(article(n)) + "\n" for n in range(10)), encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold")
    loader.forget_models()
    return project


def test_training_stores_an_inactive_model_with_dev_figures(labelled):
    model = train_suggester(project=labelled, settings=SMALL)
    stored = SuggestionModel.objects.get(pk=model.pk)
    assert (stored.version, stored.active, stored.size) == (1, False, len(bytes(stored.data)))
    assert set(stored.figures) == {"source", "cue", "content", "claim"}
    assert 0 <= stored.figures["cue"]["precision"] <= 1
    assert stored.meta["classifier"]["labels"] == ["checkworthy", "claim"]
    assert stored.meta["checkworthy"] == "checkworthy"
    assert train_suggester(project=labelled, settings=SMALL).version == 2


def test_the_command_trains_activates_and_scores_uncertainty(labelled, capsys):
    todo = make_article(labelled, "Lavrov said talks would resume. Prices rose.", "todo")
    call_command("train_suggester", project=labelled.slug, epochs=2, activate=True)
    out = capsys.readouterr().out
    assert "Stored model v1 of demo" in out and "dev cue" in out
    model = SuggestionModel.objects.get(project=labelled)
    assert model.active
    # The sentences still to label are scored; the imported gold is not the queue's.
    scores = Uncertainty.objects.filter(project=labelled)
    assert {s.sentence_id for s in scores} == set(todo.sentences.values_list("id", flat=True))
    assert all(0 <= s.score <= 1 for s in scores)
    assert "uncertainty (spans, claim) scored for 2 sentences" in out


def test_nothing_to_learn_from_is_said(project):
    with pytest.raises(CommandError, match="no gold annotations to learn from"):
        call_command("train_suggester", project=project.slug)
    assert not SuggestionModel.objects.exists()


def test_suggestions_say_their_origin_and_confidence(labelled, client):
    annotator = make_member(labelled, Role.ANNOTATOR, "ann")
    client.force_login(annotator)
    # A model this small is rarely sure: show everything it suggests.
    labelled.suggestion_threshold = 0.0
    labelled.save()
    sentence = labelled.sentences.filter(text__startswith="Maduro").first()
    url = f"/api/v1/sentences/{sentence.pk}/suggestions/"
    ruled = client.get(url).json()
    assert {a["origin"] for a in ruled["attributions"]} == {"rules"}
    assert 0 < ruled["attributions"][0]["confidence"] < 1
    assert ruled["model"] is None

    model = train_suggester(project=labelled, settings=SMALL)
    model_activate(model=model)
    served = client.get(url).json()
    first = served["attributions"][0]
    assert first["origin"] == "model" and 0 < first["confidence"] <= 1
    assert first["source"]["text"] == "Maduro"
    assert served["model"] == model.pk
    assert set(served["claim_probabilities"]) == {"checkworthy", "claim"}
    assert served["claim"] in {"checkworthy", "claim"} and served["claim_origin"] == "model"
    assert 0 <= served["checkworthiness"] <= 1

    model_deactivate(model=model)
    assert client.get(url).json()["attributions"][0]["origin"] == "rules"


def test_a_newly_activated_model_is_loaded_at_the_next_request(labelled, client):
    client.force_login(make_member(labelled, Role.ANNOTATOR, "ann"))
    first = train_suggester(project=labelled, settings=SMALL)
    second = model_store(project=labelled, user=None, model=ClaimModel.from_bytes(
        bytes(first.data)
    ))  # fmt: skip
    sentence = labelled.sentences.first()
    url = f"/api/v1/sentences/{sentence.pk}/suggestions/"
    model_activate(model=first)
    assert client.get(url).json()["model"] == first.pk
    model_activate(model=second)  # as another app server would, through the database
    assert client.get(url).json()["model"] == second.pk
    assert SuggestionModel.objects.filter(active=True).count() == 1


def test_only_reviewers_of_the_project_activate(labelled):
    model = train_suggester(project=labelled, settings=SMALL)
    annotator = make_member(labelled, Role.ANNOTATOR, "ann")
    with pytest.raises(PermissionDenied, match="reviewer"):
        model_activate(model=model, user=annotator)
    reviewer = make_member(labelled, Role.REVIEWER, "rev")
    assert model_activate(model=model, user=reviewer).active


def test_the_admin_lists_a_projects_models_and_a_reviewer_activates_one(labelled, client):
    model = train_suggester(project=labelled, settings=SMALL)
    make_article(labelled, "Lavrov said talks would resume. Prices rose.", "todo")
    reviewer = make_member(labelled, Role.REVIEWER, "rev")
    client.force_login(reviewer)
    page = client.get("/admin/learning/suggestionmodel/")
    assert page.status_code == 200
    assert "model v1 of" in page.content.decode() and "P " in page.content.decode()
    response = client.post(
        "/admin/learning/suggestionmodel/",
        {"action": "activate", "_selected_action": [model.pk]},
    )
    confirm = reverse("admin:learning_suggestionmodel_activate", args=[model.pk])
    assert response.status_code == 302 and response.url == confirm
    assert not SuggestionModel.objects.get(pk=model.pk).active  # not before it is confirmed
    assert client.post(confirm).status_code == 302
    model.refresh_from_db()
    assert model.active
    assert Uncertainty.objects.filter(model=model).exists()  # the job ran (immediate backend)


def test_the_command_trains_only_the_parts_asked_for(labelled, capsys):
    with pytest.raises(CommandError, match="--parts: unknown tone; known: spans, claim, stance"):
        call_command("train_suggester", project=labelled.slug, parts="spans,tone")
    call_command("train_suggester", project=labelled.slug, parts="claim", epochs=1)
    model = SuggestionModel.objects.get(project=labelled)
    assert model.meta["parts"] == ["claim"] and "tagger" not in model.meta
    assert set(model.figures) == {"claim"}


def test_the_app_server_loads_the_active_models_before_its_workers_fork(
    labelled, django_assert_num_queries
):
    """`make serve` loads them in gunicorn's master (annotator/wsgi.py): a worker's first
    suggestions come without loading a model (about 2 s on a real project; the figures:
    bench/first_request.py)."""
    model_activate(model=train_suggester(project=labelled, settings=SMALL))
    loader.forget_models()
    assert loader.load_active_models() == 1
    with django_assert_num_queries(1):  # the active model's id; its bytes are not read again
        model_id, _ = loader.active_suggester(labelled.pk)
    assert model_id == SuggestionModel.objects.get(active=True).pk
