"""A model whose claim classifier ranks below the bag of n-grams on its own dev split is
never stored: the command and the job say so, and the active model stays."""

import json
import random

import pytest
from django.core.management import CommandError, call_command

from claims.jobs.kinds.learning import TRAIN_SUGGESTER
from claims.jobs.services import job_start
from claims.learning import loader
from claims.learning.activation import model_activate
from claims.learning.models import SuggestionModel
from claims.learning.training import BelowBaseline, below_baseline, train_suggester
from claims.models import Role
from claims.nlp.training import LoopSettings, TrainingSettings
from tests.factories import make_member

# Every sentence six words long with a figure, none a question: only the words tell the
# labels apart.
OTHERS = ["Officials said 3 talks resumed today.", "The envoy arrived in Oslo 2."]
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


def refusals(rng: random.Random, gap: float, trainings: int = 200) -> int:
    """Return how many of ``trainings`` simulated dev splits of three transcripts refuse a
    classifier whose average precision per transcript is the baseline's minus ``gap``, give
    or take the noise of one training (0.03)."""
    refused = 0
    for _ in range(trainings):
        baseline = {f"debate-{i}": rng.uniform(0.05, 0.4) for i in range(3)}
        served = {k: v - gap + rng.gauss(0, 0.03) for k, v in baseline.items()}
        meta = {"classifier": {"dev": {}, "dev_ap": {"served": served, "baseline": baseline}}}
        refused += bool(below_baseline(meta))
    return refused


def test_a_classifier_level_with_the_baseline_is_not_refused_on_the_luck_of_the_split():
    # Comparing the means alone refuses about one training in two of such a classifier.
    assert refusals(random.Random(0), gap=0.0) <= 20


def test_a_classifier_clearly_below_the_baseline_is_refused_every_time():
    assert refusals(random.Random(1), gap=0.1) == 200


def test_the_refusal_names_both_figures_and_the_noise():
    meta = {
        "classifier": {
            "dev": {"calibrated_map": 0.1, "baseline_map": 0.3},
            "dev_ap": {"served": {"a": 0.1, "b": 0.1}, "baseline": {"a": 0.3, "b": 0.3}},
        }
    }
    why = below_baseline(meta)
    assert "dev MAP 0.100 is below the bag-of-n-grams baseline's 0.300" in why
    assert "on the same 2 dev article(s), by 0.200" in why


def test_models_without_figures_per_article_are_judged_by_their_means_with_the_margin():
    def meta(served, baseline):
        return {"classifier": {"dev": {"calibrated_map": served, "baseline_map": baseline}}}

    assert below_baseline(meta(0.080, 0.089)) == ""  # within the margin
    assert "below the bag-of-n-grams baseline" in below_baseline(meta(0.05, 0.089))
    assert below_baseline({"classifier": {"dev": {"map": 0.2}}}) == ""  # no baseline trained
