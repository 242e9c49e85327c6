import pytest
from django.db import IntegrityError, transaction

from claims.models import Annotation, Article, Attribution, Sentence, Speaker
from tests.factories import make_user


def test_one_annotation_per_annotator_and_sentence(quote_sentence, annotator):
    Annotation.objects.create(sentence=quote_sentence, annotator=annotator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(sentence=quote_sentence, annotator=annotator)


def test_one_gold_per_sentence(quote_sentence, annotator, reviewer):
    Annotation.objects.create(sentence=quote_sentence, annotator=annotator, kind="gold")
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(sentence=quote_sentence, annotator=reviewer, kind="gold")
    # The reviewer's gold does not collide with the same person's own annotation.
    Annotation.objects.create(sentence=quote_sentence, annotator=annotator, kind="annotator")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "deleted"},
        {"kind": "silver"},
        {"version": 0},
    ],
)
def test_annotation_constraints(quote_sentence, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.create(sentence=quote_sentence, annotator=make_user(), **fields)


@pytest.mark.parametrize(
    "spans",
    [
        {"source_start": 5, "source_end": 5},
        {"cue_start": 7, "cue_end": 3},
        {"content_start": 2},
    ],
)
def test_attribution_spans_are_ordered_and_complete(quote_sentence, annotator, spans):
    annotation = Annotation.objects.create(sentence=quote_sentence, annotator=annotator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribution.objects.create(annotation=annotation, **spans)


def test_sentence_must_not_be_empty(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Sentence.objects.create(
            project=article.project, article=article, index=99, start=4, end=4, text=""
        )


def test_article_ids_and_texts_are_unique_per_project(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            project=article.project, external_id="lavrov", text="x", content_hash="other"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            project=article.project, external_id="new", text="x", content_hash=article.content_hash
        )


def test_speaker_kind_is_checked(project):
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(project=project, name="Lavrov", kind="alien")
