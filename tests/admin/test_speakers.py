"""Curators clean up speakers in the admin: merge, delete unused, aliases one a line."""

import html
import re

import pytest
from django.db import connection
from django.db.models import signals
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import AnnotationEvent, Speaker, SpeakerKey, SpeakerKind
from claims.services.speaker_curation import speaker_clashes
from tests.admin.test_curation import staff_reviewer
from tests.factories import make_member, make_project, save_annotation
from tests.services.test_annotations import LAVROV_NOTED

SPEAKERS = "/admin/claims/speaker/"


def naming(name: str) -> dict:
    speaker = {"name": name, "kind": "person"}
    return {
        **LAVROV_NOTED,
        "attributions": [{**LAVROV_NOTED["attributions"][0], "speaker": speaker}],
    }


@pytest.fixture
def two_lavrovs(project, quote_sentence):
    """'Sergey Lavrov' named twice, 'S. Lavrov' once."""
    for name in ("Sergey Lavrov", "Sergey Lavrov", "S. Lavrov"):
        save_annotation(quote_sentence, make_member(project), naming(name))
    return Speaker.objects.get(name="Sergey Lavrov"), Speaker.objects.get(name="S. Lavrov")


def text(response) -> str:
    """Return the page's text as read: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def learnt_form(rows: list = (), delete: tuple = ()) -> dict:
    """Return the change form's fields of its learnt-alias rows (`delete`: those to forget)."""
    data = {"keys-TOTAL_FORMS": len(rows), "keys-INITIAL_FORMS": len(rows),
            "keys-MIN_NUM_FORMS": 0, "keys-MAX_NUM_FORMS": 1000}  # fmt: skip
    for n, row in enumerate(rows):
        data[f"keys-{n}-id"] = row.pk
        data[f"keys-{n}-speaker"] = row.speaker_id
        if row in delete:
            data[f"keys-{n}-DELETE"] = "on"
    return data


def learnt_of(speaker) -> list:
    return list(
        SpeakerKey.objects.filter(speaker=speaker, origin="learnt", uses__gt=0).order_by(
            "-uses", "text"
        )
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_reviewer_merges_after_seeing_what_changes(client, project, two_lavrovs):
    lavrov, s_lavrov = two_lavrovs
    client.force_login(staff_reviewer(project, "rita"))
    chosen = {"action": "merge_speakers", "_selected_action": [lavrov.pk, s_lavrov.pk]}
    page = client.post(SPEAKERS, chosen)
    assert page.status_code == 200
    shown = text(page)
    # The most used speaker is offered first (and chosen); each choice says what it changes.
    assert page.context["options"][0].kept == lavrov
    assert "Keeping it re-points" in shown
    assert "1 attribution(s) in 1 annotation(s): 1 submitted, 0 drafts or skips, 0 gold" in shown
    assert "2 attribution(s) in 2 annotation(s): 2 submitted" in shown
    assert Speaker.objects.count() == 2  # nothing changes before the confirmation

    done = client.post(SPEAKERS, {**chosen, "confirm": "yes", "kept": lavrov.pk}, follow=True)
    assert messages_of(done) == [
        "Merged 'S. Lavrov' into 'Sergey Lavrov': 1 attribution(s) in 1 annotation(s) "
        "re-pointed, each change recorded in the annotation's history."
    ]
    assert list(Speaker.objects.values_list("name", "aliases")) == [
        ("Sergey Lavrov", ["S. Lavrov"])
    ]
    event = AnnotationEvent.objects.get(action="speaker_merge")
    history = client.get(reverse("admin:claims_annotationevent_change", args=[event.pk]))
    shown = text(history)
    assert '"speaker": "S. Lavrov (merged into Sergey Lavrov)"' in shown
    assert '"speaker": "Sergey Lavrov"' in shown
    assert f"annotation by {event.annotation.annotator.username} , version 2" in shown
    assert f"speaker_merge v2 by {event.actor.username}" in shown


def test_merging_needs_two_speakers_of_one_project_the_reviewer_reviews(
    client, project, two_lavrovs
):
    lavrov, s_lavrov = two_lavrovs
    elsewhere = Speaker.objects.create(project=make_project("other"), name="Lavrov", kind="person")
    client.force_login(staff_reviewer(project, "rita"))
    for selected in ([lavrov.pk], [lavrov.pk, elsewhere.pk]):
        response = client.post(
            SPEAKERS, {"action": "merge_speakers", "_selected_action": selected, "confirm": "yes",
                       "kept": lavrov.pk}, follow=True,
        )  # fmt: skip
        assert messages_of(response) == ["Select two or more speakers of one project to merge."]
    client.force_login(make_member(project, username="annie"))  # an annotator: not even in
    client.post(SPEAKERS, {"action": "merge_speakers", "_selected_action": [lavrov.pk, s_lavrov.pk],
                           "confirm": "yes", "kept": lavrov.pk})  # fmt: skip
    assert Speaker.objects.count() == 3


def test_a_reviewer_deletes_an_unused_speaker_but_not_a_used_one(client, project, two_lavrovs):
    lavrov, _ = two_lavrovs
    unused = Speaker.objects.create(project=project, name="Nobody", kind="person")
    client.force_login(staff_reviewer(project, "rita"))
    refused = client.get(reverse("admin:claims_speaker_delete", args=[lavrov.pk]))
    assert (
        "'Sergey Lavrov' is named by 2 attribution(s) in 2 annotation(s): "
        "merge it into another speaker instead" in text(refused)
    )
    client.post(reverse("admin:claims_speaker_delete", args=[lavrov.pk]), {"post": "yes"})
    bulk = {"action": "delete_selected", "_selected_action": [lavrov.pk, unused.pk], "post": "yes"}
    client.post(SPEAKERS, bulk)
    assert set(Speaker.objects.values_list("name", flat=True)) == {
        "Sergey Lavrov",
        "S. Lavrov",
        "Nobody",
    }
    client.post(reverse("admin:claims_speaker_delete", args=[unused.pk]), {"post": "yes"})
    assert not Speaker.objects.filter(pk=unused.pk).exists()


def test_the_list_shows_use_and_filters_unused(client, project, two_lavrovs):
    Speaker.objects.create(project=project, name="Nobody", kind="person")
    client.force_login(staff_reviewer(project, "rita"))
    listed = client.get(SPEAKERS)
    counts = {s.name: s.attribution_count for s in listed.context["cl"].result_list}
    assert counts == {"Sergey Lavrov": 2, "S. Lavrov": 1, "Nobody": 0}
    unused = client.get(SPEAKERS, {"use": "unused"})
    assert [s.name for s in unused.context["cl"].result_list] == ["Nobody"]


def test_aliases_are_typed_one_a_line_and_clashes_named(client, project, two_lavrovs):
    lavrov, _ = two_lavrovs
    client.force_login(staff_reviewer(project, "rita"))
    url = reverse("admin:claims_speaker_change", args=[lavrov.pk])
    page = client.get(url)
    assert page.context["adminform"].form["aliases"].value() == ""
    data = {"name": "Sergey Lavrov", "kind": "person", **learnt_form(learnt_of(lavrov)),
            "aliases": "Lavrov\r\n  the Russian   top diplomat \r\n\r\nlavrov\r\n"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    lavrov.refresh_from_db()
    assert lavrov.aliases == ["Lavrov", "the Russian top diplomat"]
    assert "Lavrov\nthe Russian top diplomat" in client.get(url).content.decode()
    clash = client.post(url, {**data, "aliases": "S. LAVROV"})
    assert clash.status_code == 200
    assert clash.context["adminform"].form.errors == {
        "aliases": ["'S. LAVROV' already names the speaker 'S. Lavrov'"]
    }
    add = client.post(
        reverse("admin:claims_speaker_add"),
        {"project": project.pk, "name": "Delcy Rodríguez", "kind": "person", "aliases": "Delcy"},
    )
    assert add.status_code == 302
    assert Speaker.objects.get(name="Delcy Rodríguez").aliases == ["Delcy"]


def test_a_name_taken_by_another_curator_meanwhile_is_named_not_a_server_error(
    client, project, two_lavrovs
):
    """Both forms passed their check; the second save meets the first's committed name."""
    lavrov, _ = two_lavrovs
    client.force_login(staff_reviewer(project, "rita"))
    url = reverse("admin:claims_speaker_change", args=[lavrov.pk])

    def other_curator_renames_first(sender, instance, **kwargs):
        if instance.pk == lavrov.pk:
            signals.pre_save.disconnect(other_curator_renames_first, sender=Speaker)
            Speaker.objects.create(project=project, name="Sergei Lavrov", kind="person")

    signals.pre_save.connect(other_curator_renames_first, sender=Speaker)
    try:
        data = {"name": "Sergei Lavrov", "kind": "person", **learnt_form(learnt_of(lavrov))}
        page = client.post(url, data, follow=True)
    finally:
        signals.pre_save.disconnect(other_curator_renames_first, sender=Speaker)
    assert page.status_code == 200
    assert page.redirect_chain == [(url, 302)]
    assert messages_of(page) == ["Not saved: name: a speaker named 'Sergei Lavrov' already exists"]
    lavrov.refresh_from_db()
    assert lavrov.name == "Sergey Lavrov"


def test_the_annotation_history_names_speakers_and_targets_in_a_fixed_number_of_queries(
    client, project, quote_sentence
):
    annotator = make_member(project, username="ann")
    annotation = save_annotation(quote_sentence, annotator, LAVROV_NOTED)
    client.force_login(staff_reviewer(project, "rita"))
    url = reverse("admin:claims_annotation_change", args=[annotation.pk])
    client.get(url)  # warms the content type cache
    with CaptureQueriesContext(connection) as one_event:
        shown = text(client.get(url))
    assert '"speaker": "Sergey Lavrov"' in shown
    assert '["International mediation between the Maduro government' in shown
    for version in range(1, 6):
        save_annotation(
            quote_sentence, annotator, {**LAVROV_NOTED, "lead_time_ms": version}, version
        )
    with CaptureQueriesContext(connection) as six_events:
        assert text(client.get(url)).count('"speaker": "Sergey Lavrov"') == 11
    assert len(six_events.captured_queries) == len(one_event.captured_queries)


def test_the_admin_refuses_a_pronoun_as_a_speaker_name_or_alias(db):
    project = make_project()
    speaker = Speaker(project=project, name="Sergey Lavrov", kind=SpeakerKind.PERSON)
    errors = speaker_clashes(project, "he", ["they"], speaker)
    assert errors == {
        "name": ["'he' is a pronoun: choose the speaker it refers to instead"],
        "aliases": ["'they' is a pronoun: choose the speaker it refers to instead"],
    }
    assert speaker_clashes(project, "Sergey Lavrov", ["Lavrov"], speaker) == {}
    reversed_ = speaker_clashes(project, "Sergey \u202eLavrov", ["\u200bLavrov"], speaker)
    assert set(reversed_) == {"name", "aliases"}
    assert "invisible formatting character (U+202E" in reversed_["name"][0]


def test_learnt_aliases_are_counted_shown_and_forgotten_on_the_speakers_page(
    client, project, two_lavrovs
):
    lavrov, s_lavrov = two_lavrovs
    # Two annotations link the source "Lavrov" to Sergey Lavrov, one to S. Lavrov.
    (learnt,) = learnt_of(lavrov)
    assert (learnt.text, learnt.uses) == ("Lavrov", 2)
    client.force_login(staff_reviewer(project, "rita"))
    url = reverse("admin:claims_speaker_change", args=[lavrov.pk])
    shown = text(client.get(url))
    assert "Learnt aliases" in shown and "Lavrov 2" in shown
    data = {"name": "Sergey Lavrov", "kind": "person", "aliases": "",
            **learnt_form([learnt], delete=(learnt,))}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert learnt_of(lavrov) == []
    assert Speaker.objects.filter(pk=lavrov.pk).exists()


def test_a_merge_keeps_what_annotations_taught(client, project, two_lavrovs):
    lavrov, s_lavrov = two_lavrovs
    client.force_login(staff_reviewer(project, "rita"))
    chosen = {"action": "merge_speakers", "_selected_action": [lavrov.pk, s_lavrov.pk]}
    client.post(SPEAKERS, {**chosen, "confirm": "yes", "kept": lavrov.pk})
    assert [(k.text, k.uses) for k in learnt_of(lavrov)] == [("Lavrov", 3)]
