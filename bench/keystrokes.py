"""Count the keys a complete labeling takes on seed sentences, with the page's keys against
word-by-word selection (the baseline, measured in the same run on the same sentences).

Usage: .venv/bin/python bench/keystrokes.py [--port 8102]
       .venv/bin/python bench/keystrokes.py --data ../shared/data/polnear-dev.jsonl
           [--articles 4] [--db PATH] [--fresh]   (whole real articles: bench/keystrokes_data.py)

Serves a fresh SQLite database (the seed articles, the known speaker Sergey Lavrov, two
annotators, two annotations per sentence) with `manage.py runserver` and drives the labeling
page in Chromium (/usr/bin/chromium, 1280x720) with the keyboard only. Annotator "keys" labels
the scripted sentences with the documented keys (phrase, punctuation and quotation selection,
T for the rest of the sentence, suggestions); annotator "words" labels the same sentences the
same way except that every span is selected word by word (w, arrows, Shift+arrows, Home, End:
the selection the page had before), planned by a shortest-path search over those keys. Both
runs must store the target labels: the bench checks every span, speaker, quote type, claim and
stance, so a count is never that of a wrong labeling. Sentences not in the script get "1 Enter"
(not counted). Speaker keys, claim, stance and Enter are counted in both.

Then it times, in the page, a key on the longest sentence the segmentation allows beside the
same key on a short sentence (a ratio, same run).
"""

import argparse
import os
import re
import signal
import statistics
import sys
import tempfile
from collections import deque
from pathlib import Path

from results import Figures, append_results

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from labeling import CHROMIUM, serve  # noqa: E402

PASSWORD = "bench-keystrokes-password"
TARGET = "International mediation between the Maduro government and the opposition"
LAVROV = "Sergey Lavrov"
ROLES = ("source", "cue", "content")
CLAIM = ("2", "claim")  # every scripted sentence is a claim: its key, and what is stored
# The longest sentence segmentation keeps whole (longer text is cut into pieces this long).
LONGEST = 1000

# Each scripted sentence: how it starts, the target labels, and the keys the page's user
# presses (after the sentence shows). "hand": spans made by hand, as when suggestions miss.
SCRIPT = [
    {
        "starts": "Russia is ready to facilitate",
        "how": "hand",
        "source": "Russian Foreign Minister Sergey Lavrov",
        "cue": "said",
        "content": "Russia is ready to facilitate the launch of dialogue between the Venezuelan "
        "authorities and the opposition, and is discussing this possibility with China, "
        "European and Latin American countries",
        "quote": "indirect",
        "stance": ("f", "favor"),
        "keys": ["w", ".", ".", ".", "r", "v", "T", "k", "Enter"],
    },
    {
        "starts": "The Caribbean Community",
        "how": "hand",
        "source": "he",
        "cue": "said",
        "content": "The Caribbean Community (CARICOM) has also put forward some initiatives, "
        "there is also some ideas that Uruguay and Mexico have come up with",
        "quote": "direct",
        "stance": ("n", "neutral"),
        "keys": ["w", "End", "ArrowLeft", "ArrowLeft", "r", "v", "T", "k", "Enter"],
    },
    {
        "starts": "We are also ready to participate",
        "how": "suggestion",
        "source": "Lavrov",
        "cue": "noted",
        "content": "We are also ready to participate in international efforts on platforms that "
        "would be acceptable for the Venezuelan parties",
        "quote": "direct",
        "stance": ("f", "favor"),
        "keys": ["y"],
    },
    {
        "starts": "The Russian top diplomat stressed",
        "how": "hand",
        "source": "The Russian top diplomat",
        "cue": "stressed",
        "content": "all mediation initiatives must be impartial and involve a wide spectrum of "
        "international players, capable of influencing the government and the opposition",
        "quote": "direct",
        "stance": ("f", "favor"),
        "keys": ["w", *["Shift+ArrowRight"] * 3, "r", "v", "T", "k", "Enter"],
    },
    {
        "starts": '"There is a need to clarify',
        "how": "suggestion",
        "source": "he",
        "cue": "went on to say",
        "content": "There is a need to clarify the goal of such a mediation platform",
        "quote": "direct",
        "stance": ("f", "favor"),
        "keys": ["y", "k", "Enter"],
    },
    {
        "starts": "If mediation efforts",
        "how": "suggestion",
        "source": "Lavrov",
        "cue": "noted",
        "content": "If mediation efforts are aimed at predetermining the outcome of talks, such "
        "platforms will hardly be useful",
        "quote": "direct",
        "stance": ("f", "favor"),
        "keys": ["y"],
    },
    {
        "starts": '"Some EU countries',
        "how": "suggestion",
        "source": "he",
        "cue": "noted",
        "content": "Some EU countries, including very influential ones, have presented an "
        "ultimatum to the Venezuelan government",
        "quote": "direct",
        "stance": ("a", "against"),
        "keys": ["y", "k", "Enter"],
    },
    {
        "starts": "In addition, the Russian foreign minister",
        "how": "hand",
        "source": "the Russian foreign minister",
        "cue": "said",
        "content": 'Moscow welcomed "Venezuelan President Nicolas Maduro’s readiness to accept '
        "international efforts",
        "quote": "mixed",
        "stance": ("f", "favor"),
        "keys": ["w", ".", *["Shift+ArrowRight"] * 3, "r", "v", "T", "k", "Enter"],
    },
]


def words_of(text: str) -> list[tuple[int, int]]:
    """The page's words (letters and digits with inner ' and -, or one other mark)."""
    return [m.span() for m in re.finditer(r"[^\W_](?:[^\W_]|['’-](?=[^\W_]))*|[^\s]", text)]


def word_range(text: str, words: list[tuple[int, int]], part: str) -> tuple[int, int]:
    start = re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text).start()
    end = start + len(part)
    first = next(i for i, w in enumerate(words) if w[0] >= start)
    last = max(i for i, w in enumerate(words) if w[1] <= end)
    return first, last


def word_moves(anchor: int, caret: int, last: int):
    """The keys that select word by word, and where each leaves (anchor, caret)."""
    low, high = min(anchor, caret), max(anchor, caret)
    yield "ArrowRight", (min(last, high + 1),) * 2
    yield "ArrowLeft", (max(0, low - 1),) * 2
    yield "Shift+ArrowRight", (anchor, min(last, caret + 1))
    yield "Shift+ArrowLeft", (anchor, max(0, caret - 1))
    yield "Home", (0, 0)
    yield "End", (last, last)
    yield "Shift+Home", (anchor, 0)
    yield "Shift+End", (anchor, last)


def word_path(start: tuple[int, int], goal: tuple[int, int], last: int) -> list[str]:
    """Return the fewest word-selection keys from one selection to another (breadth first)."""
    seen = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if (min(state), max(state)) == goal:
            return seen[state]
        for key, after in word_moves(*state, last):
            if after not in seen:
                seen[after] = [*seen[state], key]
                queue.append(after)
    raise AssertionError(f"cannot select {goal}")


def baseline_keys(text: str, entry: dict) -> list[str]:
    """The same labeling with spans selected word by word (as the page's mark keys leave it)."""
    if entry["how"] == "suggestion":
        return list(entry["keys"])
    words = words_of(text)
    last = len(words) - 1
    keys, state = ["w"], (0, 0)
    for role, mark in (("source", "r"), ("cue", "v"), ("content", "t")):
        goal = word_range(text, words, entry[role])
        keys += [*word_path(state, goal, last), mark]
        # After a source or cue the next word is selected; after content nothing is.
        state = (goal[1] + 1,) * 2 if mark != "t" else goal
    return [*keys, "k", "Enter"]


def prepare(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from claims.importing.readers import read_paths
    from claims.importing.records import ArticleRecord
    from claims.importing.store import articles_import
    from claims.models import Role, StanceTarget
    from claims.services.projects import membership_set, project_get_or_create, user_get_or_create
    from claims.services.speakers import speaker_create

    call_command("migrate", verbosity=0)
    project, _ = project_get_or_create(slug="bench", name="Keystrokes")
    project.annotations_per_sentence = 2
    project.save()
    StanceTarget.objects.get_or_create(project=project, name=TARGET)
    articles_import(project=project, items=read_paths([ROOT / "seeds"]))
    speaker_create(project_id=project.id, name=LAVROV, kind="person", aliases=["Lavrov"])
    words = " ".join(["mediation talks resumed in the capital"] * 200)
    long_text = f"A long report\n{words[:LONGEST].rsplit(' ', 1)[0]}\n"
    articles_import(project=project, items=[ArticleRecord(origin="bench", text=long_text)])
    for name in ("keys", "words"):
        user, _ = user_get_or_create(username=name, password=PASSWORD)
        membership_set(project=project, user=user, role=Role.ANNOTATOR)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{base}/projects/bench/label/")
    page.wait_for_selector("main[data-state='ready']")


def next_sentence(page, key: str = "Enter") -> None:
    """Press the key that submits (Enter, or Shift and a claim's digit) and wait until another
    sentence (or "All done") is ready."""
    before = page.locator("#sentence").get_attribute("data-sentence-id")
    page.keyboard.press(key)
    page.wait_for_function(
        "id => document.querySelector('#sentence').dataset.sentenceId !== id"
        " || document.querySelector('main').dataset.state === 'done'",
        arg=before,
    )
    page.wait_for_selector("main[data-state='ready'], main[data-state='done']")


def label_script(page, plan) -> dict[int, int]:
    """Label the first article; return keys pressed per scripted sentence id."""
    counts: dict[int, int] = {}
    while page.locator("main").get_attribute("data-state") == "ready":
        text = page.locator("#sentence").text_content()
        sentence = int(page.locator("#sentence").get_attribute("data-sentence-id"))
        entry = next((e for e in SCRIPT if text.startswith(e["starts"])), None)
        if entry is None:
            if text.startswith("A long report") or "mediation talks resumed" in text:
                return counts
            page.keyboard.press("1")
            next_sentence(page)
            continue
        keys = [*plan(text, entry), CLAIM[0], entry["stance"][0], "Enter"]
        for key in keys[:-1]:
            page.keyboard.press(key)
            page.wait_for_timeout(30)  # a person's pace: the speaker list is searched meanwhile
        next_sentence(page)
        counts[sentence] = len(keys)
    return counts


def check_stored(username: str, counts: dict[int, int]) -> list[str]:
    """Return what differs between the stored annotations and the script's targets."""
    from claims.models import Annotation

    problems = []
    for sentence_id in counts:
        annotation = (
            Annotation.objects.prefetch_related("attributions__speaker", "stances")
            .select_related("sentence")
            .get(sentence_id=sentence_id, annotator__username=username)
        )
        text = annotation.sentence.text
        entry = next(e for e in SCRIPT if text.startswith(e["starts"]))
        got = [
            (
                *(text[slice(*a.span(role))] if a.span(role) else None for role in ROLES),
                a.quote_type,
                a.speaker and a.speaker.name,
            )
            for a in annotation.attributions.all()
        ]
        want = [(entry["source"], entry["cue"], entry["content"], entry["quote"], LAVROV)]
        stance = [s.label for s in annotation.stances.all()]
        if got != want or annotation.claim != CLAIM[1] or stance != [entry["stance"][1]]:
            problems.append(f"{username}, {entry['starts']!r}: stored {got}, {stance}")
    return problems


KEY_TIMING = """async (key) => {
  const main = document.querySelector('main');
  const times = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    times.push(performance.now() - t);
  }
  return times;
}"""


def key_times(page) -> dict[str, float]:
    """Median time from a key to the next frame: a claim key, and a word move in the sentence."""
    found = {"claim key (2)": statistics.median(page.evaluate(KEY_TIMING, "2"))}
    page.keyboard.press("w")
    found["next word (→)"] = statistics.median(page.evaluate(KEY_TIMING, "ArrowRight"))
    page.keyboard.press("Escape")
    return found


def run(base: str) -> Figures:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        results = {}
        for username, plan in (("keys", lambda _, e: e["keys"]), ("words", baseline_keys)):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            log_in(page, base, username)
            results[username] = label_script(page, plan)
            page.wait_for_selector("main[data-saves='0']", state="attached")
            if username == "keys":
                timing_page = page
            else:
                page.close()
        long_times = timings(timing_page)
        browser.close()
    # The database is read once Playwright's event loop is gone (Django refuses it inside).
    problems = check_stored("keys", results["keys"]) + check_stored("words", results["words"])
    figures = Figures()
    report(results, problems, long_times, figures)
    return figures


def timings(page) -> dict[str, dict[str, float]]:
    """Key times on a short sentence (the long article's heading), then on the longest one."""
    short = key_times(page)
    page.keyboard.press("1")
    next_sentence(page)
    assert len(page.locator("#sentence").text_content()) > LONGEST - 10
    return {"short": short, "long": key_times(page)}


def report(results, problems, times, figures: Figures) -> None:
    from claims.models import Sentence

    figures.say(
        f"{'sentence':<44} {'words':>5} {'how':<10} {'keys':>5} {'word-by-word':>12}  ratio"
    )
    by_how: dict[str, list[int]] = {"hand": [], "suggestion": []}
    for sentence_id, count in results["keys"].items():
        text = Sentence.objects.get(pk=sentence_id).text
        entry = next(e for e in SCRIPT if text.startswith(e["starts"]))
        by_how[entry["how"]].append(count)
        baseline = results["words"][sentence_id]
        figures.say(
            f"{text[:42] + '…':<44} {len(text.split()):>5} {entry['how']:<10} {count:>5} "
            f"{baseline:>12}  {count / baseline:.2f}"
        )
    keys, words = sum(results["keys"].values()), sum(results["words"].values())
    figures.say(f"{'all scripted sentences':<61} {keys:>5} {words:>12}  {keys / words:.2f}")
    lavrov = results["keys"][next(iter(results["keys"]))]
    figures.say(f"target: the Lavrov sentence by hand in at most 15 keys: {lavrov}")
    figures.say(
        f"target: a correct suggestion in at most 6 keys: at most {max(by_how['suggestion'])}"
    )
    for size in ("short", "long"):
        line = ", ".join(f"{k} {v:.1f} ms" for k, v in times[size].items())
        figures.say(f"key to next frame, {size} sentence: {line}")
    for key in times["short"]:
        figures.say(
            f"ratio long / short sentence, {key}: {times['long'][key] / times['short'][key]:.2f}x"
        )
    if problems:
        raise SystemExit("stored labels differ from the script:\n" + "\n".join(problems))
    figures.say("both runs stored the target labels")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--data", help="PolNeAR-shaped gold: label whole articles of it instead")
    parser.add_argument("--articles", type=int, default=4, help="with --data: how many")
    parser.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "claims-keys-data" / "bench.sqlite3"),
        help="with --data: the database kept between runs (the trained model is reused)",
    )  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="with --data: train again")
    parser.add_argument("--epochs", type=int, default=4, help="with --data: training epochs")
    parser.add_argument("--train-sample", type=int, help="with --data: a small model (smoke test)")
    args = parser.parse_args()
    if args.data:
        from keystrokes_data import run as run_data

        figures = Figures()
        run_data(args, figures)
        if not args.no_results:
            append_results("Keystrokes on whole real articles", figures.lines)
        return
    workdir = tempfile.mkdtemp(prefix="claims-bench-keystrokes-")
    database = f"sqlite:///{workdir}/bench.sqlite3"
    prepare(database)
    log = Path(workdir) / "server.log"
    server = serve(database, args.port, log)
    print(f"server log: {log}")
    try:
        figures = run(f"http://127.0.0.1:{args.port}")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    if not args.no_results:
        append_results("Keystrokes", figures.lines)


if __name__ == "__main__":
    main()
