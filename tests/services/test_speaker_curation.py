"""Curating speakers: merge duplicates, delete unused ones, names unique up to case."""

import threading
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from claims.content import content_from_json
from claims.errors import InvalidInput
from claims.labels import project_labels
from claims.models import Annotation, AnnotationEvent, Role, Speaker, SpeakerMerge
from claims.services.annotations import StaleVersion, annotation_save
from claims.services.gold import gold_adopt
from claims.services.speaker_curation import (
    merge_plan,
    speaker_delete,
    speaker_save,
    speakers_merge,
)
from tests.factories import make_article, make_member, make_project, save_annotation
from tests.services.test_annotations import LAVROV_NOTED


def naming(speaker: dict, status: str = "submitted") -> dict:
    return {**LAVROV_NOTED, "status": status,
            "attributions": [{**LAVROV_NOTED["attributions"][0], "speaker": speaker}]}  # fmt: skip


@pytest.fixture
def duplicates(project, quote_sentence, reviewer):
    """'Sergey Lavrov' (two annotations and a gold) and 'S. Lavrov' (one annotation, one draft)."""
    first, second, third, drafter = (make_member(project) for _ in range(4))
    kept = save_annotation(quote_sentence, first, LAVROV_NOTED)
    save_annotation(quote_sentence, second, LAVROV_NOTED)
    gold_adopt(annotation=kept, reviewer=reviewer, version=None)
    short = {"name": "S. Lavrov", "kind": "person"}
    other = save_annotation(quote_sentence, third, naming(short))
    save_annotation(quote_sentence, drafter, naming(short, status="draft"))
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    lavrov.aliases = ["Lavrov"]
    lavrov.save()
    s_lavrov = Speaker.objects.get(name="S. Lavrov")
    s_lavrov.aliases = ["the Russian top diplomat", "lavrov"]
    s_lavrov.save()
    return lavrov, s_lavrov, other


def test_merge_plan_counts_what_would_change(duplicates):
    lavrov, s_lavrov, _ = duplicates
    plan = merge_plan(kept=lavrov, removed=[s_lavrov])
    assert plan.uses[lavrov.pk].attributions == 3
    assert (plan.uses[lavrov.pk].submitted, plan.uses[lavrov.pk].gold) == (2, 1)
    assert (plan.changed.attributions, plan.changed.annotations) == (2, 2)
    assert (plan.changed.submitted, plan.changed.drafts, plan.changed.gold) == (1, 1, 0)
    assert plan.aliases == ("Lavrov", "S. Lavrov", "the Russian top diplomat")
    assert Speaker.objects.count() == 2  # a plan changes nothing


def test_a_merge_never_makes_a_pronoun_an_alias(project, reviewer):
    # Speakers from before pronouns were refused, as names and as aliases.
    kept = Speaker.objects.create(project=project, name="Q", kind="person")
    he = Speaker.objects.create(project=project, name="he", kind="person", aliases=["Mr Q", "it"])
    speakers_merge(kept=kept, removed=[he], actor=reviewer)
    kept.refresh_from_db()
    assert kept.aliases == ["Mr Q"]


def test_merge_repoints_unites_aliases_and_records_history(duplicates, reviewer):
    lavrov, s_lavrov, other = duplicates
    result = speakers_merge(kept=lavrov, removed=[s_lavrov], actor=reviewer)

    assert (result.attributions, result.annotations, result.removed) == (2, 2, ("S. Lavrov",))
    assert not Speaker.objects.filter(pk=s_lavrov.pk).exists()
    lavrov.refresh_from_db()
    assert lavrov.aliases == ["Lavrov", "S. Lavrov", "the Russian top diplomat"]
    assert {a.attributions.get().speaker_id for a in Annotation.objects.all()} == {lavrov.pk}
    other.refresh_from_db()
    assert other.version == 2
    event = other.events.order_by("-id").first()
    assert (event.action, event.actor, event.version) == ("speaker_merge", reviewer, 2)
    assert event.before["attributions"][0]["speaker"] == s_lavrov.pk
    assert event.after["attributions"][0]["speaker"] == lavrov.pk
    assert {k for k in event.before if event.before[k] != event.after[k]} == {"attributions"}
    merge = SpeakerMerge.objects.get()
    assert (merge.removed_id, merge.removed_name, merge.kept, merge.actor) == (
        s_lavrov.pk, "S. Lavrov", lavrov, reviewer,
    )  # fmt: skip
    assert (merge.attributions, merge.annotations) == (2, 2)


def test_a_page_still_naming_the_merged_speaker_saves_the_kept_one(duplicates, reviewer, project):
    lavrov, s_lavrov, other = duplicates
    speakers_merge(kept=lavrov, removed=[s_lavrov], actor=reviewer)
    sentence, labels = other.sentence, project_labels(project)
    content = content_from_json(
        naming({"id": s_lavrov.pk}), sentence_text=sentence.text, labels=labels
    )
    # Whose annotation the merge changed: the same labels are what is stored (nothing to do);
    # other labels are saved over the merge's version (a merge is no one's edit to protect).
    same = annotation_save(sentence=sentence, user=other.annotator, content=content, version=1)
    assert not same.changed and same.annotation.version == 2
    edited = replace(content, claim="checkworthy")
    saved = annotation_save(sentence=sentence, user=other.annotator, content=edited, version=1)
    assert (saved.annotation.version, saved.annotation.claim) == (3, "checkworthy")
    assert saved.annotation.attributions.get().speaker == lavrov
    # An edit made since is protected as ever.
    with pytest.raises(StaleVersion) as stale:
        annotation_save(sentence=sentence, user=other.annotator, content=content, version=2)
    assert stale.value.current.version == 3
    # Whose annotation it did not touch: saved, naming the kept speaker.
    newcomer = make_member(project)
    saved = annotation_save(sentence=sentence, user=newcomer, content=content, version=None)
    assert saved.annotation.attributions.get().speaker == lavrov


def test_only_the_projects_reviewers_may_merge_or_delete(duplicates, project):
    lavrov, s_lavrov, _ = duplicates
    annotator = make_member(project, Role.ANNOTATOR)
    outsider = make_member(make_project(), Role.REVIEWER)
    for user in (annotator, outsider):
        with pytest.raises(PermissionDenied):
            speakers_merge(kept=lavrov, removed=[s_lavrov], actor=user)
        with pytest.raises(PermissionDenied):
            speaker_delete(speaker=lavrov, actor=user)
    assert Speaker.objects.count() == 2 and not AnnotationEvent.objects.filter(
        action="speaker_merge"
    )


def test_merge_refuses_a_speaker_of_another_project_and_merging_into_itself(duplicates, reviewer):
    lavrov, s_lavrov, _ = duplicates
    stranger = Speaker.objects.create(project=make_project(), name="Lavrov", kind="person")
    with pytest.raises(InvalidInput, match="not of the kept speaker's project: \\['Lavrov'\\]"):
        speakers_merge(kept=lavrov, removed=[stranger], actor=reviewer)
    with pytest.raises(InvalidInput, match="cannot also be merged away"):
        speakers_merge(kept=lavrov, removed=[lavrov, s_lavrov], actor=reviewer)
    assert Speaker.objects.count() == 3


def test_delete_only_an_unused_speaker(duplicates, reviewer, project):
    lavrov, _, _ = duplicates
    with pytest.raises(InvalidInput) as used:
        speaker_delete(speaker=lavrov, actor=reviewer)
    assert used.value.errors == {"speaker": [
        "'Sergey Lavrov' is named by 3 attribution(s) in 3 annotation(s): "
        "merge it into another speaker instead"]}  # fmt: skip
    unused = Speaker.objects.create(project=project, name="Nobody", kind="person")
    speaker_delete(speaker=unused, actor=reviewer)
    assert not Speaker.objects.filter(pk=unused.pk).exists()


def test_save_refuses_names_and_aliases_of_other_speakers(duplicates, reviewer, project):
    lavrov, s_lavrov, _ = duplicates
    with pytest.raises(InvalidInput) as clash:
        speaker_save(project=project, name="SERGEY  lavrov", kind="person",
                     aliases=["The Russian Top Diplomat", "Moscow"], actor=reviewer)  # fmt: skip
    assert clash.value.errors == {
        "name": ["'SERGEY lavrov' already names the speaker 'Sergey Lavrov'"],
        "aliases": ["'The Russian Top Diplomat' already names the speaker 'S. Lavrov'"],
    }
    # Its own names are no clash: renaming it and keeping the old name as an alias is fine.
    saved = speaker_save(
        project=project, name="Sergei Lavrov", kind="person", aliases=["Sergey Lavrov"],
        actor=reviewer, speaker=lavrov,
    )  # fmt: skip
    assert (saved.name, saved.aliases) == ("Sergei Lavrov", ["Sergey Lavrov"])


def test_speaker_names_are_unique_up_to_case_and_spacing(project):
    Speaker.objects.create(project=project, name="Juan Guaidó", kind="person")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(project=project, name="JUAN  GUAIDÓ", kind="person")
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.bulk_create([Speaker(project=project, name="juan guaidó", kind="person")])
    Speaker.objects.create(project=make_project(), name="juan guaidó", kind="person")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_naming_one_new_speaker_create_it_once():
    """Annotators naming the same new speaker at once (in any case) all save, with one speaker."""
    project = make_project("race")
    sentence = make_article(project, 'Guaidó said: "We will win."', "race").sentences.get()
    users = [make_member(project) for _ in range(24)]
    spellings = ["Juan Guaidó", "juan guaidó", "JUAN  GUAIDÓ"]
    barrier = threading.Barrier(len(users))
    failures = []

    def save(index: int, user) -> None:
        try:
            data = naming({"name": spellings[index % 3], "kind": "person"})
            data["attributions"][0].update(source={"start": 0, "end": 6}, cue=None, content=None)
            content = content_from_json(
                data, sentence_text=sentence.text, labels=project_labels(project)
            )
            barrier.wait(timeout=30)
            annotation_save(sentence=sentence, user=user, content=content, version=None)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=pair) for pair in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    speaker = Speaker.objects.get(project=project)
    assert Annotation.objects.filter(attributions__speaker=speaker).count() == len(users)


def annotated_before(migration: str, text: str):
    """Migrate back to `migration` and store, with the models of then, a project with one
    annotated sentence; return (the leaf migrations, those models, the project, annotation)."""
    before = [("claims", migration)]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    schema = apps.get_model("claims", "LabelSchema").objects.create(name="old")
    project = apps.get_model("claims", "Project").objects.create(
        name="Old", slug="old", schema=schema
    )
    article = apps.get_model("claims", "Article").objects.create(
        project=project, external_id="a", text=text, content_hash="h"
    )
    sentence = apps.get_model("claims", "Sentence").objects.create(
        project=project, article=article, index=0, start=0, end=len(text), text=text
    )
    user = apps.get_model("auth", "User").objects.create(username="old-annotator")
    annotation = apps.get_model("claims", "Annotation").objects.create(
        sentence=sentence, annotator=user
    )
    return latest, apps, project, annotation


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_speakers_differing_only_in_case():
    latest, apps, project, annotation = annotated_before(
        "0003_label_option_meaning", "Lavrov said so."
    )
    speakers = apps.get_model("claims", "Speaker").objects
    first = speakers.create(
        project=project, name="Sergey Lavrov", kind="person", aliases=["Lavrov"]
    )
    second = speakers.create(project=project, name="sergey lavrov", kind="person", aliases=["FM"])
    apps.get_model("claims", "Attribution").objects.create(annotation=annotation, speaker=second)

    MigrationExecutor(connection).migrate(latest)

    kept = Speaker.objects.get(project__slug="old")
    assert (kept.pk, kept.name, kept.aliases) == (first.pk, "Sergey Lavrov", ["Lavrov", "FM"])
    assert Annotation.objects.get(pk=annotation.pk).attributions.get().speaker == kept
    merge = SpeakerMerge.objects.get()
    assert (merge.removed_id, merge.removed_name, merge.actor) == (second.pk, "sergey lavrov", None)


@pytest.mark.django_db(transaction=True)
def test_the_migration_composes_names_and_merges_speakers_differing_only_in_unicode_form():
    latest, apps, project, annotation = annotated_before(
        "0013_project_annotations_per_sentence_min", "Zoe said so."
    )
    speakers = apps.get_model("claims", "Speaker").objects
    decomposed, composed = "Zoe\u0301 Smith", "Zo\u00e9 Smith"
    first = speakers.create(project=project, name=decomposed, name_key=decomposed.casefold(),
                            kind="person", aliases=["Zoe\u0301"])  # fmt: skip
    second = speakers.create(project=project, name=composed, name_key=composed.casefold(),
                             kind="person", aliases=["Zo\u00e9", "ZS"])  # fmt: skip
    apps.get_model("claims", "Attribution").objects.create(annotation=annotation, speaker=second)

    MigrationExecutor(connection).migrate(latest)

    kept = Speaker.objects.get(project__slug="old")
    assert (kept.pk, kept.name, kept.aliases) == (first.pk, composed, ["Zo\u00e9", "ZS"])
    assert kept.name_key == "zo\u00e9 smith"
    assert Annotation.objects.get(pk=annotation.pk).attributions.get().speaker == kept
    assert SpeakerMerge.objects.get().removed_id == second.pk
    assert set(kept.keys.values_list("origin", "text")) == {
        ("name", composed),
        ("alias", "Zo\u00e9"),
        ("alias", "ZS"),
    }


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
def test_saves_naming_speakers_being_merged_follow_the_merge_and_none_is_lost():
    """Fifteen annotators keep saving labels naming duplicates (by id, as their pages hold them)
    while a curator merges the duplicates one by one: every save is stored, naming the kept
    speaker; none fails or is refused as stale."""
    project = make_project("merging")
    reviewer = make_member(project, Role.REVIEWER)
    users = [make_member(project) for _ in range(15)]
    sentences = [make_article(project, f'Lavrov said: "We will help {n}."', f"a{n}").sentences
                 .get() for n in range(len(users))]  # fmt: skip
    kept = Speaker.objects.create(project=project, name="Sergey Lavrov", kind="person")
    duplicates = [
        Speaker.objects.create(project=project, name=f"Lavrov {n}", kind="person") for n in range(8)
    ]
    rounds = 12
    barrier = threading.Barrier(len(users) + 1)
    failures, last_claims = [], {}

    def annotate(user, sentence) -> None:
        version = None
        try:
            barrier.wait(timeout=30)
            for n in range(rounds):
                data = naming({"id": duplicates[n % len(duplicates)].pk})
                data["attributions"][0].update(source={"start": 0, "end": 6}, cue=None)
                data["attributions"][0].update(content=None)
                data["claim"] = ("claim", "checkworthy")[n % 2]
                content = content_from_json(
                    data, sentence_text=sentence.text, labels=project_labels(project)
                )
                saved = annotation_save(
                    sentence=sentence, user=user, content=content, version=version
                )
                version = saved.annotation.version
                last_claims[user.pk] = data["claim"]
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            connections.close_all()

    def curate() -> None:
        try:
            barrier.wait(timeout=30)
            for duplicate in duplicates:
                speakers_merge(kept=kept, removed=[duplicate], actor=reviewer)
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))
        finally:
            connections.close_all()

    pairs = zip(users, sentences, strict=True)
    threads = [threading.Thread(target=annotate, args=pair) for pair in pairs]
    threads.append(threading.Thread(target=curate))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert list(Speaker.objects.filter(project=project)) == [kept]
    stored = Annotation.objects.filter(sentence__project=project)
    assert {a.annotator_id: a.claim for a in stored} == last_claims
    assert {a.attributions.get().speaker_id for a in stored} == {kept.pk}
    assert AnnotationEvent.objects.filter(action="update").count() == len(users) * (rounds - 1)
