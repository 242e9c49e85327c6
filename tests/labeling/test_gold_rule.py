"""Sentences that already have gold (imported training labels) stay out of the annotators'
queue and progress unless the project hands them out; adjudicated sentences keep counting."""

import json

import pytest
from django.core.management import call_command

from claims.labeling.progress import annotator_progress, project_progress, projects_progress
from claims.labeling.queue import queue_next, queue_rules_changed
from claims.models import Role
from claims.services.gold import gold_adopt
from tests.factories import client_for, make_article, make_member, save_annotation

GOLD_TEXT = "Lavrov said talks would resume. Prices rose ten percent. Nobody knows why."
TODO_TEXT = "Maduro said he was ready. Guaido welcomed it."
SUBMITTED = {"status": "submitted", "claim": "claim"}


@pytest.fixture
def imported(tmp_path, project):
    """Two articles imported with their gold labels, then one to label."""
    path = tmp_path / "gold.jsonl"
    lines = [{"id": f"gold-{n}", "text": f"{GOLD_TEXT} ({n})"} for n in range(2)]
    for line in lines:
        line["attributions"] = [{"source": [[0, 6]], "cue": [[7, 11]], "content": [[12, 30]]}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold")
    todo = make_article(project, TODO_TEXT, "todo")
    return project, list(todo.sentences.order_by("index"))


def labelled_in_order(project, user) -> list[int]:
    order = []
    while (found := queue_next(project=project, user=user)) is not None:
        order.append(found)
        save_annotation(project.sentences.get(pk=found), user, SUBMITTED)
    return order


def test_gold_sentences_stay_out_of_the_queue_and_the_progress(imported):
    project, todo = imported
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    client = client_for(annotator)
    item = client.get(f"/api/v1/projects/{project.slug}/next/").json()
    assert item["sentence"]["id"] == todo[0].pk
    assert item["progress"] == {"done": 0, "total": 2, "percent": 0.0}
    assert annotator_progress(project, annotator).total == 2
    assert project_progress(project).total == 2
    (shown,) = projects_progress(annotator)
    assert (shown["mine"].total, shown["overall"].total) == (2, 2)
    articles = client.get(f"/api/v1/projects/{project.slug}/queue/articles/").json()
    assert [(a["sentences"], a["left"]) for a in articles["results"]] == [(0, 0), (0, 0), (2, 2)]
    assert labelled_in_order(project, annotator) == [s.pk for s in todo]
    assert project_progress(project).percent == 100.0


def test_the_project_option_hands_gold_sentences_out_again(imported):
    project, todo = imported
    project.gold_in_queue = True
    project.save(update_fields=["gold_in_queue"])
    queue_rules_changed(project)
    annotator = make_member(project, Role.ANNOTATOR, "ann")
    item = client_for(annotator).get(f"/api/v1/projects/{project.slug}/next/").json()
    assert item["progress"]["total"] == 10
    order = labelled_in_order(project, annotator)
    assert len(order) == 10 and order[-2:] == [s.pk for s in todo]
    assert annotator_progress(project, annotator).total == 10


def test_an_adjudicated_sentence_counts_and_is_settled(project):
    project.annotations_per_sentence = 2
    project.save(update_fields=["annotations_per_sentence"])
    sentence = make_article(project, "Prices rose.", "one").sentences.get()
    first = make_member(project, Role.ANNOTATOR, "first")
    reviewer = make_member(project, Role.REVIEWER, "rev")
    annotation = save_annotation(sentence, first, SUBMITTED)
    gold_adopt(annotation=annotation, reviewer=reviewer, version=None)
    second = make_member(project, Role.ANNOTATOR, "second")
    # One more annotation was wanted, but the gold settles the sentence.
    assert queue_next(project=project, user=second) is None
    assert annotator_progress(project, first).total == 1
    progress = project_progress(project)
    assert (progress.done, progress.total) == (1, 1)
