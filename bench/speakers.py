"""Score the first speaker candidate on real news, beside the previous speaker as baseline.

Usage: .venv/bin/python bench/speakers.py [--articles N] [--sample N] [--no-results]

Reads ../shared/data/polnear-dev.jsonl (research data, never in the repository; the bench says
so and stops when it is absent), imports its articles with the tool's importer into a
throwaway project (SQLite in a temporary directory, or DATABASE_URL), and plays a careful
annotator who works through the articles in order: for every gold attribution with a source it
asks the speaker candidates (claims.speakers.candidates, what GET /sentences/{id}/speaker-
candidates/ answers), notes whether the first is right, then saves the sentence with the
speaker it should have (claims.services.annotations.annotation_save, the page's save: the
project learns from it as from any annotator).

PolNeAR has no speaker ids, so the bench derives them, with rules of its own:

- named source (a capitalised word that is not only the first word's capital, not a pronoun):
  the name inside the span: parentheticals and appositions dropped, then the capitalised words
  after the last title or role word ("FBI Director James Comey" -> "James Comey"). Within an
  article a last name alone is the full name used there ("Lynch" -> "Loretta Lynch"); across
  articles a full name is one speaker, and a last name alone with no full name in its article
  is the project speaker of that last name when there is exactly one. Right: the first
  candidate is that speaker (existing), or a new speaker with exactly that name (new).
- "he" / "she": the nearest mention before it in the article's text (this sentence first) of
  a person the article names as a source, of the pronoun's gender where the first name tells
  it; unresolved ones are left out (counted).
- nominal source ("the newspaper", "the ministry", "officials"): the nearest mention before
  it of a named source of a fitting kind (the head noun's kinds in the tool's lexicon);
  "sources", "experts" and the like: the unnamed source.

`--sample N` prints N derived referents of "he"/"she" and of nominals to check by hand.

Then it times the candidates endpoint on a project of 10,000 speakers (the ones the annotator
made, and made-up people sharing real last names, about ten a last name): GET
/api/v1/sentences/{id}/speaker-candidates/ for gold source spans, through the whole Django
stack in process (session, middleware, DRF; no network), beside a trivial signed-in API view
(/bench/ping-auth/ of bench/load_app.py) in the same run: p50 and p95 of each.
Baseline: the speaker of the nearest attribution before (this sentence, then the ones
before), as the picker preselected it before issue 17.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from results import Figures, append_results  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear-dev.jsonl"
TARGETS = {"named": 0.97, "he/she": 0.90, "nominal": 0.80}
TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "gov", "lt", "gen", "president", "senator",
    "secretary", "director", "chairman", "chairwoman", "spokesman", "spokeswoman", "minister",
    "attorney", "general", "speaker", "leader", "governor", "mayor", "judge", "chief", "nominee",
    "candidate", "ceo", "commissioner", "ambassador", "adviser", "aide", "manager", "host",
    "justice", "rev", "prime", "vice", "former", "rival", "activist", "pollster", "strategist",
    "chair", "sheriff", "representative", "congressman", "congresswoman", "professor",
}  # fmt: skip
# Dropped before a person's name: "Democrat Hillary Clinton".
MODIFIERS = {"democrat", "republican", "democratic", "gop", "libertarian", "presidential",
             "nonpartisan", "longtime", "former", "rival"}  # fmt: skip
OPENERS = {"as", "when", "while", "unlike", "but", "if", "after", "what", "how", "why"}
# A source opening with these is a group ("Many African-Americans", "31 Latinos").
QUANTIFIERS = {"many", "some", "several", "most", "few", "all", "both", "two", "three", "four"}
JOINERS = {"of", "for", "on", "and", "de", "van", "von", "bin", "al"}
HEADS = {"campaign", "administration", "team", "committee", "department", "ministry", "party"}
PRONOUNS = {"he": "m", "she": "f"}
OTHER_PRONOUNS = {"they", "it", "who", "which", "i", "we", "you", "his", "her", "them", "that"}
DETERMINERS = {"the", "a", "an", "this", "these", "those", "some", "many", "several", "one",
               "another", "other", "two", "three", "most", "few", "both", "all"}  # fmt: skip
WORD = re.compile(r"[^\W_](?:[^\W_]|[.'’\-](?=[^\W_]))*\.?")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def fold(text: str) -> str:
    """Return a name as compared: case, periods, possessives and a leading "the" ignored."""
    folded = [w.casefold().replace(".", "").removesuffix("’s").removesuffix("'s")
              for w in words(text)]  # fmt: skip
    return " ".join(folded[1:] if folded[:1] == ["the"] else folded)


def category(source: str) -> str:
    """Return "he/she", "other pronoun", "named" (a name is the source's head: "FBI Director
    James Comey", "the Clinton campaign") or "nominal" ("the newspaper", "The Republican
    nominee", "Clinton supporters": a common noun is the head)."""
    found = words(source)
    lowered = [w.casefold() for w in found]
    if len(found) == 1 and lowered[0] in PRONOUNS:
        return "he/she"
    if len(found) <= 2 and all(w in OTHER_PRONOUNS for w in lowered):
        return "other pronoun"
    opening = lowered[0] if lowered else ""
    if opening in QUANTIFIERS or opening.isdigit():
        return "nominal"
    first = re.split(r",|\band\b| — | – |\(", source)[0]
    head = words(first)[-1:] if words(first) else []
    name = derived_name(source)
    if not name or all(w.casefold() in MODIFIERS for w in name.split()):
        return "nominal"  # "The Republican", "At least one Democrat"
    if head and not head[0][0].isupper() and head[0].casefold() not in HEADS:
        return "nominal"
    return "named"


def derived_name(source: str) -> str:
    """Return the name inside a named source's span (the bench's own rule): in the first part
    (before a comma, "and" or a dash) that has capitalised words, the last run of them after
    titles, with "of" / "for" / "and" inside a name and an organization's head word after it
    ("the Clinton campaign" -> "Clinton campaign")."""
    text = re.sub(r"\([^)]*\)", " ", source)
    for part in re.split(r",|\band\b| — | – ", text):
        found = words(part)
        runs: list[list[str]] = []
        current: list[str] = []
        for n, word in enumerate(found):
            bare = word.casefold().rstrip(".")
            if len(bare) == 1 and word[0].isupper():
                bare = word  # an initial ("Julie A. Diaz"), not the article "a"
            possessive = bare.endswith(("’s", "'s"))
            bare = bare.removesuffix("’s").removesuffix("'s")
            inside = (
                bare in JOINERS and current and n + 1 < len(found) and found[n + 1][0].isupper()
            )
            if word[0].isupper() and bare not in TITLE_WORDS and bare not in DETERMINERS:
                current.append(re.sub(r"[’']s$", "", word))
                if possessive:
                    runs.append(current)
                    current = []
            elif inside:
                current.append(word)
            else:
                if bare in HEADS and (
                    current or runs and runs[-1][-1] == found[n - 1].rstrip("’s")
                ):
                    owner = current or runs.pop()
                    current = [owner[-1], word]  # "Donald Trump’s campaign" -> "Trump campaign"
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        if runs:
            run = runs[-1]
            while len(run) > 2 and run[0].casefold() in MODIFIERS | OPENERS:
                run = run[1:]
            if len(run) > 1 and run[0].casefold() in OPENERS:
                run = run[1:]
            return " ".join(run)
    return ""


def full_name_in(text: str, last_name: str, gender: str) -> str:
    """Return the full name the article's text gives most often to a person's last name (of
    the gender a title tells), or ""."""
    from claims.speakers.lexicon import lexicon

    genders = lexicon().genders
    pattern = r"((?:[A-Z][\w'’-]*\.?\s+){1,3})" + re.escape(last_name) + r"\b"
    names = Counter()
    for match in re.finditer(pattern, text):
        name = derived_name(re.split(r"(?<=\w{3}\.)\s+", match.group())[-1])
        first = name.split()[0].casefold() if name else ""
        fits = first not in genders or genders[first] in (gender or genders[first],)
        if len(name.split()) > 1 and name.split()[-1] == last_name and fits:
            names[name] += 1
    return names.most_common(1)[0][0] if names else ""


def without_initials(name: str) -> str:
    return " ".join(w for w in fold(name).split() if len(w) > 1)


def title_gender(source: str) -> str:
    first = source.split()[0].casefold().rstrip(".") if source.split() else ""
    return {"mr": "m", "mrs": "f", "ms": "f"}.get(first, "")


SURNAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Parker",
    "Collins",
    "Edwards",
    "Stewart",
    "Morris",
    "Murphy",
    "Cook",
    "Rogers",
    "Morgan",
    "Cooper",
    "Peterson",
    "Reed",
    "Bailey",
    "Bell",
    "Kelly",
    "Howard",
    "Ward",
    "Cox",
    "Richardson",
    "Wood",
    "Watson",
    "Brooks",
    "Bennett",
    "Gray",
    "James",
    "Hughes",
    "Price",
    "Sanders",
    "Myers",
    "Long",
    "Ross",
    "Foster",
    "Clinton",
    "Trump",
    "Obama",
    "Bush",
    "Johnson",
    "Graham",
    "Warren",
    "Lynch",
    "Comey",
    "Pence",
]
SYLLABLES = [
    "bar",
    "ton",
    "mel",
    "ric",
    "han",
    "sen",
    "dor",
    "gal",
    "wick",
    "ley",
    "mor",
    "ven",
    "tal",
    "bro",
    "ash",
    "fen",
    "lin",
    "cor",
]


def made_up_people(count: int, taken: set[str]) -> list[str]:
    """Return `count` made-up full names not in `taken` (folded): about ten people for each
    real last name above, the rest with made-up last names (two or three syllables)."""
    from claims.speakers.lexicon import lexicon

    firsts = sorted(lexicon().genders)
    made = [(a + b + c).capitalize() for a in SYLLABLES for b in SYLLABLES
            for c in ("", *SYLLABLES[:6])]  # fmt: skip
    lasts = [last for last in SURNAMES for _ in range(10)] + made * 10
    names: list[str] = []
    for n, last in enumerate(lasts):
        name = f"{firsts[(n * 7) % len(firsts)].capitalize()} {last}"
        if name.casefold() not in taken:
            taken.add(name.casefold())
            names.append(name)
        if len(names) == count:
            break
    return names


def timing(bench: "Bench", figures: Figures, speakers: int, requests: int) -> None:
    """Time the candidates endpoint at `speakers` speakers beside a trivial signed-in view."""
    from django.test import Client

    from claims.models import Speaker

    project = bench.project
    taken = {
        n.casefold() for n in Speaker.objects.filter(project=project).values_list("name", flat=True)
    }
    Speaker.objects.bulk_create(
        [Speaker(project=project, name=name, kind="person")
         for name in made_up_people(max(0, speakers - len(taken)), taken)],
        batch_size=2000,
    )  # fmt: skip
    total = Speaker.objects.filter(project=project).count()
    client = Client()
    client.force_login(bench.user)
    random.seed(5)
    asked = random.sample(bench.asked, min(requests, len(bench.asked)))
    url = "/api/v1/sentences/{}/speaker-candidates/?start={}&end={}"
    times: dict[str, list[float]] = {"candidates": [], "ping": []}
    for n, (sentence_id, (start, end)) in enumerate([*asked[:20], *asked]):
        for what, path in (("candidates", url.format(sentence_id, start, end)),
                           ("ping", "/bench/ping-auth/")):  # fmt: skip
            began = time.perf_counter()
            response = client.get(path)
            took = time.perf_counter() - began
            assert response.status_code == 200, (path, response.status_code)
            if n >= 20:  # the first twenty warm up
                times[what].append(took)

    def cut(values: list[float], share: float) -> float:
        return sorted(values)[int(share * (len(values) - 1))] * 1000

    figures.say(f"candidates endpoint on a project of {total} speakers, {len(asked)} requests "
                "of each, in process (session, middleware, DRF), beside a trivial signed-in "
                "view in the same run:")  # fmt: skip
    for what, values in times.items():
        figures.say(f"  {what:10} p50 {cut(values, 0.5):6.1f} ms   p95 {cut(values, 0.95):6.1f} ms")
    ratio = cut(times["candidates"], 0.95) / cut(times["ping"], 0.95)
    figures.say(f"  candidates p95 / trivial p95: {ratio:.1f}x   (target: candidates p95 < 20 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, help="only the first N articles")
    parser.add_argument("--sample", type=int, default=0, help="print derived referents to check")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--speakers", type=int, default=10_000, help="speakers when timing")
    parser.add_argument("--requests", type=int, default=400, help="timed requests of each")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"bench/speakers.py: no data: {DATA} not found (research data, not in the")
        print("repository); nothing was measured.")
        sys.exit(1)
    if "DATABASE_URL" not in os.environ:
        workdir = tempfile.mkdtemp(prefix="claims-bench-speakers-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "load_app"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")][: args.articles]
    figures = Figures()
    bench = Bench(rows, figures, args.sample)
    bench.run()
    timing(bench, figures, args.speakers, args.requests)
    if not args.no_results:
        append_results("Speaker candidates on PolNeAR dev (bench/speakers.py)", figures.lines)


class Bench:
    def __init__(self, rows: list[dict], figures: Figures, sample: int):
        self.rows, self.figures, self.sample = rows, figures, sample
        self.scores: dict[str, Counter] = defaultdict(Counter)
        self.misses: dict[str, list[str]] = defaultdict(list)
        self.derived: dict[str, list[str]] = defaultdict(list)
        self.seconds: list[float] = []
        self.by_last: dict[str, set[str]] = defaultdict(set)  # project: last name -> full names
        self.speaker_ids: dict[str, int] = {}  # canonical name, folded -> speaker id
        self.asked: list[tuple[int, tuple[int, int]]] = []  # (sentence id, source span)

    def run(self) -> None:
        from claims.importing.readers import read_paths
        from claims.importing.store import articles_import
        from claims.models import Role
        from claims.services.projects import membership_set, project_get_or_create
        from tests.factories import make_user

        project, _ = project_get_or_create(slug="speakers-bench")
        self.project = project
        self.user = make_user("careful")
        membership_set(project=project, user=self.user, role=Role.ANNOTATOR)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "dev.jsonl"
            path.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "text")}) + "\n"
                                    for r in self.rows))  # fmt: skip
            summary = articles_import(project=project, items=read_paths([path]))
        self.figures.say(f"{len(self.rows)} PolNeAR dev articles, {summary.sentences} sentences")
        started = time.perf_counter()
        for row in self.rows:
            self.article(project, row)
        self.report(time.perf_counter() - started)

    def article(self, project, row: dict) -> None:
        from claims.learning.label_mapping import ArticleAttribution, SentenceSpan, map_labels
        from claims.models import Article

        article = Article.objects.get(project=project, external_id=row["id"])
        sentences = list(article.sentences.order_by("index"))
        text = row["text"]
        gold = [
            ArticleAttribution({r: tuple(map(tuple, a.get(r) or ())) for r in ("source", "cue",
                               "content")}, speaker=(str(n), ""))
            for n, a in enumerate(row["attributions"])
        ]  # fmt: skip
        mapped = map_labels([SentenceSpan(s.pk, s.start, s.end) for s in sentences], gold)
        truth = self.article_speakers(text, row["attributions"])
        previous = None  # the baseline: the speaker of the nearest attribution before
        for sentence in sentences:
            labels = []
            for attribution in mapped.attributions.get(sentence.pk, ()):
                number = int(attribution.speaker[0])
                speaker = truth.get(number)
                if attribution.source and speaker is not None:
                    self.score(sentence, attribution, speaker, previous)
                labels.append((attribution, speaker))
                if speaker is not None and speaker.get("name"):
                    previous = speaker["name"]
            self.save(sentence, labels)

    def article_speakers(self, text: str, attributions: list[dict]) -> dict[int, dict]:
        """Return the derived speaker of each attribution with a source, by its number:
        {"name", "category", "source"} (name "" when it cannot be derived)."""
        from claims.speakers.lexicon import lexicon
        from claims.speakers.names import read_source

        named: dict[int, str] = {}
        sources: dict[int, str] = {}
        for n, attribution in enumerate(attributions):
            parts = attribution.get("source") or []
            if parts:
                sources[n] = " ".join(text[s:e] for s, e in parts)
        from claims.services.speakers import name_problem

        full = {}
        for n, source in sources.items():
            if category(source) == "named":
                name = derived_name(source)
                if name and not name_problem(name):
                    named[n] = name
                    if len(name.split()) > 1:
                        full.setdefault(fold(name.split()[-1]), name)
        canonical = {}
        for n, name in named.items():
            if len(name.split()) == 1:
                last = fold(name)
                known = self.by_last.get(last, set())
                in_text = full_name_in(text, name, title_gender(sources[n]))
                name = full.get(last) or in_text or (next(iter(known)) if len(known) == 1 else name)
            canonical[n] = name
        for n, name in canonical.items():
            # "Donald J. Trump" is the Donald Trump the project knows.
            known = self.by_last.get(fold(name.split()[-1]), set())
            same = [k for k in known if without_initials(k) == without_initials(name)]
            if same:
                canonical[n] = name = same[0]
            if len(name.split()) > 1:
                self.by_last[fold(name.split()[-1])].add(name)
        people = {name: read_source(name).name for name in set(canonical.values())}
        mentions = self.mentions(text, people)
        result: dict[int, dict] = {}
        lex = lexicon()
        for n, source in sources.items():
            kind = category(source)
            start = attributions[n]["source"][0][0]
            if kind == "named":
                result[n] = {"name": canonical.get(n, ""), "category": kind, "source": source}
            elif kind == "he/she":
                gender = PRONOUNS[source.strip().casefold()]
                name = self.antecedent(
                    mentions, people, start,
                    lambda g, gender=gender: g.kind == "person" and g.gender in ("", gender),
                )  # fmt: skip
                result[n] = {"name": name, "category": kind, "source": source}
                self.derived[kind].append(f"{text[max(0, start - 160) : start + 30]!r} -> {name}")
            elif kind == "nominal":
                head = tuple(w.casefold() for w in words(source)[-2:])
                kinds = lex.nominals.get(head) or lex.nominals.get(head[-1:]) or frozenset()
                if kinds == {"unnamed"}:
                    name = "Unnamed source"
                else:
                    name = self.antecedent(mentions, people, start,
                                           lambda g, kinds=kinds: g.kind in kinds)  # fmt: skip
                result[n] = {"name": name, "category": kind, "source": source}
                self.derived[kind].append(f"{text[max(0, start - 160) : start + 30]!r} -> {name}")
            else:
                result[n] = {"name": "", "category": kind, "source": source}
        return result

    @staticmethod
    def mentions(text: str, people: dict) -> list[tuple[int, str]]:
        """Return where the article's text names each named source (full or last name)."""
        found = []
        for name in people:
            forms = {name}
            if people[name] is not None and people[name].kind == "person":
                forms.add(name.split()[-1])
            for form in forms:
                for match in re.finditer(r"\b" + re.escape(form) + r"\b", text):
                    found.append((match.start(), name))
        return sorted(found)

    @staticmethod
    def antecedent(mentions, people, start: int, fits) -> str:
        for at, name in reversed(mentions):
            if at < start and people[name] is not None and fits(people[name]):
                return name
        return ""

    def score(self, sentence, attribution, speaker: dict, previous: str | None) -> None:
        from claims.speakers.candidates import speaker_candidates
        from claims.speakers.scene import ROWS_AFTER, scene_of, window_rows

        kind = speaker["category"]
        if not speaker["name"]:
            self.scores[kind]["underived"] += 1
            return
        self.asked.append((sentence.pk, attribution.source))
        began = time.perf_counter()
        scene = scene_of(
            sentence=sentence, rows=window_rows(sentence), user_id=self.user.id, after=ROWS_AFTER
        )
        found = speaker_candidates(scene, attribution.source)
        self.seconds.append(time.perf_counter() - began)
        first = found[0] if found else None
        exists = fold(speaker["name"]) in self.speaker_ids
        if kind == "named":
            kind = "named, existing" if exists else "named, new"
        if speaker["name"] == "Unnamed source":
            right = first is not None and first.kind == "unnamed"
        elif exists:
            right = first is not None and first.id == self.speaker_ids[fold(speaker["name"])]
        else:
            right = (
                first is not None and first.id is None and fold(first.name) == fold(speaker["name"])
            )
        self.scores[kind]["n"] += 1
        self.scores[kind]["right"] += right
        self.scores[kind]["baseline"] += previous is not None and fold(previous) == fold(
            speaker["name"]
        )
        if not right:
            got = f"{first.name} ({first.id})" if first else "nothing"
            where = ""
            if kind in ("he/she", "nominal"):
                start = attribution.source[0]
                where = f" in {sentence.text[max(0, start - 120) : start + 20]!r}"
            self.misses[kind].append(
                f"{speaker['source']!r}: want {speaker['name']!r}, got {got}{where}"
            )

    def save(self, sentence, labels) -> None:
        from claims.content import AnnotationContent, AttributionContent, SpeakerRef
        from claims.content.types import Span
        from claims.models import AnnotationStatus
        from claims.services.annotations import annotation_save
        from claims.speakers.names import read_source

        attributions = []
        for attribution, speaker in labels:
            ref = None
            if speaker is not None and speaker.get("name"):
                name = speaker["name"]
                if name == "Unnamed source":
                    ref = SpeakerRef(name=name, kind="unnamed")
                elif fold(name) in self.speaker_ids:
                    ref = SpeakerRef(id=self.speaker_ids[fold(name)])
                else:
                    guess = read_source(name).name
                    ref = SpeakerRef(name=name, kind=guess.kind if guess else "person")
            attributions.append(AttributionContent(
                speaker=ref, source=attribution.source and Span(*attribution.source),
                cue=attribution.cue and Span(*attribution.cue),
                content=attribution.content and Span(*attribution.content),
            ))  # fmt: skip
        content = AnnotationContent(
            claim="not_claim", attributions=tuple(dict.fromkeys(attributions)),
            status=AnnotationStatus.SUBMITTED,
        )  # fmt: skip
        saved = annotation_save(sentence=sentence, user=self.user, content=content, version=None)
        for attribution in saved.content.attributions:
            if attribution.speaker is not None:
                self.speaker_ids.setdefault(fold(attribution.speaker.name), attribution.speaker.id)

    def report(self, seconds: float) -> None:
        say = self.figures.say
        say(f"simulated annotator: {seconds:.0f} s; candidates asked {len(self.seconds)} times, "
            f"median {statistics.median(self.seconds) * 1000:.1f} ms")  # fmt: skip
        say("first candidate right, beside the previous speaker (baseline):")
        for kind in ("named, existing", "named, new", "he/she", "nominal", "other pronoun"):
            found = self.scores.get(kind, Counter())
            n = found["n"]
            if not n:
                continue
            target = TARGETS.get(kind.split(",")[0])
            goal = f"  (target >= {target:.0%})" if target else "  (no target)"
            say(f"  {kind:16} {found['right'] / n:6.1%} of {n:4}   baseline "
                f"{found['baseline'] / n:6.1%}{goal}")  # fmt: skip
        named = self.scores["named, existing"] + self.scores["named, new"]
        if named["n"]:
            say(f"  {'named, all':16} {named['right'] / named['n']:6.1%} of {named['n']:4}   "
                f"baseline {named['baseline'] / named['n']:6.1%}  (target >= 97%)")  # fmt: skip
        left = {k: c["underived"] for k, c in self.scores.items() if c["underived"]}
        say(f"sources whose speaker the bench could not derive (left out): {left}")
        if self.sample:
            self.print_sample()

    def print_sample(self) -> None:
        """Print samples of the derived referents and of the misses to check by hand: printed
        only, never kept in RESULTS.md (they quote the research data)."""
        random.seed(17)
        for kind in ("he/she", "nominal"):
            print(f"derived referents of {kind}, a sample to check by hand:")
            derived = self.derived[kind]
            for line in random.sample(derived, min(self.sample, len(derived))):
                print(f"    {line}")
        for kind, misses in self.misses.items():
            print(f"misses, {kind} ({len(misses)}), a sample:")
            for line in random.sample(misses, min(self.sample, len(misses))):
                print(f"    {line}")


if __name__ == "__main__":
    main()
