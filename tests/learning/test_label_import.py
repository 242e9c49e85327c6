"""Importing labels with articles: mapped onto the project's sentences, as gold, as an
annotator's or as predictions; re-import is a no-op; the native export round-trips."""

import json

import pytest
from django.core.management import CommandError, call_command

from claims.learning.models import Prediction
from claims.models import Annotation, AnnotationEvent, SpanRole, Speaker
from claims.services.projects import project_get_or_create
from tests.factories import TARGET, make_article, save_annotation

TEXT = (
    "Talks resumed in Oslo.\n"
    '"We are ready to help. The door is open," Lavrov said on Monday.\n'
    "He added that aid would follow.\n"
)


def at(text: str, part: str, after: int = 0) -> list[int]:
    start = TEXT.index(text, after) if part == "" else TEXT.index(part, after)
    return [start, start + len(part or text)]


def lavrov() -> dict:
    content_start = TEXT.index("We are")
    content_end = TEXT.index('," Lavrov')
    return {
        "speaker": "Sergey Lavrov",
        "source": [at("", "Lavrov")],
        "cue": [at("", "said")],
        "content": [[content_start, content_end]],
    }


def aid() -> dict:
    return {
        "source": [at("", "He")],
        "cue": [at("", "added")],
        "content": [at("", "that aid would follow")],
    }


def write(tmp_path, *rows, name="labels.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def import_labels(path, project, as_, **options):
    call_command("import_articles", str(path), project=project.slug, as_=as_, **options)


def gold_spans(project):
    """Return, per sentence index, the gold attributions as (speaker, source, cue, content)."""
    found = {}
    for annotation in Annotation.objects.gold().filter(sentence__project=project):
        text = annotation.sentence.text
        found[annotation.sentence.index] = [
            (
                a.speaker and a.speaker.name,
                *(
                    text[slice(*a.span(r))] if a.span(r) else None
                    for r in ("source", "cue", "content")
                ),
            )
            for a in annotation.attributions.all()
        ]
    return found


def test_a_content_over_two_sentences_becomes_one_attribution_per_sentence(tmp_path, project):
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [lavrov(), aid()]})
    import_labels(path, project, "gold")
    assert gold_spans(project) == {
        0: [],
        1: [("Sergey Lavrov", None, None, "We are ready to help.")],
        2: [("Sergey Lavrov", "Lavrov", "said", "The door is open")],
        3: [(None, "He", "added", "that aid would follow")],
    }
    assert Speaker.objects.filter(project=project, name="Sergey Lavrov", kind="person").count() == 1


def test_a_source_crossing_a_boundary_is_reported_and_kept_where_most_of_it_is(
    tmp_path, project, capsys
):
    crossing = {**aid(), "source": [[TEXT.index("Oslo"), TEXT.index("We are") + 2]]}
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [crossing]})
    with pytest.raises(CommandError, match="1 label could not be imported as given"):
        import_labels(path, project, "gold")
    err = capsys.readouterr().err
    assert "labels.jsonl:1: article 'oslo': attribution 1, source" in err
    assert "crosses a sentence boundary; kept its part in sentence 1" in err
    assert gold_spans(project)[0] == [(None, "Oslo.", None, None)]


def test_a_discontinuous_content_gives_the_source_and_cue_to_its_first_part(tmp_path, project):
    quote = {
        "source": [at("", "Lavrov")],
        "cue": [at("", "said")],
        "content": [at("", "The door"), at("", "on Monday")],
    }
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [quote]})
    import_labels(path, project, "gold")
    assert gold_spans(project)[2] == [
        (None, "Lavrov", "said", "The door"),
        (None, None, None, "on Monday"),
    ]


def test_a_span_overlapping_another_role_is_left_out_and_reported(tmp_path, project, capsys):
    """PolNeAR has such a slip (a cue "in a" overlapping its source "a report"): the one span
    is left out and named, the article's other labels are stored."""
    slip = {**lavrov(), "cue": [[at("", "Lavrov")[0] - 2, at("", "said")[1]]]}
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [slip, aid()]})
    with pytest.raises(CommandError):
        import_labels(path, project, "gold")
    assert (
        "labels.jsonl:1: article 'oslo': attribution 1: its cue (17-30 of sentence 3) overlaps "
        "its source (19-25); the cue was left out"
    ) in capsys.readouterr().err
    spans = gold_spans(project)
    assert spans[2][0][1:3] == ("Lavrov", None)
    assert spans[3] == [(None, "He", "added", "that aid would follow")]


def test_reimporting_the_same_labels_changes_nothing(tmp_path, project, capsys):
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [lavrov(), aid()]})
    import_labels(path, project, "annotator:maria")
    events = AnnotationEvent.objects.count()
    capsys.readouterr()
    import_labels(path, project, "annotator:maria")
    assert AnnotationEvent.objects.count() == events
    assert "0 sentences stored, 4 unchanged" in capsys.readouterr().out
    assert Annotation.objects.filter(annotator__username="maria").done().count() == 4


def test_bad_labels_name_the_line_and_field(tmp_path, project, capsys):
    bad = {"source": [[5, 2]], "cue": [], "content": []}
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [bad]})
    with pytest.raises(CommandError):
        import_labels(path, project, "gold")
    assert "labels.jsonl:1: attributions[0].source: [5, 2] is not a span" in capsys.readouterr().err
    assert not Annotation.objects.exists()
    # A value is written back as the file wrote it (JSON), not as Python would.
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [{"cue": [[True, 22]]}]})
    with pytest.raises(CommandError):
        import_labels(path, project, "gold")
    assert "cue: expected [[start, end], ...], found [true, 22]" in capsys.readouterr().err


def test_a_misspelt_label_field_is_refused_naming_it(tmp_path, project, capsys):
    sources = {"sources": [[0, 6]], "cue": [], "content": []}
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [sources]})
    with pytest.raises(CommandError):
        import_labels(path, project, "gold")
    assert (
        "labels.jsonl:1: attributions[0]: unknown field 'sources'; expected one of source, cue, "
        "content, speaker, quote_type"
    ) in capsys.readouterr().err
    label = {"start": 0, "end": 22, "label": "claim"}
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [], "claims": [label]})
    with pytest.raises(CommandError):
        import_labels(path, project, "gold")
    assert "claims[0]: unknown field 'label'" in capsys.readouterr().err
    assert not Annotation.objects.exists()


def test_an_article_whose_labels_break_a_rule_stores_none_and_says_so(tmp_path, project, capsys):
    stance = {"target": "Nobody's target", "label": "favor"}
    claim = {"start": 0, "end": 22, "claim": "claim", "stance": [stance]}
    unknown = {"id": "oslo", "text": TEXT, "attributions": [aid()], "claims": [claim]}
    with pytest.raises(CommandError, match="1 label could not be imported"):
        import_labels(write(tmp_path, unknown), project, "gold")
    out, err = capsys.readouterr()
    assert "unknown target" in err
    assert "0 articles, 0 sentences stored" in out and "1 article refused whole" in out
    assert not Annotation.objects.exists()


def test_predictions_are_suggestions_never_human_work(tmp_path, project, annotator, client):
    path = write(
        tmp_path,
        {"id": "oslo", "text": TEXT, "attributions": [aid()], "claims": [
            {"start": TEXT.index("He"), "end": len(TEXT) - 1, "claim": "claim"}
        ]},
    )  # fmt: skip
    import_labels(path, project, "predictions")
    assert not Annotation.objects.exists()
    sentence = project.sentences.get(index=3)
    assert Prediction.objects.get().sentence == sentence
    client.force_login(annotator)
    found = client.get(f"/api/v1/sentences/{sentence.pk}/suggestions/").json()
    first = found["attributions"][0]
    assert (first["origin"], first["source"]["text"], first["confidence"]) == (
        "predictions", "He", None,
    )  # fmt: skip
    assert (found["claim"], found["claim_origin"]) == ("claim", "predictions")
    # The rules found the same attribution: it is not offered twice.
    assert [a["cue"]["text"] for a in found["attributions"]].count("added") == 1


def test_the_native_export_round_trips(tmp_path, project, capsys):
    path = write(tmp_path, {"id": "oslo", "text": TEXT, "attributions": [lavrov(), aid()]})
    import_labels(path, project, "gold")
    exported = tmp_path / "gold.jsonl"
    call_command("export_dataset", project="demo", output=str(exported), status="gold")
    other, _ = project_get_or_create(slug="copy")
    import_labels(exported, other, "gold")
    again = tmp_path / "again.jsonl"
    call_command("export_dataset", project="copy", output=str(again), status="gold")

    def labels(path):
        rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        keep = ("claim", "claim_types", "attributions", "stance")
        return [
            (r["sentence_index"], r["text"], r["start"], {k: r["gold"][k] for k in keep})
            for r in rows
            if "gold" in r
        ]

    assert labels(again) == labels(exported)
    assert len(labels(exported)) == 4


def test_a_native_file_labels_only_the_sentences_it_has_the_chosen_annotation_for(
    tmp_path, project, annotator
):
    """Its other sentences say nothing: storing them as unlabelled gold would teach a model
    that they hold no claim and no attribution."""
    article = make_article(project, TEXT, "oslo")
    second = article.sentences.get(text__contains="said")
    said = second.text.index("said")
    save_annotation(second, annotator, {"status": "submitted", "claim": "claim", "attributions": [
        {"speaker": None, "cue": {"start": said, "end": said + 4}, "source": None,
         "content": None, "quote_type": "direct"}]})  # fmt: skip
    exported = tmp_path / "submitted.jsonl"
    call_command("export_dataset", project="demo", output=str(exported))

    other, _ = project_get_or_create(slug="copy")
    import_labels(exported, other, "gold")
    assert not Annotation.objects.filter(sentence__project=other).exists()  # the file has no gold
    import_labels(exported, other, f"annotator:{annotator.username}")
    stored = Annotation.objects.filter(sentence__project=other)
    assert [(a.sentence.text, a.claim) for a in stored] == [(second.text, "claim")]
    (attribution,) = stored.get().attributions.all()
    assert attribution.span(SpanRole.CUE) == (said, said + 4)


def test_the_api_imports_labels_with_the_articles_in_one_transaction(project, reviewer):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(reviewer)
    url = f"/api/v1/projects/{project.slug}/articles/"
    item = {"id": "oslo", "text": TEXT, "attributions": [lavrov(), aid()]}
    bad = {**item, "id": "other", "attributions": [{"cue": [[9, 3]]}]}
    response = client.post(url + "?as=gold", [item, bad], format="json")
    assert response.status_code == 400
    assert "attributions[0].cue: [9, 3] is not a span" in str(response.json()["1"])
    assert not project.articles.exists()
    assert client.post(url + "?as=golden", item, format="json").status_code == 400

    response = client.post(url + "?as=gold", item, format="json")
    assert response.status_code == 201
    assert response.json()["labels"] == {"sentences": 4, "unchanged": 0, "kept": 0, "problems": []}
    assert gold_spans(project)[3] == [(None, "He", "added", "that aid would follow")]
    assert Annotation.objects.gold().get(sentence__index=3).annotator == reviewer


def test_the_training_form_counts_one_gold_label_in_the_singular(tmp_path, project):
    from claims.learning.admin_training import TrainingForm

    claim = {"start": 0, "end": 22, "claim": "claim"}
    import_labels(write(tmp_path, {"id": "oslo", "text": TEXT, "claims": [claim]}), project, "gold")
    assert TrainingForm(project=project).count_line("claim") == "1 gold label, 0 submitted"


def test_a_native_line_refused_is_named_by_its_line_and_sentence_number(
    tmp_path, project, annotator, capsys
):
    """The record holding the stance, numbered from 1 as the admin numbers it; not the
    article's first line, nor the sentence's place in the article rebuilt from the file."""
    article = make_article(project, TEXT, "oslo")
    first, _, third = article.sentences.order_by("index")[:3]
    save_annotation(first, annotator, {"status": "submitted", "claim": "not_claim"})
    stance = [{"target": TARGET, "label": "favor"}]
    save_annotation(third, annotator, {"status": "submitted", "claim": "claim", "stance": stance})
    exported = tmp_path / "j2.jsonl"
    call_command("export_dataset", project="demo", output=str(exported))
    assert [json.loads(line)["sentence_index"] for line in exported.open()] == [0, 2]

    other, _ = project_get_or_create(slug="copy")
    with pytest.raises(CommandError, match="1 label could not be imported"):
        import_labels(exported, other, f"annotator:{annotator.username}")
    err = capsys.readouterr().err
    assert (
        f"j2.jsonl:2: article 'oslo': sentence 3 stance 1, target: unknown target {TARGET!r}" in err
    )
    assert not Annotation.objects.filter(sentence__project=other).exists()


@pytest.mark.parametrize("as_", ["gold", "predictions"])
def test_labels_of_a_duplicate_under_another_id_go_to_the_stored_article(project, reviewer, as_):
    """The import skips the text as a duplicate of the stored article: its labels are for that
    text, and a client checking only the status must not lose them."""
    from rest_framework.test import APIClient

    stored = make_article(project, TEXT, "oslo")
    client = APIClient()
    client.force_authenticate(reviewer)
    item = {"id": "oslo-copy", "text": TEXT, "attributions": [lavrov(), aid()]}
    response = client.post(
        f"/api/v1/projects/{project.slug}/articles/?as={as_}", item, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["duplicates"] == 1 and body["results"][0]["id"] == stored.id
    labelled = {"gold": 4, "predictions": 3}[as_]  # predictions: the sentences with labels
    assert body["labels"] == {"sentences": labelled, "unchanged": 0, "kept": 0, "problems": []}
    if as_ == "gold":
        assert gold_spans(project)[3] == [(None, "He", "added", "that aid would follow")]
    else:
        assert Prediction.objects.filter(sentence__article=stored).count() == 3
    assert list(project.articles.values_list("external_id", flat=True)) == ["oslo"]


def test_the_command_stores_the_labels_of_a_duplicate_on_the_stored_article(tmp_path, project):
    make_article(project, TEXT, "oslo")
    path = write(tmp_path, {"id": "oslo-copy", "text": TEXT, "attributions": [lavrov(), aid()]})
    import_labels(path, project, "gold")
    assert gold_spans(project)[2] == [("Sergey Lavrov", "Lavrov", "said", "The door is open")]


def test_labels_for_some_sentences_keep_the_labels_others_already_have(
    project, reviewer, annotator
):
    """Gold for one sentence imported over an article a curator and an annotator had labelled:
    the other sentences' gold became empty, the annotator's own label "not_claim", their time
    spent 0, and the history named the annotator as who changed it."""
    from rest_framework.test import APIClient

    from claims.content.parse import content_from_json
    from claims.labels import project_labels
    from claims.services.annotations import annotation_save

    article = make_article(project, TEXT, "oslo")
    first = article.sentences.get(index=0)
    gold = content_from_json(
        {"status": "submitted", "claim": "not_claim"}, sentence_text=first.text,
        labels=project_labels(project),
    )  # fmt: skip
    annotation_save(sentence=first, user=reviewer, content=gold, version=None, kind="gold")
    mine = {"status": "submitted", "claim": "checkworthy", "lead_time_ms": 1000}
    save_annotation(first, annotator, mine)
    client = APIClient()
    client.force_authenticate(reviewer)
    url = f"/api/v1/projects/{project.slug}/articles/"
    item = {"id": "oslo", "text": TEXT, "attributions": [aid()]}

    response = client.post(url + "?as=gold", item, format="json")
    assert response.json()["labels"] == {"sentences": 3, "unchanged": 0, "kept": 1, "problems": []}
    assert Annotation.objects.gold().get(sentence=first).claim == "not_claim"
    assert gold_spans(project)[3] == [(None, "He", "added", "that aid would follow")]

    item["claims"] = [{"start": first.start, "end": first.end, "claim": "claim"}]
    response = client.post(url + f"?as=annotator:{annotator.username}", item, format="json")
    assert response.json()["labels"]["kept"] == 0
    own = Annotation.objects.get(sentence=first, annotator=annotator, kind="annotator")
    assert (own.claim, own.lead_time_ms) == ("claim", 1000)
    assert AnnotationEvent.objects.filter(annotation=own).latest("id").actor == reviewer
