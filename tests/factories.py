"""Build test data through the same services users go through."""

import itertools
from pathlib import Path

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from claims.content import content_from_json
from claims.importing.records import ArticleRecord
from claims.importing.store import articles_import
from claims.labels import project_labels
from claims.models import Article, Project, Role, StanceTarget
from claims.services.annotations import annotation_save
from claims.services.projects import membership_set, project_get_or_create

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TARGET = "International mediation between the Maduro government and the opposition"
PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def make_project(slug: str | None = None, *, per_sentence: int = 1) -> Project:
    project, _ = project_get_or_create(slug=slug or f"project-{next(_numbers)}")
    project.annotations_per_sentence = per_sentence
    project.save()
    StanceTarget.objects.get_or_create(project=project, name=TARGET)
    return project


def make_user(username: str | None = None, **fields):
    username = username or f"user{next(_numbers)}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)


def make_member(project: Project, role: Role = Role.ANNOTATOR, username: str | None = None):
    user = make_user(username)
    membership_set(project=project, user=user, role=role)
    return user


def make_article(project: Project, text: str, external_id: str | None = None) -> Article:
    record = ArticleRecord(origin="test", text=text, external_id=external_id or "")
    summary = articles_import(project=project, items=[record])
    assert summary.ok, summary.problems
    return Article.objects.get(pk=summary.article_ids[0])


def save_annotation(sentence, user, data: dict, version: int | None = None):
    content = content_from_json(
        data, sentence_text=sentence.text, labels=project_labels(sentence.project)
    )
    return annotation_save(
        sentence=sentence, user=user, content=content, version=version
    ).annotation


def client_for(user) -> APIClient:
    """An API client signed in as `user` (forced: no session or token queries)."""
    client = APIClient()
    client.force_authenticate(user)
    return client
