"""Keys for whole real articles: `bench/keystrokes.py --data FILE` (PolNeAR-shaped gold).

A keyboard-only annotator labels whole articles of FILE in Chromium, with the project's
suggestion model trained on PolNeAR train (`../shared/data/polnear-train.jsonl`) active: for
each sentence, the claim label ("2" when it has an attribution, else "1"), every gold
attribution with its speaker, and `Enter`. Two annotators label the same sentences:

- "keys" accepts the suggestions in the page's order (`y`) while they are right (a suggestion
  whose spans are a gold attribution's, or whose differing spans it marks again), makes the
  other attributions by hand, and fixes a speaker only where the one proposed is wrong (`k`,
  then `↓` to the right row or its name typed, `Enter`);
- "words" (the baseline) makes every attribution by hand, each span selected word by word
  (`w`, arrows, `Shift`+arrows, `Home`, `End`: the fewest such keys), and picks the speaker the
  same way.

Hand-made spans are selected word by word in both runs (the page's phrase and punctuation keys
would often take fewer: the "keys" figure is an upper bound). Gold speakers are derived as
bench/speakers.py derives them (the name in a named source; for "he"/"she" and nominals the
referent it derives, else the speaker the page proposes is taken as right). Both runs must
store the gold spans and speakers: sentences stored otherwise are counted and reported.

The database (SQLite) is kept at `--db` (default outside the repository) so that the model,
trained once (about 14 CPU minutes), is reused by later runs; `--fresh` starts again. Nothing
trained on the research data is ever written inside the repository.
"""

import json
import os
import re
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from keystrokes import PASSWORD, word_moves, words_of
from labeling import CHROMIUM, serve
from results import Figures

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "data" / "polnear-train.jsonl"
SLUG = "keys-data"  # PolNeAR train as gold, the trained model active; "keys" labels here
WORDS = "keys-words"  # the same articles without a model: "words" labels here
ROLES = ("source", "cue", "content")
MARKS = {"source": "r", "cue": "v", "content": "t"}
PACE_MS = 30  # between keys: a person's pace (the picker's candidates load meanwhile)


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()


def prepare(args, figures: Figures) -> list[dict]:
    """Make (or reuse) the project with PolNeAR train as gold and an active trained model,
    import the first `--articles` articles of `--data` (text only) into it and into a project
    without a model; return their rows."""
    db, data = Path(args.db), Path(args.data)
    if args.fresh and db.exists():
        db.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    database = f"sqlite:///{db}"
    setup_django(database)
    from django.core.management import CommandError, call_command

    from claims.learning.models import SuggestionModel
    from claims.models import Role
    from claims.services.projects import membership_set, project_get_or_create, user_get_or_create

    call_command("migrate", verbosity=0)
    project, created = project_get_or_create(slug=SLUG, name="Keys on real articles")
    project.annotations_per_sentence = 2
    project.save()
    if not SuggestionModel.objects.filter(project=project, active=True).exists():
        started = time.perf_counter()
        train = TRAIN
        if args.train_sample:  # a smoke test: a small model
            train = db.parent / "train-sample.jsonl"
            with TRAIN.open(encoding="utf-8") as lines:
                train.write_text("".join(next(lines) for _ in range(args.train_sample)))
        try:
            call_command("import_articles", str(train), project=SLUG, as_="gold", verbosity=0)
        except CommandError as error:  # the labels it could not map are said above
            figures.say(f"PolNeAR train import: {error}")
        figures.say(f"PolNeAR train imported as gold in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "train_suggester", "--project", SLUG, "--activate",
             "--epochs", str(args.epochs)],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": database}, check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        figures.say(f"train_suggester: {(time.perf_counter() - started) / 60:.1f} min wall")
    else:
        figures.say(f"the trained model in {db} reused")
    rows = [json.loads(line) for line in data.open(encoding="utf-8")][: args.articles]
    words, _ = project_get_or_create(slug=WORDS, name="Keys, word by word")
    chosen = db.parent / f"chosen-{os.getpid()}.jsonl"
    try:
        chosen.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "text")}) + "\n"
                                  for r in rows))  # fmt: skip
        for slug in (SLUG, WORDS):
            call_command("import_articles", str(chosen), project=slug, verbosity=0)
    finally:
        chosen.unlink(missing_ok=True)
    # Each run starts from the articles unlabelled: no annotation, speaker or learnt alias
    # of an earlier run (the model and PolNeAR train's gold stay).
    from claims.models import Annotation, Speaker

    Annotation.objects.filter(annotator__username__in=("keys", "words")).delete()
    Speaker.objects.filter(project__slug__in=(SLUG, WORDS)).delete()
    for name, where in (("keys", project), ("words", words)):
        user, _ = user_get_or_create(username=name, password=PASSWORD)
        membership_set(project=where, user=user, role=Role.ANNOTATOR)
    return rows


def targets(rows: list[dict], slug: str) -> dict[int, list[dict]]:
    """Return each sentence's gold attributions (sentence offsets, speaker name or None),
    by sentence id, for the chosen articles in the project."""
    import speakers as derivation

    from claims.learning.label_mapping import ArticleAttribution, SentenceSpan, map_labels
    from claims.models import Article

    figures = Figures()
    bench = derivation.Bench(rows, figures, 0)
    found: dict[int, list[dict]] = {}
    for row in rows:
        article = Article.objects.get(project__slug=slug, external_id=row["id"])
        sentences = list(article.sentences.order_by("index"))
        gold = [
            ArticleAttribution({r: tuple(map(tuple, a.get(r) or ())) for r in ROLES},
                               speaker=(str(n), ""))
            for n, a in enumerate(row["attributions"])
        ]  # fmt: skip
        mapped = map_labels([SentenceSpan(s.pk, s.start, s.end) for s in sentences], gold)
        speakers = bench.article_speakers(row["text"], row["attributions"])
        for sentence in sentences:
            found[sentence.pk] = [
                {**{r: getattr(a, r) for r in ROLES},
                 "speaker": (speakers.get(int(a.speaker[0])) or {}).get("name") or None}
                for a in mapped.attributions.get(sentence.pk, ())
            ]  # fmt: skip
    return found


def fold(name: str | None) -> str:
    return " ".join((name or "").casefold().replace(".", "").split()).removeprefix("the ")


class Annotator:
    """One keyboard-only annotator in the page; counts the keys per sentence."""

    def __init__(self, page, base: str, use_suggestions: bool):
        self.page, self.base, self.use_suggestions = page, base, use_suggestions
        self.keys: dict[int, int] = {}
        self.new_speaker_keys: list[int] = []  # keys spent on a speaker new to the project
        self.known: set[str] = set()  # speaker names the project has (folded)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(PACE_MS)
            self.count += 1

    def api(self, path: str) -> dict:
        response = self.page.request.get(f"{self.base}{path}")
        return response.json() if response.ok else {}

    def label(self, sentence_id: int, text: str, gold: list[dict]) -> None:
        self.count = 0
        # The page's keyboard selection: (anchor, caret) in words, or None; a new sentence
        # starts with the caret on its first word.
        self.selection, self.caret = None, 0
        self.words = words_of(text)
        done: list[dict] = []  # gold attributions made so far, in the page's order
        if self.use_suggestions:
            suggested = self.api(f"/api/v1/sentences/{sentence_id}/suggestions/")
            for suggestion in self.open_suggestions(suggested, done):
                target = fitting(suggestion, gold, done)
                if target is None:
                    break  # the next one is wrong: the rest by hand
                self.press("y")
                self.fix_spans(text, suggestion, target)
                done.append(target)
                self.fix_speaker(self.speaker_shown(len(done) - 1), target, len(done) - 1)
        for target in [g for g in gold if g not in done]:
            self.by_hand(text, target, first=not done)
            done.append(target)
            self.fix_speaker(None, target, len(done) - 1)
        self.press("2" if gold else "1")
        self.keys[sentence_id] = self.count + 1  # Enter, pressed by next_sentence
        for target in gold:
            if target["speaker"]:
                self.known.add(fold(target["speaker"]))

    def speaker_shown(self, index: int) -> dict | None:
        """Return the speaker the page shows for attribution `index` ("Name (kind)")."""
        value = self.page.locator(f"#speaker-{index}").input_value()
        found = re.match(r"(.+) \(([a-z]+)\)$", value)
        return found and {"name": found.group(1), "kind": found.group(2)}

    @staticmethod
    def open_suggestions(suggested: dict, done: list) -> list[dict]:
        return list(suggested.get("attributions", []))

    def fix_spans(self, text: str, suggestion: dict, target: dict) -> None:
        """Mark again the spans of an accepted suggestion that differ from the target."""
        for role in ROLES:
            want, got = target[role], suggestion.get(role)
            if want and (not got or (got["start"], got["end"]) != tuple(want)):
                self.mark(role, want)

    def mark(self, role: str, span: tuple[int, int]) -> None:
        """Select the span word by word from where the page's selection is, and mark it."""
        inside = [i for i, w in enumerate(self.words) if w[0] < span[1] and span[0] < w[1]]
        start = self.selection or (self.caret, self.caret)
        keys, (anchor, caret) = shortest(start, (inside[0], inside[-1]), len(self.words) - 1)
        self.press("w", *keys, MARKS[role])
        self.caret = caret
        # After a source or cue the word after it is selected; after a content nothing is.
        following = next((i for i, w in enumerate(self.words) if w[0] >= span[1]), None)
        self.selection = None if role == "content" or following is None else (following,) * 2
        if self.selection:
            self.caret = following

    def by_hand(self, text: str, target: dict, first: bool) -> None:
        if not first:
            self.press("b")
        for role in ROLES:
            if target[role]:
                self.mark(role, target[role])

    def fix_speaker(self, proposed: dict | None, target: dict, index: int) -> None:
        """Give the attribution the target's speaker: nothing when the proposal is it, else
        the picker (`k`, then ↓ to its row or its name typed, `Enter`)."""
        want = target["speaker"]
        new = bool(want) and fold(want) not in self.known
        before = self.count
        if want is None or (proposed and fold(proposed["name"]) == fold(want)):
            if new:
                self.new_speaker_keys.append(0)
            return
        self.press("k")
        self.page.wait_for_selector(f"#speaker-{index}-list li", timeout=5000)
        self.page.wait_for_timeout(300)
        labels = self.page.locator(f"#speaker-{index}-list li").all_text_contents()
        active = next((i for i, li in enumerate(
            self.page.locator(f"#speaker-{index}-list li").all()
        ) if li.get_attribute("aria-selected") == "true"), -1)  # fmt: skip
        row = next((i for i, label in enumerate(labels) if names(label) == fold(want)), None)
        if row is not None:
            steps = row - active if active >= 0 else row + 1
            self.press(*(["ArrowDown"] * steps if steps >= 0 else ["ArrowUp"] * -steps), "Enter")
        else:
            for char in want:
                self.page.keyboard.type(char)
                self.count += 1
            self.page.wait_for_timeout(400)
            labels = self.page.locator(f"#speaker-{index}-list li").all_text_contents()
            row = next((i for i, label in enumerate(labels) if names(label) == fold(want)), 0)
            selected = [li.get_attribute("aria-selected") for li in
                        self.page.locator(f"#speaker-{index}-list li").all()]  # fmt: skip
            active = selected.index("true") if "true" in selected else -1
            steps = row - active if active >= 0 else row + 1
            self.press(*(["ArrowDown"] * max(0, steps)), "Enter")
        if new:
            self.new_speaker_keys.append(self.count - before)


def shortest(start: tuple[int, int], goal: tuple[int, int], last: int):
    """Return the fewest word-selection keys from a selection to the goal's words, and the
    selection (anchor, caret) they leave (breadth first over the page's word keys)."""
    seen = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if (min(state), max(state)) == goal:
            return seen[state], state
        for key, after in word_moves(*state, last):
            if after not in seen:
                seen[after] = [*seen[state], key]
                queue.append(after)
    raise AssertionError(f"cannot select {goal}")


def names(label: str) -> str:
    """Return the speaker name a picker row offers (folded)."""
    created = re.match(r"Create “(.+)” \(", label)
    if created:
        return fold(created.group(1))
    return fold(re.sub(r" \([a-z]+\)( · .*)?$", "", label))


def fitting(suggestion: dict, gold: list[dict], done: list[dict]) -> dict | None:
    """Return the gold attribution the suggestion is (same spans), or one it becomes by
    marking its differing spans again (it marks no role the gold leaves empty); else None."""
    open_gold = [g for g in gold if g not in done]
    spans = {r: suggestion[r] and (suggestion[r]["start"], suggestion[r]["end"]) for r in ROLES}
    for target in open_gold:
        if all(spans[r] == (tuple(target[r]) if target[r] else None) for r in ROLES):
            return target
    for target in open_gold:
        extra = any(spans[r] and not target[r] for r in ROLES)
        shared = any(spans[r] and target[r] and spans[r] == tuple(target[r]) for r in ROLES)
        if shared and not extra:
            return target
    return None


def stored_differently(username: str, gold: dict[int, list[dict]], ids: list[int]) -> list[str]:
    """Return the sentences whose stored spans or speakers differ from the targets."""
    from claims.models import Annotation

    problems = []
    for sentence_id in ids:
        annotation = (
            Annotation.objects.filter(sentence_id=sentence_id, annotator__username=username)
            .prefetch_related("attributions__speaker")
            .first()
        )
        stored = sorted(
            (a.span("source"), a.span("cue"), a.span("content"),
             fold(a.speaker and a.speaker.name))
            for a in (annotation.attributions.all() if annotation else ())
        )  # fmt: skip
        want = sorted(
            (g["source"] and tuple(g["source"]), g["cue"] and tuple(g["cue"]),
             g["content"] and tuple(g["content"]), fold(g["speaker"]))
            for g in gold[sentence_id]
        )  # fmt: skip
        # A source whose speaker the bench could not derive takes any speaker.
        same = len(stored) == len(want) and all(
            s[:3] == w[:3] and (not w[3] or s[3] == w[3]) for s, w in zip(stored, want, strict=True)
        )
        if not same:
            problems.append(f"{username}: sentence {sentence_id}")
    return problems


def run(args, figures: Figures) -> None:
    """The whole data run: prepare, label in Chromium twice, report."""
    from playwright.sync_api import sync_playwright

    rows = prepare(args, figures)
    from claims.models import Article

    gold, first = {}, {}
    for slug in (SLUG, WORDS):
        gold[slug] = targets(rows, slug)
        chosen = Article.objects.filter(project__slug=slug, external_id__in=[r["id"] for r in rows])
        first[slug] = chosen.order_by("id").values_list("id", flat=True).first()
    log = Path(args.db).with_suffix(".server.log")
    server = serve(f"sqlite:///{args.db}", args.port, log)
    base = f"http://127.0.0.1:{args.port}"
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            for username, slug in (("keys", SLUG), ("words", WORDS)):
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                results[username] = label_articles(
                    page, base, username, slug, first[slug], gold[slug]
                )
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    report(results, gold, figures)


def label_articles(page, base, username, slug, first, gold) -> Annotator:
    """Label the chosen articles from the first on, in the queue's order (article by
    article), until the queue leaves them."""
    from keystrokes import next_sentence

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    annotator = Annotator(page, base, use_suggestions=slug == SLUG)
    page.goto(f"{base}/projects/{slug}/label/?article={first}")
    page.wait_for_selector("main[data-state='ready']")
    while page.locator("main").get_attribute("data-state") == "ready":
        sentence = int(page.locator("#sentence").get_attribute("data-sentence-id"))
        if sentence not in gold or sentence in annotator.keys:
            break  # past the chosen articles
        text = page.locator("#sentence").text_content()
        page.wait_for_timeout(150)  # the page asks again for a fetched-ahead item's speakers
        annotator.label(sentence, text, gold[sentence])
        next_sentence(page)
    page.wait_for_selector("main[data-saves='0']", state="attached")
    return annotator


def report(results: dict, gold: dict, figures: Figures) -> None:
    from claims.models import Sentence

    def place(ids) -> dict:
        rows = Sentence.objects.filter(pk__in=ids).values_list(
            "pk", "article__external_id", "index"
        )
        return {(article, index): pk for pk, article, index in rows}

    keys, words = results["keys"], results["words"]
    in_keys, in_words = place(keys.keys), place(words.keys)
    both = sorted(set(in_keys) & set(in_words))
    counted_keys = {in_keys[p]: keys.keys[in_keys[p]] for p in both}
    counted_words = {in_words[p]: words.keys[in_words[p]] for p in both}
    ids = list(counted_keys)
    gold_keys = gold[SLUG]
    with_attribution = [i for i in ids if gold_keys[i]]
    total_keys, total_words = sum(counted_keys.values()), sum(counted_words.values())
    articles = len({p[0] for p in both})
    figures.say(f"{len(ids)} sentences of {articles} whole articles, {len(with_attribution)} with "
                f"an attribution ({sum(len(gold_keys[i]) for i in ids)} attributions)")  # fmt: skip
    figures.say(f"  page keys, model and suggestions: {total_keys} keys, "
                f"{total_keys / len(ids):.2f} a sentence (target <= 5)")  # fmt: skip
    figures.say(
        f"  word by word, no suggestions:     {total_words} keys, "
        f"{total_words / len(ids):.2f} a sentence (ratio {total_keys / total_words:.2f})"
    )
    if with_attribution:
        per = sum(counted_keys[i] for i in with_attribution) / len(with_attribution)
        figures.say(f"  sentences with an attribution: {per:.2f} keys a sentence")
    new = keys.new_speaker_keys
    if new:
        figures.say(f"  a new speaker: {sum(new) / len(new):.2f} keys beyond accepting the "
                    f"attribution on average ({len(new)} new speakers; at most 2 for "
                    f"{sum(k <= 2 for k in new)} of them; target <= 2)")  # fmt: skip
    problems = stored_differently("keys", gold[SLUG], ids) + stored_differently(
        "words", gold[WORDS], list(counted_words)
    )
    figures.say(f"  sentences stored otherwise than the targets: {len(problems)}")
