"""A project's labels come from its schema: a schema that names its claim values differently
(none / fact / priority) is labeled, exported and measured like the default one."""

import io

import pytest
import spacy
from django.urls import reverse
from rest_framework.test import APIClient
from spacy.tokens import DocBin

from claims.exporting.options import options_from_strings
from claims.exporting.pipeline import export_bytes, formatter_for
from claims.labels import project_labels
from claims.models import ClaimBuster, LabelField, LabelOption, LabelSchema, Project, Role
from claims.quality.report import agreement_report
from tests.annotator.test_views import label_config
from tests.conftest import LAVROV
from tests.exporting.test_dataset import export_records
from tests.factories import TARGET, make_article, make_member

RENAMED_CLAIMS = [
    # value, shortcut, takes types, ClaimBuster class
    ("none", "1", False, ClaimBuster.NFS),
    ("fact", "2", True, ClaimBuster.UFS),
    ("priority", "3", True, ClaimBuster.CFS),
]


@pytest.fixture
def renamed(db) -> Project:
    """A project whose schema calls its claim values none, fact and priority."""
    schema = LabelSchema.objects.create(name="renamed")
    for position, (value, key, typed, meaning) in enumerate(RENAMED_CLAIMS):
        LabelOption.objects.create(
            schema=schema, field=LabelField.CLAIM, value=value, title=value.title(),
            shortcut=key, position=position, takes_types=typed, claimbuster=meaning,
        )  # fmt: skip
    LabelOption.objects.create(schema=schema, field=LabelField.CLAIM_TYPE, value="quantity",
                               title="Quantity", shortcut="q")  # fmt: skip
    for value in ("favor", "against"):
        LabelOption.objects.create(schema=schema, field=LabelField.STANCE, value=value,
                                   title=value, shortcut=value[0])  # fmt: skip
    project = Project.objects.create(
        slug="renamed", name="Renamed", schema=schema, annotations_per_sentence=2
    )
    project.targets.create(name=TARGET)
    make_article(project, LAVROV, "lavrov")
    return project


def put(user, sentence, claim: str, types: list[str]):
    client = APIClient()
    client.force_authenticate(user)
    body = {"status": "submitted", "claim": claim, "claim_types": types,
            "stance": [{"target": TARGET, "label": "favor"}]}  # fmt: skip
    return client.put(f"/api/v1/sentences/{sentence.id}/annotation/", body, format="json")


def test_the_schema_says_what_each_claim_value_means(renamed):
    labels = project_labels(renamed)
    assert [v.value for v in labels.claims] == ["none", "fact", "priority"]
    assert labels.typed_claims == {"fact", "priority"}
    assert (labels.not_claim, labels.checkworthy) == ("none", "priority")


def test_a_renamed_schema_is_labeled_exported_and_measured(client, renamed):
    first = make_member(renamed, Role.ANNOTATOR, "ann1")
    second = make_member(renamed, Role.ANNOTATOR, "ann2")
    quote, fact = renamed.sentences.get(index=1), renamed.sentences.get(index=2)

    # Labeled: the page offers the schema's values and which take types; the API takes them.
    client.force_login(first)
    config = label_config(client.get(reverse("label", args=[renamed.slug])))
    assert [(c["value"], c["takesTypes"]) for c in config["claims"]] == [
        ("none", False), ("fact", True), ("priority", True),
    ]  # fmt: skip
    assert put(first, quote, "priority", ["quantity"]).status_code == 201
    assert put(second, quote, "priority", ["quantity"]).status_code == 201
    assert put(first, fact, "fact", ["quantity"]).status_code == 201
    assert put(second, fact, "none", []).status_code == 201
    refused = put(first, renamed.sentences.get(index=0), "none", ["quantity"])
    assert refused.status_code == 400
    assert refused.json() == {
        "claim_types": ["only the claim values ['fact', 'priority'] have claim types"]
    }

    # Exported: the native records carry the values; the derived formats use them as labels.
    records = {r["sentence_index"]: r for r in export_records(renamed)}
    assert [a["claim"] for a in records[1]["annotations"]] == ["priority", "priority"]
    hf = {r["text"]: r for r in export_records(renamed, "hf")}
    assert hf[quote.text]["claim"] == "priority"
    assert hf[quote.text]["claim_types"] == ["quantity"]
    docs = list(DocBin().from_bytes(export_spacy(renamed)).get_docs(spacy_vocab()))
    assert docs[0].cats == {"none": 0.0, "fact": 0.0, "priority": 1.0}  # exclusive
    assert [span.label_ for span in docs[0].spans["claim_types"]] == ["quantity"]

    # Measured: check-worthiness is the schema's "priority", whatever it is called.
    report = agreement_report(renamed)
    fields = {label.field: label.agreement for label in report.labels}
    assert fields["claim"].observed == 0.5  # agree on the quote, not on the fact
    assert fields["checkworthiness"].observed == 1.0  # both times "priority" or both not
    assert {label.subject for label in report.labels if label.field == "claim_type"} == {"quantity"}


def export_spacy(project: Project) -> bytes:
    formatter = formatter_for("spacy", project=project, options=options_from_strings({}))
    buffer = io.BytesIO()
    for chunk in export_bytes(project=project, formatter=formatter):
        buffer.write(chunk)
    return buffer.getvalue()


def spacy_vocab():
    return spacy.blank("en").vocab
