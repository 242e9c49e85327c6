"""A reviewer adjudicates a disagreement in the admin, and the export carries the gold."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from claims.exporting.options import ExportOptions
from claims.exporting.pipeline import export_bytes, formatter_for
from claims.models import Annotation, AnnotationEvent, AnnotationKind, Role
from tests.conftest import LAVROV
from tests.exporting import native_records
from tests.factories import PASSWORD, make_article, make_member, make_project, save_annotation
from tests.services.test_annotations import LAVROV_NOTED


@pytest.fixture
def disagreement(transactional_db):
    """Two annotators who disagree on the claim label of Lavrov's quote and agree elsewhere."""
    project = make_project("review", per_sentence=2)
    reviewer = make_member(project, Role.REVIEWER, "rita")
    reviewer.is_staff = True  # reviewers work in the admin, scoped to their projects
    reviewer.save()
    ann, bob = make_member(project, username="ann"), make_member(project, username="bob")
    article = make_article(project, LAVROV, "lavrov")
    heading, quote = article.sentences.get(index=0), article.sentences.get(index=1)
    save_annotation(quote, ann, LAVROV_NOTED)
    save_annotation(quote, bob, {**LAVROV_NOTED, "claim": "checkworthy"})
    for user in (ann, bob):
        save_annotation(heading, user, {"status": "submitted", "claim": "not_claim"})
    return project, quote


def test_reviewer_adjudicates_from_the_disagreement_queue(page, live_server, disagreement):
    project, quote = disagreement
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Projects").first.click()
    page.get_by_role("link", name="disagreements").click()
    expect(page.get_by_role("heading", name=f"Disagreements: {project.name}")).to_be_visible()
    rows = page.locator("#disagreements tbody tr")
    expect(rows).to_have_count(1)  # the unanimous heading is not a disagreement
    expect(rows.first).to_contain_text("claim")
    rows.first.get_by_role("link").click()

    expect(page.locator("#side-by-side thead th")).to_have_text(["", "ann", "bob"])
    expect(page.locator("tr.differs th")).to_have_text(["claim"])
    expect(page.locator("#side-by-side mark.span-source").first).to_have_text("Lavrov")
    page.get_by_role("button", name="Use bob's annotation as gold").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "The gold of this sentence is now bob's annotation."
    )
    expect(page.locator("#disagreements")).to_contain_text("No disagreements left")

    gold = Annotation.objects.get(sentence=quote, kind=AnnotationKind.GOLD)
    assert (gold.annotator.username, gold.based_on.annotator.username) == ("rita", "bob")
    assert AnnotationEvent.objects.filter(annotation=gold, action="adjudicate").count() == 1

    formatter = formatter_for("jsonl", project=project, options=ExportOptions())
    data = b"".join(export_bytes(project=project, formatter=formatter))
    records = {record["sentence_index"]: record for record in native_records(data)}
    assert records[1]["gold"]["claim"] == "checkworthy"
    assert records[1]["gold"]["annotator"] == "rita"
    assert records[1]["gold"]["based_on"] == "bob"
    assert [a["claim"] for a in records[1]["annotations"]] == ["claim", "checkworthy"]
    assert records[0]["gold"] is None


def test_reviewer_writes_gold_with_the_labeling_keys(page, live_server, disagreement):
    project, quote = disagreement
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/sentence/{quote.id}/adjudicate/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Edit a copy").first.click()  # ann's annotation
    editor = page.locator("#gold-editor[data-state='ready']")
    expect(editor).to_be_focused()
    expect(page.locator("#gold-editor .attribution")).to_have_count(1)
    # Start over by hand: drop the copied attribution, then the quotation, source and cue.
    page.keyboard.press("x")
    for key in ['"', "t", "End", "ArrowLeft", "ArrowLeft", "r", "v", "k"]:
        page.keyboard.press(key)
    expect(page.locator("[role=option][aria-selected=true]")).to_contain_text("Sergey Lavrov")
    for key in ["Enter", "3"]:
        page.keyboard.press(key)
    # Offsets are a detail beside each span.
    expect(page.locator(".chip-source .offsets")).to_have_text("[98:104]")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Gold saved (version 1).")

    gold = Annotation.objects.get(sentence=quote, kind=AnnotationKind.GOLD)
    attribution = gold.attributions.get()
    assert (gold.claim, gold.based_on.annotator.username) == ("checkworthy", "ann")
    assert (attribution.source_start, attribution.source_end) == (98, 104)
    assert (attribution.cue_start, attribution.cue_end) == (105, 110)
    assert quote.text[attribution.content_start : attribution.content_end].startswith("We truly")
    assert (attribution.speaker.name, attribution.quote_type) == ("Sergey Lavrov", "direct")


LONG = (
    "Russia is ready to facilitate the launch of dialogue between the Venezuelan authorities "
    "and the opposition, and is discussing this possibility with China, European and Latin "
    "American countries, Russian Foreign Minister Sergey Lavrov said at a press conference "
    "following talks with Iraqi top diplomat Mohamed Ali Alhakim in Moscow on Wednesday, adding "
    "that any mediation must respect the sovereignty of Venezuela and the will of its people."
)


def test_the_gold_editor_shows_the_whole_sentence_and_its_keys_work_at_once(
    page, live_server, disagreement
):
    """No click in the editor first: its keys work as soon as the page is loaded. A long
    sentence shows whole (it was cut off inside its box) and a long content chip stays inside
    its card."""
    project, _ = disagreement
    sentence = make_article(project, f"Lavrov in Moscow\n{LONG}\n", "long").sentences.get(index=1)
    said = LONG.index(" said")
    attribution = {
        "speaker": {"name": "Sergey Lavrov", "kind": "person"},
        "source": {"start": LONG.index("Russian Foreign"), "end": said},
        "cue": {"start": said + 1, "end": said + 5},
        "content": {"start": 0, "end": LONG.index(", Russian Foreign")},
        "quote_type": "indirect",
    }
    ann = get_user_model().objects.get(username="ann")
    base = save_annotation(
        sentence, ann, {"status": "submitted", "claim": "claim", "attributions": [attribution]}
    )
    page.set_viewport_size({"width": 1280, "height": 720})
    adjudicate = f"/admin/claims/sentence/{sentence.id}/adjudicate/?base={base.id}"
    page.goto(f"{live_server.url}/admin/login/?next={quote(adjudicate)}")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#gold-editor[data-state='ready']")).to_be_attached()
    expect(page.locator("#gold-keys-note")).to_contain_text("work anywhere on this page")

    box = page.locator("#gold-editor #sentence")
    expect(box).to_have_text(LONG)
    assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    chip = page.locator(".chip-content").bounding_box()
    card = page.locator("#gold-editor .attribution").bounding_box()
    assert chip["x"] + chip["width"] <= card["x"] + card["width"]

    page.keyboard.press("3")
    expect(page.get_by_role("button", name="3 Check-worthy", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Gold saved (version 1).")
    gold = Annotation.objects.get(sentence=sentence, kind=AnnotationKind.GOLD)
    assert (gold.claim, gold.attributions.count()) == ("checkworthy", 1)
