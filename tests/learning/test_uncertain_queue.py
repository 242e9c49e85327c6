"""The queue's uncertain-first order: the sentences whose claim the active model is least sure
of come first, within the queue's rules (k per sentence, reservations, blind, no double
hand-out); then the article order."""

import pytest

from claims.labeling.queue import queue_next
from claims.learning.models import SuggestionModel, Uncertainty
from claims.models import QueueOrder, Role
from tests.factories import make_article, make_member, save_annotation

TEXT = (
    "Talks resumed in Oslo on Monday. Norway will host the next round. The envoy said aid "
    "would follow. Nobody knows when the border opens. Prices rose ten percent in May.\n"
)
SUBMITTED = {"status": "submitted", "claim": "claim"}


@pytest.fixture
def scored(project):
    """The five sentences, the fourth and the second scored least certain."""
    project.queue_order = QueueOrder.UNCERTAIN
    project.save(update_fields=["queue_order"])
    article = make_article(project, TEXT, "oslo")
    model = SuggestionModel.objects.create(project=project, version=1, data=b"", active=True)
    sentences = list(article.sentences.order_by("index"))
    for sentence, score in zip(sentences, (0.1, 0.4, 0.05, 0.6), strict=False):
        Uncertainty.objects.create(project=project, sentence=sentence, model=model, score=score)
    return sentences


def test_the_least_certain_come_first_then_the_article_order(project, scored):
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    order = []
    while (found := queue_next(project=project, user=annotator)) is not None:
        order.append(found)
        save_annotation(next(s for s in scored if s.pk == found), annotator, SUBMITTED)
    assert order == [scored[i].pk for i in (3, 1, 0, 2, 4)]


def test_two_annotators_never_get_the_same_sentence_when_one_is_wanted(project, scored):
    first = make_member(project, Role.ANNOTATOR, "first")
    second = make_member(project, Role.ANNOTATOR, "second")
    assert queue_next(project=project, user=first) == scored[3].pk
    assert queue_next(project=project, user=second) == scored[1].pk
    # A reload gives each their own reserved sentence again.
    assert queue_next(project=project, user=first) == scored[3].pk


def test_with_two_wanted_both_get_the_least_certain(project, scored):
    project.annotations_per_sentence = 2
    project.save(update_fields=["annotations_per_sentence"])
    first = make_member(project, Role.ANNOTATOR, "first")
    second = make_member(project, Role.ANNOTATOR, "second")
    assert queue_next(project=project, user=first) == scored[3].pk
    assert queue_next(project=project, user=second) == scored[3].pk


def test_complete_sentences_leave_the_scores(project, scored):
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    save_annotation(scored[3], annotator, SUBMITTED)
    other = make_member(project, Role.ANNOTATOR, "other")
    assert queue_next(project=project, user=other) == scored[1].pk
    assert not Uncertainty.objects.filter(sentence=scored[3]).exists()


def test_article_order_ignores_the_scores(project, scored):
    project.queue_order = QueueOrder.ARTICLES
    project.save(update_fields=["queue_order"])
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    assert queue_next(project=project, user=annotator) == scored[0].pk
