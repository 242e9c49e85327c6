"""The native JSONL export: its schema, offsets, filters and the split by article."""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator

from claims.content import content_from_json
from claims.errors import InvalidInput
from claims.exporting.options import options_from_strings
from claims.exporting.pipeline import export_bytes, formatter_for
from claims.exporting.splits import split_of
from claims.labels import project_labels
from claims.models import (
    Annotation,
    AnnotationKind,
    Article,
    Attribution,
    Project,
    Role,
    StanceTarget,
)
from claims.services.annotations import annotation_save
from tests.conftest import LAVROV
from tests.exporting import native_records
from tests.factories import TARGET, make_article, make_member, make_project, save_annotation
from tests.services.test_annotations import LAVROV_NOTED

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "export.schema.json").read_text()
)
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

# Flags, emoji and a musical symbol: each one code point in Python, two UTF-16 units in JS.
MADURO = (
    'Oil talks 🛢️ resume\n🇻🇪 Maduro 😀 said: "We are ready to talk 𝄞 now." The opposition refused.\n'
)


@dataclass
class Labeled:
    project: Project
    ann1: object
    ann2: object
    reviewer: object
    lavrov: Article
    maduro: Article


def span(sentence, fragment: str) -> dict:
    start = sentence.text.index(fragment)
    return {"start": start, "end": start + len(fragment)}


def make_gold(sentence, reviewer, data: dict, based_on=None) -> Annotation:
    content = content_from_json(
        data, sentence_text=sentence.text, labels=project_labels(sentence.project)
    )
    return annotation_save(
        sentence=sentence, user=reviewer, content=content, version=None,
        kind=AnnotationKind.GOLD, based_on=based_on,
    ).annotation  # fmt: skip


def make_labeled_project(slug: str = "news") -> Labeled:
    """Two articles: two annotators and a gold on one sentence, drafts, a skip, non-BMP text."""
    project = make_project(slug, per_sentence=2)
    ann1 = make_member(project, Role.ANNOTATOR, "ann1")
    ann2 = make_member(project, Role.ANNOTATOR, "ann2")
    reviewer = make_member(project, Role.REVIEWER, "rev1")
    lavrov = make_article(project, LAVROV, "lavrov")
    maduro = make_article(project, MADURO, "maduro")
    heading, quote, ready = lavrov.sentences.order_by("index")
    first = save_annotation(quote, ann1, LAVROV_NOTED)
    save_annotation(
        quote,
        ann2,
        {**LAVROV_NOTED, "claim": "checkworthy", "claim_types": ["position_intention", "quantity"]},
    )
    make_gold(quote, reviewer, LAVROV_NOTED, based_on=first)
    save_annotation(
        ready, ann1,
        {"status": "submitted", "claim": "claim", "claim_types": ["position_intention"],
         "stance": [{"target": TARGET, "label": "favor"}]},
    )  # fmt: skip
    save_annotation(ready, ann2, {"status": "draft", "claim": "not_claim"})
    save_annotation(heading, ann1, {"status": "skipped", "skip_reason": "a heading"})
    said = maduro.sentences.get(index=1)
    save_annotation(
        said, ann1,
        {"status": "submitted", "claim": "checkworthy", "claim_types": ["prediction"],
         "attributions": [{"speaker": {"name": "Nicolás Maduro", "kind": "person"},
                           "source": span(said, "Maduro"), "cue": span(said, "said"),
                           "content": span(said, '"We are ready to talk 𝄞 now."'),
                           "quote_type": "direct"}],
         "stance": [{"target": TARGET, "label": "neutral"}]},
    )  # fmt: skip
    return Labeled(project, ann1, ann2, reviewer, lavrov, maduro)


def export_records(project: Project, fmt: str = "jsonl", **options) -> list[dict]:
    formatter = formatter_for(fmt, project=project, options=options_from_strings(options))
    data = b"".join(export_bytes(project=project, formatter=formatter))
    return native_records(data) if fmt == "jsonl" else [json.loads(x) for x in data.splitlines()]


@pytest.fixture
def labeled(db) -> Labeled:
    return make_labeled_project()


def test_every_record_validates_against_the_published_schema(labeled):
    Draft202012Validator.check_schema(SCHEMA)
    checked = 0
    for status in ("submitted", "gold", "all"):
        for per in ("sentence", "annotation"):
            records = export_records(labeled.project, status=status, per=per, split="80/10/10")
            for record in records:
                VALIDATOR.validate(record)
            checked += len(records)
    assert checked > 20
    broken = {**export_records(labeled.project)[0], "kind": "paragraph"}
    assert not VALIDATOR.is_valid(broken)


def test_a_record_has_the_documented_shape(labeled):
    by_id = {r["id"]: r for r in export_records(labeled.project)}
    quote = by_id["news/lavrov/1"]
    assert quote["article"] == {
        "id": "lavrov", "title": "Clarifying the goals", "source": None, "url": None,
        "published": None,
    }  # fmt: skip
    assert (quote["project"], quote["sentence_index"], quote["kind"]) == ("news", 1, "body")
    assert LAVROV[quote["start"] : quote["end"]] == quote["text"]
    assert [a["annotator"] for a in quote["annotations"]] == ["ann1", "ann2"]
    first = quote["annotations"][0]
    assert first["attributions"][0]["speaker"] == {"name": "Sergey Lavrov", "kind": "person"}
    assert first["attributions"][0]["source"]["text"] == "Lavrov"
    assert first["attributions"][0]["quote_type"] == "direct"
    assert first["stance"] == [{"target": TARGET, "label": "favor"}]
    assert (first["claim"], first["claim_types"], first["lead_time_ms"]) == (
        "claim",
        ["position_intention"],
        5400,
    )
    assert quote["gold"]["annotator"] == "rev1" and quote["gold"]["based_on"] == "ann1"
    assert quote["split"] is None


def test_span_texts_match_their_offsets_in_code_points(labeled):
    articles = {a.external_id: a.text for a in Article.objects.all()}
    spans = 0
    for record in export_records(labeled.project, status="all"):
        assert articles[record["article"]["id"]][record["start"] : record["end"]] == record["text"]
        for annotation in [*record["annotations"], *filter(None, [record["gold"]])]:
            for attribution in annotation["attributions"]:
                for role in ("source", "cue", "content"):
                    found = attribution[role]
                    if found is None:
                        continue
                    spans += 1
                    assert record["text"][found["start"] : found["end"]] == found["text"]
                    whole = articles[record["article"]["id"]]
                    assert whole[found["article_start"] : found["article_end"]] == found["text"]
    assert spans >= 9
    said = next(r for r in export_records(labeled.project) if r["id"] == "news/maduro/1")
    attribution = said["annotations"][0]["attributions"][0]
    # The flag is two code points and a space: "Maduro" starts at 3 (it would be 5 in UTF-16).
    assert attribution["source"] == {
        "start": 3, "end": 9, "text": "Maduro",
        "article_start": said["start"] + 3, "article_end": said["start"] + 9,
    }  # fmt: skip
    assert attribution["content"]["text"] == '"We are ready to talk 𝄞 now."'


def test_the_file_is_utf8_with_characters_as_they_are(labeled):
    formatter = formatter_for("jsonl", project=labeled.project, options=options_from_strings({}))
    data = b"".join(export_bytes(project=labeled.project, formatter=formatter))
    assert "𝄞".encode() in data and b"\\ud834" not in data
    assert data.endswith(b"\n") and data.count(b"\n") == formatter.examples == 3  # no trailer


def test_status_chooses_sentences_and_annotations(labeled):
    submitted = {r["id"]: r for r in export_records(labeled.project)}
    assert set(submitted) == {"news/lavrov/1", "news/lavrov/2", "news/maduro/1"}
    assert [a["annotator"] for a in submitted["news/lavrov/2"]["annotations"]] == ["ann1"]
    assert {a["status"] for r in submitted.values() for a in r["annotations"]} == {"submitted"}

    gold = export_records(labeled.project, status="gold")
    assert [r["id"] for r in gold] == ["news/lavrov/1"]

    everything = {r["id"]: r for r in export_records(labeled.project, status="all")}
    sentences = sum(a.sentences.count() for a in Article.objects.all())
    assert len(everything) == sentences
    assert [a["status"] for a in everything["news/lavrov/2"]["annotations"]] == [
        "submitted",
        "draft",
    ]
    assert everything["news/lavrov/0"]["annotations"][0]["status"] == "skipped"
    assert everything["news/maduro/2"]["annotations"] == []
    ordered = [(r["article"]["id"], r["sentence_index"]) for r in everything.values()]
    assert ordered == sorted(ordered, key=lambda key: (key[0] != "lavrov", key[1]))


def test_min_annotations_and_since_narrow_the_sentences(labeled):
    assert [r["id"] for r in export_records(labeled.project, min_annotations="2")] == [
        "news/lavrov/1"
    ]
    long_ago = timezone.now() - dt.timedelta(days=30)
    Annotation.objects.exclude(sentence__article=labeled.maduro).update(updated_at=long_ago)
    since = (timezone.now() - dt.timedelta(days=1)).date().isoformat()
    assert [r["id"] for r in export_records(labeled.project, since=since)] == ["news/maduro/1"]
    assert len(export_records(labeled.project, since=long_ago.date().isoformat())) == 3


def test_per_annotation_gives_one_line_per_annotation(labeled):
    records = export_records(labeled.project, per="annotation")
    quote = [r for r in records if r["id"] == "news/lavrov/1"]
    assert [[a["annotator"] for a in r["annotations"]] for r in quote] == [["ann1"], ["ann2"]]
    assert all(r["gold"]["based_on"] == "ann1" for r in quote)
    assert len(records) == 4


def test_the_split_never_puts_an_article_in_two_splits(db):
    project = make_project("many")
    annotator = make_member(project, Role.ANNOTATOR, "many-annotator")
    for number in range(40):
        article = make_article(
            project, f"First claim {number}. Second claim {number}.", f"a{number}"
        )
        for sentence in article.sentences.all():
            save_annotation(sentence, annotator, {"status": "submitted", "claim": "claim"})
    records = export_records(project, split="80/10/10", seed="7")
    splits_by_article = defaultdict(set)
    for record in records:
        splits_by_article[record["article"]["id"]].add(record["split"])
    assert len(records) == 80 and len(splits_by_article) == 40
    assert all(len(splits) == 1 for splits in splits_by_article.values())
    assert {s for splits in splits_by_article.values() for s in splits} == {"train", "dev", "test"}
    assert export_records(project, split="80/10/10", seed="7") == records
    reseeded = export_records(project, split="80/10/10", seed="8")
    assert [r["split"] for r in reseeded] != [r["split"] for r in records]


def test_split_proportions_and_stability_as_the_project_grows():
    spec = options_from_strings({"split": "80/10/10"}).split
    assignments = {f"article-{n}": split_of(spec, 0, f"article-{n}") for n in range(20_000)}
    shares = {name: list(assignments.values()).count(name) / 20_000 for name, _ in spec.parts}
    assert shares == pytest.approx({"train": 0.8, "dev": 0.1, "test": 0.1}, abs=0.01)
    # An article's split depends on nothing but the seed and its id.
    assert all(split_of(spec, 0, name) == split for name, split in assignments.items())
    two_way = options_from_strings({"split": "90/10"}).split
    assert {split_of(two_way, 3, f"x{n}") for n in range(200)} == {"train", "test"}


@pytest.mark.parametrize(
    ("values", "name", "message"),
    [
        ({"split": "80/10"}, "split", "add up to 90"),
        ({"split": "80-10-10"}, "split", "is not like 80/10/10"),
        ({"status": "done"}, "status", "'done' is not one of"),
        ({"since": "yesterday"}, "since", "not an ISO date"),
        ({"min_annotations": "-1"}, "min_annotations", "must be from 0"),
        ({"min_annotations": "two"}, "min_annotations", "not a whole number"),
        ({"seed": "3"}, "seed", "only means something with a split"),
        ({"per": "word"}, "per", "'word' is not one of"),
        ({"colour": "red"}, "colour", "unknown option"),
    ],
)
def test_bad_options_are_named(values, name, message):
    with pytest.raises(InvalidInput) as caught:
        options_from_strings(values)
    assert list(caught.value.errors) == [name]
    assert message in caught.value.errors[name][0]


def test_since_accepts_dates_and_date_times():
    assert options_from_strings({"since": "2026-01-30"}).since == dt.datetime(
        2026, 1, 30, tzinfo=dt.UTC
    )
    moment = options_from_strings({"since": "2026-01-30T12:00:00+02:00"}).since
    assert moment == dt.datetime(2026, 1, 30, 10, tzinfo=dt.UTC)


def test_sparse_exports_read_only_the_annotations_they_write(db, monkeypatch):
    """A chunk spanning many left-out sentences must not read their annotations (memory)."""
    from claims.exporting import dataset

    project = make_project("sparse")
    annotator = make_member(project, Role.ANNOTATOR, "sparse-annotator")
    reviewer = make_member(project, Role.REVIEWER, "sparse-reviewer")
    sentences = []
    for number in range(8):
        article = make_article(project, f"Claim {number} one. Claim {number} two.", f"s{number}")
        sentences += list(article.sentences.all())
    first = None
    for sentence in sentences:
        saved = save_annotation(sentence, annotator, {"status": "submitted", "claim": "claim"})
        first = first or saved
    make_gold(sentences[0], reviewer, {"status": "submitted", "claim": "claim"}, based_on=first)
    make_gold(sentences[-1], reviewer, {"status": "submitted", "claim": "not_claim"})
    read = []
    real_raw_rows = dataset.raw_rows

    def counting(queryset):
        rows = real_raw_rows(queryset)
        read.append((queryset.model.__name__, len(rows)))
        return rows

    monkeypatch.setattr(dataset, "raw_rows", counting)
    records = export_records(project, status="gold")
    assert [r["id"] for r in records] == ["sparse/s0/0", "sparse/s7/1"]
    assert [r["gold"]["claim"] for r in records] == ["claim", "not_claim"]
    assert dict(read)["Annotation"] == 4  # two golds and the two sentences' own annotations

    read.clear()
    selected = Article.objects.filter(external_id__in=["s1", "s6"]).values("pk")
    formatter = formatter_for("jsonl", project=project, options=options_from_strings({}))
    data = b"".join(export_bytes(project=project, formatter=formatter, article_ids=selected))
    ids = [record["id"] for record in native_records(data)]
    assert ids == ["sparse/s1/0", "sparse/s1/1", "sparse/s6/0", "sparse/s6/1"]
    assert dict(read)["Annotation"] == 4


def test_several_attributions_and_stances_each_appear_once_in_order(db):
    project = make_project("multi")
    second = StanceTarget.objects.create(project=project, name="Sanctions", position=1)
    annotator = make_member(project, Role.ANNOTATOR, "multi-annotator")
    other = make_member(project, Role.ANNOTATOR, "multi-other")
    text = "Lavrov said, Maduro added and Guaido replied that talks would resume."
    sentence = make_article(project, text, "multi").sentences.get()

    def attribution(source: str, cue: str) -> dict:
        return {
            "speaker": {"name": source, "kind": "person"},
            "source": span(sentence, source),
            "cue": span(sentence, cue),
            "content": span(sentence, "talks would resume"),
        }

    stances = [{"target": "Sanctions", "label": "against"}, {"target": TARGET, "label": "favor"}]
    save_annotation(
        sentence, annotator,
        {"status": "submitted", "claim": "claim", "stance": stances,
         "attributions": [attribution("Lavrov", "said"), attribution("Maduro", "added"),
                          attribution("Guaido", "replied")]},
    )  # fmt: skip
    save_annotation(sentence, other, {"status": "submitted", "claim": "claim", "stance": stances})
    [record] = export_records(project)
    first, second_annotation = record["annotations"]
    assert [a["speaker"]["name"] for a in first["attributions"]] == ["Lavrov", "Maduro", "Guaido"]
    assert [a["cue"]["text"] for a in first["attributions"]] == ["said", "added", "replied"]
    assert first["stance"] == [
        {"target": TARGET, "label": "favor"},
        {"target": second.name, "label": "against"},
    ]
    assert second_annotation["attributions"] == []
    assert second_annotation["stance"] == first["stance"]
    VALIDATOR.validate(record)
    # Positions are not unique in the database; tied ones keep the order they were stored in.
    Attribution.objects.update(position=0)
    [again] = export_records(project)
    assert again["annotations"][0]["attributions"] == first["attributions"]
    assert again["annotations"][0]["stance"] == first["stance"]
