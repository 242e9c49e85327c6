"""Attributions without a source in their sentence (bench/speakers.py scores them): the first
candidate of the span-less request (GET /api/v1/sentences/{id}/speaker-candidates/ with no
start and end), right or wrong against the speaker a careful annotator gives, by its score and
its reason.

Where the bench derives the speaker (bench/speaker_ids.py knows only sources):

- the attribution's source is in another sentence (a content running over sentences, its
  source named before or after): the speaker derived for that source;
- the attribution has no source anywhere (PolNeAR's agentless reports, whose cue says only
  that something is expected, announced or known): nobody is named, so a careful annotator
  gives no named speaker; the first candidate is right only when it names nobody (the author
  / outlet or the unnamed source, which are never proposed), and a named speaker shown is
  wrong. `--sample N` prints such cases whose first candidate names someone, to check by hand.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

from results import Figures

# Score bands, and the thresholds whose effect is printed (a proposal: score >= threshold).
BANDS = ((0.0, 0.5), (0.5, 0.55), (0.55, 0.6), (0.6, 0.8), (0.8, 1.01))
THRESHOLDS = (0.5, 0.6, 0.8)
NOBODY = ("author", "unnamed")


@dataclass(frozen=True)
class Case:
    where: str  # "source before", "source after", "no source anywhere"
    cue_here: bool  # the sentence holds the attribution's cue
    reason: str  # the first candidate's reason, without its sentence number
    score: float
    right: bool
    named: bool  # the first candidate names someone (not the author / outlet or unnamed)
    line: str  # to check by hand (printed only, never kept: it quotes the data)
    proposed: bool = False  # the server gives it to a suggestion with these spans
    features: tuple = ()  # of the previous sentence's speakers, when the first candidate is one
    chosen_right: bool = False  # proposed, and the speaker the server gives is right


def reason_of(candidate) -> str:
    if candidate is None:
        return "no candidate"
    return candidate.reason.split(" (sentence")[0]


class Sourceless:
    """Scores the span-less request for one sentence's attributions without a source."""

    def __init__(self, bench):
        self.bench = bench
        self.cases: list[Case] = []
        self.revisits: list[Case] = []
        self.underived = Counter()

    def score(
        self, sentence, attribution, gold: dict, speaker: dict | None, text: str, revisit=False
    ) -> None:
        """`gold`: the article's attribution ({"source", "cue", "content"}, article offsets);
        `speaker`: what bench/speaker_ids.py derived for its source (None: it has none);
        `revisit`: asked again once every sentence of the article is saved (the annotator
        comes back to it): kept apart from the cases of labelling in order."""
        from claims.labeling.speakers import sourceless_choice
        from claims.speakers.candidates import speaker_candidates
        from claims.speakers.scene import ROWS_AFTER, scene_of, window_rows

        sources = gold.get("source") or []
        if sources:
            where = "source before" if sources[0][0] < sentence.start else "source after"
            if speaker is None or not speaker.get("name"):
                self.underived[where] += not revisit
                return
        else:
            where = "no source anywhere"
        scene = scene_of(
            sentence=sentence, rows=window_rows(sentence), user_id=self.bench.user.id,
            after=ROWS_AFTER,
        )  # fmt: skip
        found = speaker_candidates(scene, None)
        first = found[0] if found else None
        named = first is not None and first.kind not in NOBODY
        record = suggestion_record(attribution, sentence.text)
        chosen = sourceless_choice(found, record, sentence.text)
        proposed = chosen is not None and chosen.kind not in NOBODY
        chosen_right = proposed and bool(sources) and self.bench.is_right(chosen, speaker["name"])
        right = (not named) if not sources else self.bench.is_right(first, speaker["name"])
        want = speaker["name"] if sources else "nobody named"
        got = f"{first.name} ({first.reason}, {first.score:.2f})" if first else "nothing"
        near = text[max(0, sentence.start - 200) : sentence.end]
        line = f"want {want!r}, got {got}: ...{near!r}"
        (self.revisits if revisit else self.cases).append(Case(
            where, attribution.cue is not None, reason_of(first), first.score if first else 0.0,
            right, named, f"{'cue here, ' if attribution.cue else ''}{line}", proposed,
            previous_features(scene, record), chosen_right,
        ))  # fmt: skip

    def report(self, figures: Figures, sample: int) -> None:
        say = figures.say
        cases = self.cases
        say(f"attributions without a source in their sentence: {len(cases)} scored "
            f"(the span-less request's first candidate), {dict(Counter(c.where for c in cases))}"
            f"; source not derived (left out): {dict(self.underived)}")  # fmt: skip
        say("  by score band (right / all):")
        for low, high in BANDS:
            inside = [c for c in cases if low <= c.score < high]
            parts = "   ".join(f"{w}: {tally([c for c in inside if c.where == w])}" for w in WHERE)
            say(f"    {band_name(low, high):10} {tally(inside)}   {parts}")
        say("  by reason (right / all), with and without the cue in the sentence:")
        reasons = Counter(c.reason for c in cases)
        for reason, _ in reasons.most_common():
            inside = [c for c in cases if c.reason == reason]
            cue = tally([c for c in inside if c.cue_here])
            no_cue = tally([c for c in inside if not c.cue_here])
            say(f"    {reason:42} {tally(inside)}   cue here {cue}   no cue here {no_cue}")
        say("  proposals by threshold (a named first candidate at or above it is shown):")
        wanted = sum(1 for c in cases if c.where != "no source anywhere")
        for threshold in THRESHOLDS:
            for rule, keep in RULES.items():
                shown = [c for c in cases if c.named and c.score >= threshold and keep(c)]
                say(f"    >= {threshold:<4} {rule:22} {shown_tally(shown, wanted)}")
        say("  the server's rule (claims.labeling.speakers.sourceless_choice): "
            f"{shown_tally([c for c in cases if c.proposed], wanted, chosen=True)}")  # fmt: skip
        revisits = [c for c in self.revisits if c.proposed]
        say("  the server's rule coming back to a sentence, every sentence of its article saved: "
            f"{shown_tally(revisits, wanted, chosen=True)}")  # fmt: skip
        for (reason, cue_here), _ in Counter((c.reason, c.cue_here) for c in revisits).items():
            inside = [c for c in revisits if (c.reason, c.cue_here) == (reason, cue_here)]
            right = sum(c.chosen_right for c in inside)
            say(f"    first candidate {reason:28} {'cue here' if cue_here else 'no cue here':12} "
                f"{right:4} / {len(inside):4}")  # fmt: skip
        say("  previous sentence's speaker, no cue in the sentence, by what the server can see:")
        chosen = [c for c in cases if c.reason == "previous sentence" and not c.cue_here]
        for name in FEATURES:
            for value in sorted({dict(c.features)[name] for c in chosen}, key=str):
                inside = [c for c in chosen if dict(c.features)[name] == value]
                say(f"    {name} = {value!s:8} {tally(inside)}")
        if sample:
            self.print_sample(sample)

    def print_sample(self, sample: int) -> None:
        """Printed only, never kept in RESULTS.md (it quotes the research data)."""
        random.seed(17)
        groups = defaultdict(list)
        for c in self.cases:
            if c.named:
                groups[(c.where, c.reason, c.right)].append(c.line)
        wrong = [c.line for c in self.cases if c.proposed and not c.chosen_right]
        print(f"sourceless, proposed by the server's rule and wrong ({len(wrong)}), a sample:")
        for line in random.sample(wrong, min(sample, len(wrong))):
            print(f"    {line}")
        for (where, reason, right), lines in sorted(groups.items()):
            print(f"sourceless, {where}, {reason}, {'right' if right else 'wrong'} "
                  f"({len(lines)}), a sample:")  # fmt: skip
            for line in random.sample(lines, min(sample, len(lines))):
                print(f"    {line}")


FEATURES = ("speakers before", "content to its end", "opens quoted", "continues before")


def suggestion_record(attribution, text: str) -> dict:
    """Return the attribution as a suggestion carries it (sentence offsets)."""

    def span(offsets):
        return offsets and {"start": offsets[0], "end": offsets[1], "text": text[slice(*offsets)]}

    return {role: span(getattr(attribution, role)) for role in ("source", "cue", "content")}


def previous_features(scene, record: dict) -> tuple:
    """What the server knows of the sentence before: how many speakers its attributions
    have, whether one's content runs to its end, whether this sentence opens with a quote
    mark, and whether the attribution here is a content going on from it (no cue here, its
    content opening the sentence: claims.labeling.speakers.continues_sentence_before)."""
    from claims.labeling.speakers import continues_sentence_before

    before = [m for m in scene.mentions if m.index == scene.index - 1]
    previous = scene.texts.get(scene.index - 1, "")
    end = len(previous.rstrip(" .”\"’'\n"))
    to_end = any(m.content and m.content[1] >= end for m in before)
    return (
        ("speakers before", min(2, len({m.key for m in before}))),
        ("content to its end", to_end),
        ("opens quoted", scene.text.lstrip()[:1] in '“"‘'),
        ("continues before", continues_sentence_before(record, scene.text)),
    )


WHERE = ("source before", "source after", "no source anywhere")
RULES = {
    "any": lambda c: True,
    "no cue in the sentence": lambda c: not c.cue_here,
    "content going on": lambda c: dict(c.features).get("continues before", False),
}


def band_name(low: float, high: float) -> str:
    if low == 0.0:
        return f"< {high}"
    return f">= {low}" if high > 1 else f"{low}-{high}"


def tally(cases: list[Case]) -> str:
    right = sum(c.right for c in cases)
    return f"{right:4} / {len(cases):4}"


def shown_tally(shown: list[Case], wanted: int, chosen: bool = False) -> str:
    """`wanted`: the attributions whose speaker is named in another sentence; `chosen`: the
    speaker the server gives is scored, not the first candidate."""
    right = sum(c.chosen_right if chosen else c.right for c in shown)
    return (
        f"shown {len(shown):4}, right {right:4} ({share(right, len(shown))}), wrong "
        f"{len(shown) - right:3}; right speakers shown {share(right, wanted)} of {wanted} "
        "with a speaker named elsewhere"
    )


def share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"
