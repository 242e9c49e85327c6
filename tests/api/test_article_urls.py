"""Article URLs are http(s) addresses only: no javascript: or data: links to click later."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from claims.models import Article

BAD = [
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "JaVaScRiPt:x",
    "//evil.example/x",
    "ftp://files.example/a",
]


@pytest.mark.parametrize("url", BAD)
def test_the_api_refuses_an_article_url_that_is_not_http(project, reviewer, url):
    client = APIClient()
    client.force_authenticate(reviewer)
    response = client.post(
        f"/api/v1/projects/{project.slug}/articles/",
        {"text": "A claim.", "url": url},
        format="json",
    )
    assert response.status_code == 400
    assert "'url' must be an http:// or https:// address" in str(response.json())
    assert not Article.objects.exists()


def test_the_api_keeps_an_https_url(project, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    url = "https://news.example.org/2024/01/a?b=c"
    response = client.post(
        f"/api/v1/projects/{project.slug}/articles/",
        {"text": "A claim.", "url": url},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Article.objects.get().url == url


def test_an_imported_jsonl_article_with_a_javascript_url_is_refused(project, tmp_path, capsys):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        '{"text": "Fine.", "url": "https://ok.example/1"}\n'
        '{"text": "Bad.", "url": "javascript:alert(1)"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--project", project.slug)
    err = capsys.readouterr().err
    assert (
        f"{path}:2: 'url' must be an http:// or https:// address, not 'javascript:alert(1)'" in err
    )
    assert list(Article.objects.values_list("url", flat=True)) == ["https://ok.example/1"]
