"""Ids past 64 bits, on every route and parameter that takes an id: 404 or 400, never 500."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

HUGE = ["99999999999999999999", str(2**63), str(2**64)]


def api_urls(huge: str) -> list[str]:
    return [
        f"/api/v1/annotations/{huge}/",
        f"/api/v1/sentences/{huge}/annotation/",
        f"/api/v1/sentences/{huge}/suggestions/",
        f"/api/v1/articles/{huge}/",
        f"/api/v1/jobs/{huge}/",
        f"/api/v1/projects/demo/next/?article={huge}",
        f"/api/v1/projects/demo/next/?exclude={huge}",
        f"/api/v1/projects/demo/previous/?before={huge}",
        f"/api/v1/projects/demo/annotations/?article={huge}",
        f"/api/v1/projects/demo/annotations/?sentence={huge}",
    ]


def admin_urls(huge: str) -> list[str]:
    urls = [
        f"/admin/claims/project/{huge}/agreement/",
        f"/admin/claims/project/{huge}/disagreements/",
        f"/admin/claims/sentence/{huge}/adjudicate/",
        f"/projects/demo/label/?article={huge}",
    ]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        for view in ("change", "delete", "history"):
            try:
                urls.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[huge]))
            except NoReverseMatch:
                continue
    return urls


@pytest.mark.parametrize("who", ["superuser", "reviewer", "annotator"])
def test_huge_ids_are_not_found_or_refused(client, project, reviewer, annotator, who):
    user = {"reviewer": reviewer, "annotator": annotator}.get(who) or (
        get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password")
    )
    api = APIClient()
    api.force_authenticate(user)
    client.force_login(user)
    answers = {}
    for huge in HUGE:
        answers.update({url: api.get(url).status_code for url in api_urls(huge)})
        answers.update({url: client.get(url).status_code for url in admin_urls(huge)})
    errors = {url: status for url, status in answers.items() if status >= 500}
    assert errors == {}
    assert answers[f"/api/v1/annotations/{HUGE[0]}/"] == 404
