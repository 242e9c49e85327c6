"""Selecting in useful units with the keyboard (and the mouse), in Chromium."""

from playwright.sync_api import Page, expect

from claims.services.speakers import speaker_create
from tests.browser.pages import current_id, lines, open_page, press, span_text, stored, submit
from tests.browser.test_speakers import label_until
from tests.factories import make_article


def selected(page: Page) -> str:
    return "".join(page.locator("#sentence .sel").all_text_contents())


def test_a_hand_made_attribution_on_the_lavrov_sentence_in_ten_keys(
    seeded, page, login, live_server
):
    project, _ = seeded
    lavrov = speaker_create(
        project_id=project.id, name="Sergey Lavrov", kind="person", aliases=["Lavrov"]
    )
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    said = current_id(page)
    # Past three commas to the name, which is one phrase; the cue follows it.
    press(page, "w", ".", ".", ".")
    expect(page.locator("#sentence .sel")).to_have_text("Russian Foreign Minister Sergey Lavrov")
    press(page, "r")
    expect(page.locator("#sentence .sel")).to_have_text("said")
    # The source's speaker is proposed as it is marked: no k Enter to take it.
    press(page, "v", "T")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (person)")
    press(page, "2", "f")
    submit(page)
    annotation = stored(said)
    attribution = annotation.attributions.get()
    spans = {role: span_text(annotation, attribution, role) for role in ("source", "cue")}
    assert spans == {"source": "Russian Foreign Minister Sergey Lavrov", "cue": "said"}
    content = span_text(annotation, attribution, "content")
    assert content.startswith("Russia is ready to facilitate")
    assert content.endswith("European and Latin American countries")
    assert (attribution.speaker_id, attribution.quote_type, attribution.suggested) == (
        lavrov.id,
        "indirect",
        False,
    )
    assert (annotation.claim, [s.label for s in annotation.stances.all()]) == ("claim", ["favor"])


def test_phrases_punctuation_and_quotations(seeded, page, login, live_server):
    open_page(page, login, live_server)
    label_until(page, '"There is a need to clarify')
    sentence = current_id(page)
    press(page, "w")
    expect(page.locator("#sentence .sel")).to_have_text('"')
    press(page, "Control+ArrowRight")
    expect(page.locator("#sentence .sel")).to_have_text("There")
    press(page, "Control+ArrowRight")
    expect(page.locator("#sentence .sel")).to_have_text(
        "is a need to clarify the goal of such a mediation platform"
    )
    press(page, "Control+ArrowLeft", "Control+Shift+ArrowRight")
    assert selected(page) == "There is a need to clarify the goal of such a mediation platform"
    press(page, "Shift+Period")  # to the end of the piece: already there, so the next one
    assert selected(page).endswith('platform," he went on to say')
    press(page, "Home", "Shift+End")
    assert selected(page) == page.locator("#sentence").text_content()
    # One key for the whole quotation; its quote type follows from the marks.
    press(page, "Escape", '"', "t")
    expect(page.locator(".chip-content")).to_contain_text("There is a need to clarify")
    expect(page.locator("#quote-0")).to_have_value("direct")
    press(page, "1")
    submit(page)
    annotation = stored(sentence)
    attribution = annotation.attributions.get()
    assert span_text(annotation, attribution, "content") == (
        "There is a need to clarify the goal of such a mediation platform"
    )


def test_a_mouse_drag_snaps_to_whole_words(seeded, page, login, live_server):
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    said = current_id(page)
    box = page.locator("#sentence")
    # From inside "Foreign" to inside "Sergey": whole words, without the spaces around.
    page.evaluate(
        """() => {
          const box = document.querySelector('#sentence');
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          const nodes = [];
          while (walker.nextNode()) nodes.push(walker.currentNode);
          const at = (word) => nodes.find((n) => n.textContent.includes(word));
          const range = document.createRange();
          range.setStart(at('Foreign'), at('Foreign').textContent.indexOf('Foreign') + 3);
          range.setEnd(at('Sergey'), at('Sergey').textContent.indexOf('Sergey') + 2);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        }"""
    )
    box.dispatch_event("mouseup")
    expect(page.locator("#sentence .sel")).to_have_text("Foreign Minister Sergey")
    press(page, "r", "1")
    submit(page)
    annotation = stored(said)
    assert span_text(annotation, annotation.attributions.get(), "source") == (
        "Foreign Minister Sergey"
    )


def test_shift_w_starts_from_the_active_attributions_spans_to_move_their_ends(
    seeded, page, login, live_server
):
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    said = current_id(page)
    press(page, "W")
    expect(page.locator("#status")).to_have_text(
        "The active attribution has no span yet: select words with w."
    )
    press(page, "w", ".", ".", ".", "r", "v", "T")
    # The source, its end movable; again, its start movable; then the cue, then the content.
    press(page, "W")
    expect(page.locator("#sentence .sel")).to_have_text("Russian Foreign Minister Sergey Lavrov")
    expect(page.locator("#status")).to_contain_text("Shift+←/→ moves its end; r, v, t mark it.")
    press(page, "W", "Shift+ArrowRight")
    expect(page.locator("#sentence .sel")).to_have_text("Foreign Minister Sergey Lavrov")
    press(page, "r")
    press(page, "W", "W", "W")
    expect(page.locator("#sentence .sel")).to_have_text("said")
    press(page, "W")
    expect(page.locator("#status")).to_contain_text("Content “Russia ")
    assert lines(page.locator("#status")) == 1
    press(page, "Shift+ArrowLeft", "Shift+ArrowLeft")
    expect(page.locator("#sentence .sel")).to_contain_text("European and Latin")
    press(page, "t")
    # Once every span has been offered, the first comes again.
    press(page, "W", "W")
    expect(page.locator("#status")).to_contain_text("Source “")
    press(page, "Escape", "Escape", "2")
    submit(page)
    annotation = stored(said)
    attribution = annotation.attributions.get()
    assert span_text(annotation, attribution, "source") == "Foreign Minister Sergey Lavrov"
    content = span_text(annotation, attribution, "content")
    assert content.startswith("Russia is ready to facilitate")
    assert content.endswith("European and Latin")


def test_a_suggested_span_marked_again_where_it_was_stays_suggested(
    seeded, page, login, live_server
):
    """Shift+W then r on an accepted suggestion's source, its ends unmoved, leaves the spans
    the suggester's: "suggested" is still sent."""
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    said = current_id(page)
    press(page, "y", "W")
    expect(page.locator("#sentence .sel")).to_have_text("Russian Foreign Minister Sergey Lavrov")
    press(page, "r")
    expect(page.locator("#status")).to_contain_text("Marked source")
    expect(page.locator(".attribution .badge")).to_have_text("suggested")
    press(page, "2")
    submit(page)
    assert stored(said).attributions.get().suggested is True


def test_a_mark_taking_words_of_another_part_cuts_that_part_and_the_label_saves(
    seeded, page, login, live_server
):
    """The server refuses a source, cue and content sharing a word; a mark over another part's
    words takes them from it (the newer mark wins), says so, and the sentence is saved."""
    open_page(page, login, live_server)
    label_until(page, "Russia is ready")
    said = current_id(page)
    press(page, "y", "W", "W", "W")  # the source (caret on its last word, then its first), the cue
    expect(page.locator("#sentence .sel")).to_have_text("said")
    press(page, "Shift+ArrowLeft", "v")
    expect(page.locator("#status")).to_contain_text("; source now “Russian")
    assert lines(page.locator("#status")) == 1  # it took two, "It took words of another part"
    press(page, "2")
    submit(page)
    attribution = stored(said).attributions.get()
    assert span_text(stored(said), attribution, "source") == "Russian Foreign Minister Sergey"
    assert span_text(stored(said), attribution, "cue") == "Lavrov said"


def test_a_closing_curly_mark_set_before_a_word_opens_a_quotation(seeded, page, login, live_server):
    """Some sites set ”Mr. Trump ...” with the closing mark at both ends: `"` selects each
    quotation as the server's suggestions read them, not the words between them."""
    project, _ = seeded
    article = make_article(project, "”Mr. Trump is fine,” she said, ”and he is ready.”", "ready")
    open_page(page, login, live_server, article=article.id)
    press(page, '"')
    expect(page.locator("#sentence .sel")).to_have_text("Mr. Trump is fine")
    press(page, '"')
    expect(page.locator("#sentence .sel")).to_have_text("and he is ready")


def test_a_quotation_key_finding_none_leaves_nothing_to_mark(seeded, page, login, live_server):
    """`"` on a sentence without a quotation left the words selected before (a lone quote
    mark after the source just marked), and t then marked them as content."""
    project, _ = seeded
    article = make_article(project, "Cruz 'glad to finish' the fight.", "single")
    open_page(page, login, live_server, article=article.id)
    press(page, "w", "r", '"')
    expect(page.locator("#status")).to_have_text(
        "No quotation in this sentence: select words with w and arrows."
    )
    assert lines(page.locator("#status")) == 1
    expect(page.locator("#sentence .sel")).to_have_count(0)
    press(page, "t")
    expect(page.locator("#status")).to_contain_text("Select some words first")
    expect(page.locator(".chip-content")).to_have_count(0)


def test_shift_comma_moves_the_end_back_to_the_word_before_the_mark(
    seeded, page, login, live_server
):
    """Shift+, left the selection's end one word past the mark: "..., which began in May, had"."""
    project, _ = seeded
    text = "Ana Reed, the mayor, said on Monday that the talks, which began in May, had ended."
    article = make_article(project, text, "pieces")
    open_page(page, login, live_server, article=article.id)
    press(page, "w", "Home", "Shift+End", "Shift+Comma")
    assert selected(page) == (
        "Ana Reed, the mayor, said on Monday that the talks, which began in May"
    )
    press(page, "Shift+Comma")
    assert selected(page) == "Ana Reed, the mayor, said on Monday that the talks"
    # The start moves forward to the word after the next mark.
    press(page, "End", "Shift+Home", "Shift+Period")
    assert selected(page).startswith("the mayor, said on Monday")
