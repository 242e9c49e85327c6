"""Score the first speaker candidate on real news, beside the previous speaker as baseline.

Usage: .venv/bin/python bench/speakers.py [--data FILE] [--skip N] [--articles N] [--sample N]
       [--no-timing] [--no-results]

Reads ../shared/data/polnear-dev.jsonl, or the PolNeAR-shaped FILE (research data, never in
the repository; the bench says so and stops when it is absent), imports its articles with the
tool's importer into a throwaway project (SQLite in a temporary directory, or DATABASE_URL),
and plays a careful annotator who works through the articles in order: for every gold
attribution with a source it asks the speaker candidates (claims.speakers.candidates, what GET
/sentences/{id}/speaker-candidates/ answers) and notes whether the first is right; for every
gold attribution without a source in its sentence it asks the span-less request (no start and
end: what a suggestion without a source is given) and notes its first candidate, right or
wrong, with its score and reason (bench/speakers_sourceless.py says how it knows the right
speaker); then it saves the sentence with the speaker it should have
(claims.services.annotations.annotation_save, the page's save: the project learns from it as
from any annotator).

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

For each kind it also counts the proposals: a first candidate scoring 0.5 or more is what a
suggestion with that source is given as its speaker (claims.labeling.speakers), accepted with
it by one key; shown, right and wrong, and the share of the right speakers shown.

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
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
from results import Figures, append_results, scratch_database  # noqa: E402
from speaker_ids import SpeakerIds, fold  # noqa: E402
from speakers_sourceless import Sourceless, share  # noqa: E402
from speakers_timing import timing  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear-dev.jsonl"
SPLITS = {"polnear-dev.jsonl": "PolNeAR dev", "polnear-train.jsonl": "PolNeAR train"}
TARGETS = {"named": 0.97, "he/she": 0.90, "nominal": 0.80}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="PolNeAR-shaped JSONL")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N articles")
    parser.add_argument("--articles", type=int, help="only the first N articles (after --skip)")
    parser.add_argument("--sample", type=int, default=0, help="print derived referents to check")
    parser.add_argument("--no-results", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--speakers", type=int, default=10_000, help="speakers when timing")
    parser.add_argument("--requests", type=int, default=400, help="timed requests of each")
    parser.add_argument("--no-timing", action="store_true", help="scores only")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"bench/speakers.py: no data: {args.data} not found (research data, not in the")
        print("repository); nothing was measured.")
        sys.exit(1)
    scratch_database("speakers")
    os.environ["DJANGO_SETTINGS_MODULE"] = "load_app"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")][args.skip :]
    rows = rows[: args.articles]
    split = SPLITS.get(args.data.name, args.data.stem)
    if args.skip:
        split += f" (after its first {args.skip})"
    figures = Figures()
    bench = Bench(rows, figures, args.sample, split)
    bench.run()
    if not args.no_timing:
        timing(bench, figures, args.speakers, args.requests)
    if not args.no_results:
        append_results(f"Speaker candidates on {split} (bench/speakers.py)", figures.lines)


class Bench:
    def __init__(self, rows: list[dict], figures: Figures, sample: int, split: str):
        self.rows, self.figures, self.sample, self.split = rows, figures, sample, split
        self.scores: dict[str, Counter] = defaultdict(Counter)
        self.misses: dict[str, list[str]] = defaultdict(list)
        self.seconds: list[float] = []
        self.ids = SpeakerIds()
        self.speaker_ids: dict[str, int] = {}  # canonical name, folded -> speaker id
        self.asked: list[tuple[int, tuple[int, int]]] = []  # (sentence id, source span)
        self.sourceless = Sourceless(self)

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
        self.figures.say(f"{len(self.rows)} {self.split} articles, {summary.sentences} sentences")
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
        truth = self.ids.article_speakers(text, row["attributions"])
        previous = None  # the baseline: the speaker of the nearest attribution before
        revisits = []  # the sourceless requests again, once every sentence is saved
        for sentence in sentences:
            labels = []
            for attribution in mapped.attributions.get(sentence.pk, ()):
                number = int(attribution.speaker[0])
                speaker = truth.get(number)
                if attribution.source and speaker is not None:
                    self.score(sentence, attribution, speaker, previous)
                elif not attribution.source:
                    asked = (sentence, attribution, row["attributions"][number], speaker, text)
                    self.sourceless.score(*asked)
                    revisits.append(asked)
                labels.append((attribution, speaker))
                if speaker is not None and speaker.get("name"):
                    previous = speaker["name"]
            self.save(sentence, labels)
        for asked in revisits:
            self.sourceless.score(*asked, revisit=True)

    def score(self, sentence, attribution, speaker: dict, previous: str | None) -> None:
        from claims.speakers.candidates import PROPOSED, speaker_candidates
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
        right = self.is_right(first, speaker["name"])
        self.scores[kind]["n"] += 1
        self.scores[kind]["right"] += right
        # Proposed: the speaker a suggestion with this source is given (filled in by `y`).
        if first is not None and first.score >= PROPOSED:
            self.scores[kind]["shown"] += 1
            self.scores[kind]["shown right"] += right
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

    def is_right(self, first, name: str) -> bool:
        """Tell whether the first candidate is the speaker of that name: the unnamed source,
        the speaker the annotator made of it, or (none made yet) a new one of that name."""
        if first is None:
            return False
        if name == "Unnamed source":
            return first.kind == "unnamed"
        if fold(name) in self.speaker_ids:
            return first.id == self.speaker_ids[fold(name)]
        return first.id is None and fold(first.name) == fold(name)

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
        say("proposed (given to a suggestion with that source, accepted with it by one key):")
        for kind in ("named, existing", "named, new", "he/she", "nominal", "other pronoun"):
            found = self.scores.get(kind, Counter())
            if found["n"]:
                say(f"  {kind:16} {proposed_tally(found)}")
        left = {k: c["underived"] for k, c in self.scores.items() if c["underived"]}
        say(f"sources whose speaker the bench could not derive (left out): {left}")
        self.sourceless.report(self.figures, self.sample)
        if self.sample:
            self.print_sample()

    def print_sample(self) -> None:
        """Print samples of the derived referents and of the misses to check by hand: printed
        only, never kept in RESULTS.md (they quote the research data)."""
        random.seed(17)
        for kind in ("he/she", "nominal"):
            print(f"derived referents of {kind}, a sample to check by hand:")
            derived = self.ids.derived[kind]
            for line in random.sample(derived, min(self.sample, len(derived))):
                print(f"    {line}")
        for kind, misses in self.misses.items():
            print(f"misses, {kind} ({len(misses)}), a sample:")
            for line in random.sample(misses, min(self.sample, len(misses))):
                print(f"    {line}")


def proposed_tally(found: Counter) -> str:
    shown, right = found["shown"], found["shown right"]
    wrong = shown - right
    return (f"shown {shown:4} of {found['n']:4}, right {right:4} ({share(right, shown)}), wrong "
            f"{wrong:3}; right speakers shown {share(right, found['n'])}")  # fmt: skip


if __name__ == "__main__":
    main()
