"""The speaker picker at 1280x720, keys only: the kind of a new speaker (← and → on its Create
row), what Escape and an Enter that takes nothing leave in the box, names too long to store,
and a new speaker's kind as the server stores it."""

from playwright.sync_api import Page, expect

from tests.browser.pages import open_page, press
from tests.browser.test_speakers import HIGHLIGHTED, label_until

CREATE = "Create “Sergey Lavrov” ({}) · ← → change the kind"


def open_at_lavrov(page: Page, login, live_server) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")


def test_left_and_right_both_cycle_a_new_speakers_kind(seeded, page, login, live_server):
    """← once made → move the caret instead: the kind never changed again."""
    open_at_lavrov(page, login, live_server)
    press(page, "w", ".", ".", ".", "r", "k")
    expect(page.locator(HIGHLIGHTED)).to_have_text(CREATE.format("person"))
    press(page, "ArrowRight")
    expect(page.locator(HIGHLIGHTED)).to_have_text(CREATE.format("organization"))
    press(page, "ArrowLeft")
    expect(page.locator(HIGHLIGHTED)).to_have_text(CREATE.format("person"))
    press(page, "ArrowLeft")
    expect(page.locator(HIGHLIGHTED)).to_have_text(CREATE.format("media"))
    for kind in ("person", "organization", "country"):
        press(page, "ArrowRight")
        expect(page.locator(HIGHLIGHTED)).to_have_text(CREATE.format(kind))
    press(page, "Enter")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (country)")
