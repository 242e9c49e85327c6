"""The status line at 1280x720, keys only: what the annotator's last key said stays until the
next key (a draft saved a second later does not replace it), and a claim key is seen to act
wherever the labels panel is scrolled."""

from playwright.sync_api import Page, expect

from tests.browser.pages import current_id, idle, lines, open_page, press, saved, submit
from tests.browser.test_speakers import label_until
from tests.factories import make_article

RIGHT4 = ["Shift+ArrowRight"] * 4


def status(page: Page):
    return page.locator("#status")


def test_a_keys_message_outlasts_the_draft_save_it_causes(seeded, page, login, live_server):
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    press(page, "y", "w", *RIGHT4, "t")
    marked = "Marked content: “Russia is ready to facilitate” (indirect)."
    expect(status(page)).to_have_text(marked)
    saved(page)
    page.wait_for_timeout(100)
    expect(status(page)).to_have_text(marked)
    press(page, "Control+z", "Control+z", "Control+z", "Control+z")
    expect(status(page)).to_have_text("Nothing to undo on this sentence.")
    saved(page)
    page.wait_for_timeout(100)
    expect(status(page)).to_have_text("Nothing to undo on this sentence.")
    # A key that says nothing (a claim type): the next draft saved is news again.
    press(page, "3", "p")
    saved(page)
    expect(status(page)).to_have_text("Draft saved.")


def test_a_save_error_still_replaces_the_keys_message(seeded, page, login, live_server):
    open_page(page, login, live_server)
    page.route("**/annotation/", lambda route: route.abort())
    press(page, "y")
    expect(status(page)).to_have_text("Draft not saved: the server cannot be reached")
    page.unroute("**/annotation/")


def test_a_new_sentence_opens_without_the_last_ones_draft_message(seeded, page, login, live_server):
    """The draft of a sentence answered after Enter said "Draft saved." on the next one."""
    held = []

    def hold_the_first_put(route):
        if route.request.method == "PUT" and not held:
            held.append(route)
        else:
            route.continue_()

    open_page(page, login, live_server)
    page.wait_for_selector("main[data-prefetch='ready']")
    first = current_id(page)
    page.route("**/annotation/", hold_the_first_put)
    press(page, "2")
    page.wait_for_function("() => document.querySelector('main').dataset.saves === '1'")
    press(page, "Enter")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId !== String(id)", arg=first
    )
    held[0].continue_()
    idle(page)
    page.wait_for_timeout(100)
    expect(status(page)).to_have_text("")


def claim_button(page: Page, name: str):
    return page.locator("#claim-group").get_by_role("button", name=name)


def test_a_claim_key_is_seen_to_act_with_the_panel_scrolled(seeded, page, login, live_server):
    """At 1280x720 an attribution scrolls the labels panel past the claim row: 2 then 3
    changed nothing on screen."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    press(page, "y")
    expect(page.locator("#speaker-0")).to_be_in_viewport()
    press(page, "2")
    expect(status(page)).to_have_text("Claim: Claim (2).")
    press(page, "3")
    expect(status(page)).to_have_text("Claim: Check-worthy (3).")
    expect(claim_button(page, "Check-worthy")).to_have_attribute("aria-pressed", "true")
    expect(claim_button(page, "Check-worthy")).to_be_in_viewport(ratio=1)
    # Back to it: its claim is in view and named.
    said = current_id(page)
    submit(page)
    back_to(page, said)
    expect(status(page)).to_have_text(
        "Previous sentence: Check-worthy (3). Edit it; Enter returns you."
    )
    expect(claim_button(page, "Check-worthy")).to_be_in_viewport(ratio=1)
    assert lines(status(page)) == 1


def back_to(page, sentence_id) -> None:
    """Go back (←) to the sentence just submitted, and wait until it is shown."""
    press(page, "ArrowLeft")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId == id", arg=sentence_id
    )


def test_back_says_so_on_one_line(seeded, page, login, live_server):
    """At 1280x720 "Back to your previous sentence: Not a claim (1). Edit it; Enter returns
    you." took two lines: the action bar grew over the labels."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, login, live_server)
    said = current_id(page)
    press(page, "1")
    submit(page)
    back_to(page, said)
    expect(status(page)).to_have_text(
        "Previous sentence: Not a claim (1). Edit it; Enter returns you."
    )
    assert lines(status(page)) == 1


def test_a_long_quoted_span_is_cut_so_its_message_stays_on_one_line(
    seeded, page, login, live_server
):
    """At 1280x720 a span quoted in full up to 70 characters took the message to two lines:
    the action bar grew over the labels. The span is cut shorter; the keys' hint stays."""
    project, _ = seeded
    article = make_article(
        project,
        "“Moscow welcomes the announcement about the continuation of contacts in Oslo through"
        " Norway’s good services,” said the statement.",
        "long-quote",
    )
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, login, live_server, article=article.id)
    press(page, '"')
    expect(status(page)).to_contain_text("Selected the quotation “Moscow … services”")
    expect(status(page)).to_contain_text("”: t marks it as content.")
    assert lines(status(page)) == 1
    # A short span is quoted whole.
    press(page, "Escape", "w")
    expect(status(page)).to_have_text("Selected “services”: r source, v cue, t content.")
