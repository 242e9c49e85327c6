"""The labeling page around the labels, in Chromium: messages in view, nothing lost when
logging out, the "All done" screen, the shortcut list, progress, and the article's context."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import Role, Sentence
from claims.nlp.segmentation import MAX_SEGMENT_CHARS
from tests.browser.pages import current_id, idle, open_page, press, stored, submit
from tests.factories import make_article, make_member, make_project

LAPTOP = {"width": 1280, "height": 720}


@pytest.fixture
def short(transactional_db):
    """A project of one article with two sentences, and an annotator."""
    project = make_project("demo")
    make_article(project, "Talks resume in Oslo.\nNorway will mediate, Lavrov said.\n", "oslo")
    return project, make_member(project, Role.ANNOTATOR, "ann")


def test_messages_show_in_the_viewport_however_many_attributions(seeded, page, login, live_server):
    page.set_viewport_size(LAPTOP)
    open_page(page, login, live_server)
    press(page, "1")
    submit(page)
    press(page, "b", "b", "b", "b")  # four attribution cards fill the labels column
    press(page, "Enter")
    status = page.get_by_role("status")
    expect(status).to_have_text("Choose a claim label first: 1, 2 or 3 (or press s to skip).")
    expect(status).to_be_in_viewport()


def test_logging_out_right_after_a_change_loses_nothing(short, page, login, live_server):
    open_page(page, login, live_server)
    first = current_id(page)
    press(page, "2")  # the draft would be saved 0.8 s later
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    draft = stored(first)
    assert (draft.status, draft.claim) == ("draft", "claim")


def test_a_save_refused_for_login_keeps_the_work_and_asks_to_log_in(
    short, page, login, live_server
):
    open_page(page, login, live_server)
    first = current_id(page)
    page.context.clear_cookies()  # the session ended (expired, or logged out in another tab)
    press(page, "2")
    expect(page.get_by_role("status")).to_contain_text("you are logged out. Log in again")
    expect(page.get_by_role("link", name="Log in again (new tab)")).to_be_visible()
    expect(page.get_by_role("button", name="2 Claim", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    other = page.context.new_page()
    login(other, "ann")
    other.close()
    assert submit(page) == first
    assert (stored(first).status, stored(first).claim) == ("submitted", "claim")


def test_all_done_hides_the_sentence_and_back_reaches_the_last_ones(
    short, page, login, live_server
):
    open_page(page, login, live_server)
    press(page, "1")
    submit(page)
    press(page, "2")
    last = submit(page)
    expect(page.get_by_role("heading", name="All done")).to_be_visible()
    expect(page.locator("#progress-text")).to_have_text("2 / 2")
    expect(page.locator("#workspace")).to_be_hidden()
    expect(page.get_by_role("button", name="Enter Submit")).to_be_hidden()
    press(page, "ArrowLeft")
    assert current_id(page) == last
    expect(page.get_by_role("button", name="2 Claim", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    press(page, "3", "Enter")
    page.wait_for_selector("main[data-state='done']")
    idle(page)
    assert stored(last).claim == "checkworthy"


def test_shortcuts_open_at_the_top(seeded, page, login, live_server):
    page.set_viewport_size(LAPTOP)
    open_page(page, login, live_server)
    press(page, "?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    assert dialog.evaluate("d => d.scrollTop") == 0
    expect(dialog.get_by_role("row").first).to_be_in_viewport()
    press(page, "Escape")


def test_progress_counts_the_sentence_just_submitted(seeded, page, login, live_server):
    open_page(page, login, live_server)
    total = Sentence.objects.in_queue().count()
    expect(page.locator("#progress-text")).to_have_text(f"0 / {total}")
    press(page, "1")
    submit(page)
    expect(page.locator("#progress-text")).to_have_text(f"1 / {total}")
    press(page, "1")
    submit(page)
    expect(page.locator("#progress-text")).to_have_text(f"2 / {total}")
    press(page, "Backspace")  # going back and forth changes nothing done
    expect(page.locator("#progress-text")).to_have_text(f"2 / {total}")


def test_a_skipped_sentence_reached_by_back_says_so(seeded, page, login, live_server):
    open_page(page, login, live_server)
    skipped = current_id(page)
    press(page, "s")
    page.keyboard.type("headline")
    press(page, "Enter")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId != id", arg=skipped
    )
    idle(page)
    press(page, "Backspace")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId == id", arg=skipped
    )
    expect(page.locator("#skipped-note")).to_have_text(
        "You skipped this sentence (“headline”). Label it and press Enter to submit it instead."
    )


def test_the_whole_article_and_the_article_list(seeded, page: Page, login, live_server):
    page.set_viewport_size(LAPTOP)
    open_page(page, login, live_server)
    for _ in range(3):
        press(page, "1")
        submit(page)
    press(page, "z")
    current = page.locator("#article-view .article-sentence.current")
    expect(current).to_have_text(page.locator("#sentence").text_content() + " ")
    expect(current).to_be_in_viewport()
    expect(page.locator("#context-before")).to_be_hidden()
    press(page, "z")
    expect(page.locator("#article-view")).to_be_hidden()

    press(page, "j")
    links = page.get_by_role("dialog", name="Articles").get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.first).to_be_focused()
    expect(page.locator("#article-list li").first).to_contain_text("3 of 27 done by you")
    press(page, "Tab", "Enter")
    page.wait_for_url("**/label/?article=*")
    page.wait_for_selector("main[data-state='ready']")
    second = Sentence.objects.get(pk=current_id(page)).article
    assert page.locator("#article-title").text_content() == second.title
    assert second.external_id.startswith("002")


def test_the_longest_sentence_scrolls_in_its_box_and_the_keys_follow(
    short, page, login, live_server
):
    project, _ = short
    # As long as a stored sentence gets (longer ones are cut at a space near that length).
    tail = " and ended"
    words = " ".join(["mediation talks resumed in the capital"] * 40)
    words = words[: MAX_SEGMENT_CHARS - len(tail)].rsplit(" ", 1)[0]
    make_article(project, f"{words}{tail}\n", "long")
    page.set_viewport_size(LAPTOP)
    open_page(page, login, live_server)
    for _ in range(2):
        press(page, "1")
        submit(page)
    box = page.locator("#sentence")
    expect(box).to_contain_text("and ended")
    assert box.evaluate("b => b.scrollHeight > b.clientHeight")
    expect(page.get_by_role("button", name="Enter Submit")).to_be_in_viewport()
    press(page, "w", "End")
    expect(page.locator("#sentence .sel")).to_have_text("ended")
    expect(page.locator("#sentence .sel")).to_be_in_viewport()
