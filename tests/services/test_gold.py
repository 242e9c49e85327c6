"""Adjudication: gold is made through annotation_save, with history, by the project's reviewers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.content import content_from_json
from claims.labels import project_labels
from claims.models import Annotation, AnnotationEvent, AnnotationKind, Role
from claims.services.annotations import StaleVersion
from claims.services.gold import gold_adopt, gold_from_unanimous, gold_save
from tests.factories import make_article, make_member, make_project, make_user, save_annotation
from tests.services.test_annotations import LAVROV_NOTED

OTHER_VIEW = {**LAVROV_NOTED, "claim": "checkworthy", "lead_time_ms": 800}


@pytest.fixture
def two_annotations(quote_sentence, project):
    first, second = make_member(project, username="ann"), make_member(project, username="bob")
    return (
        save_annotation(quote_sentence, first, LAVROV_NOTED),
        save_annotation(quote_sentence, second, OTHER_VIEW),
    )


def gold_of(sentence):
    return Annotation.objects.filter(sentence=sentence, kind=AnnotationKind.GOLD)


def test_adopting_an_annotation_creates_gold_with_history(
    quote_sentence, reviewer, two_annotations
):
    first, _ = two_annotations
    result = gold_adopt(annotation=first, reviewer=reviewer, version=None)
    gold = gold_of(quote_sentence).get()
    assert result.changed and result.annotation == gold
    assert (gold.annotator, gold.based_on, gold.version) == (reviewer, first, 1)
    assert (gold.claim, gold.status, gold.lead_time_ms) == ("claim", "submitted", 0)
    assert gold.attributions.get().speaker == first.attributions.get().speaker
    assert gold.stances.get().label == "favor"
    event = AnnotationEvent.objects.filter(annotation=gold).get()
    assert (event.action, event.actor, event.version, event.before) == (
        "adjudicate",
        reviewer,
        1,
        None,
    )
    assert event.after["claim"] == "claim"
    # The annotator's own work is untouched.
    first.refresh_from_db()
    assert (first.kind, first.annotator.username, first.version) == ("annotator", "ann", 1)


def test_switching_gold_records_before_and_after(quote_sentence, reviewer, two_annotations):
    first, second = two_annotations
    gold_adopt(annotation=first, reviewer=reviewer, version=None)
    again = gold_adopt(annotation=first, reviewer=reviewer, version=1)
    assert not again.changed
    switched = gold_adopt(annotation=second, reviewer=reviewer, version=1)
    assert (switched.annotation.version, switched.annotation.based_on) == (2, second)
    events = AnnotationEvent.objects.filter(annotation=switched.annotation).order_by("id")
    assert [(e.action, e.version) for e in events] == [("adjudicate", 1), ("adjudicate", 2)]
    assert (events[1].before["claim"], events[1].after["claim"]) == ("claim", "checkworthy")
    assert gold_of(quote_sentence).count() == 1


def test_a_stale_gold_version_changes_nothing(quote_sentence, project, reviewer, two_annotations):
    first, second = two_annotations
    other_reviewer = make_member(project, Role.REVIEWER)
    gold_adopt(annotation=first, reviewer=other_reviewer, version=None)
    with pytest.raises(StaleVersion) as caught:
        gold_adopt(annotation=second, reviewer=reviewer, version=None)
    assert caught.value.current.annotator == other_reviewer
    gold = gold_of(quote_sentence).get()
    assert (gold.claim, gold.version, gold.based_on) == ("claim", 1, first)
    assert AnnotationEvent.objects.filter(action="adjudicate").count() == 1


def test_only_reviewers_of_the_sentences_project_adjudicate(
    project, annotator, quote_sentence, two_annotations
):
    first, _ = two_annotations
    elsewhere = make_member(make_project("elsewhere"), Role.REVIEWER)
    staff_outsider = make_user(is_staff=True)
    for user in (annotator, elsewhere, staff_outsider):
        with pytest.raises(PermissionDenied):
            gold_adopt(annotation=first, reviewer=user, version=None)
        with pytest.raises(PermissionDenied):
            gold_from_unanimous(project=project, reviewer=user)
    assert not gold_of(quote_sentence).exists()
    superuser = make_user(is_staff=True, is_superuser=True)
    assert gold_adopt(annotation=first, reviewer=superuser, version=None).changed


def test_drafts_and_gold_cannot_be_adopted(quote_sentence, project, reviewer, two_annotations):
    draft = save_annotation(quote_sentence, make_member(project), {"status": "draft"})
    with pytest.raises(ValidationError):
        gold_adopt(annotation=draft, reviewer=reviewer, version=None)
    gold = gold_adopt(annotation=two_annotations[0], reviewer=reviewer, version=None).annotation
    with pytest.raises(ValidationError):
        gold_adopt(annotation=gold, reviewer=reviewer, version=1)


def test_saving_edited_gold(quote_sentence, reviewer, two_annotations):
    first, _ = two_annotations
    edited = content_from_json(
        {**LAVROV_NOTED, "claim": "checkworthy", "attributions": [], "status": "draft"},
        sentence_text=quote_sentence.text,
        labels=project_labels(quote_sentence.project),
    )
    result = gold_save(
        sentence=quote_sentence, reviewer=reviewer, content=edited, version=None, based_on=first
    )
    gold = result.annotation
    assert (gold.claim, gold.status, gold.based_on) == ("checkworthy", "submitted", first)
    assert not gold.attributions.exists()
    event = AnnotationEvent.objects.get(annotation=gold)
    assert event.after["attributions"] == [] and event.after["status"] == "submitted"


def test_gold_cannot_be_based_on_another_sentences_annotation(
    article, project, reviewer, two_annotations
):
    heading = article.sentences.get(index=0)
    content = content_from_json(
        {"status": "submitted", "claim": "not_claim"},
        sentence_text=heading.text,
        labels=project_labels(project),
    )
    with pytest.raises(ValidationError):
        gold_save(
            sentence=heading,
            reviewer=reviewer,
            content=content,
            version=None,
            based_on=two_annotations[0],
        )
    assert not gold_of(heading).exists()


def test_gold_from_unanimous_sentences(db):
    project = make_project(per_sentence=2)
    reviewer = make_member(project, Role.REVIEWER)
    a, b, c = (make_member(project) for _ in range(3))
    text = "One. Two. Three. Four. Five."
    sentences = list(make_article(project, text).sentences.order_by("index"))
    claim = {"status": "submitted", "claim": "claim"}
    # 0: unanimous (lead times differ, which does not matter); 1: disagree;
    # 2: only one annotation; 3: unanimous but already has gold; 4: b's is a draft.
    save_annotation(sentences[0], a, {**claim, "lead_time_ms": 10})
    save_annotation(sentences[0], b, {**claim, "lead_time_ms": 99})
    save_annotation(sentences[1], a, claim)
    save_annotation(sentences[1], b, {**claim, "claim": "not_claim"})
    save_annotation(sentences[2], a, claim)
    save_annotation(sentences[3], a, claim)
    existing = save_annotation(sentences[3], c, claim)
    gold_adopt(annotation=existing, reviewer=reviewer, version=None)
    save_annotation(sentences[4], a, claim)
    save_annotation(sentences[4], b, {"status": "draft", "claim": "claim"})

    result = gold_from_unanimous(project=project, reviewer=reviewer)
    assert (result.created, result.stale) == (1, 0)
    gold = gold_of(sentences[0]).get()
    assert gold.based_on.annotator == a and gold.claim == "claim"
    assert AnnotationEvent.objects.filter(action="adjudicate").count() == 2
    assert list(gold_of(sentences[3]).values_list("based_on", flat=True)) == [existing.id]
    assert not any(gold_of(sentences[i]).exists() for i in (1, 2, 4))
    # Nothing left to do: running it again creates nothing.
    assert gold_from_unanimous(project=project, reviewer=reviewer).created == 0


def test_gold_from_unanimous_respects_the_wanted_count_and_the_selection(db):
    project = make_project(per_sentence=3)
    reviewer = make_member(project, Role.REVIEWER)
    users = [make_member(project) for _ in range(3)]
    sentences = list(make_article(project, "One. Two.").sentences.order_by("index"))
    for user in users[:2]:
        save_annotation(sentences[0], user, {"status": "submitted", "claim": "claim"})
    assert gold_from_unanimous(project=project, reviewer=reviewer).created == 0
    for user in users:
        save_annotation(sentences[1], user, {"status": "submitted", "claim": "claim"})
    only_first = gold_from_unanimous(project=project, reviewer=reviewer, sentences=[sentences[0]])
    assert only_first.created == 0
    assert gold_from_unanimous(project=project, reviewer=reviewer).created == 1


@pytest.mark.parametrize("count", [2, 9])
def test_gold_from_unanimous_writes_in_bulk_whatever_the_number(
    db, count, django_assert_num_queries
):
    """Each chunk of sentences costs the same queries, however many it holds."""
    project = make_project(per_sentence=2)
    reviewer = make_member(project, Role.REVIEWER)
    a, b = make_member(project), make_member(project)
    text = " ".join(f"Sentence {n} here." for n in range(count))
    for sentence in make_article(project, text).sentences.all():
        for user in (a, b):
            save_annotation(sentence, user, {"status": "submitted", "claim": "claim"})
    # Reviewer's role; candidates: a chunk of sentence ids and its ratings (3); the chunk
    # in a savepoint (2): its ratings again (3), the sources with attributions and stances
    # (3), gold and history in bulk (2; no attribution or stance rows to write here).
    with django_assert_num_queries(15):
        result = gold_from_unanimous(project=project, reviewer=reviewer)
    assert (result.created, result.stale) == (count, 0)
    events = AnnotationEvent.objects.filter(action="adjudicate", actor=reviewer)
    assert events.count() == count
    assert all(e.after["claim"] == "claim" and e.annotation.kind == "gold" for e in events)
