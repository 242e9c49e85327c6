"""Driving the labeling page: log in, open it, press keys, submit, read what was stored."""

import re

from playwright.sync_api import Page

from claims.models import Annotation

READY = "main[data-state='ready']"


IN_FLIGHT: dict[int, set] = {}


def track(page: Page) -> Page:
    """Count the page's requests in flight, so a test can end only once they are answered."""
    pending = IN_FLIGHT.setdefault(id(page), set())
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    return page


def idle(page: Page) -> None:
    """Wait until the page's saves are answered and no request is in flight."""
    # Arrow functions, not bare expressions: the page's CSP forbids eval, which polling needs.
    page.wait_for_function("() => (document.querySelector('main')?.dataset.saves ?? '0') === '0'")
    pending = IN_FLIGHT.get(id(page), set())
    for _ in range(200):
        if not pending:
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"requests still in flight: {[r.url for r in pending]}")


def settle(page: Page) -> None:
    """Wait until no draft is pending and no request is in flight (the server's database
    goes away when the test ends), then close the page."""
    page.wait_for_function("() => document.querySelector('main')?.dataset.dirty !== 'true'")
    idle(page)
    IN_FLIGHT.pop(id(page), None)
    page.close()


def open_page(
    page: Page, login, live_server, username: str = "ann", article: int | None = None
) -> Page:
    """Log in and open the demo project's labeling page (at `article`, when given)."""
    if id(page) not in IN_FLIGHT:
        track(page)
    login(page, username)
    page.goto(f"{live_server.url}/projects/demo/label/{f'?article={article}' if article else ''}")
    page.wait_for_selector(READY)
    return page


def open_past_heading(page: Page, login, live_server, article: int) -> Page:
    """Open the page at an article and label its heading "not a claim": its first body
    sentence is on screen."""
    open_page(page, login, live_server, article=article)
    press(page, "1")
    submit(page)
    return page


def current_id(page: Page) -> int:
    page.wait_for_selector(READY)
    return int(page.locator("#sentence").get_attribute("data-sentence-id"))


def press(page: Page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def submit(page: Page) -> int:
    """Press Enter and return the id of the sentence that comes next."""
    before = current_id(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "id => document.querySelector('#sentence')?.dataset.sentenceId !== String(id)"
        " || document.querySelector('main').dataset.state === 'done'",
        arg=before,
    )
    page.wait_for_selector("main[data-state='ready'], main[data-state='done']")
    idle(page)
    return before


def word_index(text: str, word: str) -> int:
    """Return the index of `word` in the page's word list (words, or single punctuation marks)."""
    words = re.findall(r"[^\W_](?:[^\W_]|['’-](?=[^\W_]))*|[^\s]", text)
    return words.index(word)


def stored(sentence_id: int, username: str = "ann") -> Annotation:
    return (
        Annotation.objects.prefetch_related("attributions__speaker", "stances")
        .select_related("sentence")
        .get(sentence_id=sentence_id, annotator__username=username)
    )


def span_text(annotation: Annotation, attribution, role: str) -> str:
    start, end = getattr(attribution, f"{role}_start"), getattr(attribution, f"{role}_end")
    return annotation.sentence.text[start:end]


def saved(page: Page) -> None:
    """Wait until the pending draft has been sent and answered."""
    page.wait_for_function("() => document.querySelector('main').dataset.dirty !== 'true'")
    idle(page)


def lines(locator) -> int:
    """The lines an inline element's text takes."""
    return locator.evaluate("el => el.getClientRects().length")
