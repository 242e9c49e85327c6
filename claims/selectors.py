"""Reads that the API, the pages and the services share."""

from typing import Any

from django.db.models import (
    Count,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from claims.access import projects_visible_to
from claims.labeling.progress import (
    Progress,
    done_annotations,
    progress_by_annotator,
    project_progress,
    queue_sentences,
)
from claims.labels import project_labels
from claims.models import (
    Annotation,
    AnnotationKind,
    Article,
    Attribution,
    LabelField,
    Membership,
    Project,
    Role,
    Sentence,
    Speaker,
    Stance,
)
from claims.prepared import Prepared

DETAILS = (
    Prefetch("attributions", queryset=Attribution.objects.select_related("speaker")),
    Prefetch("stances", queryset=Stance.objects.select_related("target")),
)


def annotations_with_details(queryset: QuerySet[Annotation] | None = None) -> QuerySet[Annotation]:
    """Return annotations with everything a record needs, in a fixed number of queries."""
    queryset = Annotation.objects.all() if queryset is None else queryset
    return queryset.select_related("annotator", "sentence").prefetch_related(*DETAILS)


# Every save and every item with the requester's annotation reads it: compiled once.
OWN_ANNOTATION = Prepared(
    lambda sentence, user, kind: (
        Annotation.objects.select_related("annotator", "sentence")
        .filter(sentence_id=sentence, annotator_id=user, kind=kind)
        .order_by("pk")[:1]
    ),
    sentence=int,
    user=int,
    kind=str,
)
GOLD_ANNOTATION = Prepared(
    lambda sentence, kind: (
        Annotation.objects.select_related("annotator", "sentence")
        .filter(sentence_id=sentence, kind=kind)
        .order_by("pk")[:1]
    ),
    sentence=int,
    kind=str,
)


def annotation_of(*, sentence_id: int, user_id: int, kind: str = AnnotationKind.ANNOTATOR):
    """Return the user's own annotation of the sentence (or its gold), with details, or None."""
    if kind == AnnotationKind.ANNOTATOR:
        annotation = OWN_ANNOTATION.first(sentence=sentence_id, user=user_id, kind=kind)
    else:
        annotation = GOLD_ANNOTATION.first(sentence=sentence_id, kind=kind)
    if annotation is not None:
        prefetch_related_objects([annotation], *DETAILS)
    return annotation


class AliasesText(Func):
    """A speaker's aliases (a JSON list) as one newline-separated string, for text search."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        template = "(SELECT group_concat(value, char(10)) FROM json_each(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        # jsonb_array_elements_text fails on a scalar, so anything but a list counts as empty.
        template = (
            "(SELECT string_agg(value, E'\\n') FROM jsonb_array_elements_text("
            "CASE WHEN jsonb_typeof(%(expressions)s) = 'array' THEN %(expressions)s "
            "ELSE '[]'::jsonb END))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


def speakers_matching(project: Project, *, search: str = "", kind: str = "") -> QuerySet[Speaker]:
    """Return the project's speakers whose name or an alias contains `search` (any case)."""
    speakers = Speaker.objects.filter(project=project).order_by("name", "id")
    if kind:
        speakers = speakers.filter(kind=kind)
    search = " ".join(search.split())
    if search:
        speakers = speakers.alias(alias_text=AliasesText("aliases")).filter(
            Q(name__icontains=search) | Q(alias_text__icontains=search)
        )
    return speakers


def projects_with_roles(user) -> QuerySet[Project]:
    """Return the projects the user may open, each with `member_role` (None for staff)."""
    role = Membership.objects.filter(project=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return projects_visible_to(user).annotate(member_role=Subquery(role)).order_by("name", "id")


def articles_with_counts(project: Project) -> QuerySet[Article]:
    """Return the project's articles (without their text), each with `sentence_count`.

    Counted per article in a subquery, not by joining and grouping: a page of articles then
    costs its own sentences (an index range each), and counting the articles costs none.
    """
    sentences = (
        Sentence.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        Article.objects.filter(project=project)
        .defer("text", "meta")
        .annotate(sentence_count=Coalesce(Subquery(sentences), 0))
        .order_by("id")
    )


def project_overview(project: Project, user, role: str) -> dict[str, Any]:
    """Return the project's settings, label schema, targets and progress as plain data."""
    labels = project_labels(project)
    total = queue_sentences(project).count()
    mine = done_annotations(project).filter(annotator=user).count()
    return {
        "project": project,
        "role": role,
        "schema": {
            "name": project.schema.name,
            **{field: labels.values_of(field) for field in LabelField.values},
        },
        "targets": labels.targets,
        "articles": project.articles.count(),
        "progress": {
            "project": Progress(done=project_progress(project).done, total=total),
            "mine": Progress(done=mine, total=total),
            "members": members_progress(project) if role == Role.REVIEWER else None,
        },
    }


def members_progress(project: Project) -> list[dict[str, Any]]:
    """Return every member with their role and how many sentences they submitted or skipped."""
    done = progress_by_annotator(project)
    members = Membership.objects.filter(project=project).select_related("user")
    return [
        {"username": m.user.username, "role": m.role, "done": done.get(m.user_id, 0)}
        for m in members.order_by("user__username")
    ]
