import threading

import pytest
from django.db import connection, connections

from claims.content import content_from_json
from claims.errors import InvalidInput
from claims.labeling.progress import Progress, annotator_progress, project_progress
from claims.labels import project_labels
from claims.models import Annotation, AnnotationEvent, Speaker
from claims.services.annotations import StaleVersion, annotation_save
from tests.factories import TARGET, make_article, make_member, make_project, save_annotation

LAVROV_NOTED = {
    "status": "submitted",
    "claim": "claim",
    "claim_types": ["position_intention"],
    "attributions": [
        {
            "speaker": {"name": "Sergey Lavrov", "kind": "person"},
            "source": {"start": 98, "end": 104, "text": "Lavrov"},
            "cue": {"start": 105, "end": 110, "text": "noted"},
            "content": {"start": 1, "end": 95},
            "quote_type": "direct",
            "suggested": True,
        }
    ],
    "stance": [{"target": TARGET, "label": "favor"}],
    "lead_time_ms": 5400,
}


def parse(sentence, data):
    return content_from_json(
        data, sentence_text=sentence.text, labels=project_labels(sentence.project)
    )


def errors_of(sentence, data):
    with pytest.raises(InvalidInput) as caught:
        parse(sentence, data)
    return caught.value.errors


def test_saving_creates_version_one_a_speaker_and_a_history_row(quote_sentence, annotator):
    annotation = save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    assert (annotation.version, annotation.claim, annotation.status) == (1, "claim", "submitted")
    attribution = annotation.attributions.get()
    assert attribution.speaker.name == "Sergey Lavrov"
    assert (attribution.source_start, attribution.cue_end, attribution.quote_type) == (
        98,
        110,
        "direct",
    )
    assert annotation.stances.get().label == "favor"
    event = AnnotationEvent.objects.get()
    assert (event.action, event.version, event.before, event.actor) == (
        "create",
        1,
        None,
        annotator,
    )
    assert event.after["claim"] == "claim"


def test_repeating_the_same_save_changes_nothing(quote_sentence, annotator):
    first = save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    again = save_annotation(quote_sentence, annotator, LAVROV_NOTED, version=None)
    assert again.version == first.version == 1
    assert AnnotationEvent.objects.count() == 1
    assert Speaker.objects.count() == 1


def test_stale_version_with_other_content_is_refused(quote_sentence, annotator):
    save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    second = save_annotation(quote_sentence, annotator, {**LAVROV_NOTED, "claim": "checkworthy"}, 1)
    assert second.version == 2
    with pytest.raises(StaleVersion) as caught:
        save_annotation(
            quote_sentence, annotator, {**LAVROV_NOTED, "claim": "not_claim", "claim_types": []}, 1
        )
    assert caught.value.current.version == 2
    assert caught.value.current.claim == "checkworthy"
    events = list(AnnotationEvent.objects.order_by("id").values_list("action", "version"))
    assert events == [("create", 1), ("update", 2)]
    assert AnnotationEvent.objects.get(version=2).before["claim"] == "claim"


def test_a_new_annotation_with_a_version_is_stale(quote_sentence, annotator):
    with pytest.raises(StaleVersion) as caught:
        save_annotation(quote_sentence, annotator, LAVROV_NOTED, version=3)
    assert caught.value.current is None


def test_speaker_named_by_alias_is_reused(quote_sentence, annotator):
    lavrov = Speaker.objects.create(
        project=quote_sentence.project, name="Sergey Lavrov", kind="person", aliases=["Lavrov"]
    )
    data = {
        **LAVROV_NOTED,
        "attributions": [{**LAVROV_NOTED["attributions"][0], "speaker": {"name": "lavrov"}}],
    }
    annotation = save_annotation(quote_sentence, annotator, data)
    assert annotation.attributions.get().speaker == lavrov
    assert Speaker.objects.count() == 1


def test_speaker_of_another_project_is_refused(quote_sentence, annotator):
    stranger = Speaker.objects.create(project=make_project(), name="Someone", kind="person")
    data = {**LAVROV_NOTED, "attributions": [{"speaker": {"id": stranger.id}}]}
    content = parse(quote_sentence, data)
    with pytest.raises(InvalidInput) as caught:
        annotation_save(sentence=quote_sentence, user=annotator, content=content, version=None)
    assert caught.value.errors == {
        "attributions": [{"speaker": {"id": [f"no speaker {stranger.id} in this project"]}}]
    }
    assert not AnnotationEvent.objects.exists()


def test_new_speaker_needs_a_kind(quote_sentence, annotator):
    data = {**LAVROV_NOTED, "attributions": [{"speaker": {"name": "Nobody Known"}}]}
    with pytest.raises(InvalidInput) as caught:
        annotation_save(
            sentence=quote_sentence,
            user=annotator,
            content=parse(quote_sentence, data),
            version=None,
        )
    assert caught.value.errors == {
        "attributions": [
            {"speaker": {"kind": ["required to create the new speaker 'Nobody Known'"]}}
        ]
    }
    assert not Speaker.objects.exists()


def test_span_errors_name_the_item_and_field(quote_sentence):
    length = len(quote_sentence.text)
    data = {
        **LAVROV_NOTED,
        "attributions": [
            LAVROV_NOTED["attributions"][0],
            {"source": {"start": 0, "end": length + 1}, "cue": {"start": 5, "end": 2}},
            {"cue": {"start": 0, "end": 3, "text": "xyz"}},
        ],
    }
    assert errors_of(quote_sentence, data) == {
        "attributions": [
            {},
            {
                "source": {"end": [f"must be >= 0 and <= {length} (sentence length)"]},
                "cue": {"end": ["must be greater than start (5)"]},
            },
            {"cue": {"text": ["does not match the sentence at [0:3]: '\"We'"]}},
        ]
    }


def test_labels_are_checked_against_the_project_schema(quote_sentence):
    data = {
        "status": "submitted",
        "claim_types": ["quantity", "gossip"],
        "stance": [
            {"target": "Other thing", "label": "favor"},
            {"target": TARGET, "label": "love"},
        ],
        "lead_time_ms": -1,
    }
    errors = errors_of(quote_sentence, data)
    assert errors["claim"] == ["required when status is 'submitted'"]
    assert errors["claim_types"][0].startswith("unknown claim types ['gossip']")
    assert errors["stance"][0]["target"][0].startswith("unknown target 'Other thing'")
    assert errors["stance"][1]["label"][0].startswith("unknown stance label 'love'")
    assert errors["lead_time_ms"] == ["must be an integer from 0 to 2147483647"]


def test_claim_types_only_for_claims(quote_sentence):
    errors = errors_of(quote_sentence, {"claim": "not_claim", "claim_types": ["quantity"]})
    assert errors == {
        "claim_types": ["only the claim values ['checkworthy', 'claim'] have claim types"]
    }


def test_skip_needs_no_label(quote_sentence, annotator):
    annotation = save_annotation(
        quote_sentence, annotator, {"status": "skipped", "skip_reason": "garbled"}
    )
    assert (annotation.status, annotation.skip_reason, annotation.claim) == (
        "skipped",
        "garbled",
        "",
    )


def test_progress_counts_done_sentences_per_annotator_and_project(article, annotator, reviewer):
    heading, quote, last = article.sentences.order_by("index")
    assert annotator_progress(article.project, annotator) == Progress(0, 3)
    save_annotation(quote, annotator, LAVROV_NOTED)
    save_annotation(heading, annotator, {"status": "skipped"})
    save_annotation(last, annotator, {"status": "draft", "claim": "claim"})
    save_annotation(last, reviewer, {"status": "submitted", "claim": "claim"})
    assert annotator_progress(article.project, annotator) == Progress(2, 3)
    assert project_progress(article.project) == Progress(3, 3)
    article.project.annotations_per_sentence = 2
    assert project_progress(article.project) == Progress(0, 3)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
def test_two_tabs_creating_the_same_annotation_at_once_store_one_and_refuse_the_other():
    """The first create wins; the other is stale and is shown the stored annotation."""
    project = make_project("tabs")
    sentence = make_article(project, 'Guaidó said: "We will win."', "tabs").sentences.get()
    user = make_member(project)
    claims = ["claim", "not_claim"]
    barrier = threading.Barrier(len(claims))
    outcomes = []

    def save(claim: str) -> None:
        try:
            data = {**LAVROV_NOTED, "claim": claim, "claim_types": [], "attributions": []}
            content = parse(sentence, {**data, "stance": []})
            barrier.wait(timeout=30)
            saved = annotation_save(sentence=sentence, user=user, content=content, version=None)
            outcomes.append(("saved", saved.annotation.claim))
        except StaleVersion as stale:
            outcomes.append(("stale", stale.current and stale.current.claim))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(claim,)) for claim in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = Annotation.objects.get(sentence=sentence, annotator=user)
    assert sorted(outcomes) == [("saved", stored.claim), ("stale", stored.claim)]
    assert AnnotationEvent.objects.filter(annotation=stored).count() == 1


def draft_naming(speaker: dict) -> dict:
    attribution = {**LAVROV_NOTED["attributions"][0], "speaker": speaker}
    return {**LAVROV_NOTED, "status": "draft", "attributions": [attribution]}


def test_a_speaker_a_draft_made_and_left_is_deleted(quote_sentence, annotator):
    """y on a suggestion naming a junk new speaker ("Sergey Lavrov (R-Mos."): the draft saved
    a moment later created it for the whole project, and it stayed after another speaker was
    chosen."""
    lavrov = Speaker.objects.create(project=quote_sentence.project, name="Lavrov", kind="person")
    junk = {"name": "Sergey Lavrov (R-Mos.", "kind": "person"}
    first = save_annotation(quote_sentence, annotator, draft_naming(junk))
    made = first.attributions.get().speaker
    assert made.name == "Sergey Lavrov (R-Mos."
    save_annotation(quote_sentence, annotator, draft_naming({"id": lavrov.id}), version=1)
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Lavrov"]
    # The page may still hold the deleted speaker's id: sent with its name, the name is meant.
    again = {"id": made.id, "name": made.name, "kind": "person"}
    third = save_annotation(quote_sentence, annotator, draft_naming(again), version=2)
    assert third.attributions.get().speaker.name == "Sergey Lavrov (R-Mos."


def test_a_speaker_made_before_or_named_elsewhere_stays_when_a_save_drops_it(
    quote_sentence, annotator
):
    project = quote_sentence.project
    curated = Speaker.objects.create(project=project, name="Sergey Lavrov", kind="person")
    save_annotation(quote_sentence, annotator, draft_naming({"id": curated.id}))
    other = make_member(project)
    shared = {"name": "Maria Zakharova", "kind": "person"}
    save_annotation(quote_sentence, annotator, draft_naming(shared), version=1)
    save_annotation(quote_sentence, other, draft_naming(shared))
    save_annotation(quote_sentence, annotator, draft_naming({"id": curated.id}), version=2)
    names = set(Speaker.objects.values_list("name", flat=True))
    assert names == {"Sergey Lavrov", "Maria Zakharova"}
    save_annotation(quote_sentence, annotator, draft_naming(shared), version=3)
    save_annotation(quote_sentence, annotator, {**LAVROV_NOTED, "attributions": []}, version=4)
    assert Speaker.objects.filter(name="Sergey Lavrov").exists()  # made before the annotation
