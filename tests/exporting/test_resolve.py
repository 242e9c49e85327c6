"""Single-label exports choose one answer by a stated rule and say what they leave out, and why."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.errors import InvalidInput
from claims.exporting.options import options_from_strings
from claims.exporting.pipeline import export_bytes, formatter_for
from claims.models import Role
from tests.exporting.test_dataset import make_gold
from tests.factories import make_article, make_member, make_project, save_annotation

SAID = 'Maduro said: "We are ready to talk now."'
NESTED = 'Lavrov said Maduro told him "talks will resume."'


def span(text: str, fragment: str, trim: int = 0) -> dict:
    start = text.index(fragment)
    return {"start": start, "end": start + len(fragment) - trim}


def said(text: str, source: str, cue: str, content: str, trim: int = 0) -> dict:
    return {
        "speaker": {"name": source, "kind": "person"},
        "source": span(text, source),
        "cue": span(text, cue),
        "content": span(text, content, trim),
    }


def labels(claim: str, *attributions, types=()) -> dict:
    return {"status": "submitted", "claim": claim, "claim_types": list(types),
            "attributions": list(attributions)}  # fmt: skip


@pytest.fixture
def split_votes(db):
    return make_split_votes()


def make_split_votes():
    """Two annotators agreeing on everything but one character of the content span."""
    project = make_project("votes", per_sentence=2)
    sentence = make_article(project, SAID, "said").sentences.get()
    quote = SAID[SAID.index('"') :]
    for username, trim in (("ann1", 0), ("ann2", 1)):
        user = make_member(project, Role.ANNOTATOR, username)
        save_annotation(sentence, user, labels("claim", said(SAID, "Maduro", "said", quote, trim)))
    return project


def export(project, fmt: str, **options) -> tuple[list[dict], object]:
    formatter = formatter_for(fmt, project=project, options=options_from_strings(options))
    data = b"".join(export_bytes(project=project, formatter=formatter)).decode()
    return [json.loads(line) for line in data.splitlines()], formatter.report


def test_majority_reports_the_spans_no_majority_chose(split_votes):
    (line,), report = export(split_votes, "hf")
    assert {(s["label"], SAID[s["start"] : s["end"]]) for s in line["spans"]} == {
        ("SOURCE", "Maduro"), ("CUE", "said"),
    }  # fmt: skip
    assert "B-CONTENT" not in line["tags"]
    assert report.as_dict() == {
        "resolve": "majority",
        "resolved": {"majority": 1},
        "left_out": {"sentences": {}, "spans": {"no_majority": 2}},
    }
    assert report.lines() == [
        "resolved with --resolve majority: 1 by majority",
        "left out 2 span(s): 2 without a majority",
    ]


def test_union_keeps_every_span_and_hf_reports_what_its_tags_cannot_hold(split_votes):
    (line,), report = export(split_votes, "hf", resolve="union")
    contents = [SAID[s["start"] : s["end"]] for s in line["spans"] if s["label"] == "CONTENT"]
    assert sorted(contents) == ['"We are ready to talk now.', '"We are ready to talk now."']
    assert line["tags"].count("B-CONTENT") == 1 and line["origin"] == "union"
    assert report.as_dict()["left_out"] == {
        "sentences": {},
        "spans_not_in_tags": {"overlaps_another_span": 1},
    }
    assert report.lines()[-1] == (
        "1 span(s) not in the BIO tags, kept in the `spans` column: 1 nested in or overlapping "
        "another span (a token has one BIO tag)"
    )
    (doccano,), _ = export(split_votes, "doccano", resolve="union")
    assert len(doccano["label"]) == 4  # doccano holds overlapping spans


def test_a_nested_attribution_is_kept_in_spans_and_counted_in_hf(db):
    project = make_project("nested")
    sentence = make_article(project, NESTED, "nested").sentences.get()
    outer = said(NESTED, "Lavrov", "said", NESTED[NESTED.index("Maduro") :])
    inner = said(NESTED, "Maduro", "told", '"talks will resume."')
    save_annotation(sentence, make_member(project), labels("claim", outer, inner))

    (line,), report = export(project, "hf")
    assert len(line["spans"]) == 6
    tagged = [t for t, tag in zip(line["tokens"], line["tags"], strict=True) if tag != "O"]
    assert tagged[:3] == ["Lavrov", "said", "Maduro"]  # Maduro as the outer content's start
    assert report.as_dict() == {
        "resolve": "majority",
        "resolved": {"single": 1},
        "left_out": {"sentences": {}, "spans_not_in_tags": {"overlaps_another_span": 3}},
    }
    (task,), prodigy_report = export(project, "prodigy")
    assert len(task["spans"]) == 6 and prodigy_report.parts == {}


def test_gold_and_annotator_rules_count_the_sentences_they_leave_out(split_votes, db):
    sentence = split_votes.sentences.get()
    other = make_article(split_votes, "Prices rose. Nobody said why.", "prices")
    ann1 = split_votes.memberships.get(user__username="ann1").user
    for s in other.sentences.all():
        save_annotation(s, ann1, labels("not_claim"))
    reviewer = make_member(split_votes, Role.REVIEWER, "rev")
    quote = SAID[SAID.index('"') :]
    make_gold(sentence, reviewer, labels("claim", said(SAID, "Maduro", "said", quote)))

    lines, report = export(split_votes, "doccano", resolve="gold")
    assert [line["id"] for line in lines] == ["votes/said/0"]
    assert report.as_dict()["resolved"] == {"gold": 1}
    assert report.as_dict()["left_out"]["sentences"] == {"no_gold": 2}
    lines, report = export(split_votes, "doccano", resolve="annotator:ann2")
    assert [line["id"] for line in lines] == ["votes/said/0"]
    assert report.lines()[1] == (
        "left out 2 sentence(s): 2 without a submitted annotation by the chosen annotator"
    )
    same, _ = export(split_votes, "doccano", annotator="ann2")
    assert same == lines


def test_a_split_claim_label_leaves_the_sentence_out_and_says_so(db):
    project = make_project("split")
    sentence = make_article(project, SAID, "said").sentences.get()
    for claim in ("claim", "checkworthy"):
        save_annotation(sentence, make_member(project), labels(claim, types=["prediction"]))
    for rule, fmt in (("majority", "hf"), ("union", "prodigy")):
        lines, report = export(project, fmt, resolve=rule)
        assert lines == []
        assert report.as_dict()["left_out"]["sentences"] == {"no_majority_claim_label": 1}
        assert "left out 1 sentence(s): 1 without a claim label more than half of the " \
               "annotators chose" in report.lines()  # fmt: skip


def test_the_command_prints_what_was_resolved_how_and_what_was_left_out(split_votes, tmp_path):
    out = io.StringIO()
    target = tmp_path / "votes.jsonl"
    call_command(
        "export_dataset", "--project", "votes", "--format", "hf", "--resolve", "union",
        "--output", str(target), stdout=out,
    )  # fmt: skip
    assert out.getvalue().splitlines() == [
        f"Exported 1 hf records of 'votes' to {target}.",
        "  resolved with --resolve union: 1 by union",
        "  1 span(s) not in the BIO tags, kept in the `spans` column: 1 nested in or "
        "overlapping another span (a token has one BIO tag)",
    ]
    err = io.StringIO()
    call_command("export_dataset", "--project", "votes", "--format", "prodigy", "--output", "-",
                 stdout=io.StringIO(), stderr=err)  # fmt: skip
    assert "left out 2 span(s): 2 without a majority" in err.getvalue()
    with pytest.raises(CommandError, match="--resolve: 'most' is not one of gold, majority"):
        call_command("export_dataset", "--project", "votes", "--format", "hf", "--resolve",
                     "most", "--output", "-")  # fmt: skip


@pytest.mark.parametrize(
    ("options", "errors"),
    [
        ({"resolve": "annotator:"}, {"resolve": [
            "'annotator:' is not one of gold, majority, union or annotator:NAME"]}),
        ({"resolve": "union", "per": "annotation"}, {"resolve": [
            "only means something with one line per sentence"]}),
        ({"resolve": "gold", "annotator": "ann1"}, {"annotator": [
            "says annotator:ann1, resolve says gold"]}),
    ],
)  # fmt: skip
def test_a_bad_rule_is_named(options, errors):
    with pytest.raises(InvalidInput) as caught:
        options_from_strings(options)
    assert caught.value.errors == errors


def test_the_api_takes_the_rule(client, split_votes):
    reviewer = make_member(split_votes, Role.REVIEWER, "rev")
    client.force_login(reviewer)
    url = "/api/v1/projects/votes/export/"
    response = client.get(url, {"format": "doccano", "resolve": "union"})
    (line,) = [json.loads(x) for x in b"".join(response.streaming_content).splitlines()]
    assert len(line["label"]) == 4
    bad = client.get(url, {"format": "hf", "resolve": "everything"})
    assert bad.status_code == 400 and "resolve" in bad.json()
