"""Uncertain first always works: a model without a claim classifier (spans only, as PolNeAR
trains) scores the queue by its tagger; stance counts where a model suggests it; and the
admin says why a project's queue cannot be ordered."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.labeling.queue import queue_next
from claims.learning import loader
from claims.learning.activation import model_activate
from claims.learning.models import SuggestionModel, Uncertainty
from claims.learning.training import train_suggester
from claims.learning.uncertainty import queue_order_state, uncertainty_refresh
from claims.models import QueueOrder, Role
from claims.nlp.training.uncertainty import combined, spread, stance_uncertainty
from tests.factories import make_article, make_member, save_annotation
from tests.learning.test_models import SMALL, article

TODO = (
    "Officials said the border is closed. Rain fell overnight in the capital. "
    "The envoy noted aid will arrive soon. It was, some say, a quiet week."
)


def test_spread_scales_the_top_probability_to_chance():
    assert spread([1.0, 0.0]) == 0.0
    assert spread([0.5, 0.5]) == 1.0
    assert spread([1 / 3] * 3) == pytest.approx(1.0)
    assert spread([0.8, 0.1, 0.1]) == pytest.approx(0.3)
    assert spread([1.0]) is None


def test_stance_uncertainty_is_the_least_sure_target():
    shapes = [
        {"Sanctions": {"favor": 0.9, "against": 0.05, "none": 0.05}, "Talks": {"favor": 0.4,
         "against": 0.3, "none": 0.3}},
        [{"target": "Sanctions", "label": "favor", "probabilities": {"favor": 0.9,
          "against": 0.05, "none": 0.05}}, {"target": "Talks", "label": "favor",
          "probabilities": {"favor": 0.4, "against": 0.3, "none": 0.3}}],
    ]  # fmt: skip
    for shape in shapes:
        assert stance_uncertainty(shape) == pytest.approx(0.9)
    assert stance_uncertainty([]) is None
    assert combined({"spans": 0.2, "stance": 0.9}) == (0.9, "stance")
    assert combined({}) is None


@pytest.fixture
def spans_only(tmp_path, project):
    """A project whose gold has attribution spans and no claim labels (like PolNeAR)."""
    lines = []
    for n in range(10):
        line = article(n)
        del line["claims"]
        lines.append(json.dumps(line) + "\n")
    path = tmp_path / "spans.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold")
    loader.forget_models()
    project.queue_order = QueueOrder.UNCERTAIN
    project.save(update_fields=["queue_order"])
    return project


def test_a_model_without_a_claim_classifier_orders_the_queue_by_its_spans(spans_only):
    project = spans_only
    todo = list(make_article(project, TODO, "todo").sentences.order_by("index"))
    model = train_suggester(project=project, settings=SMALL)
    assert model.meta.get("classifier") is None and model.meta.get("tagger")
    model_activate(model=model)
    result = uncertainty_refresh(model=model)
    assert result["parts"] == ["spans"] and result["scored"] == len(todo)
    assert result["by_part"] == {"spans": len(todo)}
    scores = dict(Uncertainty.objects.values_list("sentence_id", "score"))
    assert set(scores) == {s.pk for s in todo}
    assert all(0 <= score <= 1 for score in scores.values())
    assert len(set(scores.values())) > 1  # the tagger is surer of some sentences than others

    annotator = make_member(project, Role.ANNOTATOR, "ann")
    order = []
    while (found := queue_next(project=project, user=annotator)) is not None:
        order.append(found)
        save_annotation(project.sentences.get(pk=found), annotator, {"status": "skipped"})
    assert order == sorted(scores, key=lambda pk: (-scores[pk], pk))


def test_the_admin_says_why_the_queue_cannot_be_ordered(client, spans_only):
    project = spans_only
    make_article(project, TODO, "todo")
    reviewer = make_member(project, Role.REVIEWER, "rev")
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    url = reverse("admin:claims_project_change", args=[project.pk])

    def said() -> str:
        return client.get(url).content.decode()

    assert "cannot order the queue now: the project has no active suggestion model" in said()
    model = train_suggester(project=project, settings=SMALL)
    model_activate(model=model)  # as an older activation did, without scoring
    assert "model v1 has not scored the queue yet" in said()
    assert not queue_order_state(project).ordered

    response = client.post(reverse("admin:learning_suggestionmodel_activate", args=[model.pk]))
    assert response.status_code == 302
    assert (
        "4 sentence(s) still to label are ordered by how unsure model v1 is of them (its spans)"
        in (said())
    )
    # Once they are labelled, nothing is left to order, and the page says so.
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    while (found := queue_next(project=project, user=annotator)) is not None:
        save_annotation(project.sentences.get(pk=found), annotator, {"status": "skipped"})
    Uncertainty.objects.all().delete()  # as the queue drops the scores of finished sentences
    assert "every sentence model v1 scored has been labelled" in said()
    assert SuggestionModel.objects.get().active
