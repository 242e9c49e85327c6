"""Queries compiled once (claims.prepared) answer what the ORM answers, for any values."""

import pytest
from django.db import IntegrityError, transaction

from claims.access import with_role
from claims.models import Annotation, Project, Role, Sentence, Speaker
from claims.prepared import Insert, Prepared
from tests.factories import make_article, make_member, make_project

SENTENCE_WITH_ROLE = Prepared(
    lambda pk, user: with_role(
        Sentence.objects.select_related("project").filter(pk=pk), user, project="project_id"
    ),
    pk=int,
    user=int,
)
SPEAKER_ROWS = Prepared(
    lambda project, name: (
        Speaker.objects.filter(project_id=project, name_key=name)
        .order_by("id")
        .values_list("id", "name", "aliases", "created_at")
    ),
    project=int,
    name=str,
)


def test_objects_are_the_orms_with_related_objects_and_annotations(db):
    first, second = make_project("first"), make_project("second")
    member = make_member(first, Role.REVIEWER)
    sentences = [
        *make_article(first, "One sentence. And another.", "a").sentences.all(),
        *make_article(second, "Elsewhere.", "b").sentences.all(),
    ]
    for sentence in sentences:
        (found,) = SENTENCE_WITH_ROLE.objects(pk=sentence.pk, user=member.pk)
        expected = with_role(
            Sentence.objects.select_related("project").filter(pk=sentence.pk),
            member.pk,
            project="project_id",
        ).get()
        assert (found.pk, found.text, found.index, found.kind) == (
            expected.pk, expected.text, expected.index, expected.kind
        )  # fmt: skip
        assert found.project == expected.project and found.project.slug == expected.project.slug
        assert found.member_role == expected.member_role
        assert found._state.adding is False
    assert SENTENCE_WITH_ROLE.first(pk=sentences[-1].pk, user=member.pk).member_role is None
    assert SENTENCE_WITH_ROLE.first(pk=10**12, user=member.pk) is None


def test_rows_convert_values_as_the_orm_does(db):
    project = make_project()
    Speaker.objects.create(project=project, name="Juan Guaidó", kind="person", aliases=["Guaidó"])
    rows = SPEAKER_ROWS.rows(project=project.pk, name="juan guaidó")
    expected = Speaker.objects.filter(project=project).values_list(
        "id", "name", "aliases", "created_at"
    )
    assert [tuple(row) for row in rows] == list(expected)
    assert isinstance(rows[0][2], list) and rows[0][3].tzinfo is not None
    assert SPEAKER_ROWS.rows(project=project.pk, name="nobody") == []


def test_a_value_the_lookup_changes_cannot_be_prepared(db):
    contains = Prepared(lambda name: Project.objects.filter(name__contains=name), name=str)
    with pytest.raises(ValueError, match="changed"):
        contains.rows(name="Demo")


def test_a_value_missing_from_the_sql_cannot_be_prepared(db):
    ignored = Prepared(lambda slug: Project.objects.all(), slug=str)
    with pytest.raises(ValueError, match="slug"):
        ignored.rows(slug="demo")


def test_insert_reads_the_id_back_and_a_conflict_is_skipped_when_asked(quote_sentence, annotator):
    annotation = Annotation(sentence=quote_sentence, annotator=annotator, claim="claim")
    assert Insert(Annotation).insert(annotation)
    stored = Annotation.objects.get(pk=annotation.pk)
    assert (stored.claim, stored.version, stored.claim_types, stored.created_at) == (
        "claim", 1, [], annotation.created_at
    )  # fmt: skip
    again = Annotation(sentence=quote_sentence, annotator=annotator, claim="not_claim")
    assert Insert(Annotation, ignore_conflicts=True).insert(again) is False
    assert list(Annotation.objects.values_list("claim", flat=True)) == ["claim"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Insert(Annotation).insert(Annotation(sentence=quote_sentence, annotator=annotator))


def test_insert_refuses_a_model_with_its_own_save():
    """Speaker.save() derives the folded name: an INSERT of its fields alone would skip it."""
    with pytest.raises(TypeError, match="Speaker has its own save"):
        Insert(Speaker)
