import datetime
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from claims.content import content_from_json
from claims.labels import project_labels
from claims.models import Annotation, AnnotationEvent, Project, Role, Speaker
from claims.services.annotations import annotation_save
from tests.factories import (
    TARGET,
    client_for,
    make_article,
    make_member,
    make_project,
    make_user,
    save_annotation,
)
from tests.services.test_annotations import LAVROV_NOTED


def url(sentence) -> str:
    return f"/api/v1/sentences/{sentence.id}/annotation/"


def test_annotation_round_trip_with_versions(quote_sentence, annotator):
    client = client_for(annotator)
    assert client.get(url(quote_sentence)).status_code == 204
    created = client.put(url(quote_sentence), {**LAVROV_NOTED, "version": None}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["version"] == 1 and body["annotator"] == "annotator1"
    assert body["attributions"][0]["source"] == {"start": 98, "end": 104, "text": "Lavrov"}
    assert body["attributions"][0]["speaker"]["name"] == "Sergey Lavrov"
    assert client.get(url(quote_sentence)).json() == body

    repeat = client.put(url(quote_sentence), {**LAVROV_NOTED, "version": None}, format="json")
    assert (repeat.status_code, repeat.json()["version"]) == (200, 1)

    changed = {**LAVROV_NOTED, "claim": "checkworthy", "version": 1}
    assert client.put(url(quote_sentence), changed, format="json").json()["version"] == 2
    stale = client.put(url(quote_sentence), {**changed, "claim": "claim"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["claim"] == "checkworthy"
    assert Annotation.objects.get().version == 2


def test_errors_are_json_naming_the_field(quote_sentence, annotator):
    client = client_for(annotator)
    bad = {**LAVROV_NOTED, "attributions": [{"source": {"start": 0, "end": 999}}]}
    response = client.put(url(quote_sentence), bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "attributions": [{"source": {"end": ["must be >= 0 and <= 111 (sentence length)"]}}]
    }
    malformed = client.put(url(quote_sentence), "{nope", content_type="application/json")
    assert malformed.status_code == 400 and "JSON parse error" in malformed.json()["detail"]
    bad_version = client.put(url(quote_sentence), {"version": "one"}, format="json")
    assert bad_version.json() == {"version": ["must be an integer or null"]}
    assert not Annotation.objects.exists()


def test_a_misspelt_field_is_refused_and_erases_nothing(quote_sentence, annotator):
    client = client_for(annotator)
    stored = client.put(url(quote_sentence), LAVROV_NOTED, format="json").json()
    misspelt = [
        ({"claim_type": ["quantity"]}, {"claim_type": ["unknown field; expected one of "]}),
        ({"stances": []}, {"stances": ["unknown field; expected one of "]}),
        ({"attributions": [{**stored["attributions"][0], "sources": None}]},
         {"attributions": [{"sources": ["unknown field; expected one of "]}]}),
        ({"attributions": [{"source": {"start": 0, "end": 6, "length": 6}}]},
         {"attributions": [{"source": {"length": ["unknown field; expected one of "]}}]}),
        ({"attributions": [{"speaker": {"name": "Lavrov", "alias": ["SL"]}}]},
         {"attributions": [{"speaker": {"alias": ["unknown field; expected one of "]}}]}),
        ({"stance": [{"target": TARGET, "label": "favor", "weight": 1}]},
         {"stance": [{"weight": ["unknown field; expected one of "]}]}),
        ({"attributions": None}, {"attributions": ["must be a list of at most 50 objects"]}),
    ]  # fmt: skip
    for change, named in misspelt:
        response = client.put(url(quote_sentence), {**stored, **change}, format="json")
        assert response.status_code == 400, change
        assert_errors_start_with(response.json(), named)
    assert client.get(url(quote_sentence)).json() == stored
    # What GET returned may be sent back as it is: its read-only fields are ignored.
    again = client.put(url(quote_sentence), {**stored, "claim": "checkworthy"}, format="json")
    assert (again.status_code, again.json()["version"]) == (200, 2)


def assert_errors_start_with(errors, named) -> None:
    """Each message of `named` starts the message at the same place in `errors`."""
    if isinstance(named, str):
        assert isinstance(errors, str) and errors.startswith(named), (errors, named)
    elif isinstance(named, dict):
        assert isinstance(errors, dict) and set(errors) == set(named), (errors, named)
        for key in named:
            assert_errors_start_with(errors[key], named[key])
    else:
        assert isinstance(errors, list) and len(errors) == len(named), (errors, named)
        for got, want in zip(errors, named, strict=True):
            assert_errors_start_with(got, want)


def test_an_empty_body_is_refused_and_an_absent_lead_time_is_kept(quote_sentence, annotator):
    client = client_for(annotator)
    empty = client.put(url(quote_sentence), "", content_type="application/json")
    assert empty.status_code == 400
    assert empty.json() == {"non_field_errors": ["the body is empty: expected a JSON object"]}
    assert not Annotation.objects.exists()
    first = client.put(url(quote_sentence), {**LAVROV_NOTED, "lead_time_ms": 2000}, "json").json()
    without = {k: v for k, v in first.items() if k != "lead_time_ms"}
    changed = client.put(url(quote_sentence), {**without, "claim": "checkworthy"}, format="json")
    assert (changed.json()["lead_time_ms"], changed.json()["version"]) == (2000, 2)
    same = client.put(url(quote_sentence), {**without, "claim": "checkworthy"}, format="json")
    assert (same.status_code, same.json()["version"]) == (200, 2)  # nothing changed
    counted = client.put(url(quote_sentence), {**first, "version": 2, "lead_time_ms": 0}, "json")
    assert counted.json()["lead_time_ms"] == 0  # a client that counts may set it


def test_spans_of_one_attribution_that_overlap_are_refused_naming_them(quote_sentence, annotator):
    """A token has one role: a cue inside its source cannot be shown or exported."""
    nested = {"source": {"start": 0, "end": 10}, "cue": {"start": 5, "end": 8}}
    bad = {**LAVROV_NOTED, "attributions": [nested]}
    response = client_for(annotator).put(url(quote_sentence), bad, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "attributions": [
            {
                "cue": [
                    "[5:8] overlaps the source [0:10]; an attribution's source, cue and "
                    "content must not overlap"
                ]
            }
        ]
    }
    around = {"cue": {"start": 105, "end": 110}, "content": {"start": 100, "end": 111}}
    response = client_for(annotator).put(
        url(quote_sentence), {**LAVROV_NOTED, "attributions": [around]}, format="json"
    )
    assert list(response.json()["attributions"][0]) == ["content"]
    assert not Annotation.objects.exists()
    # Two attributions may share words: a report nested in another's content is two.
    nested_report = {"source": {"start": 98, "end": 104}, "content": {"start": 1, "end": 95}}
    inside = {"cue": {"start": 105, "end": 110}, "content": {"start": 1, "end": 40}}
    fine = {**LAVROV_NOTED, "attributions": [nested_report, inside]}
    assert client_for(annotator).put(url(quote_sentence), fine, format="json").status_code == 201


def test_a_sentence_the_queue_never_hands_out_is_refused(project, annotator, reviewer):
    """Else its label counts as submitted work that no "done" figure counts."""
    article = make_article(
        project, "MOSCOW, January 30. /TASS/. Russia is ready to help, Lavrov said.\n", "tass"
    )
    dateline, body = article.sentences.order_by("index")
    assert (dateline.kind, body.kind) == ("dateline", "body")
    label = {"status": "submitted", "claim": "claim", "version": None}
    response = client_for(annotator).put(url(dateline), label, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "sentence": [
            "this sentence is a dateline sentence: annotators do not label datelines and "
            "boilerplate (the queue never hands them out)"
        ]
    }
    assert client_for(reviewer).put(url(dateline), label, format="json").status_code == 400
    assert not Annotation.objects.exists()
    assert client_for(annotator).put(url(body), label, format="json").status_code == 201


def test_outsiders_and_anonymous_get_nothing(quote_sentence):
    outsider = make_member(make_project(), username="outsider")
    assert client_for(outsider).get(url(quote_sentence)).status_code == 404
    assert (
        client_for(outsider).put(url(quote_sentence), LAVROV_NOTED, format="json").status_code
        == 404
    )
    assert APIClient().get(url(quote_sentence)).status_code in (401, 403)
    assert not Annotation.objects.exists()


def test_annotators_only_see_their_own(quote_sentence, annotator, reviewer):
    client_for(annotator).put(url(quote_sentence), LAVROV_NOTED, format="json")
    assert client_for(reviewer).get(url(quote_sentence)).status_code == 204


# Lists, one annotation by id, and who may see what.

SECOND_SENTENCE = {"status": "submitted", "claim": "not_claim", "lead_time_ms": 900}


def list_url(project, **params) -> str:
    return f"/api/v1/projects/{project.slug}/annotations/?{urlencode(params)}"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.fixture
def two_annotators_done(project, article, quote_sentence, annotator):
    """annotator1 and annotator2 both annotate the quote; annotator1 also the heading."""
    other = make_member(project, username="annotator2")
    heading = article.sentences.get(index=0)
    save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    save_annotation(quote_sentence, other, {**LAVROV_NOTED, "claim": "checkworthy"})
    save_annotation(heading, annotator, {**SECOND_SENTENCE, "status": "draft"})
    return other


def test_reviewers_list_everyones_annotations_and_filter_them(
    project, reviewer, two_annotators_done, quote_sentence, article
):
    client = client_for(reviewer)
    assert len(results(client.get(list_url(project)))) == 3
    mine = results(client.get(list_url(project, annotator="annotator2")))
    assert [(a["annotator"], a["claim"]) for a in mine] == [("annotator2", "checkworthy")]
    assert [a["status"] for a in results(client.get(list_url(project, status="draft")))] == [
        "draft"
    ]
    by_claim = results(client.get(list_url(project, claim="claim")))
    assert [a["annotator"] for a in by_claim] == ["annotator1"]
    by_sentence = results(client.get(list_url(project, sentence=quote_sentence.id)))
    assert {a["annotator"] for a in by_sentence} == {"annotator1", "annotator2"}
    assert len(results(client.get(list_url(project, article=article.id)))) == 3
    assert results(client.get(list_url(project, article=article.id + 1000))) == []


def test_updated_since_returns_only_later_changes(project, reviewer, two_annotators_done):
    cutoff = datetime.datetime(2030, 5, 1, 12, 0, tzinfo=datetime.UTC)
    Annotation.objects.update(updated_at=cutoff - datetime.timedelta(hours=1))
    Annotation.objects.filter(claim="checkworthy").update(updated_at=cutoff)
    client = client_for(reviewer)
    later = results(client.get(list_url(project, updated_since="2030-05-01T12:00:00Z")))
    assert [a["claim"] for a in later] == ["checkworthy"]
    assert len(results(client.get(list_url(project, updated_since="2030-05-01T10:59")))) == 3
    assert results(client.get(list_url(project, updated_since="2030-05-01T13:00+01:00"))) != []


def test_annotators_list_only_their_own(project, annotator, two_annotators_done):
    client = client_for(annotator)
    own = results(client.get(list_url(project)))
    assert {a["annotator"] for a in own} == {"annotator1"} and len(own) == 2
    assert results(client.get(list_url(project, annotator="annotator2"))) == []


def test_annotators_do_not_see_gold(project, annotator, reviewer, quote_sentence):
    save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    content = content_from_json(
        LAVROV_NOTED, sentence_text=quote_sentence.text, labels=project_labels(project)
    )
    annotation_save(
        sentence=quote_sentence, user=reviewer, content=content, version=None, kind="gold"
    )
    assert [a["kind"] for a in results(client_for(annotator).get(list_url(project)))] == [
        "annotator"
    ]
    gold = results(client_for(reviewer).get(list_url(project, kind="gold")))
    assert [(a["kind"], a["annotator"]) for a in gold] == [("gold", "reviewer1")]


def test_bad_filters_are_named(project, reviewer):
    response = client_for(reviewer).get(
        list_url(project, status="done", article="x", updated_since="yesterday", claim="maybe")
    )
    assert response.status_code == 400
    assert set(response.json()) == {"status", "article", "updated_since"}
    unknown_claim = client_for(reviewer).get(list_url(project, claim="maybe"))
    assert unknown_claim.status_code == 400
    assert "unknown claim label" in unknown_claim.json()["claim"][0]


def test_one_annotation_by_id_follows_the_same_rules(
    project, annotator, reviewer, two_annotators_done
):
    others = Annotation.objects.get(annotator=two_annotators_done)
    mine = Annotation.objects.filter(annotator=annotator).first()
    detail = f"/api/v1/annotations/{others.id}/"
    assert client_for(reviewer).get(detail).json()["annotator"] == "annotator2"
    assert client_for(two_annotators_done).get(detail).status_code == 200
    assert client_for(annotator).get(detail).status_code == 404
    assert client_for(annotator).get(f"/api/v1/annotations/{mine.id}/").status_code == 200
    assert client_for(annotator).put(detail, LAVROV_NOTED, format="json").status_code == 405
    outsider = make_member(make_project(), Role.REVIEWER)
    assert client_for(outsider).get(detail).status_code == 404
    assert client_for(make_user(is_staff=True, is_superuser=True)).get(detail).status_code == 200


def test_an_annotator_cannot_overwrite_anothers_annotation(
    quote_sentence, annotator, two_annotators_done
):
    """The only write route is one's own annotation: a PUT creates or changes that one."""
    theirs = Annotation.objects.get(annotator=two_annotators_done)
    client = client_for(annotator)
    response = client.put(url(quote_sentence), {**LAVROV_NOTED, "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["annotator"] == "annotator1"
    stale = client.put(url(quote_sentence), {**SECOND_SENTENCE, "version": 5}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current"]["annotator"] == "annotator1"
    theirs_now = Annotation.objects.get(pk=theirs.pk)
    assert (theirs_now.claim, theirs_now.version) == ("checkworthy", 1)


def test_409_carries_the_current_annotation_and_changes_nothing(quote_sentence, annotator):
    client = client_for(annotator)
    client.put(url(quote_sentence), LAVROV_NOTED, format="json")
    client.put(url(quote_sentence), {**LAVROV_NOTED, "claim": "checkworthy", "version": 1}, "json")
    stale = client.put(url(quote_sentence), {**SECOND_SENTENCE, "version": 1}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["detail"] == "The annotation changed since you read it."
    assert (body["current"]["version"], body["current"]["claim"]) == (2, "checkworthy")
    assert AnnotationEvent.objects.count() == 2
    fresh = client.put(url(quote_sentence), {**SECOND_SENTENCE, "version": 2}, format="json")
    assert (fresh.status_code, fresh.json()["version"]) == (200, 3)


def test_a_version_for_an_annotation_never_stored_is_409_with_null(quote_sentence, annotator):
    response = client_for(annotator).put(
        url(quote_sentence), {**LAVROV_NOTED, "version": 4}, format="json"
    )
    assert response.status_code == 409 and response.json()["current"] is None
    assert response.json()["detail"] == (
        "You have no annotation of this sentence to update (version 4 was sent): send version"
        " null, or none, to create it."
    )
    assert not Annotation.objects.exists()


def test_unknown_labels_targets_and_foreign_speakers_write_nothing(quote_sentence, annotator):
    stranger = Speaker.objects.create(project=make_project(), name="Someone", kind="person")
    bad = {
        **LAVROV_NOTED,
        "claim": "very_true",
        "claim_types": [],
        "stance": [{"target": "Something else", "label": "favor"}],
    }
    response = client_for(annotator).put(url(quote_sentence), bad, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"claim", "stance"}
    assert "unknown target 'Something else'" in response.json()["stance"][0]["target"][0]
    foreign = {**LAVROV_NOTED, "attributions": [{"speaker": {"id": stranger.id}}]}
    response = client_for(annotator).put(url(quote_sentence), foreign, format="json")
    assert response.json() == {
        "attributions": [{"speaker": {"id": [f"no speaker {stranger.id} in this project"]}}]
    }
    huge = {**LAVROV_NOTED, "attributions": [{"speaker": {"id": 10**30}}]}
    response = client_for(annotator).put(url(quote_sentence), huge, format="json")
    assert response.status_code == 400
    assert not Annotation.objects.exists() and Speaker.objects.count() == 1


def test_sentence_of_project_b_is_404_for_a_member_of_project_a(annotator):
    other_article = make_article(make_project(), "Elsewhere, someone said something.")
    sentence = other_article.sentences.first()
    client = client_for(annotator)
    assert client.get(url(sentence)).status_code == 404
    assert client.put(url(sentence), SECOND_SENTENCE, format="json").status_code == 404
    assert client.get(f"/api/v1/sentences/{10**20}/annotation/").status_code == 404
    assert not Annotation.objects.exists()


def page_of_annotations(project, count: int, annotator):
    article = make_article(project, " ".join(f"Sentence number {i} is here." for i in range(count)))
    for sentence in article.sentences.all():
        save_annotation(sentence, annotator, LAVROV_ON_ANY)


LAVROV_ON_ANY = {
    "status": "submitted",
    "claim": "claim",
    "attributions": [{"speaker": {"name": "Sergey Lavrov", "kind": "person"}}],
    "stance": [{"target": TARGET, "label": "neutral"}],
}


@pytest.mark.parametrize("count", [2, 9])
def test_list_queries_do_not_grow_with_the_page(
    project, reviewer, annotator, count, django_assert_num_queries
):
    page_of_annotations(project, count, annotator)
    client = client_for(reviewer)
    # project with role, count, page, attributions (+speakers), stances (+targets)
    with django_assert_num_queries(5):
        assert len(results(client.get(list_url(project, page_size=50)))) == count


@pytest.mark.parametrize("count", [2, 9])
def test_detail_and_own_annotation_queries_are_constant(
    project, annotator, count, django_assert_num_queries
):
    page_of_annotations(project, count, annotator)
    annotation = Annotation.objects.select_related("sentence").last()
    client = client_for(annotator)
    # annotation with sentence and project, attributions, stances, membership
    with django_assert_num_queries(4):
        assert client.get(f"/api/v1/annotations/{annotation.id}/").status_code == 200
    # sentence with project and role, annotation, attributions, stances
    with django_assert_num_queries(4):
        assert client.get(url(annotation.sentence)).status_code == 200


def test_a_first_save_naming_a_known_speaker_costs_a_fixed_number_of_queries(
    quote_sentence, annotator, django_assert_num_queries
):
    """The labeling page's submit of a new sentence: the annotators' hot path."""
    Speaker.objects.create(project=quote_sentence.project, name="Sergey Lavrov", kind="person")
    client = client_for(annotator)
    # Auth is forced, so no session queries: sentence and role 1, labels 2, read 1, speaker by
    # name 1, speaker held against a merge 1, insert 1 (no savepoint: a concurrent create is a
    # conflict skipped, not an error), spans 1, stances 1, the link "Lavrov" -> the speaker
    # learnt 1, history 1, and the savepoint of the test's transaction 2.
    with django_assert_num_queries(13):
        response = client.put(url(quote_sentence), LAVROV_NOTED, format="json")
    assert response.status_code == 201 and response.json()["version"] == 1
    assert response.json()["attributions"][0]["speaker"]["name"] == "Sergey Lavrov"


@pytest.mark.parametrize("attributions", [1, 4])
def test_saving_an_annotation_costs_the_same_queries_however_many_spans(
    quote_sentence, annotator, attributions, django_assert_num_queries
):
    first = LAVROV_NOTED["attributions"][0]
    lavrov = {**first, "speaker": {"name": "Sergey Lavrov", "kind": "person"}}
    client = client_for(annotator)
    client.put(url(quote_sentence), {**LAVROV_NOTED, "attributions": [lavrov]}, format="json")
    changed = {
        **LAVROV_NOTED,
        "claim": "checkworthy",
        # Distinct attributions (an exact duplicate is refused): the quote type differs.
        "attributions": [
            {**lavrov, "quote_type": quote}
            for quote in ("direct", "indirect", "mixed", None)[:attributions]
        ],
        "version": 1,
    }
    # Auth is forced, so no session queries: sentence and role 1, labels 2, read 3, speaker by
    # name 1, held 1, update 1, replace spans and stances 4, history 1, savepoint 2 (no re-read);
    # the links from sources to speakers are the same, so nothing is learnt or unlearnt.
    with django_assert_num_queries(16):
        response = client.put(url(quote_sentence), changed, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert len(response.json()["attributions"]) == attributions


def test_a_suggestion_whose_rules_overlap_its_spans_is_served_apart_and_saves(project, annotator):
    """The rules read "in his words" as the cue and "his" as its source; accepted as served,
    it must save."""
    Project.objects.filter(pk=project.pk).update(suggestion_threshold=0)
    text = "In his words, Moscow would like the EU to explain its initiative."
    sentence = make_article(project, text, "words").sentences.get()
    client = client_for(annotator)
    (suggested,) = client.get(f"/api/v1/sentences/{sentence.id}/suggestions/").json()[
        "attributions"
    ]
    spans = [suggested[role] for role in ("source", "cue", "content") if suggested[role]]
    assert [s["text"] for s in spans] == [
        "his",
        "Moscow would like the EU to explain its initiative",
    ]
    accepted = {k: suggested[k] for k in ("source", "cue", "content", "quote_type", "suggested")}
    body = {"version": None, "status": "submitted", "claim": "claim", "attributions": [accepted]}
    assert client.put(url(sentence), body, format="json").status_code == 201


def test_a_stance_target_named_in_another_case_or_spacing_is_the_projects(
    quote_sentence, annotator
):
    loose = "  ".join(TARGET.upper().split())
    body = {**LAVROV_NOTED, "stance": [{"target": loose, "label": "favor"}]}
    response = client_for(annotator).put(url(quote_sentence), body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["stance"] == [{"target": TARGET, "label": "favor"}]


@pytest.mark.django_db(transaction=True)
def test_a_save_meeting_a_locked_database_is_a_503_to_retry(quote_sentence, annotator):
    """A large import holding SQLite's write lock past the timeout made a save answer an HTML
    500; it is a JSON 503 with Retry-After, and nothing is stored."""
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")
    other = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
    other.execute("BEGIN EXCLUSIVE")
    try:
        response = client_for(annotator).put(url(quote_sentence), LAVROV_NOTED, format="json")
    finally:
        other.rollback()
        other.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"].startswith("The database is busy with a long write")
    assert not Annotation.objects.exists()
