"""The review pages in the admin: agreement, disagreement queue and adjudication."""

import json

import pytest
from django.urls import reverse

from claims.models import Annotation, AnnotationEvent, AnnotationKind, Role
from claims.services.gold import gold_adopt
from tests.factories import (
    TARGET,
    make_article,
    make_member,
    make_project,
    make_user,
    save_annotation,
)
from tests.quality.test_report import crafted_project


@pytest.fixture
def crafted(db):
    project, sentences, users, reviewer = crafted_project()
    reviewer.is_staff = True
    reviewer.save()
    return project, sentences, users, reviewer


def adjudicate_url(sentence) -> str:
    return reverse("admin:claims_sentence_adjudicate", args=[sentence.id])


def gold_of(sentence):
    return Annotation.objects.filter(sentence=sentence, kind=AnnotationKind.GOLD).first()


def test_agreement_page_shows_table_chart_and_annotators(client, crafted):
    project, _, _, reviewer = crafted
    client.force_login(reviewer)
    response = client.get(reverse("admin:claims_project_agreement", args=[project.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg width="' in page and 'role="img"' in page
    # One bar pair per label field: claim, check-worthiness, 7 claim types, 1 target.
    assert page.count('<rect class="alpha"') == 10
    assert "<td>Claim label</td>" in page
    assert "<td>0.667</td>" in page  # claim label observed agreement, 2/3
    assert "<td>0.375</td>" in page  # claim label alpha, 24/64
    assert "0.500" in page  # source span F1 (exact)
    assert "1 of 2 overlapping" in page
    assert "<td>ann</td>" in page and "2.5 s" in page


def test_disagreement_queue_lists_worst_first_and_links_to_adjudication(client, crafted):
    project, sentences, _, reviewer = crafted
    client.force_login(reviewer)
    url = reverse("admin:claims_project_disagreements", args=[project.pk])
    response = client.get(url)
    assert [sentence.index for _, sentence in response.context["rows"]] == [1, 3, 2, 0]
    page = response.content.decode()
    assert f"{adjudicate_url(sentences[1])}?next=" in page
    assert "claim, stance: International mediation" in page


def test_queue_button_makes_gold_from_unanimous_sentences(client, db):
    project = make_project(per_sentence=2)
    reviewer = make_member(project, Role.REVIEWER)
    reviewer.is_staff = True
    reviewer.save()
    sentence = make_article(project, "All agree here. Fine.").sentences.get(index=0)
    for _ in range(2):
        save_annotation(sentence, make_member(project), {"status": "submitted", "claim": "claim"})
    client.force_login(reviewer)
    url = reverse("admin:claims_project_disagreements", args=[project.pk])
    response = client.post(url, {"action": "unanimous"}, follow=True)
    assert "Made gold for 1 unanimous sentence(s)." in response.content.decode()
    assert gold_of(sentence).annotator == reviewer


def test_adjudication_page_shows_annotations_side_by_side(client, crafted):
    project, sentences, users, reviewer = crafted
    client.force_login(reviewer)
    response = client.get(adjudicate_url(sentences[1]))
    assert response.status_code == 200
    view = response.context["view"]
    assert [c.title for c in view.columns] == ["ann", "bob", "cy"]
    differing = {row.name for row in view.rows if row.differs}
    assert differing == {"claim", f"stance: {TARGET}", "attributions"}
    page = response.content.decode()
    # ann's source span "The minister" and bob's "minister", each highlighted.
    assert '<mark class="span-source" title="source">The minister</mark>' in page
    assert '<mark class="span-source" title="source">minister</mark>' in page
    assert page.count("Use as gold") == 3


def test_use_as_gold_creates_gold_with_history_and_returns_to_the_queue(client, crafted):
    project, sentences, users, reviewer = crafted
    client.force_login(reviewer)
    queue = reverse("admin:claims_project_disagreements", args=[project.pk])
    chosen = sentences[1].annotations.get(annotator=users["bob"])
    response = client.post(
        adjudicate_url(sentences[1]),
        {"action": "adopt", "annotation": chosen.id, "version": "", "next": queue},
    )
    # At the top, where the message shows, even from the page's #edit-gold.
    assert response.status_code == 302 and response["Location"] == f"{queue}#content-start"
    gold = gold_of(sentences[1])
    assert (gold.annotator, gold.based_on, gold.claim) == (reviewer, chosen, "checkworthy")
    event = AnnotationEvent.objects.get(annotation=gold)
    assert (event.action, event.actor) == ("adjudicate", reviewer)
    # The adjudicated sentence has left the queue.
    rows = client.get(queue).context["rows"]
    assert sentences[1].id not in [sentence.id for _, sentence in rows]


def test_a_stale_use_as_gold_is_refused_with_a_message(client, crafted):
    project, sentences, users, reviewer = crafted
    other = make_member(project, Role.REVIEWER, "other-reviewer")
    first = sentences[2].annotations.get(annotator=users["ann"])
    gold_adopt(annotation=first, reviewer=other, version=None)
    client.force_login(reviewer)
    bob = sentences[2].annotations.get(annotator=users["bob"])
    response = client.post(
        adjudicate_url(sentences[2]),
        {"action": "adopt", "annotation": bob.id, "version": ""},
        follow=True,
    )
    assert "changed by other-reviewer since you opened this page" in response.content.decode()
    assert gold_of(sentences[2]).based_on == first


def editor_item(response) -> dict:
    return response.context["config"]["item"]


def test_edit_a_copy_starts_the_editor_from_it_and_saves_an_edited_gold(client, crafted):
    project, sentences, users, reviewer = crafted
    client.force_login(reviewer)
    ann = sentences[1].annotations.get(annotator=users["ann"])
    response = client.get(adjudicate_url(sentences[1]), {"base": ann.id})
    item = editor_item(response)
    assert item["annotation"]["claim"] == "checkworthy"
    assert response.context["based_on"] == ann.id
    # The annotators' attributions are offered to accept, each once, naming who made it.
    assert {s["from"] for s in item["suggestions"]["attributions"]} >= {"ann"}
    speaker_id = ann.attributions.get().speaker_id
    content = {
        "claim": "claim",
        "claim_types": ["laws_rules"],
        "stance": [{"target": project.targets.get().name, "label": "neutral"}],
        "attributions": [
            {
                "speaker": {"id": speaker_id, "name": "shown again if refused"},
                "source": {"start": 4, "end": 12},
                "cue": {"start": 13, "end": 17},
                "quote_type": "indirect",
            }
        ],
        "status": "submitted",
    }
    data = {"action": "save", "version": "", "based_on": ann.id, "content": json.dumps(content)}
    response = client.post(adjudicate_url(sentences[1]), data)
    assert response.status_code == 302, response.context["gold_errors"]
    gold = gold_of(sentences[1])
    assert (gold.claim, gold.claim_types, gold.based_on) == ("claim", ["laws_rules"], ann)
    attribution = gold.attributions.get()
    assert (attribution.source_start, attribution.source_end, attribution.content_start) == (
        4,
        12,
        None,
    )
    assert gold.stances.get().label == "neutral"
    assert AnnotationEvent.objects.filter(annotation=gold, action="adjudicate").count() == 1

    # The editor now starts from the gold, carrying its version.
    response = client.get(adjudicate_url(sentences[1]))
    assert (editor_item(response)["annotation"]["claim"], response.context["gold_version"]) == (
        "claim",
        1,
    )


def test_a_bad_gold_is_refused_naming_the_field_and_nothing_is_written(client, crafted):
    project, sentences, users, reviewer = crafted
    client.force_login(reviewer)
    length = len(sentences[1].text)
    content = {
        "claim": "not_claim",
        "claim_types": ["quantity"],
        "attributions": [{"source": {"start": 4, "end": length + 5}}],
        "status": "submitted",
    }
    data = {"action": "save", "content": json.dumps(content)}
    response = client.post(adjudicate_url(sentences[1]), data)
    assert response.status_code == 200
    errors = response.context["gold_errors"]
    assert f"attribution 1, source end: must be >= 0 and <= {length} (sentence length)" in errors
    assert "claim types: only the claim values ['checkworthy', 'claim'] have claim types" in errors
    # The reviewer's labels come back in the editor, to fix and save again.
    assert editor_item(response)["annotation"]["claim_types"] == ["quantity"]
    assert gold_of(sentences[1]) is None
    assert not AnnotationEvent.objects.filter(action="adjudicate").exists()
    missing = client.post(adjudicate_url(sentences[1]), {**data, "content": "{not json"})
    assert missing.context["gold_errors"] == ["content: the editor sent unreadable content"]
    unlabelled = {**content, "claim": None, "claim_types": [], "attributions": []}
    response = client.post(
        adjudicate_url(sentences[1]), {"action": "save", "content": json.dumps(unlabelled)}
    )
    assert response.context["gold_errors"] == ["claim: required when status is 'submitted'"]


def test_adjudication_is_closed_to_other_projects_and_annotators(client, crafted):
    project, sentences, users, reviewer = crafted
    elsewhere = make_member(make_project("elsewhere"), Role.REVIEWER, "elsewhere-reviewer")
    elsewhere.is_staff = True
    elsewhere.save()
    client.force_login(elsewhere)
    ann = sentences[1].annotations.get(annotator=users["ann"])
    for url in (
        adjudicate_url(sentences[1]),
        reverse("admin:claims_project_agreement", args=[project.pk]),
        reverse("admin:claims_project_disagreements", args=[project.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        adjudicate_url(sentences[1]), {"action": "adopt", "annotation": ann.id, "version": ""}
    )
    assert response.status_code == 404
    client.force_login(users["ann"])
    assert client.get(adjudicate_url(sentences[1])).status_code == 302  # admin login
    assert gold_of(sentences[1]) is None
    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get(adjudicate_url(sentences[1])).status_code == 200


def test_adopting_another_sentences_annotation_or_a_foreign_next_is_refused(client, crafted):
    project, sentences, users, reviewer = crafted
    client.force_login(reviewer)
    foreign = sentences[0].annotations.get(annotator=users["ann"])
    response = client.post(
        adjudicate_url(sentences[1]),
        {"action": "adopt", "annotation": foreign.id, "version": ""},
        follow=True,
    )
    assert "not one of this sentence&#x27;s" in response.content.decode()
    assert gold_of(sentences[1]) is None
    own = sentences[1].annotations.get(annotator=users["ann"])
    response = client.post(
        adjudicate_url(sentences[1]),
        {"action": "adopt", "annotation": own.id, "version": "", "next": "https://evil.test/"},
    )
    assert response["Location"] == f"{adjudicate_url(sentences[1])}#content-start"


def test_review_pages_read_stored_figures_not_every_annotation(client, crafted):
    """At 225,000 annotations reading them all took seconds per page: once the figures are
    stored (by the job), a page reads them and a page of the queue, never the annotations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project, _, _, reviewer = crafted
    client.force_login(reviewer)
    agreement = reverse("admin:claims_project_agreement", args=[project.pk])
    queue = reverse("admin:claims_project_disagreements", args=[project.pk])
    client.get(agreement)  # behind: the job computes and stores them (at once under the tests)
    for url in (agreement, queue, queue + "?page=2"):
        with CaptureQueriesContext(connection) as read:
            assert client.get(url).status_code == 200
        annotations = [q["sql"] for q in read.captured_queries if '"claims_annotation"' in q["sql"]]
        # Only the gold check of the queue's rows reads annotations (by sentence, indexed).
        assert all("claims_sentencedisagreement" in sql for sql in annotations), annotations
        assert not any("claims_attribution" in q["sql"] for q in read.captured_queries)


def test_an_adjudicated_sentence_leaves_the_stored_queue_at_once(client, crafted):
    project, sentences, users, reviewer = crafted
    client.force_login(reviewer)
    url = reverse("admin:claims_project_disagreements", args=[project.pk])
    client.get(url)
    gold_adopt(
        annotation=sentences[1].annotations.get(annotator=users["ann"]),
        reviewer=reviewer,
        version=None,
    )
    response = client.get(url)
    assert 1 not in [sentence.index for _, sentence in response.context["rows"]]
