"""The labeling page in Chromium: keyboard-only labeling, reload, skip, back, blind, <script>."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import AnnotationStatus, Role, Sentence
from tests.browser.pages import (
    current_id,
    idle,
    lines,
    open_page,
    open_past_heading,
    press,
    settle,
    span_text,
    stored,
    submit,
    word_index,
)
from tests.factories import TARGET, make_article, make_member, save_annotation


def test_five_sentences_labelled_with_the_keyboard_are_stored(seeded, page, login, live_server):
    open_page(page, login, live_server)
    done = []
    expect(page.locator("#sentence")).to_have_text(
        "Russia ready to facilitate dialogue between Maduro and Venezuelan opposition"
    )
    press(page, "1")
    done.append(submit(page))
    press(page, "2", "q")
    done.append(submit(page))

    # "..., Russian Foreign Minister Sergey Lavrov said ...": accept the suggestion, which
    # names its speaker (a new one, titles dropped); type, stance.
    expect(page.locator("#suggestion-list")).to_contain_text("cue “said”")
    expect(page.locator("#suggestion-list")).to_contain_text("speaker Sergey Lavrov (new person)")
    press(page, "2", "y", "i", "f")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (person)")
    done.append(submit(page))

    press(page, "1")
    done.append(submit(page))

    # '... come up with" he said.': source, cue and content chosen word by word.
    text = page.locator("#sentence").text_content()
    assert text.endswith('come up with" he said.')
    press(page, "w", "End", "ArrowLeft", "ArrowLeft", "r")
    press(page, "v")  # after a source, the next word ("said") is selected
    press(page, "Home", *["Shift+ArrowRight"] * word_index(text, "with"), "t", "Escape")
    press(page, "k")  # the quote type came from the quote marks: direct
    # "he": the speaker of the nearest attribution before is offered first.
    expect(page.get_by_role("option").first).to_contain_text("Sergey Lavrov (person)")
    press(page, "Enter", "2", "o", "n")
    expect(page.locator(".chip-content")).to_contain_text("The Caribbean Community")
    done.append(submit(page))
    after = current_id(page)

    # Reload: the page comes back to the same unlabelled sentence; nothing was lost.
    page.reload()
    assert current_id(page) == after
    press(page, "Backspace")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId == id", arg=done[-1]
    )
    expect(page.get_by_role("button", name="2 Claim", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".chip-source")).to_contain_text("“he”")

    assert [stored(i).status for i in done] == [AnnotationStatus.SUBMITTED] * 5
    assert [stored(i).claim for i in done] == ["not_claim", "claim", "claim", "not_claim", "claim"]
    assert stored(done[1]).claim_types == ["quantity"]

    lavrov = stored(done[2])
    suggested = lavrov.attributions.get()
    assert (suggested.speaker.name, suggested.speaker.kind) == ("Sergey Lavrov", "person")
    assert span_text(lavrov, suggested, "source") == "Russian Foreign Minister Sergey Lavrov"
    assert span_text(lavrov, suggested, "cue") == "said"
    assert suggested.suggested is True
    assert (lavrov.claim_types, [s.label for s in lavrov.stances.all()]) == (
        ["position_intention"],
        ["favor"],
    )

    quote = stored(done[4])
    attribution = quote.attributions.get()
    assert span_text(quote, attribution, "source") == "he"
    assert span_text(quote, attribution, "cue") == "said"
    assert span_text(quote, attribution, "content").startswith("The Caribbean Community")
    assert span_text(quote, attribution, "content").endswith("have come up with")
    assert (attribution.quote_type, attribution.speaker.name, attribution.suggested) == (
        "direct",
        "Sergey Lavrov",
        False,
    )
    assert quote.claim_types == ["other"]
    assert [(s.target.name, s.label) for s in quote.stances.all()] == [(TARGET, "neutral")]
    assert all(stored(i).lead_time_ms > 0 for i in done)


def test_skip_with_a_reason_and_undo(seeded, page, login, live_server):
    open_page(page, login, live_server)
    first = current_id(page)
    press(page, "2", "q")
    expect(page.get_by_role("button", name="Quantity")).to_have_attribute("aria-pressed", "true")
    press(page, "Control+z")
    expect(page.get_by_role("button", name="Quantity")).to_have_attribute("aria-pressed", "false")
    press(page, "Control+z")
    expect(page.get_by_role("button", name="2 Claim", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )
    press(page, "s")
    expect(page.get_by_label("Reason (optional)")).to_be_focused()
    page.keyboard.type("headline fragment")
    press(page, "Enter")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId != id", arg=first
    )
    idle(page)
    skipped = stored(first)
    assert (skipped.status, skipped.skip_reason, skipped.claim) == (
        "skipped",
        "headline fragment",
        "",
    )


def test_a_claim_key_pressed_again_keeps_the_label_and_its_types(seeded, page, login, live_server):
    open_page(page, login, live_server)
    first = current_id(page)
    press(page, "2", "q", "2")
    claim = page.get_by_role("button", name="2 Claim", exact=True)
    expect(claim).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Quantity")).to_have_attribute("aria-pressed", "true")
    submit(page)
    assert (stored(first).claim, stored(first).claim_types) == ("claim", ["quantity"])


def press_and_move_on(page: Page, *keys: str) -> int:
    """Press keys that submit the sentence; return its id once the next one shows."""
    before = current_id(page)
    press(page, *keys)
    page.wait_for_function(
        "id => document.querySelector('#sentence')?.dataset.sentenceId !== String(id)",
        arg=before,
    )
    return before


def test_shift_and_a_claim_digit_chooses_that_claim_and_submits(seeded, page, login, live_server):
    open_page(page, login, live_server)
    expect(page.locator("#claim-group legend")).to_contain_text("Shift+its key: choose and submit")
    heading = press_and_move_on(page, "Shift+Digit1")
    press_and_move_on(page, "Shift+Digit1")
    # "..., Russian Foreign Minister Sergey Lavrov said ...": after the attribution accepted
    # from its suggestion, Shift+2 makes it a claim and submits.
    expect(page.locator("#suggestion-list")).to_contain_text("cue “said”")
    said = press_and_move_on(page, "y", "Shift+Digit2")
    idle(page)
    assert (stored(heading).claim, stored(heading).status) == ("not_claim", "submitted")
    assert (stored(said).claim, stored(said).status) == ("claim", "submitted")
    assert stored(said).attributions.get().speaker.name == "Sergey Lavrov"


def test_back_edit_and_return(seeded, page, login, live_server):
    open_page(page, login, live_server)
    first = submit_with(page, "1")
    second = current_id(page)
    press(page, "ArrowLeft")
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId == id", arg=first
    )
    expect(page.get_by_role("button", name="1 Not a claim", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    press(page, "3")
    assert submit(page) == first
    assert current_id(page) == second
    assert (stored(first).claim, stored(first).status) == ("checkworthy", "submitted")


def submit_with(page: Page, *keys: str) -> int:
    press(page, *keys)
    return submit(page)


def test_a_failed_save_brings_the_sentence_back_with_its_labels(seeded, page, login, live_server):
    open_page(page, login, live_server)
    first = current_id(page)
    # The route stays for the whole test (no `times=1`): a request the page sends while
    # Playwright removes a spent route can be left hanging, never sent (the page's prefetch of
    # the next sentence follows the failed save by milliseconds).
    failed = []

    def fail_the_first_save(route):
        if failed:
            route.continue_()
        else:
            failed.append(route.request.url)
            route.abort()

    page.route("**/annotation/", fail_the_first_save)
    press(page, "2", "l")
    page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("Not saved: the server cannot be reached")
    assert current_id(page) == first
    expect(page.get_by_role("button", name="Laws / rules")).to_have_attribute(
        "aria-pressed", "true"
    )
    second = submit(page)
    assert second == first and stored(first).claim_types == ["laws_rules"]
    assert current_id(page) != first


def test_drafts_are_saved_while_labelling(seeded, page, login, live_server):
    open_page(page, login, live_server)
    first = current_id(page)
    press(page, "2", "p")
    expect(page.locator("#status")).to_have_text("Draft saved.")
    page.reload()
    assert current_id(page) == first
    expect(page.get_by_role("button", name="Prediction")).to_have_attribute("aria-pressed", "true")
    assert (stored(first).status, stored(first).claim_types) == ("draft", ["prediction"])


def test_annotators_label_blind(seeded, browser, login, live_server):
    project, _ = seeded
    project.annotations_per_sentence = 2
    project.save()
    make_member(project, Role.ANNOTATOR, "bea")
    first_page = open_page(browser.new_page(), login, live_server, "ann")
    first = current_id(first_page)
    press(first_page, "3", "f", "y")
    submit(first_page)

    second_page = open_page(browser.new_page(), login, live_server, "bea")
    assert current_id(second_page) == first
    expect(second_page.locator("[aria-pressed='true']")).to_have_count(0)
    expect(second_page.locator(".attribution")).to_have_count(0)
    press(second_page, "1")
    submit(second_page)
    assert (stored(first, "ann").claim, stored(first, "bea").claim) == ("checkworthy", "not_claim")
    assert [s.label for s in stored(first, "bea").stances.all()] == []
    settle(first_page)
    settle(second_page)


def test_two_annotators_at_once_get_different_sentences(seeded, browser, login, live_server):
    project, _ = seeded
    make_member(project, Role.ANNOTATOR, "bea")
    ann = open_page(browser.new_page(), login, live_server, "ann")
    bea = open_page(browser.new_page(), login, live_server, "bea")
    assert current_id(ann) != current_id(bea)
    settle(ann)
    settle(bea)


def test_article_text_is_shown_as_text_and_never_run(seeded, page, login, live_server):
    project, _ = seeded
    Sentence.objects.filter(project=project).delete()
    make_article(
        project,
        "<script>window.__pwned = 'title'</script>\n"
        'He said "<img src=x onerror=window.__pwned=1>" and <b>left</b>.\n',
        "xss",
    )
    open_page(page, login, live_server)
    expect(page.locator("#sentence")).to_have_text("<script>window.__pwned = 'title'</script>")
    press(page, "1")
    submit(page)
    expect(page.locator("#sentence")).to_contain_text("<img src=x onerror=window.__pwned=1>")
    press(page, "g")
    expect(page.locator(".guidelines strong")).to_have_text("who")
    expect(page.locator(".guidelines")).to_contain_text("<script>")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#main img, #main script:not([type])").count() == 0


def test_controls_have_names_and_visible_focus(seeded, page, login, live_server):
    open_page(page, login, live_server)
    press(page, "b")  # an attribution card with its own controls
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('#main button, #main input, #main select,'
                + ' #main [role=textbox], #main [role=combobox]')]
            .filter(el => el.offsetParent !== null)
            .filter(el => {
              const label = el.getAttribute('aria-label')
                || (el.labels && el.labels[0]?.textContent) || el.textContent;
              return !label || !label.trim();
            }).map(el => el.outerHTML)"""
    )
    assert unnamed == []
    styles = []
    for _ in range(12):
        page.keyboard.press("Tab")
        styles.append(
            page.evaluate(
                "() => { const el = document.activeElement, s = getComputedStyle(el);"
                " return [el.tagName, s.outlineStyle, parseFloat(s.outlineWidth)] }"
            )
        )
    assert all(style != "none" and width >= 2 for _, style, width in styles), styles


@pytest.mark.parametrize("size", [{"width": 1280, "height": 720}, {"width": 400, "height": 800}])
def test_the_page_fits_a_laptop_and_a_narrow_window(seeded, page, login, live_server, size):
    page.set_viewport_size(size)
    open_page(page, login, live_server)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Submit").scroll_into_view_if_needed()
    expect(page.get_by_role("button", name="Submit")).to_be_in_viewport()
    if size["width"] == 1280:
        for name in ("1 Not a claim", "Enter Submit", "f Favor"):
            expect(page.get_by_role("button", name=name, exact=True)).to_be_in_viewport()


def test_a_suggested_content_in_its_own_quote_marks_is_not_quoted_again(
    seeded, page, login, live_server
):
    from claims.learning.models import Prediction

    project, _ = seeded
    article = make_article(project, "Talks in Oslo\n“Nobody will be left out.”\n", "quoted")
    quote = article.sentences.get(index=1)
    content = [0, len(quote.text)]
    Prediction.objects.create(
        sentence=quote, attributions=[{"source": None, "cue": None, "content": content}]
    )
    open_past_heading(page, login, live_server, article.id)
    assert current_id(page) == quote.id
    listed = page.locator("#suggestion-list")
    expect(listed.locator("li")).to_have_count(1)
    expect(listed).to_contain_text("content “Nobody will be left out.” (predictions)")
    expect(listed).not_to_contain_text("““")


def test_a_quotation_going_on_past_its_sentence_is_quoted_once(seeded, page, login, live_server):
    """A content that opens with the quotation's mark and goes on in the next sentence was
    shown as ““Nobody will be left out.”, in the suggestion and in the accepted chip."""
    from claims.learning.models import Prediction

    project, _ = seeded
    text = "Talks in Oslo\n“Nobody will be left out. We will all sign,” the mayor said.\n"
    quote = make_article(project, text, "going-on").sentences.get(index=1)
    Prediction.objects.create(
        sentence=quote, attributions=[{"source": None, "cue": None, "content": [0, 25]}]
    )
    open_past_heading(page, login, live_server, quote.article_id)
    assert current_id(page) == quote.id
    listed = page.locator("#suggestion-list")
    expect(listed).to_contain_text("content “Nobody will be left out.” (predictions)")
    press(page, "y")
    expect(page.locator(".chip-content > span").first).to_have_text(
        "content: “Nobody will be left out.”"
    )
    expect(page.locator("main")).not_to_contain_text("““")


def test_an_unnamed_source_suggested_is_not_called_new(seeded, page, login, live_server):
    project, _ = seeded
    text = "Talks in Oslo\nA source said the talks would resume in May.\n"
    article = make_article(project, text, "unnamed")
    open_past_heading(page, login, live_server, article.id)
    listed = page.locator("#suggestion-list")
    expect(listed).to_contain_text("speaker Unnamed source")
    expect(listed).not_to_contain_text("(new unnamed)")


def test_without_stance_targets_the_stance_keys_say_so(seeded, page, login, live_server):
    """A project with no stance target listed the stance keys, and f did nothing silently."""
    project, _ = seeded
    project.targets.all().delete()
    open_page(page, login, live_server)
    press(page, "f")
    expect(page.locator("#status")).to_have_text(
        "No stance target in this project: stance keys do nothing."
    )
    assert lines(page.locator("#status")) == 1
    press(page, "?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_contain_text("Accept the next suggestion")
    expect(dialog).not_to_contain_text("Stance:")


def test_a_suggested_source_fixed_with_shift_w_is_not_offered_again(
    seeded, page, login, live_server
):
    """A suggestion of a source alone, cut a word too long and fixed with Shift+W, came back
    in the list, and the next y added it a second time."""
    from claims.learning.models import Prediction

    project, _ = seeded
    text = "Talks in Oslo\nSen. Ann Lee of Vermont on Monday defended the plan.\n"
    said = make_article(project, text, "source-only").sentences.get(index=1)
    source = [0, said.text.index(" Monday")]  # "... Vermont on": a word too long
    Prediction.objects.create(
        sentence=said, attributions=[{"source": source, "cue": None, "content": None}]
    )
    open_past_heading(page, login, live_server, said.article_id)
    assert current_id(page) == said.id
    expect(page.locator("#suggestion-list li")).to_have_count(1)
    press(page, "y", "W", "Shift+ArrowLeft", "r")
    expect(page.locator(".chip-source > span").first).to_have_text(
        "source: “Sen. Ann Lee of Vermont”"
    )
    expect(page.locator("#suggestion-list li")).to_have_count(0)


def test_an_article_with_nothing_left_says_so_when_opened(seeded, page, login, live_server):
    """?article= of an article the annotator had finished opened another one silently."""
    project, ann = seeded
    done = make_article(project, "Talks in Oslo\nThe talks ended.\n", "done")
    for sentence in done.sentences.all():
        save_annotation(sentence, ann, {"status": "submitted", "claim": "not_claim"})
    open_page(page, login, live_server, article=done.id)
    expect(page.locator("#status")).to_have_text(
        f"Nothing left for you in article {done.id}: your next sentence."
    )
    assert lines(page.locator("#status")) == 1
