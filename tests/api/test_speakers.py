from urllib.parse import urlencode

import pytest

from claims.models import Speaker
from tests.api.test_annotations import client_for
from tests.factories import make_member, make_project

SPEAKERS = "/api/v1/projects/demo/speakers/"


@pytest.fixture
def speakers(project):
    other = make_project("elsewhere")
    Speaker.objects.create(project=other, name="Sergey Lavrov", kind="person")
    return [
        Speaker.objects.create(
            project=project,
            name="Sergey Lavrov",
            kind="person",
            aliases=["Lavrov", "the Russian top diplomat", "Лавров"],
        ),
        Speaker.objects.create(project=project, name="Nicolas Maduro", kind="person"),
        Speaker.objects.create(project=project, name="TASS", kind="media", aliases=[]),
        Speaker.objects.create(project=project, name="Odd one", kind="unnamed", aliases="x"),
    ]


def names(user, **params) -> list[str]:
    response = client_for(user).get(f"{SPEAKERS}?{urlencode(params)}")
    assert response.status_code == 200, response.json()
    return [s["name"] for s in response.json()["results"]]


def test_search_matches_names_and_aliases_in_any_case(annotator, speakers):
    assert names(annotator) == ["Nicolas Maduro", "Odd one", "Sergey Lavrov", "TASS"]
    assert names(annotator, search="maduro") == ["Nicolas Maduro"]
    assert names(annotator, search="TOP  diplomat") == ["Sergey Lavrov"]
    assert names(annotator, search="Лав") == ["Sergey Lavrov"]
    assert names(annotator, search="ta") == ["TASS"]
    assert names(annotator, search="%") == []
    assert names(annotator, search="  ") == names(annotator)
    assert names(annotator, kind="media") == ["TASS"]


def test_a_search_says_what_kind_a_new_speaker_of_that_name_would_be(annotator, speakers):
    def new_kind(search):
        return client_for(annotator).get(f"{SPEAKERS}?{urlencode({'search': search})}").json()

    assert new_kind("Kremlin press office")["new_kind"] == "organization"
    assert new_kind("The Dallas Morning News")["new_kind"] == "media"
    assert new_kind("Russia")["new_kind"] == "country"
    assert new_kind("Maria  Lopez")["new_kind"] == "person"
    assert "new_kind" not in new_kind("")


def test_listing_is_paginated_and_shows_aliases(annotator, speakers):
    body = client_for(annotator).get(f"{SPEAKERS}?page_size=1").json()
    assert body["count"] == 4 and len(body["results"]) == 1
    lavrov = client_for(annotator).get(f"{SPEAKERS}?search=lavrov").json()["results"][0]
    assert lavrov["aliases"] == ["Lavrov", "the Russian top diplomat", "Лавров"]
    assert lavrov["kind"] == "person"


def test_bad_filters_are_named(annotator, project):
    response = client_for(annotator).get(f"{SPEAKERS}?kind=alien&search=%00")
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "search"}


def test_members_add_a_speaker(annotator, project):
    response = client_for(annotator).post(
        SPEAKERS,
        {"name": " Juan  Guaido ", "kind": "person", "aliases": ["Guaido", "guaido", " "]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"aliases": {"2": ["This field may not be blank."]}}
    response = client_for(annotator).post(
        SPEAKERS,
        {"name": " Juan  Guaido ", "kind": "person", "aliases": ["Guaido", "guaido"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["kind"], body["aliases"]) == ("Juan Guaido", "person", ["Guaido"])
    assert Speaker.objects.get(pk=body["id"]).project == project


def test_a_name_or_alias_already_used_is_refused(annotator, speakers):
    lavrov = speakers[0]
    client = client_for(annotator)
    response = client.post(SPEAKERS, {"name": "sergey lavrov", "kind": "person"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "name": [
            f"'sergey lavrov' already names speaker {lavrov.id} of this project "
            "(as its name or an alias)"
        ]
    }
    response = client.post(
        SPEAKERS, {"name": "Lavrov", "kind": "person", "aliases": ["Maduro's ally"]}, "json"
    )
    assert list(response.json()) == ["name"]
    response = client.post(
        SPEAKERS, {"name": "Someone New", "kind": "person", "aliases": ["TASS"]}, format="json"
    )
    assert list(response.json()) == ["aliases"]
    assert Speaker.objects.filter(project=lavrov.project).count() == 4


def test_bad_fields_are_named(annotator, project):
    response = client_for(annotator).post(SPEAKERS, {"kind": "alien"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "kind"}
    assert not Speaker.objects.exists()


def test_outsiders_get_404(speakers):
    outsider = make_member(make_project())
    assert client_for(outsider).get(SPEAKERS).status_code == 404
    response = client_for(outsider).post(SPEAKERS, {"name": "X", "kind": "person"}, format="json")
    assert response.status_code == 404
    assert Speaker.objects.count() == 5


@pytest.mark.parametrize("count", [1, 8])
def test_list_queries_do_not_grow_with_the_page(
    project, annotator, count, django_assert_num_queries
):
    for number in range(count):
        Speaker.objects.create(
            project=project, name=f"Speaker {number}", kind="person", aliases=[f"S{number}"]
        )
    client = client_for(annotator)
    with django_assert_num_queries(3):  # project with role, count, page
        assert len(client.get(f"{SPEAKERS}?search=s").json()["results"]) == count
