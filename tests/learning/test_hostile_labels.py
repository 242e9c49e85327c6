"""Label values no annotation may hold, whatever the door (the command, the API, predictions):
each is reported with its file:line (or a 400 naming the field), the rest of the file is
imported, and nothing crashes or allocates what the offsets say."""

import json

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from claims.learning.models import Prediction
from claims.models import Annotation, Article, Speaker
from tests.learning.test_label_import import TEXT, lavrov

QUOTE_TYPES = "['direct', 'indirect', 'mixed']"
KINDS = "['person', 'organization', 'country', 'media', 'unnamed', 'author']"

# (what the attribution is changed to, what the report says after "attributions[0]")
ATTRIBUTIONS = {
    "unknown quote type": (
        {**lavrov(), "quote_type": "sarcastic"},
        f".quote_type: 'sarcastic' is not one of {QUOTE_TYPES}",
    ),
    "alien speaker kind": (
        {**lavrov(), "speaker": {"name": "Lavrov", "kind": "alien"}},
        f".speaker.kind: 'alien' is not one of {KINDS}",
    ),
    "speaker kind a number": (
        {**lavrov(), "speaker": {"name": "Lavrov", "kind": 5}},
        f".speaker.kind: 5 is not one of {KINDS}",
    ),
    "speaker name of 5,000 characters": (
        {**lavrov(), "speaker": "L" * 5000},
        ".speaker.name: required (1 to 200 characters) when no id is given",
    ),
    "speaker name with a NUL": (
        {**lavrov(), "speaker": "Lav\x00rov"},
        ".speaker.name: contains a NUL character (at character 3)",
    ),
    "attribution a string": ("Lavrov said it", ": must be an object"),
    "span past the end of the text": (
        {**lavrov(), "content": [[len(TEXT) - 5, len(TEXT) + 100]]},
        f".content: [{len(TEXT) - 5}, {len(TEXT) + 100}] runs past the end of the text "
        f"({len(TEXT)} characters)",
    ),
    "huge offset": (
        {**lavrov(), "content": [[0, 10**12]]},
        f".content: [0, {10**12}] runs past the end of the text ({len(TEXT)} characters)",
    ),
}


def article_line(n: int, attribution) -> dict:
    # The same length for every n: the messages give it.
    return {"id": f"a{n}", "text": TEXT[:-4] + f"({n})\n", "attributions": [attribution]}


def write(path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def imported(project, ids) -> set[str]:
    """Return the ids of the articles whose gold holds Lavrov's attribution."""
    gold = Annotation.objects.gold().filter(
        sentence__project=project, attributions__speaker__name="Sergey Lavrov"
    )
    return set(gold.values_list("sentence__article__external_id", flat=True)) & set(ids)


@pytest.mark.parametrize("case", ATTRIBUTIONS)
def test_a_bad_label_value_in_an_article_line_is_reported_and_the_rest_imported(
    tmp_path, project, capsys, case
):
    bad, message = ATTRIBUTIONS[case]
    rows = [article_line(1, lavrov()), article_line(2, bad), article_line(3, lavrov())]
    path = write(tmp_path / "labels.jsonl", rows)
    with pytest.raises(CommandError, match="1 label could not be imported"):
        call_command("import_articles", path, project=project.slug, as_="gold")
    err = capsys.readouterr().err
    assert f"label: {path}:2: attributions[0]{message}" in err, err
    assert imported(project, ["a1", "a2", "a3"]) == {"a1", "a3"}
    assert Article.objects.filter(project=project).count() == 3  # the article itself imports
    assert not Annotation.objects.filter(sentence__article__external_id="a2").exists()
    assert not Speaker.objects.exclude(name="Sergey Lavrov").exists()


def native_line(article: str, start: int = 0, **changes) -> dict:
    text = f"Lavrov said talks resumed in {article}."
    said = {"start": 7, "end": 11, "text": "said"}
    gold = {
        "annotator": "rev", "status": "submitted", "claim": "claim", "claim_types": [],
        "attributions": [{"speaker": {"name": "Sergey Lavrov", "kind": "person"},
                          "source": {"start": 0, "end": 6, "text": "Lavrov"}, "cue": said,
                          "content": None, "quote_type": "indirect", "suggested": False}],
        "stance": [],
    }  # fmt: skip
    line = {
        "id": f"p/{article}/0", "project": "p", "article": {"id": article, "title": article},
        "sentence_index": 0, "kind": "body", "text": text, "start": start,
        "end": start + len(text), "annotations": [], "gold": gold, "split": None,
    }  # fmt: skip
    for key, value in changes.items():
        target, _, name = key.rpartition("__")
        holder = line
        for part in filter(None, target.split("__")):
            holder = holder[int(part)] if isinstance(holder, list) else holder[part]
        holder[name] = value
    return line


NATIVE = {
    "gold a string": ({"gold": "claim"}, "gold: must be an object or null, not str"),
    "gold a list": ({"gold": [1]}, "gold: must be an object or null, not list"),
    "attribution a string": (
        {"gold__attributions": ["Lavrov"]},
        "gold.attributions[0]: must be an object",
    ),
    "span a list": (
        {"gold__attributions__0__source": [0, 6]},
        "gold.attributions[0].source: expected {'start', 'end'}, not list",
    ),
    "unknown quote type": (
        {"gold__attributions__0__quote_type": "sarcastic"},
        f"gold.attributions[0].quote_type: 'sarcastic' is not one of {QUOTE_TYPES}",
    ),
    "alien speaker kind": (
        {"gold__attributions__0__speaker": {"name": "Lavrov", "kind": "alien"}},
        f"gold.attributions[0].speaker.kind: 'alien' is not one of {KINDS}",
    ),
    "start 1e12": ({"start": 1e12}, "start, end: must be integers with 0 <= start <= end"),
    "start 10**12": (
        {"start": 10**12, "end": 10**12 + 32},
        "end: 1000000000032 is beyond any article (10,000,000 characters)",
    ),
    "start 2e8": (
        {"start": 2 * 10**8, "end": 2 * 10**8 + 32},
        "end: 200000032 is beyond any article (10,000,000 characters)",
    ),
    "span past its sentence": (
        {"gold__attributions__0__cue": {"start": 7, "end": 900}},
        "gold.attributions[0].cue: [7, 900] is not within its sentence [0, 32]",
    ),
}


@pytest.mark.parametrize("case", NATIVE)
def test_a_bad_native_line_is_reported_and_the_others_imported(tmp_path, project, capsys, case):
    changes, message = NATIVE[case]
    rows = [native_line("n1"), native_line("n2", **changes), native_line("n3")]
    path = write(tmp_path / "native.jsonl", rows)
    with pytest.raises(CommandError, match="1 label could not be imported"):
        call_command("import_articles", path, project=project.slug, as_="gold")
    err = capsys.readouterr().err
    assert f"label: {path}:2: {message}" in err, err
    assert imported(project, ["n1", "n2", "n3"]) == {"n1", "n3"}


@pytest.mark.parametrize("case", ATTRIBUTIONS)
def test_the_api_answers_400_naming_the_field_and_stores_nothing(project, reviewer, case):
    bad, message = ATTRIBUTIONS[case]
    client = APIClient()
    client.force_authenticate(reviewer)
    url = f"/api/v1/projects/{project.slug}/articles/"
    for as_ in ("gold", "predictions", "annotator:reviewer1"):
        response = client.post(
            f"{url}?as={as_}", [article_line(1, lavrov()), article_line(2, bad)], format="json"
        )
        assert response.status_code == 400, (as_, response.content[:300])
        if "NUL" in case:  # JSON with a NUL never reaches the import (claims.api.parsers)
            assert "NUL" in response.json()["detail"]
            continue
        assert response.json() == {"1": {"attributions": [f"attributions[0]{message}"]}}
    assert not Article.objects.exists() and not Annotation.objects.exists()
    assert not Prediction.objects.exists()


def test_predictions_never_hold_a_value_an_annotation_may_not(tmp_path, project, capsys):
    """A sentence-level label with an unknown value is checked when stored, like any other."""
    claim = {"start": 0, "end": 22, "claim": "sarcastic"}
    rows = [{"id": "p1", "text": TEXT, "claims": [claim]}]
    with pytest.raises(CommandError):
        call_command(
            "import_articles", write(tmp_path / "p.jsonl", rows), project=project.slug,
            as_="predictions",
        )  # fmt: skip
    assert "unknown claim label 'sarcastic'" in capsys.readouterr().err
    assert not Prediction.objects.exists()


def test_the_api_refuses_an_unknown_claim_label_whole(project, reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    item = {"id": "p1", "text": TEXT, "claims": [{"start": 0, "end": 22, "claim": "sarcastic"}]}
    response = client.post(
        f"/api/v1/projects/{project.slug}/articles/?as=predictions", item, format="json"
    )
    assert response.status_code == 400
    (line,) = response.json()["labels"]
    assert line.startswith("article 'p1': sentence 1 claim: unknown claim label 'sarcastic'")
    assert not Article.objects.exists() and not Prediction.objects.exists()


def test_an_api_import_as_an_annotator_needs_an_existing_member(project, reviewer):
    from django.contrib.auth import get_user_model

    client = APIClient()
    client.force_authenticate(reviewer)
    item = article_line(1, lavrov())
    url = f"/api/v1/projects/{project.slug}/articles/?as=annotator:"
    response = client.post(url + "newcomer", item, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "as": ["no member of this project is named 'newcomer'; add them first"]
    }
    assert not get_user_model().objects.filter(username="newcomer").exists()
    assert not Article.objects.exists()
    assert client.post(url + "reviewer1", item, format="json").status_code == 201
