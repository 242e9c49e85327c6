"""A model whose claim classifier ranks below the bag of n-grams on its own dev split is
never stored: the command and the job say so, and the active model stays."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.jobs.kinds.learning import TRAIN_SUGGESTER
from claims.jobs.services import job_start
from claims.learning import loader
from claims.learning.activation import model_activate
from claims.learning.models import SuggestionModel
from claims.learning.training import BelowBaseline, train_suggester
from claims.models import Role
from claims.nlp.training import LoopSettings, TrainingSettings
from tests.factories import make_member

# Every sentence six words long, none a question: only the words tell the labels apart.
OTHERS = ["Officials said the talks resumed today.", "The envoy arrived in Oslo today."]
# A classifier that learns nothing (a learning rate of 0: every sentence scores the same)
# beside a baseline that learns.
UNTRAINED = TrainingSettings(
    dev_share=0.25,
    classifier_kind="bow",
    classifier_loop=LoopSettings(epochs=1, learn_rate=0.0),
    baseline_loop=LoopSettings(epochs=6, batch_words=200),
)


def article(number: int) -> dict:
    text, claims = "", []
    for sentence, claim in (
        (OTHERS[0], "claim"),
        (OTHERS[1], "claim"),
        (f"Unemployment rose {number + 3} percent in {2000 + number}.", "checkworthy"),
    ):
        claims.append({"start": len(text), "end": len(text) + len(sentence), "claim": claim})
        text += sentence + " "
    return {"id": f"c{number}", "text": text, "claims": claims}


@pytest.fixture
def claims_project(tmp_path, project):
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(article(n)) + "\n" for n in range(12)), encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold")
    loader.forget_models()
    return project


def test_a_classifier_below_the_baseline_is_not_stored_and_the_active_model_stays(
    claims_project,
):
    active = train_suggester(
        project=claims_project, settings=TrainingSettings(dev_share=0.25, baseline=False)
    )
    model_activate(model=active)
    with pytest.raises(BelowBaseline, match="below the bag-of-n-grams baseline") as refused:
        train_suggester(project=claims_project, settings=UNTRAINED)
    assert f"model v{active.version} stays active" in str(refused.value)
    assert list(SuggestionModel.objects.values_list("version", "active")) == [(1, True)]


def test_the_job_result_says_why_nothing_was_stored(claims_project, monkeypatch):
    monkeypatch.setattr("claims.jobs.kinds.learning.training_settings", lambda params: UNTRAINED)
    reviewer = make_member(claims_project, Role.REVIEWER, "rev")
    job = job_start(kind=TRAIN_SUGGESTER, project=claims_project, user=reviewer, params={})
    job.refresh_from_db()
    assert job.result["stored"] is False
    assert "below the bag-of-n-grams baseline" in job.result["why"]
    assert "the rules keep suggesting" in job.result["why"]
    assert not SuggestionModel.objects.exists()


def test_the_command_says_so_and_fails(claims_project, monkeypatch):
    monkeypatch.setattr(
        "claims.management.commands.train_suggester.training_settings", lambda params: UNTRAINED
    )
    with pytest.raises(CommandError, match="Not stored: the claim classifier's dev MAP"):
        call_command("train_suggester", project=claims_project.slug)
    assert not SuggestionModel.objects.exists()
