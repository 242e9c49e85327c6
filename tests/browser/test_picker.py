"""The speaker picker at 1280x720, keys only: the kind of a new speaker (← and → on its Create
row), what Escape and an Enter that takes nothing leave in the box, names too long to store,
and a new speaker's kind as the server stores it."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from claims.models import Speaker
from claims.services.speakers import speaker_create
from tests.browser.pages import open_page, press, saved, stored, submit
from tests.browser.test_speakers import HIGHLIGHTED, OPTION, label_until, submit_with_claim

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


def test_escape_gives_the_box_back_its_speaker(seeded, page, login, live_server):
    """After Escape the box read "Juan", which was not the speaker."""
    open_at_lavrov(page, login, live_server)
    press(page, "y", "k")
    expect(page.locator("#speaker-0")).to_be_focused()
    page.keyboard.type("Juan")
    expect(page.locator(OPTION).first).to_be_visible()
    press(page, "Escape")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (person)")
    expect(page.locator("#status")).to_have_text("Speaker unchanged: Sergey Lavrov (person).")
    expect(page.locator("#speaker-0")).not_to_be_focused()
    expect(page.locator("#speaker-0-list")).to_be_hidden()
    press(page, "3")
    expect(page.locator("#status")).to_have_text("Claim: Check-worthy (3).")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (person)")


def test_an_enter_that_takes_nothing_from_an_empty_box_leaves_it(seeded, page, login, live_server):
    """The keys after it were typed into the box ("@@@@@") instead of acting on the page."""
    open_at_lavrov(page, login, live_server)
    label_until(page, "The Caribbean Community")
    # Source "he" with nothing before naming anyone: nothing is proposed.
    press(page, "w", "End", "ArrowLeft", "ArrowLeft", "r", "k", "Enter")
    expect(page.locator("#status")).to_have_text(
        "No speaker chosen. k opens the box: type a name or ↓ to a speaker, then Enter."
    )
    expect(page.locator("#speaker-0")).not_to_be_focused()
    press(page, "2", "@", "@")
    expect(page.locator("#speaker-0")).to_have_value("")
    expect(page.locator("#status")).to_have_text("Claim: Claim (2).")
    # With a name typed, the box keeps the focus to go on.
    press(page, "k")
    page.keyboard.type("Juan")
    press(page, "Enter")
    expect(page.locator("#status")).to_have_text(
        "Nothing chosen: ↓ to a speaker or to “Create Juan”, then Enter; Escape leaves."
    )
    expect(page.locator("#speaker-0")).to_be_focused()
    page.wait_for_timeout(200)  # the list stays open with the box
    expect(page.locator(HIGHLIGHTED)).to_have_count(0)
    expect(page.locator(OPTION).filter(has_text="Create “Juan”")).to_be_visible()
    press(page, "Escape")
    expect(page.locator("#speaker-0")).to_have_value("")
    expect(page.locator("#status")).to_have_text("No speaker.")


def test_a_name_too_long_to_store_is_refused_as_it_is_typed(seeded, page, login, live_server):
    """A 259-character name was taken: every save then failed, and the search failed unseen."""
    searched = []
    page.on("request", lambda r: "search=" in r.url and searched.append(r.url))
    open_at_lavrov(page, login, live_server)
    name = "Juan " * 51 + "Guai"
    assert len(name) == 259
    press(page, "b", "k")
    page.keyboard.type(name)
    expect(page.locator(OPTION).first).to_have_text("Name too long: 259 characters, at most 200")
    expect(page.locator(OPTION).first).to_have_attribute("aria-disabled", "true")
    expect(page.locator(OPTION).filter(has_text="Create")).to_have_count(0)
    press(page, "Enter")
    expect(page.locator("#status")).to_have_text(
        "Name too long: 259 characters, at most 200: shorten it."
    )
    expect(page.locator("#speaker-0")).to_be_focused()
    # Shortened to the limit, it is a name again.
    press(page, *["Backspace"] * 59)
    expect(page.locator(OPTION).first).to_have_text(
        f"Create “{name[:200].strip()}” (person) · ← → change the kind"
    )
    assert searched  # the search is asked, but never for a name too long for it
    assert max(len(parse_qs(urlsplit(url).query)["search"][0]) for url in searched) <= 200
    press(page, "Escape", "1")
    submit(page)
    assert not Speaker.objects.exists()


def test_once_a_draft_created_the_proposed_speaker_k_offers_it_not_a_create_row(
    seeded, page, login, live_server
):
    """The draft save creates the proposed speaker; k still offered "Create", → changed the
    kind shown, and the server saved the kind it had."""
    open_at_lavrov(page, login, live_server)
    press(page, "w", ".", ".", ".", "r")
    expect(page.locator("#status")).to_have_text(
        "Speaker proposed for the source: Sergey Lavrov (new person); k changes it."
    )
    saved(page)
    press(page, "k")
    expect(page.locator(HIGHLIGHTED)).to_contain_text("Sergey Lavrov (person)")
    expect(page.locator(OPTION).filter(has_text="Create")).to_have_count(0)
    press(page, "ArrowRight", "Enter")
    expect(page.locator("#status")).to_have_text("Speaker: Sergey Lavrov.")
    expect(page.locator("#speaker-0")).to_have_value("Sergey Lavrov (person)")
    said = submit_with_claim(page)
    assert stored(said).attributions.get().speaker.kind == "person"
    assert Speaker.objects.get().kind == "person"


def test_a_new_speakers_kind_shown_is_the_kind_saved(seeded, page, login, live_server):
    """A name the project has meanwhile (another annotator made it) is saved as that speaker:
    the page showed and listed the kind chosen on it, not the one saved."""
    project, _ = seeded
    open_at_lavrov(page, login, live_server)
    press(page, "b", "k")
    page.keyboard.type("Juan Guaido")
    expect(page.locator(OPTION).first).to_have_text(
        CREATE.format("person").replace("Sergey Lavrov", "Juan Guaido")
    )
    speaker_create(project_id=project.id, name="Juan Guaido", kind="media")
    press(page, "ArrowDown")
    expect(page.locator(HIGHLIGHTED)).to_contain_text("Create “Juan Guaido” (person)")
    press(page, "ArrowRight", "Enter")
    expect(page.locator("#status")).to_have_text("Speaker: Juan Guaido (new organization).")
    expect(page.locator("#status")).to_have_text("“Juan Guaido” already exists as media.")
    expect(page.locator("#speaker-0")).to_have_value("Juan Guaido (media)")
    # Listed as it is stored from now on, on this sentence and the next.
    press(page, "k")
    expect(page.locator(OPTION).filter(has_text="Juan Guaido (media)")).to_have_count(1)
    expect(page.locator(OPTION).filter(has_text="Juan Guaido (organization)")).to_have_count(0)
    expect(page.locator(OPTION).filter(has_text="new, on this page")).to_have_count(0)
    press(page, "Escape")
    said = submit_with_claim(page)
    assert stored(said).attributions.get().speaker.kind == "media"
    press(page, "b", "k")
    expect(page.locator(OPTION).filter(has_text="Juan Guaido (media)")).to_have_count(1)
    expect(page.locator(OPTION).filter(has_text="organization")).to_have_count(0)
    expect(page.locator(OPTION).filter(has_text="new, on this page")).to_have_count(0)
    press(page, "Escape")


def test_an_acronym_typed_is_a_name_a_pronoun_is_not(seeded, page, login, live_server):
    open_at_lavrov(page, login, live_server)
    press(page, "w", ".", ".", ".", "r", "k")
    page.keyboard.type("WHO")
    create = page.locator(OPTION).filter(has_text="Create “WHO”")
    expect(create).to_have_count(1)
    expect(page.locator(OPTION).filter(has_text="is not a name")).to_have_count(0)
    press(page, *["Backspace"] * 3)
    page.keyboard.type("who")
    expect(page.locator(OPTION).first).to_have_text("“who” is not a name: choose who it refers to")


def test_an_arrow_pressed_before_the_typed_names_list_arrives_moves_in_that_list(
    seeded, page, login, live_server
):
    """Typed fast, "k Name ↓ Enter" said "Nothing chosen": ↓ moved in the list shown before the
    name was typed, and the list for the name then came with nothing highlighted."""
    open_at_lavrov(page, login, live_server)
    press(page, "y", "k")
    expect(page.locator("#speaker-0")).to_be_focused()
    page.keyboard.type("Ines Talavera")
    press(page, "ArrowDown", "Enter")
    expect(page.locator("#speaker-0")).to_have_value("Ines Talavera (person)")
    expect(page.locator("#status")).not_to_contain_text("Nothing chosen")
