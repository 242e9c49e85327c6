"""The annotation queue: order, reservations, blind items, and the next/previous endpoints."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from claims.labeling import queue_sql
from claims.labeling.queue import (
    CURSOR_STEP,
    PREVIOUS_WINDOW,
    RESERVATION,
    START,
    queue_next,
    queue_previous,
)
from claims.models import Annotation, Assignment, QueueCursor, Role, Sentence
from claims.services.speakers import speaker_create
from tests.factories import (
    TARGET,
    client_for,
    make_article,
    make_member,
    make_project,
    save_annotation,
)

SEED_LIKE = (
    "Talks resume in Oslo\n"
    "MOSCOW, January 30. /TASS/. Russia is ready to help, Lavrov said. Norway will mediate.\n"
    "All news\n"
    '"We call on all states to support the talks," the ministry added.\n'
)
SECOND = "Guaido welcomed the initiative. Maduro said he was ready.\n"

SUBMITTED = {"status": "submitted", "claim": "claim"}


def texts(ids) -> list[str]:
    by_id = dict(Sentence.objects.filter(id__in=ids).values_list("id", "text"))
    return [by_id[i] for i in ids]


def label_all(project, user) -> list[int]:
    """Take and submit sentences until the queue is empty; return the order they came in."""
    order = []
    while (sentence_id := queue_next(project=project, user=user)) is not None:
        assert sentence_id not in order, "a done sentence was offered again"
        order.append(sentence_id)
        save_annotation(Sentence.objects.get(pk=sentence_id), user, SUBMITTED)
    return order


@pytest.fixture
def two_articles(project):
    return make_article(project, SEED_LIKE, "oslo"), make_article(project, SECOND, "second")


def test_article_by_article_in_order_without_datelines_or_boilerplate(
    project, annotator, two_articles
):
    order = label_all(project, annotator)
    assert texts(order) == [
        "Talks resume in Oslo",
        "Russia is ready to help, Lavrov said.",
        "Norway will mediate.",
        '"We call on all states to support the talks," the ministry added.',
        "Guaido welcomed the initiative.",
        "Maduro said he was ready.",
    ]
    assert queue_next(project=project, user=annotator) is None


def test_reload_returns_the_same_sentence_and_exclude_prefetches_the_following(
    project, annotator, two_articles
):
    first = queue_next(project=project, user=annotator)
    assert queue_next(project=project, user=annotator) == first
    prefetched = queue_next(project=project, user=annotator, exclude=[first])
    assert prefetched != first
    assert texts([first, prefetched]) == [
        "Talks resume in Oslo",
        "Russia is ready to help, Lavrov said.",
    ]
    save_annotation(Sentence.objects.get(pk=first), annotator, SUBMITTED)
    # The prefetched one is reserved for the annotator, so it is what comes back next.
    assert queue_next(project=project, user=annotator) == prefetched


def test_skipping_counts_as_done_and_a_draft_comes_back_first(project, annotator, two_articles):
    first = queue_next(project=project, user=annotator)
    save_annotation(
        Sentence.objects.get(pk=first), annotator, {"status": "skipped", "skip_reason": "unclear"}
    )
    second = queue_next(project=project, user=annotator)
    assert second != first
    later = Sentence.objects.filter(article=two_articles[1]).order_by("index").last()
    save_annotation(later, annotator, {"status": "draft", "claim": "claim"})
    save_annotation(Sentence.objects.get(pk=second), annotator, SUBMITTED)
    assert queue_next(project=project, user=annotator) == later.id


def test_one_annotation_wanted_means_two_annotators_never_get_the_same_sentence(
    project, two_articles
):
    alice = make_member(project, Role.ANNOTATOR, "alice")
    bob = make_member(project, Role.ANNOTATOR, "bob")
    handed = {"alice": [], "bob": []}
    for _ in range(3):  # interleaved, as two people working at once
        for name, user in (("alice", alice), ("bob", bob)):
            sentence_id = queue_next(project=project, user=user)
            if sentence_id is not None:
                handed[name].append(sentence_id)
                save_annotation(Sentence.objects.get(pk=sentence_id), user, SUBMITTED)
    assert not set(handed["alice"]) & set(handed["bob"])
    assert len(handed["alice"]) + len(handed["bob"]) == 6
    assert queue_next(project=project, user=alice) is None


def test_two_wanted_the_last_slot_goes_to_one_of_two_annotators(two_articles):
    project = make_project(per_sentence=2)
    article = make_article(project, "One sentence here. Another one there.\n", "two")
    alice, bob, carol = (make_member(project, Role.ANNOTATOR, n) for n in ("a1", "b1", "c1"))
    first = queue_next(project=project, user=alice)
    save_annotation(Sentence.objects.get(pk=first), alice, SUBMITTED)
    # One more annotation wanted: bob reserves it, so carol is handed the next sentence.
    assert queue_next(project=project, user=bob) == first
    assert queue_next(project=project, user=carol) != first
    assert Assignment.objects.filter(sentence_id=first).count() == 2
    assert article.sentences.count() == 2


def test_an_abandoned_reservation_returns_to_the_queue(project, two_articles):
    alice = make_member(project, Role.ANNOTATOR, "alice")
    bob = make_member(project, Role.ANNOTATOR, "bob")
    abandoned = queue_next(project=project, user=alice)
    assert queue_next(project=project, user=bob) != abandoned
    later = timezone.now() + RESERVATION + timedelta(minutes=1)
    carol = make_member(project, Role.ANNOTATOR, "carol")
    assert queue_next(project=project, user=carol, now=later) == abandoned
    assert Assignment.objects.get(sentence_id=abandoned, expires_at__gt=later).annotator == carol


def test_the_cursor_skips_the_settled_part_and_a_reopened_sentence_is_found_again(
    project, annotator, two_articles
):
    order = label_all(project, annotator)
    cursor = QueueCursor.objects.get(project=project, annotator=annotator)
    # Stored again on reaching the second article (within an article, every 32 sentences).
    assert (cursor.at_article, cursor.at_index) == (two_articles[1].id, 0)
    frontier = QueueCursor.objects.get(project=project, annotator=None)
    assert frontier.at_article == two_articles[1].id
    # Going back and turning a submitted sentence into a draft again reopens it.
    reopened = Sentence.objects.get(pk=order[1])
    save_annotation(reopened, annotator, {"status": "draft", "claim": "claim"}, version=1)
    frontier.refresh_from_db()
    assert (frontier.at_article, frontier.at_index) == (reopened.article_id, reopened.index)
    assert queue_next(project=project, user=annotator) == order[1]


def test_nothing_left_moves_the_cursors_past_the_end(project, annotator, two_articles):
    """So asking again when nothing is left rereads nothing, whatever the project's size."""
    label_all(project, annotator)
    other = make_member(project, Role.ANNOTATOR, "other")
    assert queue_next(project=project, user=other) is None
    last = Sentence.objects.filter(article=two_articles[1]).order_by("index").last()
    end = (last.article_id, last.index + 1)
    assert QueueCursor.objects.get(annotator=other).position == end
    # The others were stored on reaching the last article (then every CURSOR_STEP sentences).
    for cursor in QueueCursor.objects.filter(project=project):
        assert cursor.at_article == last.article_id
        assert end[1] - cursor.at_index < CURSOR_STEP


def test_changing_annotations_per_sentence_reopens_done_sentences(project, annotator, two_articles):
    order = label_all(project, annotator)
    other = make_member(project, Role.ANNOTATOR, "other")
    assert queue_next(project=project, user=other) is None
    project.annotations_per_sentence = 2
    project.save()
    assert queue_next(project=project, user=other) == order[0]


def test_previous_is_the_last_sentence_the_user_annotated_before(project, annotator, two_articles):
    order = label_all(project, annotator)
    current = Sentence.objects.get(pk=order[3])
    assert queue_previous(project=project, user=annotator, before=current) == order[2]
    other = make_member(project, Role.ANNOTATOR, "other")
    assert queue_previous(project=project, user=other, before=current) is None


# --- the endpoints ------------------------------------------------------------------------


def next_url(project, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/projects/{project.slug}/next/" + (f"?{query}" if query else "")


def test_next_item_has_context_position_and_suggestions(project, annotator, two_articles):
    client = client_for(annotator)
    first = client.get(next_url(project))
    save_annotation(Sentence.objects.get(pk=first.json()["sentence"]["id"]), annotator, SUBMITTED)
    item = client.get(next_url(project)).json()
    assert item["sentence"]["text"] == "Russia is ready to help, Lavrov said."
    assert item["article"]["title"] == "Talks resume in Oslo"
    assert [c["text"] for c in item["context"]["before"]] == [
        "Talks resume in Oslo",
        "MOSCOW, January 30. /TASS/.",
    ]
    assert [c["text"] for c in item["context"]["after"]] == ["Norway will mediate.", "All news"]
    # Numbered as in the admin: from 1, every sentence of the article (dateline, boilerplate).
    assert item["position"]["label"] == "sentence 3 of 6, article 1 of 2"
    assert item["progress"] == {"done": 1, "total": 6, "percent": 16.7}
    assert item["annotation"] is None
    suggested = item["suggestions"]["attributions"][0]
    assert (suggested["source"]["text"], suggested["cue"]["text"]) == ("Lavrov", "said")


def test_annotators_see_only_their_own_labels_and_speakers(project, two_articles):
    project.annotations_per_sentence = 2
    project.save()
    alice = make_member(project, Role.ANNOTATOR, "alice")
    bob = make_member(project, Role.ANNOTATOR, "bob")
    sentences = list(Sentence.objects.filter(article=two_articles[1]).order_by("index"))
    said = {
        "status": "submitted",
        "claim": "checkworthy",
        "attributions": [{"speaker": {"name": "Juan Guaido", "kind": "person"}}],
        "stance": [{"target": TARGET, "label": "favor"}],
    }
    save_annotation(sentences[0], alice, said)
    items = {}
    for user in (alice, bob):
        response = client_for(user).get(
            f"/api/v1/projects/{project.slug}/previous/?before={sentences[1].id}"
        )
        items[user.username] = response
    assert items["alice"].json()["annotation"]["claim"] == "checkworthy"
    assert items["bob"].status_code == 204
    for user in (alice, bob):
        Annotation.objects.filter(annotator=user, sentence=sentences[1]).delete()
    alice_next = (
        client_for(alice)
        .get(
            next_url(
                project,
                exclude=",".join(
                    str(s.id) for s in Sentence.objects.filter(article=two_articles[0])
                ),
            )
        )
        .json()
    )
    bob_first = client_for(bob).get(next_url(project)).json()
    assert alice_next["annotation"] is None
    assert bob_first["annotation"] is None


def test_next_says_204_when_done_and_400_on_a_bad_exclude(project, annotator, two_articles):
    client = client_for(annotator)
    assert client.get(next_url(project, exclude="1,x")).json() == {
        "exclude": ["'x' is not a sentence id (ids are numbers)"]
    }
    label_all(project, annotator)
    assert client.get(next_url(project)).status_code == 204
    assert client.get(f"/api/v1/projects/{project.slug}/previous/?before=0").status_code == 400


def test_outsiders_get_404_and_anonymous_401(project, two_articles):
    outsider = make_member(make_project(), Role.ANNOTATOR, "outsider")
    sentence = Sentence.objects.filter(project=project).first()
    assert client_for(outsider).get(next_url(project)).status_code == 404
    assert (
        client_for(outsider).get(f"/api/v1/sentences/{sentence.id}/suggestions/").status_code == 404
    )
    assert APIClient().get(next_url(project)).status_code == 401
    assert not Assignment.objects.exists()


def test_suggestions_endpoint_names_known_speakers(project, annotator, quote_sentence):
    speaker_create(project_id=project.id, name="Sergey Lavrov", kind="person", aliases=["Lavrov"])
    body = client_for(annotator).get(f"/api/v1/sentences/{quote_sentence.id}/suggestions/").json()
    attribution = body["attributions"][0]
    assert attribution["speaker"]["name"] == "Sergey Lavrov"
    assert attribution["content"]["text"].startswith("We truly wish")
    assert (attribution["quote_type"], attribution["suggested"], body["claim"]) == (
        "direct",
        True,
        None,
    )
    assert not Annotation.objects.filter(attributions__suggested=True).exists()


def big_project(articles: int):
    project = make_project()
    user = make_member(project, Role.ANNOTATOR)
    for n in range(articles):
        make_article(
            project, f"Report {n}\nLavrov said the talks went well. Norway agreed.\n", f"a{n}"
        )
    return project, user


@pytest.mark.parametrize("articles", [3, 12])
def test_next_takes_a_fixed_number_of_queries(db, articles, django_assert_num_queries):
    project, user = big_project(articles)
    client = client_for(user)
    first = client.get(next_url(project)).json()["sentence"]["id"]
    save_annotation(Sentence.objects.get(pk=first), user, SUBMITTED)
    second = client.get(next_url(project)).json()["sentence"]["id"]  # cursor rows now exist
    save_annotation(Sentence.objects.get(pk=second), user, SUBMITTED)
    # Project with role 1; own unfinished work 1; cursors 1; the claim: scan and reserve
    # 2 (in a savepoint here, a transaction when served: 2 more here); the item: sentence with
    # context and article 1, position, progress and whether the user has an annotation 1 (read
    # only then), speakers named in it and the user's speakers of the sentences before 2.
    # (Cursors are stored on reaching another article.)
    with django_assert_num_queries(11):
        response = client.get(next_url(project))
    assert response.status_code == 200


def test_the_progress_total_follows_imported_articles(project, annotator, two_articles):
    client = client_for(annotator)
    assert client.get(next_url(project)).json()["progress"]["total"] == 6
    make_article(project, "A third one. With two sentences.\n", "third")
    item = client.get(next_url(project)).json()
    assert (item["progress"]["total"], item["position"]["articles"]) == (8, 3)


# --- the pages ----------------------------------------------------------------------------


def test_the_pages_need_a_login_and_membership(client, project, annotator, two_articles):
    assert client.get("/").status_code == 302
    assert client.get(f"/projects/{project.slug}/label/")["Location"].startswith("/accounts/login/")
    outsider = make_member(make_project(), Role.ANNOTATOR, "outsider")
    client.force_login(outsider)
    assert client.get(f"/projects/{project.slug}/label/").status_code == 404
    assert project.name not in client.get("/").content.decode()
    client.force_login(annotator)
    home = client.get("/").content.decode()
    assert project.name in home and "0 / 6" in home
    page = client.get(f"/projects/{project.slug}/label/").content.decode()
    assert 'id="label-config"' in page and 'data-claim="checkworthy"' in page


def test_previous_looks_past_a_long_stretch_of_other_peoples_sentences(project, annotator):
    first = make_article(project, "The first one.\n", "first").sentences.get()
    save_annotation(first, annotator, SUBMITTED)
    long = " ".join(f"Sentence number {n} here." for n in range(PREVIOUS_WINDOW + 10))
    last = make_article(project, long + "\n", "long").sentences.order_by("index").last()
    assert queue_previous(project=project, user=annotator, before=last) == first.id


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_next_sentence_query_walks_the_queue_index_on_postgresql(db):
    from tests.labeling.race import many_sentences

    project = make_project()
    user = make_member(project, Role.ANNOTATOR)
    many_sentences(project, articles=200, per_article=25)
    many_sentences(make_project(), articles=200, per_article=25)
    now = timezone.now()
    values = {
        **queue_sql.params(project=project.id, user=user.id, k=1, now=now),
        **START.as_params("start"),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("EXPLAIN " + queue_sql.claim_scan("postgresql", 0, True), values)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Scan using sentence_queue on claims_sentence" in plan, plan
    assert "Seq Scan on claims_sentence" not in plan and "Sort" not in plan.splitlines()[2]
