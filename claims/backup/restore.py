"""Restore a project backup (see write.py) into a database that does not hold the project.

Every line is checked before it is stored; the first bad line stops the restore with a message
naming the file, the line and the field, and the whole restore is rolled back. Articles are
stored in batches with bulk inserts; timestamps are written back afterwards with bulk updates,
because `auto_now` / `auto_now_add` overwrite them on insert.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, transaction

from claims.backup.checks import (
    SLUG,
    LineError,
    SentenceRow,
    check_annotation,
    check_member,
    check_project_settings,
    check_ref,
    check_schema,
    check_sentences,
    check_speaker,
    need,
    need_count,
    need_date,
    need_time,
)
from claims.backup.restore_owned import OwnedRestorer
from claims.backup.store import Batch, BatchStore, times_restore
from claims.backup.write import END_COUNTS, FORMAT_NAME, READABLE_VERSIONS, payload_with
from claims.importing.records import content_hash
from claims.labels import ProjectLabels, project_labels
from claims.models import (
    AnnotationKind,
    Article,
    LabelOption,
    LabelSchema,
    Membership,
    Project,
    Speaker,
    StanceTarget,
    fold_name,
)
from claims.services.projects import user_get_or_create
from claims.speakers.evidence import links_relearn

BATCH_ARTICLES = 100
BATCH_ANNOTATIONS = 5000


class RestoreError(ValueError):
    """The backup cannot be restored; the message names the file and line."""


@dataclass
class RestoreSummary:
    slug: str = ""
    articles: int = 0
    sentences: int = 0
    annotations: int = 0
    events: int = 0
    merges: int = 0
    models: int = 0
    predictions: int = 0
    users_created: list[str] = field(default_factory=list)


@transaction.atomic
def project_restore(
    *,
    lines: Iterable[str],
    origin: str,
    slug: str | None = None,
    schema_name: str | None = None,
) -> RestoreSummary:
    """Store the backup's project with everything in it; create missing users without passwords.

    `slug` stores the project under another slug; `schema_name` stores its label schema under
    another name (when this database has a different schema of the same name).
    """
    restorer = Restorer(slug=slug, schema_name=schema_name)
    number = 0
    try:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                restorer.take(parse_line(line), number)
        number += 1
        restorer.finish()
    except LineError as error:
        raise RestoreError(f"{origin}:{number}: {error}") from None
    except DatabaseError as error:
        # What the checks do not cover (a value longer than its column, say) the database
        # refuses; rows are stored in batches, so the line is where the refusal surfaced.
        raise RestoreError(
            f"{origin}:{number}: the database refused the data read so far: {error}"
        ) from None
    return restorer.summary


def parse_line(line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(obj, dict):
        raise LineError("expected a JSON object")
    return obj


SETUP = {"target", "member", "speaker", "merge", "model"}
ARTICLE_PARTS = {"article", "annotation", "event", "prediction", "scores"}
# Which line type may come after which (None: the start of the file).
FOLLOWS = {
    "header": {None},
    "project": {"header"},
    **{kind: {"project", *SETUP} for kind in SETUP},
    "article": {"project", *SETUP, *ARTICLE_PARTS},
    "annotation": {"article", "annotation", "event"},
    "event": {"article", "annotation", "event"},
    "prediction": {"article", "annotation", "event", "prediction"},
    "scores": ARTICLE_PARTS,
    "end": {"project", *SETUP, *ARTICLE_PARTS},
}


class Restorer(OwnedRestorer):
    def __init__(self, *, slug: str | None, schema_name: str | None):
        self.slug, self.schema_name = slug, schema_name
        self.summary = RestoreSummary()
        self.previous: str | None = None
        self.project: Project | None = None
        self.labels: ProjectLabels | None = None
        self.targets: dict[str, StanceTarget] = {}
        self.speakers: dict[str, Speaker] = {}
        # (line, speaker name, the annotation that made it): linked once annotations are in.
        self.speakers_made: list[tuple[int, str, dict]] = []
        self.speaker_names: dict[str, str] = {}  # folded name -> name
        self.members: dict[str, tuple[str, Any]] = {}
        self.user_ids: dict[str, int] = {}
        self.article: tuple[str, list[SentenceRow]] | None = None
        self.article_ids: set[str] = set()
        self.annotation_keys: set[tuple] = set()
        self.batch = Batch()
        self.version = 1
        self.owned_init()

    def take(self, obj: dict, line: int) -> None:
        kind = obj.get("type")
        handler = getattr(self, f"take_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            raise LineError(f"unknown line type {kind!r}")
        if self.previous not in FOLLOWS[kind]:
            raise LineError(
                f"a line of type {kind!r} cannot follow one of type {self.previous!r}; the order "
                "is header, project, targets/members/speakers, then each article with its "
                "annotations and events, then end"
            )
        self.previous = kind
        handler(obj, line)

    def take_header(self, obj: dict, line: int) -> None:
        if obj.get("format") != FORMAT_NAME or obj.get("version") not in READABLE_VERSIONS:
            raise LineError(
                f"not a {FORMAT_NAME} backup of version {READABLE_VERSIONS}: "
                f"{obj.get('format')!r} version {obj.get('version')!r}"
            )
        self.version = obj["version"]

    def take_project(self, obj: dict, line: int) -> None:
        slug = self.slug or need(obj, "slug", str)
        if not SLUG.match(slug):
            raise LineError(f"project slug {slug!r} is not a slug")
        if Project.objects.filter(slug=slug).exists():
            raise LineError(
                f"a project {slug!r} already exists in this database; nothing was restored "
                "(restore into a database without it, or give another slug)"
            )
        schema = self.schema_of(*check_schema(obj))
        project = Project.objects.create(
            slug=slug,
            name=need(obj, "name", str),
            guidelines=need(obj, "guidelines", str),
            schema=schema,
            annotations_per_sentence=need_count(obj, "annotations_per_sentence", 1),
            **check_project_settings(obj),
        )
        project.created_at = need_time(obj, "created_at")
        Project.objects.filter(pk=project.pk).update(created_at=project.created_at)
        self.project, self.summary.slug = project, slug

    def schema_of(self, name: str, description: str, options: list[dict]) -> LabelSchema:
        """Return the schema of that name, created if missing; an existing one must match."""
        name = self.schema_name or name
        schema = LabelSchema.objects.filter(name=name).first()
        if schema is None:
            schema = LabelSchema.objects.create(name=name, description=description)
            LabelOption.objects.bulk_create(LabelOption(schema=schema, **o) for o in options)
            return schema
        # A version 1 backup does not say what claim values mean: compare what it says.
        fields = options[0].keys() if options else ("field", "value")
        stored = list(schema.options.values(*fields))
        key = lambda o: (o["field"], o["position"], o["value"])  # noqa: E731
        if sorted(stored, key=key) != sorted(options, key=key) or (
            schema.description != description
        ):
            raise LineError(
                f"this database has a label schema {name!r} with other options or description; "
                "restore the project's schema under a new name (import_project --schema-name)"
            )
        return schema

    def take_target(self, obj: dict, line: int) -> None:
        name = need(obj, "name", str)
        if name in self.targets:
            raise LineError(f"target {name!r} is given twice")
        self.targets[name] = StanceTarget(
            project=self.project,
            name=name,
            description=need(obj, "description", str),
            position=need_count(obj, "position"),
        )

    def take_member(self, obj: dict, line: int) -> None:
        username, role, created = check_member(obj)
        if username in self.members:
            raise LineError(f"member {username!r} is given twice")
        self.members[username] = (role, created)

    def take_speaker(self, obj: dict, line: int) -> None:
        fields = check_speaker(obj)
        if fields["name"] in self.speakers:
            raise LineError(f"speaker {fields['name']!r} is given twice")
        # Names alike but for case or Unicode form are one speaker (a backup written before
        # they were merged): say which, rather than fail on the database's constraint.
        same = self.speaker_names.get(fold_name(fields["name"]))
        if same is not None:
            raise LineError(
                f"speaker {fields['name']!r} is speaker {same!r} written differently (case "
                "or Unicode form); merge the two in the project the backup came from, or edit "
                "the backup"
            )
        self.speaker_names[fold_name(fields["name"])] = fields["name"]
        made_by = fields.pop("made_by")
        if made_by is not None:
            self.speakers_made.append((line, fields["name"], made_by))
        self.speakers[fields["name"]] = Speaker(project=self.project, **fields)

    def setup_store(self) -> None:
        """Store targets, members and speakers (before the first article or at the end)."""
        if self.labels is not None:
            return
        targets, speakers = list(self.targets.values()), list(self.speakers.values())
        StanceTarget.objects.bulk_create(targets)
        times = [s.created_at for s in speakers]
        Speaker.objects.bulk_create(speakers)
        times_restore(Speaker, speakers, created_at=times)
        for username, (role, created) in self.members.items():
            membership = Membership.objects.create(
                project=self.project, user_id=self.user_id(username), role=role
            )
            Membership.objects.filter(pk=membership.pk).update(created_at=created)
        self.target_ids = {t.name: t.pk for t in targets}
        self.speaker_ids = {s.name: s.pk for s in speakers}
        self.merges_store()
        self.store = BatchStore(self.project, self.speaker_ids, self.target_ids)
        for line, name, made_by in self.speakers_made:
            self.store.deferred.append((line, self.speakers[name], "made_by_id", made_by))
        self.labels = project_labels(self.project)

    def user_id(self, username: str) -> int:
        if username not in self.user_ids:
            user, created = user_get_or_create(username=username, password=None)
            if created:
                self.summary.users_created.append(username)
            self.user_ids[username] = user.pk
        return self.user_ids[username]

    def take_article(self, obj: dict, line: int) -> None:
        self.setup_store()
        external_id = need(obj, "id", str)
        if not external_id or external_id in self.article_ids:
            raise LineError(f"article id {external_id!r} is empty or given twice")
        text = need(obj, "text", str)
        sentences = check_sentences(text, obj.get("sentences"))
        meta = need(obj, "meta", dict)
        if len(self.batch.articles) >= BATCH_ARTICLES or (
            len(self.batch.annotations) + len(self.batch.events) >= BATCH_ANNOTATIONS
        ):
            self.flush()
        article = Article(
            project=self.project, external_id=external_id, title=need(obj, "title", str),
            source=need(obj, "source", str), url=need(obj, "url", str),
            published=need_date(obj, "published"), text=text, content_hash=content_hash(text),
            meta=meta, created_at=need_time(obj, "created_at"),
        )  # fmt: skip
        self.batch.articles.append((article, sentences))
        self.article_ids.add(external_id)
        self.article = (external_id, sentences)
        self.annotation_keys = set()

    def sentence_of(self, obj: dict) -> SentenceRow:
        if self.article is None or need(obj, "article", str) != self.article[0]:
            raise LineError("annotations and events must follow the line of their article")
        index = need_count(obj, "sentence")
        if index >= len(self.article[1]):
            raise LineError(f"article {self.article[0]!r} has no sentence {index}")
        return self.article[1][index]

    def take_annotation(self, obj: dict, line: int) -> None:
        sentence = self.sentence_of(obj)
        fields = check_annotation(
            obj, sentence.end - sentence.start, self.labels, self.speaker_ids.keys()
        )
        key = (
            sentence.index,
            fields["kind"],
            fields["kind"] == AnnotationKind.GOLD or fields["annotator"],
        )
        if key in self.annotation_keys:
            raise LineError("this sentence already has this annotator's annotation (or a gold)")
        self.annotation_keys.add(key)
        fields.update(article=self.article[0], sentence=sentence.index)
        fields["annotator_id"] = self.user_id(fields["annotator"])
        self.batch.annotations.append((line, fields))

    def take_event(self, obj: dict, line: int) -> None:
        sentence = self.sentence_of(obj)
        ref = check_ref(obj.get("annotation"), full=False)
        if ref is not None and "article" not in ref:
            ref.update(article=self.article[0], sentence=sentence.index)
        speaker = self.speaker_named
        target = lambda name: self.known(self.target_ids, name, "target")  # noqa: E731
        self.batch.events.append(
            (
                line,
                {
                    "article": self.article[0], "sentence": sentence.index, "ref": ref,
                    "actor_id": self.user_id(need(obj, "actor", str)),
                    "action": need(obj, "action", str), "version": need_count(obj, "version"),
                    "before": payload_with(obj.get("before"), speaker, target),
                    "after": payload_with(obj.get("after"), speaker, target),
                    "created_at": need_time(obj, "created_at"),
                },
            )
        )  # fmt: skip

    @staticmethod
    def known(ids: dict[str, int], name: Any, what: str) -> int:
        if name not in ids:
            raise LineError(f"history names the {what} {name!r}, which has no {what} line")
        return ids[name]

    def take_end(self, obj: dict, line: int) -> None:
        self.setup_store()
        self.flush()
        stored = self.store.summary
        stored.merges, stored.models = len(self.merges), len(self.model_ids)
        counted = END_COUNTS if self.version >= 3 else END_COUNTS[:3]
        expected = {key: obj.get(key) for key in counted}
        found = {key: getattr(stored, key) for key in counted}
        if expected != found:
            raise LineError(f"the file says it holds {expected} but holds {found}")
        self.store.resolve_deferred()
        links_relearn(self.project.pk)
        self.summary.articles, self.summary.sentences = stored.articles, stored.sentences
        self.summary.annotations, self.summary.events = stored.annotations, stored.events
        self.summary.merges, self.summary.models = stored.merges, stored.models
        self.summary.predictions = stored.predictions

    def flush(self) -> None:
        batch, self.batch = self.batch, Batch()
        self.store.store(batch)

    def finish(self) -> None:
        if self.previous != "end":
            raise LineError("the file ends before its 'end' line (truncated?); nothing restored")
