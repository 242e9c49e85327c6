"""The spaCy, Hugging Face, Prodigy and doccano exports, and how they choose one label set."""

import json

import pytest
import spacy
from spacy.tokens import DocBin, Span

from claims.errors import InvalidInput
from claims.exporting.formats.docbin import StreamedDocBin
from claims.exporting.options import options_from_strings
from claims.exporting.pipeline import export_bytes, export_to_path, formatter_for
from claims.exporting.resolve import resolve
from claims.models import Role
from tests.exporting.test_dataset import export_records, make_labeled_project
from tests.factories import make_article, make_member, make_project, save_annotation

CLAIM_LABELS = ["not_claim", "claim", "checkworthy"]
TYPED = frozenset({"claim", "checkworthy"})  # the default schema's claims taking types


@pytest.fixture
def labeled(db):
    return make_labeled_project()


def export_file(tmp_path, project, fmt: str, name: str, **options):
    formatter = formatter_for(fmt, project=project, options=options_from_strings(options))
    path = tmp_path / name
    result = export_to_path(path, project=project, formatter=formatter)
    return path, result


def load_docs(path):
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_spacy_docbin_loads_with_gold_cats_and_attribution_spans(labeled, tmp_path):
    path, result = export_file(tmp_path, labeled.project, "spacy", "train.spacy")
    docs = {doc.user_data["id"]: doc for doc in load_docs(path)}
    assert set(docs) == {"news/lavrov/1", "news/lavrov/2", "news/maduro/1"}
    assert (result.examples, result.left_out) == (3, 0)

    quote = docs["news/lavrov/1"]  # two annotators disagree; the gold decides
    assert quote.user_data["origin"] == "gold" and quote.user_data["annotator"] == "rev1"
    # The claim label alone in doc.cats (exclusive); the claim types in their own span group.
    assert quote.cats == {"not_claim": 0.0, "claim": 1.0, "checkworthy": 0.0}
    assert [(s.label_, s.start, s.end) for s in quote.spans["claim_types"]] == [
        ("position_intention", 0, len(quote))
    ]
    spans = {(s.label_, s.text) for s in quote.spans["attribution"]}
    assert ("SOURCE", "Lavrov") in spans and ("CUE", "noted") in spans
    content = next(s for s in quote.spans["attribution"] if s.label_ == "CONTENT")
    assert content.text == quote.text[1:95]  # LAVROV_NOTED's content span
    assert content.text.startswith("We truly wish") and content.text.endswith("opposition")

    said = docs["news/maduro/1"]
    assert said.user_data["origin"] == "annotator"
    assert {(s.label_, s.text) for s in said.spans["attribution"]} == {
        ("SOURCE", "Maduro"),
        ("CUE", "said"),
        ("CONTENT", '"We are ready to talk 𝄞 now."'),
    }
    assert said.cats["checkworthy"] == 1.0 and sum(said.cats.values()) == 1.0
    assert [s.label_ for s in said.spans["claim_types"]] == ["prediction"]
    target = labeled.project.targets.get().name
    assert list(said.user_data["stance"]) == [{"target": target, "label": "neutral"}]


def test_spacy_with_a_split_writes_one_docbin_per_split(labeled, tmp_path):
    path, result = export_file(tmp_path, labeled.project, "spacy", "corpus", split="80/10/10")
    assert [p.split("/")[-1] for p in result.files] == ["train.spacy", "dev.spacy", "test.spacy"]
    found = {name: [d.user_data["split"] for d in load_docs(path / name)] for name in
             ("train.spacy", "dev.spacy", "test.spacy")}  # fmt: skip
    assert sum(len(splits) for splits in found.values()) == 3
    assert all(split == name.split(".")[0] for name, splits in found.items() for split in splits)


def test_hf_file_loads_with_the_datasets_json_loader(labeled, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    import datasets

    path, _ = export_file(tmp_path, labeled.project, "hf", "claims.jsonl", split="80/10/10")
    dataset = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "hf-cache")
    )
    assert dataset.num_rows == 3
    assert {"tokens", "tags", "claim", "claim_types", "stance_target", "stance_label"} <= set(
        dataset.column_names
    )
    said = dataset[[r["id"] for r in dataset].index("news/maduro/1")]
    tagged = dict(zip(said["tokens"], said["tags"], strict=True))
    assert tagged["Maduro"] == "B-SOURCE" and tagged["said"] == "B-CUE"
    assert said["tokens"][said["tags"].index("B-CONTENT")] == '"'
    inside = [t for t, tag in zip(said["tokens"], said["tags"], strict=True) if tag == "I-CONTENT"]
    assert inside[:3] == ["We", "are", "ready"] and "𝄞" in inside
    assert (said["claim"], said["claim_types"]) == ("checkworthy", ["prediction"])
    assert said["stance_label"] == "neutral" and said["stance_target"].startswith("International")
    ready = dataset[[r["id"] for r in dataset].index("news/lavrov/2")]
    assert set(ready["tags"]) == {"O"} and ready["stance_label"] == "favor"


def test_prodigy_tasks_have_prodigys_fields(labeled):
    tasks = {t["meta"]["id"]: t for t in export_records(labeled.project, "prodigy")}
    said = tasks["news/maduro/1"]
    assert {"text", "tokens", "spans", "answer", "_input_hash", "_task_hash", "_annotator_id",
            "accept", "options"} <= set(said)  # fmt: skip
    assert said["answer"] == "accept" and said["accept"] == ["prediction"]
    assert said["_annotator_id"] == "news-ann1" and said["_session_id"] == "news-ann1"
    assert {o["id"] for o in said["options"]} >= {"prediction", "quantity"}
    assert all(isinstance(said[k], int) for k in ("_input_hash", "_task_hash"))
    for span in said["spans"]:
        first, last = said["tokens"][span["token_start"]], said["tokens"][span["token_end"]]
        assert (first["start"], last["end"]) == (span["start"], span["end"])
    assert all(said["text"][t["start"] : t["end"]] == t["text"] for t in said["tokens"])
    assert [t["id"] for t in said["tokens"]] == list(range(len(said["tokens"])))
    assert tasks["news/lavrov/1"]["_annotator_id"] == "news-rev1"
    same_text = export_records(labeled.project, "prodigy", per="annotation")
    quote_hashes = {t["_input_hash"] for t in same_text if t["meta"]["id"] == "news/lavrov/1"}
    assert len(quote_hashes) == 1


def test_doccano_lines_have_labels_and_cats(labeled):
    lines = {line["id"]: line for line in export_records(labeled.project, "doccano")}
    said = lines["news/maduro/1"]
    assert sorted(said) == ["cats", "id", "label", "split", "text"]
    assert {said["text"][s:e]: label for s, e, label in said["label"]} == {
        "Maduro": "SOURCE",
        "said": "CUE",
        '"We are ready to talk 𝄞 now."': "CONTENT",
    }
    assert said["cats"] == ["checkworthy", "prediction"]


def test_status_all_gives_unlabeled_examples_for_pre_annotation(labeled):
    lines = {t["meta"]["id"]: t for t in export_records(labeled.project, "prodigy", status="all")}
    unlabeled = lines["news/maduro/2"]
    assert "answer" not in unlabeled and unlabeled["spans"] == [] and unlabeled["claim"] is None
    assert "answer" not in lines["news/lavrov/0"]  # only skipped: nothing to learn from
    per_annotation = export_records(labeled.project, "prodigy", status="all", per="annotation")
    heading = [t for t in per_annotation if t["meta"]["id"] == "news/lavrov/0"]
    assert [(t["answer"], t["_annotator_id"]) for t in heading] == [("ignore", "news-ann1")]


def test_annotator_option_uses_that_annotator_where_there_is_no_gold(labeled):
    formatter = formatter_for(
        "doccano", project=labeled.project, options=options_from_strings({"annotator": "ann2"})
    )
    lines = [json.loads(x) for x in b"".join(export_bytes(
        project=labeled.project, formatter=formatter)).decode().splitlines()]  # fmt: skip
    assert [line["id"] for line in lines] == ["news/lavrov/1"]  # the gold; ann2 did nothing else
    assert formatter.left_out == 2


def record(*annotations, gold=None):
    return {"annotations": list(annotations), "gold": gold}


def annotation(user, claim, types=(), spans=(), stance=(), status="submitted"):
    return {
        "annotator": user,
        "status": status,
        "claim": claim,
        "claim_types": list(types),
        "attributions": [
            {
                "source": {"start": s, "end": e} if role == "source" else None,
                "cue": {"start": s, "end": e} if role == "cue" else None,
                "content": None,
            }
            for s, e, role in spans
        ],
        "stance": [{"target": t, "label": label} for t, label in stance],
    }


def test_majority_keeps_what_more_than_half_agree_on():
    options = options_from_strings({})
    votes = record(
        annotation("a", "claim", ["quantity"], [(0, 6, "source")], [("T", "favor")]),
        annotation(
            "b", "claim", ["quantity", "prediction"], [(0, 6, "source")], [("T", "against")]
        ),
        annotation("c", "checkworthy", ["quantity"], [(0, 5, "source"), (7, 11, "cue")]),
        annotation("d", "not_claim", status="draft"),
    )
    resolved = resolve(votes, options, TYPED)
    assert (resolved.origin, resolved.annotator, resolved.claim) == ("majority", None, "claim")
    assert resolved.claim_types == ("quantity",)
    assert resolved.spans == ((0, 6, "SOURCE"),)
    assert resolved.stance == ()
    tie = record(annotation("a", "claim"), annotation("b", "checkworthy"))
    assert resolve(tie, options, TYPED) is None
    assert resolve(record(annotation("a", "not_claim", ["quantity"]), annotation(
        "b", "not_claim", ["quantity"])), options, TYPED).claim_types == ()  # fmt: skip
    assert resolve(tie, options_from_strings({"annotator": "b"}), TYPED).claim == "checkworthy"
    gold = annotation("r", "not_claim")
    assert resolve(record(*tie["annotations"], gold=gold), options, TYPED).origin == "gold"


def test_unknown_format_is_named(labeled):
    with pytest.raises(InvalidInput) as caught:
        formatter_for("csv", project=labeled.project, options=options_from_strings({}))
    assert "'csv' is not one of ['jsonl', 'spacy', 'hf', 'prodigy', 'doccano']" in str(caught.value)


def test_prodigy_spans_start_and_end_on_token_boundaries(db):
    project = make_project("align")
    annotator = make_member(project, Role.ANNOTATOR, "aligner")
    sentence = make_article(project, "Lavrov noted the talks.", "a").sentences.get()
    mid_word = {"source": {"start": 2, "end": 4}, "cue": {"start": 7, "end": 14}}
    save_annotation(
        sentence, annotator, {"status": "submitted", "claim": "claim", "attributions": [mid_word]}
    )
    [task] = export_records(project, "prodigy")
    assert [(s["start"], s["end"], s["token_start"], s["token_end"]) for s in task["spans"]] == [
        (0, 6, 0, 0),  # "Lavrov", from "vr"
        (7, 16, 1, 2),  # "noted the", from "noted t"
    ]


def test_the_streamed_docbin_is_byte_for_byte_spacys_own():
    """Written a doc at a time through spools, read back by DocBin as if it had written it."""
    nlp = spacy.blank("en")
    theirs, ours = DocBin(attrs=["ORTH"], store_user_data=True), StreamedDocBin()
    assert b"".join(StreamedDocBin().chunks()) == theirs.to_bytes()  # empty
    for n in range(50):
        doc = nlp.make_doc(f'"We are ready {n}," Lavrov said 𝄞 in  Oslo.' * (n % 4 + 1))
        if n % 3:
            doc.cats = {"claim": 1.0, "not_claim": 0.0}
            doc.spans["claim_types"] = [Span(doc, 0, len(doc), label="quantity")][: n % 2]
        if n % 2:
            doc.spans["attribution"] = [doc[0:2], Span(doc, 7, 8, label="SOURCE")]  # Lavrov
        doc.user_data.update({"id": f"p/a/{n}", "stance": [{"target": "t", "label": "favor"}]})
        theirs.add(doc)
        ours.add(doc)
    assert b"".join(ours.chunks()) == theirs.to_bytes()
