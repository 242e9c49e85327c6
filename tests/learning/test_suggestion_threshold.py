"""The project's suggestion threshold: suggestions less sure than it are not shown, on the
labeling page's item and in the suggestions API alike; a trained model carries the calibration
measured on its dev articles, and what it serves is calibrated with it."""

import pytest

from claims.learning import loader
from claims.learning.activation import model_activate
from claims.learning.models import SuggestionModel
from claims.learning.training import train_suggester
from claims.models import Project, Role
from claims.nlp.training import ClaimModel, ModelSuggester
from claims.nlp.training.calibration import Calibration
from tests.factories import make_article, make_member
from tests.learning.test_models import SMALL, labelled  # noqa: F401 (a fixture)

TEXT = "Lavrov said the talks would resume."


@pytest.fixture
def reader(project, client):
    client.force_login(make_member(project, Role.ANNOTATOR, "ann"))
    make_article(project, TEXT)
    return client


def shown(client, project) -> list[float]:
    sentence = project.sentences.get()
    found = client.get(f"/api/v1/sentences/{sentence.pk}/suggestions/").json()
    return [a["confidence"] for a in found["attributions"]]


def test_the_default_threshold_shows_the_rules_confident_suggestions(reader, project):
    assert project.suggestion_threshold == 0.3
    (confidence,) = shown(reader, project)
    assert 0.3 <= confidence < 1


def test_suggestions_below_the_threshold_are_hidden(reader, project):
    (confidence,) = shown(reader, project)
    Project.objects.filter(pk=project.pk).update(suggestion_threshold=confidence + 0.01)
    assert shown(reader, project) == []
    Project.objects.filter(pk=project.pk).update(suggestion_threshold=confidence)
    assert shown(reader, project) == [confidence]


def test_the_next_item_applies_the_threshold_too(reader, project):
    item = reader.get(f"/api/v1/projects/{project.slug}/next/").json()
    assert len(item["suggestions"]["attributions"]) == 1
    Project.objects.filter(pk=project.pk).update(suggestion_threshold=1.0)
    item = reader.get(f"/api/v1/projects/{project.slug}/next/").json()
    assert item["suggestions"]["attributions"] == []


def test_the_threshold_is_between_0_and_1(project):
    from django.core.exceptions import ValidationError

    project.suggestion_threshold = 1.5
    with pytest.raises(ValidationError, match="suggestion_threshold"):
        project.full_clean()


def test_a_model_stores_its_calibration_and_serves_with_it(labelled):  # noqa: F811
    stored = train_suggester(project=labelled, settings=SMALL)
    report = SuggestionModel.objects.get(pk=stored.pk).meta["tagger"]
    calibration = Calibration.from_dict(report["calibration"])
    assert set(calibration.model) <= {"source", "cue", "content"}
    assert {"0.0", "0.5"} <= set(report["thresholds"])
    assert all(0 <= band["right"] <= 1 for band in report["reliability"])

    model_activate(model=stored)
    loader.forget_models()
    suggester = loader.suggester_for(labelled.pk, stored.pk)
    assert suggester.calibration == calibration
    texts = [s.text for s in labelled.sentences.order_by("article_id", "index")[:4]]
    raw = ModelSuggester(ClaimModel.from_bytes(bytes(stored.data)))
    raw.calibration = Calibration()  # identity curves: the decoded confidences as they are
    pairs = zip(texts, suggester.suggest(texts), raw.suggest(texts), strict=True)
    for text, served, plain in pairs:
        assert [a.confidence for a in served.attributions] == [
            a.confidence for a in calibration.apply(text, plain.attributions)
        ]
