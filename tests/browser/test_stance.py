"""The labeling page offers the active model's stance suggestions; `y` accepts them."""

import json
import os

from django.core.management import call_command
from playwright.sync_api import expect

from claims.learning import loader
from claims.learning.activation import model_activate
from claims.learning.training import train_suggester
from claims.models import Role
from claims.services.targets import target_add
from tests.browser.pages import READY, current_id, press, stored, submit
from tests.factories import TARGET, make_article, make_member, make_project
from tests.learning.test_stance import BREXIT, STANCE_ONLY, article


def test_a_stance_suggestion_is_shown_and_accepted_with_y(tmp_path, page, login, live_server):
    project = make_project("demo")
    target_add(project=project, name=BREXIT)
    path = tmp_path / "stance.jsonl"
    path.write_text("".join(json.dumps(article(n)) + "\n" for n in range(12)), encoding="utf-8")
    call_command("import_articles", str(path), project=project.slug, as_="gold", verbosity=0)
    loader.forget_models()
    model_activate(model=train_suggester(project=project, settings=STANCE_ONLY))
    fresh = make_article(project, "Leaving the union was a triumph for Britain.\n", "new")
    make_member(project, Role.ANNOTATOR, "ann")

    login(page, "ann")
    page.goto(f"{live_server.url}/projects/demo/label/?article={fresh.pk}")
    page.wait_for_selector(READY)
    offered = page.locator("#suggestion-list")
    expect(offered).to_contain_text(f"Stance: Favor toward “{BREXIT}” (model")
    expect(offered.locator("li")).to_have_count(2)  # one per target
    if os.environ.get("CLAIMS_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['CLAIMS_SCREENSHOTS']}/stance-offered.png")

    sentence = current_id(page)
    press(page, "y", "y")  # the targets in the page's order: the mediation, then Brexit
    expect(offered.locator("li")).to_have_count(0)
    expect(page.locator("#status")).to_contain_text("Stance suggestion accepted")
    brexit = page.locator(f".stance[data-target='{BREXIT}'] [data-stance='favor']")
    expect(brexit).to_have_attribute("aria-pressed", "true")
    if os.environ.get("CLAIMS_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['CLAIMS_SCREENSHOTS']}/stance-accepted.png")
    press(page, "1")
    submit(page)
    labels = {s.target.name: s.label for s in stored(sentence).stances.select_related("target")}
    assert labels[BREXIT] == "favor"
    assert set(labels) == {BREXIT, TARGET}
