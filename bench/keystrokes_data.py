"""Keys for whole real articles: `bench/keystrokes.py --data FILE` (PolNeAR-shaped gold).

A keyboard-only annotator labels whole articles of FILE in Chromium, with the project's
suggestion model trained on PolNeAR train (`../shared/data/polnear-train.jsonl`) active: for
each sentence, every gold attribution with its speaker, the claim label ("2" when it has an
attribution, else "1") and the submit. Two annotators label the same sentences:

- "keys" accepts the suggestions in the page's order (`y`) while one is right or close (a
  suggestion whose spans are a gold attribution's, or share one with it, or each overlap it:
  it marks the differing spans again), passing over the wrong ones before it (`Shift+Y`,
  one key each), makes the other attributions by hand, and fixes a speaker only where the
  one proposed is wrong (`k`, then `↓` to the right row or its name typed, `Enter`); it
  prints why each pick is needed (the speaker shown wrong, or none shown and the server's
  best candidate right or wrong, above or below the proposal's threshold; made by hand).
  Every span it marks takes the fewest keys over all the page's selection keys (words,
  phrases, punctuation pieces, `Home`/`End`, each extended with `Shift`; quotations;
  `Shift+W`, the active attribution's own spans to move their ends; `T` for the rest of the
  sentence), in the best order of the roles, from where the page's selection is:
  the page's rules read in bench/page_selection.py, and the selection the page shows checked
  against the plan before every mark. It chooses the claim and submits in one key
  (`Shift+2`, `Shift+1`); the report gives its count with the claim key and `Enter` apart too;
- "words" (the baseline: the page before) presses the claim key, then `Enter`, and makes every
  attribution by hand, each span selected word by word
  (`w`, arrows, `Shift`+arrows, `Home`, `End`: the fewest such keys), and picks the speaker the
  same way.

Gold speakers are derived as bench/speakers.py derives them (the name in a named source; for
"he"/"she" and nominals the referent it derives, else the speaker the page proposes is taken
as right). Both runs must
store the gold spans and speakers: sentences stored otherwise are counted and reported.

The database (SQLite) is kept at `--db` (default outside the repository) so that the model,
trained once (about 14 CPU minutes), is reused by later runs; `--fresh` starts again. Nothing
trained on the research data is ever written inside the repository.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from keyboard_annotator import ROLES, Annotator, fold
from keystrokes import PASSWORD
from labeling import CHROMIUM, serve
from results import Figures

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT.parent / "shared" / "data" / "polnear-train.jsonl"
SLUG = "keys-data"  # PolNeAR train as gold, the trained model active; "keys" labels here
WORDS = "keys-words"  # the same articles without a model: "words" labels here


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
        figures.say(f"the trained model in {Path(db).name} reused")
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
    from speaker_ids import SpeakerIds

    from claims.learning.label_mapping import ArticleAttribution, SentenceSpan, map_labels
    from claims.models import Article

    ids = SpeakerIds()
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
        speakers = ids.article_speakers(row["text"], row["attributions"])
        for sentence in sentences:
            found[sentence.pk] = [
                {**{r: getattr(a, r) for r in ROLES},
                 "speaker": (speakers.get(int(a.speaker[0])) or {}).get("name") or None}
                for a in mapped.attributions.get(sentence.pk, ())
            ]  # fmt: skip
    return found


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
        # Ordered by their spans, any of which may be None (an attribution without a source).
        stored = sorted(
            ((a.span("source"), a.span("cue"), a.span("content"),
              fold(a.speaker and a.speaker.name))
             for a in (annotation.attributions.all() if annotation else ())),
            key=lambda a: repr(a[:3]),
        )  # fmt: skip
        want = sorted(
            ((g["source"] and tuple(g["source"]), g["cue"] and tuple(g["cue"]),
              g["content"] and tuple(g["content"]), fold(g["speaker"]))
             for g in gold[sentence_id]),
            key=lambda a: repr(a[:3]),
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
        next_sentence(page, annotator.submit_key)
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
    figures.say(f"    (the claim and the submit in one key, Shift+digit; with the claim key and "
                f"Enter apart: {(total_keys + len(ids)) / len(ids):.2f} a sentence)")  # fmt: skip
    figures.say(
        f"  word by word, no suggestions:     {total_words} keys, "
        f"{total_words / len(ids):.2f} a sentence (ratio {total_keys / total_words:.2f})"
    )
    if with_attribution:
        per = sum(counted_keys[i] for i in with_attribution) / len(with_attribution)
        figures.say(f"  sentences with an attribution: {per:.2f} keys a sentence")
    for run in (keys, words):
        tally = run.tally
        figures.say(
            f"  {'page keys' if run is keys else 'word by word'}: {tally['accepted']} attributions "
            f"accepted ({tally['accepted keys']} keys with the spans marked again), "
            f"{tally['by hand']} made by hand ({tally['by hand keys']} keys), "
            f"{tally['speaker fixed']} speakers picked ({tally['speaker keys']} keys)"
        )
    if keys.tally["passed over"]:
        figures.say(f"  page keys: {keys.tally['passed over']} wrong suggestions passed over "
                    f"(Shift+Y, one key each) to accept a later one")  # fmt: skip
    figures.say("  page keys: why a speaker is picked (picks, keys):")
    for why, picks in keys.speaker_picks.most_common():
        figures.say(f"    {why}: {picks} ({keys.speaker_pick_keys[why]} keys)")
    if keys.tally["not offered"]:
        figures.say(f"  suggestions the API gives but the page (which fetched the sentence "
                    f"ahead) does not offer: {keys.tally['not offered']} sentences (made by "
                    f"hand)")  # fmt: skip
    new = keys.new_speaker_keys
    if new:
        figures.say(f"  a new speaker: {sum(new) / len(new):.2f} keys beyond accepting the "
                    f"attribution on average ({len(new)} new speakers; at most 2 for "
                    f"{sum(k <= 2 for k in new)} of them; target <= 2)")  # fmt: skip
    problems = stored_differently("keys", gold[SLUG], ids) + stored_differently(
        "words", gold[WORDS], list(counted_words)
    )
    figures.say(f"  sentences stored otherwise than the targets: {len(problems)}")
