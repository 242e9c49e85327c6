"""Shift+Q, keys only: a quotation's last sentence gives its earlier ones its speaker however
that speaker came (an accepted suggestion's too, not only one picked with k)."""

from playwright.sync_api import expect

from tests.browser.pages import current_id, idle, open_page, press, stored
from tests.browser.test_speakers import label_until, submit_with_claim


def test_shift_q_gives_an_accepted_suggestions_speaker(seeded, page, login, live_server):
    """After y on '... come up with" he said.' Shift+Q said the sentence had no speaker."""
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    press(page, "y")
    submit_with_claim(page)
    opening = current_id(page)  # '"There is the EU’s initiative ...': its speaker comes later
    press(page, "Q")
    expect(page.locator("#status")).to_have_text(
        "This sentence does not continue a quotation: Shift+Q has nothing to give."
    )
    submit_with_claim(page)
    expect(page.locator("#suggestion-list")).to_contain_text("speaker Sergey Lavrov")
    press(page, "y")
    expect(page.locator("#status")).to_have_text(
        "Suggestion accepted as attribution 1. This quotation began earlier:"
        " Shift+Q gives its earlier sentence Sergey Lavrov too."
    )
    press(page, "Q")
    expect(page.locator("#status")).to_contain_text("given to 1 earlier sentence")
    assert stored(opening).attributions.get().speaker.name == "Sergey Lavrov"


def test_shift_q_is_not_offered_when_the_earlier_sentences_have_the_speaker(
    seeded, page, login, live_server
):
    """The quotation's first sentence took its suggested speaker with y; y on its last one still
    said "Shift+Q gives its earlier sentence Sergey Lavrov too", a key that changed nothing."""
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    press(page, "y")
    submit_with_claim(page)
    opening = current_id(page)
    expect(page.locator("#suggestion-list")).to_contain_text("speaker Sergey Lavrov")
    press(page, "y")
    submit_with_claim(page)
    assert stored(opening).attributions.get().speaker.name == "Sergey Lavrov"
    press(page, "y")
    expect(page.locator("#status")).to_have_text("Suggestion accepted as attribution 1.")
    idle(page)
    page.wait_for_timeout(200)
    expect(page.locator("#status")).to_have_text("Suggestion accepted as attribution 1.")
    press(page, "Q")
    expect(page.locator("#status")).to_contain_text("given to 1 earlier sentence")
