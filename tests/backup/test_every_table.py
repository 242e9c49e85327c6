"""A backup carries everything the project owns: every table of the project's apps is either
compared row for row across export_project -> import_project, or named here as not project
data with the reason. A table added later fails test_every_table_is_carried_or_excused until
one of the two is done."""

import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model

from claims.backup.restore import project_restore
from claims.learning.models import Prediction, SuggestionModel, Uncertainty
from claims.models import (
    AgreementSnapshot,
    Project,
    QueueOrder,
    Role,
    SentenceDisagreement,
    Speaker,
    SpeakerMerge,
    StanceTarget,
)
from claims.services.speaker_curation import speakers_merge
from tests.backup.test_roundtrip import backup_of, drop_everything, make_rich_project
from tests.factories import make_member, save_annotation

APPS = ("claims", "jobs", "learning")

# How each table's rows of one project are found (a filter on the project).
PROJECT_DATA = {
    "claims.labelschema": "projects",
    "claims.labeloption": "schema__projects",
    "claims.project": "pk__in",
    "claims.membership": "project",
    "claims.stancetarget": "project",
    "claims.speaker": "project",
    "claims.speakermerge": "project",
    "claims.speakerkey": "project",
    "claims.article": "project",
    "claims.sentence": "project",
    "claims.annotation": "sentence__project",
    "claims.attribution": "annotation__sentence__project",
    "claims.stance": "annotation__sentence__project",
    "claims.annotationevent": "sentence__project",
    "learning.suggestionmodel": "project",
    "learning.prediction": "sentence__project",
    "learning.uncertainty": "project",
}

NOT_PROJECT_DATA = {
    "claims.assignment": "the queue's reservations: they lapse within 30 minutes anyway",
    "claims.queuecursor": "where the queue's scans start: rebuilt as annotators ask",
    "claims.queuesize": "the queue's counts: recounted when stale",
    "claims.queuearticle": "article ordinals: renumbered with the queue's counts",
    "claims.agreementsnapshot": "agreement figures: computed again by a job when behind",
    "claims.sentencedisagreement": "the disagreement queue: computed with the figures",
    "learning.modelcomparison": "a model's comparison with the rules and the active model: "
    "computed again the first time the model's page is opened",
    "jobs.job": "how background jobs ran; not restored (docs/operations.md)",
}


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def test_every_table_is_carried_or_excused():
    tables = {label(m) for name in APPS for m in apps.get_app_config(name).get_models()}
    unknown = tables - PROJECT_DATA.keys() - NOT_PROJECT_DATA.keys()
    assert not unknown, (
        f"tables {sorted(unknown)}: carry them in the project backup (claims/backup) and add "
        "them to PROJECT_DATA, or add them to NOT_PROJECT_DATA saying why they are not "
        "project data"
    )
    assert not (PROJECT_DATA.keys() & NOT_PROJECT_DATA.keys())


class Snapshot:
    """Every row of the project's tables, described without database ids."""

    def __init__(self, project: Project):
        self.memo: dict[tuple, tuple] = {}
        self.merged = {
            m.removed_id: ("merged", m.removed_name, m.created_at)
            for m in SpeakerMerge.objects.filter(project=project)
        }
        self.speakers = dict(Speaker.objects.filter(project=project).values_list("id", "name"))
        self.targets = dict(StanceTarget.objects.filter(project=project).values_list("id", "name"))
        self.tables = {}
        for name, path in PROJECT_DATA.items():
            model = apps.get_model(name)
            rows = model.objects.filter(**{path: [project.pk] if path == "pk__in" else project})
            self.tables[name] = Counter(self.identity(row) for row in rows.distinct())

    def speaker(self, speaker_id):
        if speaker_id in self.speakers:
            return ("speaker", self.speakers[speaker_id])
        return self.merged.get(speaker_id, ("gone", None))

    def identity(self, row: Model) -> tuple:
        key = (label(type(row)), row.pk)
        if key not in self.memo:
            self.memo[key] = tuple(
                (field.name, self.value(row, field))
                for field in row._meta.concrete_fields
                if not field.primary_key
            )
        return self.memo[key]

    def value(self, row: Model, field):
        value = getattr(row, field.attname)
        if field.is_relation:
            if value is None:
                return None
            if field.related_model is get_user_model():
                return getattr(row, field.name).username
            return self.identity(getattr(row, field.name))
        if isinstance(value, memoryview | bytes):
            return bytes(value)
        if (label(type(row)), field.name) == ("claims.speakermerge", "removed_id"):
            return self.speaker(value)
        if field.name in ("before", "after") and isinstance(value, dict):
            return self.payload(value)
        if (label(type(row)), field.name) == ("learning.prediction", "attributions"):
            return canonical([self.with_speaker(a, lambda s: {**s, "id": self.speaker(s["id"])})
                              for a in value])  # fmt: skip
        if isinstance(value, dict | list):
            return canonical(value)
        return repr(value)

    @staticmethod
    def with_speaker(attribution: dict, change) -> dict:
        speaker = attribution.get("speaker")
        return {**attribution, "speaker": speaker and change(speaker)}

    def payload(self, payload: dict) -> str:
        return canonical({
            **payload,
            "attributions": [self.with_speaker(a, self.speaker) for a in payload["attributions"]],
            "stance": [[self.targets[t], label] for t, label in payload["stance"]],
        })  # fmt: skip


def canonical(value) -> str:
    """Return JSON as text that ignores the order of an object's keys (not data in JSON)."""
    return json.dumps(value, sort_keys=True, default=repr)


def differences(before: Snapshot, after: Snapshot, name: str) -> str:
    """Name the fields in which the table's unmatched rows differ (for the failure message)."""
    lost = before.tables[name] - after.tables[name]
    new = after.tables[name] - before.tables[name]
    lines = [f"{name}: {sum(lost.values())} rows not restored, {sum(new.values())} new"]
    for old_row, new_row in zip(lost, new, strict=False):
        old_fields, new_fields = dict(old_row), dict(new_row)
        changed = [k for k in old_fields if old_fields[k] != new_fields.get(k)]
        lines.append(f"  fields {changed}: {[(old_fields[k], new_fields.get(k)) for k in changed]}")
    return "\n".join(line[:2000] for line in lines)


def add_everything_else(labeled) -> None:
    """Settings, a speaker merge, models (one active), predictions and uncertainty scores."""
    project = Project.objects.get(slug="news")
    project.queue_order = QueueOrder.UNCERTAIN
    project.suggestion_threshold = 0.45
    project.save()
    sentence = labeled.maduro.sentences.get(index=1)
    short = {"name": "S. Lavrov", "kind": "person"}
    save_annotation(sentence, make_member(project, Role.ANNOTATOR, "ann3"), {
        "status": "submitted", "claim": "claim",
        "attributions": [{"speaker": short, "source": {"start": 0, "end": 3}}],
    })  # fmt: skip
    merged_away = Speaker.objects.get(name="S. Lavrov")
    lavrov = Speaker.objects.get(name="Sergey Lavrov")
    speakers_merge(kept=lavrov, removed=[merged_away], actor=labeled.reviewer)
    trained = dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
    old = SuggestionModel.objects.create(
        project=project, version=1, data=bytes(range(256)) * 40, size=10240,
        figures={"source": {"f": 0.5}}, meta={"labels": ["claim"]}, trained_by=labeled.reviewer,
    )  # fmt: skip
    active = SuggestionModel.objects.create(
        project=project, version=2, data=b"\x00weights\xff", size=9, active=True,
        activated_at=trained, meta={"classifier": True},
    )  # fmt: skip
    SuggestionModel.objects.filter(pk=old.pk).update(created_at=trained)
    for index, speaker_id in ((0, lavrov.pk), (1, merged_away.pk)):
        Prediction.objects.create(
            sentence=labeled.maduro.sentences.get(index=index), claim="claim",
            attributions=[{"speaker": {"id": speaker_id, "name": "Lavrov", "kind": "person"},
                           "source": [0, 3], "cue": None, "content": None, "quote_type": ""}],
        )  # fmt: skip
    for n, sentence in enumerate(project.sentences.order_by("id")[:3]):
        Uncertainty.objects.create(project=project, sentence=sentence, model=active, score=n / 4)


def test_a_restored_backup_is_the_project_table_by_table(db):
    labeled = make_rich_project()
    add_everything_else(labeled)
    project = Project.objects.get(slug="news")
    before = Snapshot(project)
    for name in ("claims.speakermerge", "learning.suggestionmodel", "learning.prediction",
                 "learning.uncertainty"):  # fmt: skip
        assert before.tables[name], f"the test project has no {name} rows"
    backup = backup_of()

    drop_everything()
    assert not SuggestionModel.objects.exists() and not SpeakerMerge.objects.exists()
    project_restore(lines=io.StringIO(backup), origin="backup.jsonl")

    after = Snapshot(Project.objects.get(slug="news"))
    for name in PROJECT_DATA:
        assert after.tables[name] == before.tables[name], differences(before, after, name)
    assert backup_of() == backup
    restored = SuggestionModel.objects.get(active=True)
    assert (restored.version, bytes(restored.data)) == (2, b"\x00weights\xff")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"active":false', '"active":true'), "a second model is marked active"),
        (('"model":2', '"model":7'), "scores of model version 7, which has no model line"),
        (('{"merged":0}', '{"merged":3}'), "names the merge 3, which has no merge line"),
    ],
)
def test_a_backup_naming_what_it_lacks_is_refused(db, change, message):
    add_everything_else(make_rich_project())
    backup = backup_of()
    old, new = change
    assert old in backup
    drop_everything()
    from claims.backup.restore import RestoreError

    with pytest.raises(RestoreError, match=message):
        project_restore(lines=io.StringIO(backup.replace(old, new, 1)), origin="b")
    assert not Project.objects.exists() and not SuggestionModel.objects.exists()


def test_derived_tables_are_computed_again_after_a_restore(db, client):
    """What NOT_PROJECT_DATA says: the agreement figures come back from the job."""
    labeled = make_rich_project()
    backup = backup_of()
    drop_everything()
    project_restore(lines=io.StringIO(backup), origin="b")
    project = Project.objects.get(slug="news")
    assert not AgreementSnapshot.objects.exists()
    client.force_login(get_user_model().objects.get(username=labeled.reviewer.username))
    response = client.get(f"/api/v1/projects/{project.slug}/agreement/")
    assert response.status_code == 200 and response.json()["up_to_date"] is True
    assert AgreementSnapshot.objects.filter(project=project).exists()
    assert SentenceDisagreement.objects.filter(project=project).exists()
