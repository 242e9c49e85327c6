"""Speakers on the labeling page in Chromium: the ones offered first are right as the
annotator's labels are now, new ones are only made on purpose, and a quotation's earlier
sentences get the speaker its last sentence names."""

from playwright.sync_api import Page, expect

from claims.models import Speaker
from claims.services.speakers import speaker_create
from tests.browser.pages import current_id, open_page, press, span_text, stored, submit
from tests.factories import save_annotation

OPTION = "[role=option]"
HIGHLIGHTED = "[role=option][aria-selected=true]"


def label_until(page: Page, start: str) -> None:
    """Label sentences "not a claim" until the one on screen starts with `start`."""
    for _ in range(20):
        if page.locator("#sentence").text_content().startswith(start):
            return
        press(page, "1")
        submit(page)
    raise AssertionError(f"no sentence starting with {start!r}")


def create_lavrov(page: Page) -> None:
    """On "..., Russian Foreign Minister Sergey Lavrov said ...": accept and name him (new)."""
    label_until(page, "Russia is ready")
    press(page, "y", "k")
    page.keyboard.type("Sergey Lavrov")
    expect(page.locator(OPTION).first).to_have_text("Create “Sergey Lavrov” as person")
    press(page, "ArrowDown", "Enter", "2")


def test_the_speaker_just_created_is_offered_first_on_the_next_sentence(
    seeded, page, login, live_server
):
    open_page(page, login, live_server)
    create_lavrov(page)
    submit(page)
    # The next sentence was fetched before Sergey Lavrov existed; he is offered all the same.
    assert page.locator("#sentence").text_content().startswith('"There is the EU')
    press(page, "b", "k")
    expect(page.locator(OPTION).first).to_have_text("Sergey Lavrov (person) · previous sentence")
    expect(page.locator(HIGHLIGHTED)).to_have_text("Sergey Lavrov (person) · previous sentence")
    press(page, "Enter")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (person)")
    quote = submit_with_claim(page)
    assert stored(quote).attributions.get().speaker.name == "Sergey Lavrov"
    assert Speaker.objects.count() == 1


def submit_with_claim(page: Page) -> int:
    press(page, "1")
    return submit(page)


def test_he_said_offers_the_nearest_speaker_and_q_gives_it_to_the_quotation(
    seeded, page, login, live_server
):
    open_page(page, login, live_server)
    create_lavrov(page)
    submit(page)
    opening = submit_with_claim(page)  # '"There is the EU’s initiative ...' (no attribution)
    # '... come up with" he said.': source "he", and k Enter takes the nearest speaker before.
    press(page, "w", "End", "ArrowLeft", "ArrowLeft", "r", "k")
    expect(page.locator(HIGHLIGHTED)).to_have_text(
        "Sergey Lavrov (person) · nearest speaker before “he”"
    )
    press(page, "Enter")
    expect(page.locator("#status")).to_contain_text(
        "Shift+Q gives its earlier sentence Sergey Lavrov"
    )
    press(page, "Q")
    expect(page.locator("#status")).to_contain_text("given to 1 earlier sentence")
    earlier = stored(opening)
    attribution = earlier.attributions.get()
    assert attribution.speaker.name == "Sergey Lavrov"
    assert span_text(earlier, attribution, "content") == (
        "There is the EU’s initiative to set up a contact group"
    )
    assert (attribution.quote_type, earlier.status, earlier.claim) == (
        "direct",
        "submitted",
        "not_claim",
    )


def test_a_pronoun_never_becomes_a_speaker_and_enter_never_creates(
    seeded, page, login, live_server
):
    open_page(page, login, live_server)
    label_until(page, "The Caribbean Community")
    # Nothing before names anyone: k Enter takes nothing (not the author, not "he").
    press(page, "w", "End", "ArrowLeft", "ArrowLeft", "r", "k", "Enter")
    expect(page.locator("#speaker-0")).to_have_value("")
    expect(page.locator("#status")).to_have_text("Type a name, or ↓ to a speaker, then Enter.")
    page.keyboard.type("he")
    expect(page.locator(OPTION).first).to_have_text("“he” is not a name: choose who it refers to")
    expect(page.locator(OPTION).filter(has_text="Create")).to_have_count(0)
    press(page, "Enter")
    expect(page.locator("#status")).to_have_text(
        "“he” is not a name: choose the speaker it refers to."
    )
    press(page, "Escape", "1")
    submit(page)
    assert not Speaker.objects.exists()


def test_what_is_typed_ranks_above_the_previous_sentences_speaker(seeded, page, login, live_server):
    project, ann = seeded
    # A speaker named "he", from before pronouns were refused, on the sentence before.
    junk = speaker_create(project_id=project.id, name="he", kind="person")
    lavrov = speaker_create(project_id=project.id, name="Sergey Lavrov", kind="person")
    said = project.sentences.get(text__startswith="Russia is ready")
    for sentence in project.sentences.filter(index__lt=said.index).in_queue():
        save_annotation(sentence, ann, {"status": "submitted", "claim": "not_claim"})
    source = {"start": said.text.index("Russian Foreign"), "end": said.text.index(" said")}
    attributed = {"speaker": {"id": junk.id}, "source": source}
    save_annotation(
        said, ann, {"status": "submitted", "claim": "claim", "attributions": [attributed]}
    )
    open_page(page, login, live_server)
    press(page, "b", "k")
    expect(page.locator(HIGHLIGHTED)).to_have_text("he (person) · previous sentence")
    page.keyboard.type("lavrov")
    expect(page.locator(OPTION).first).to_have_text("Sergey Lavrov (person)")
    expect(page.locator(HIGHLIGHTED)).to_have_text("Sergey Lavrov (person)")
    press(page, "Enter")
    sentence = submit_with_claim(page)
    assert stored(sentence).attributions.get().speaker_id == lavrov.id


def test_an_accepted_suggestion_is_never_offered_again(seeded, page, login, live_server):
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    said = current_id(page)
    press(page, "y", "2")
    expect(page.locator("#suggestions")).to_be_hidden()
    expect(page.locator("#status")).to_have_text("Draft saved.")
    page.reload()  # the same sentence comes back, with its accepted attribution
    assert current_id(page) == said
    expect(page.locator(".attribution")).to_have_count(1)
    expect(page.locator("#suggestions")).to_be_hidden()
    press(page, "y")
    expect(page.locator("#status")).to_have_text("No suggestion left to accept.")
    submit(page)
    press(page, "Backspace")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId == id", arg=said
    )
    press(page, "y")
    expect(page.locator("#status")).to_have_text("No suggestion left to accept.")
    submit(page)
    assert stored(said).attributions.count() == 1


def test_y_accepts_the_suggested_claim_label(seeded, page, login, live_server):
    open_page(page, login, live_server)
    heading = current_id(page)  # a heading: the suggested claim label is "not a claim"
    expect(page.locator("#suggestion-list")).to_contain_text("Claim: Not a claim (1)")
    press(page, "y")
    expect(page.get_by_role("button", name="1 Not a claim", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("#suggestions")).to_be_hidden()
    submit(page)
    assert stored(heading).claim == "not_claim"
