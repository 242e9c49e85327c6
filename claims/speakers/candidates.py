"""The speakers a source span may stand for, best first: the one place speakers are ranked.

- A name ("Trump", "Mr. Trump", "The Post") is matched against the project's speakers (name,
  alias, learnt alias, last name, head words); a name nobody has yet is proposed as a new
  speaker, titles and roles dropped ("Attorney General Loretta Lynch" -> "Loretta Lynch").
  Speakers named near it in the article win a tie ("Clinton").
- A pronoun or a nominal source ("he", "the newspaper", "officials") gets the speakers named
  before it in the article whose kind (and gender) fit, nearest first.
- "who" / "which" stand for the name just before them ("Lynch, who had urged ...").
- Without a source: the quotation's speaker, the next sentence's, the author / outlet.

Never a pronoun or the author / outlet for a source; the unnamed source comes last.
"""

import re
from dataclasses import dataclass
from typing import Any

from claims.models import SpeakerKind
from claims.services.speakers import name_problem
from claims.speakers.context import Mention
from claims.speakers.index import KeyRow
from claims.speakers.lexicon import lexicon
from claims.speakers.matching import HEAD_WORDS, matches
from claims.speakers.names import (
    AUTHOR,
    NAMED,
    NOMINAL,
    PERSON,
    PRONOUN,
    RELATIVE,
    UNNAMED,
    NameGuess,
    Reading,
    gender_of_name,
    read_source,
)
from claims.speakers.opening_words import only_an_opening_word, turn_name
from claims.speakers.scene import Scene
from claims.speakers.tokens import fold, name_tokens, phrase_key, tokens_of

LIMIT = 8
UNNAMED_NAME = str(SpeakerKind.UNNAMED.label)
AUTHOR_NAME = str(SpeakerKind.AUTHOR.label)
NEW_FIRST, NEW_AFTER = 0.85, 0.5
# A new name read only from a sentence's first word: listed under PROPOSED, never proposed.
NEW_UNSURE = 0.45
REFERENT, REFERENT_STEP, UNFIT = 0.9, 0.04, 0.35
# The score from which a candidate is proposed: preselected in the picker, given to a source
# marked by hand (the page's config carries it) and given as a suggestion's speaker.
PROPOSED = 0.5
QUOTATION, NEXT_SOURCE, PREVIOUS, AUTHOR_SCORE, UNNAMED_SCORE = 0.9, 0.7, 0.5, 0.3, 0.2
# The reason of a candidate without a source that is the previous sentence's speaker
# (claims.labeling.speakers gives it to a content going on from that sentence).
PREVIOUS_SENTENCE = "previous sentence"
NEXT_SENTENCE = "next sentence"
# Speakers named near the source win ties: up to this much for the nearest.
NEARBY = 0.03
# A last name alone: the article's full name for it counts this much.
FULL_NAME = 0.08
# Two people named together before a pronoun: its first candidate scores just under PROPOSED.
AMBIGUOUS = REFERENT - PROPOSED + REFERENT_STEP / 2


@dataclass(frozen=True)
class Candidate:
    id: int | None
    name: str
    kind: str
    reason: str
    score: float

    @property
    def key(self) -> tuple:
        return ("id", self.id) if self.id else ("name", self.name.casefold())

    def record(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "reason": self.reason,
                "score": round(max(0.0, min(1.0, self.score)), 3)}  # fmt: skip

    def speaker(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind}


def speaker_candidates(
    scene: Scene, span: tuple[int, int] | None, *, limit: int = LIMIT
) -> list[Candidate]:
    """Return the candidates for the source span (None: an attribution without a source)."""
    if span is None:
        found = sourceless(scene)
    else:
        found = for_source(scene, span)
        found += [unnamed_candidate(scene)]
    return ranked(found)[:limit]


def ranked(found: list[Candidate]) -> list[Candidate]:
    """Return the candidates best first, each speaker once; never a pronoun or function word
    (a speaker named so before the server refused such names)."""
    best: dict[tuple, Candidate] = {}
    for candidate in found:
        if name_problem(candidate.name):
            continue
        if candidate.key not in best or candidate.score > best[candidate.key].score:
            best[candidate.key] = candidate
    return sorted(best.values(), key=lambda c: -c.score)


def for_source(scene: Scene, span: tuple[int, int]) -> list[Candidate]:
    text = scene.text[span[0] : span[1]]
    reading = read_source(turn_name(scene, text, span[0]) or text)
    if reading.form == NAMED:
        found = named_candidates(scene, reading.name, phrase_key(text), span[0])
        if only_an_opening_word(scene, text, span[0]):
            return [unsure_new(c) if c.id is None and c.name == reading.name.name else c
                    for c in found]  # fmt: skip
        return found
    if reading.form == RELATIVE:
        antecedent = name_before(scene.text, span[0])
        if antecedent is not None:
            found = named_candidates(scene, antecedent, "", span[0])
            return [replace_reason(c, f"“{text}”: {c.reason}") for c in found]
        reading = Reading(PRONOUN, kinds=frozenset({PERSON, "organization", "country", "media"}))
    if reading.form == NOMINAL and reading.kinds == {UNNAMED}:
        return [Candidate(None, UNNAMED_NAME, UNNAMED, f"“{text}”: no one named", REFERENT)]
    if reading.form in (PRONOUN, NOMINAL):
        return referents(scene, span[0], reading, text)
    # A phrase that is neither a name, a pronoun nor a known nominal ("the new rule") may
    # stand for someone named before, but nothing says who: listed, never proposed.
    unsure = REFERENT - UNFIT
    found = referents(scene, span[0], Reading(NOMINAL), text)
    return [replace_score(c, c.score - unsure, f"named before? {c.reason}") for c in found]


def unsure_new(candidate: Candidate) -> Candidate:
    return replace_score(candidate, NEW_UNSURE, "new? only ever a sentence's first word")


def replace_reason(candidate: Candidate, reason: str) -> Candidate:
    return Candidate(candidate.id, candidate.name, candidate.kind, reason, candidate.score)


def nearby_ranks(scene: Scene) -> dict[tuple, int]:
    """Return each speaker named around the sentence by its rank, nearest first."""
    ranks: dict[tuple, int] = {}
    for mention in scene.mentions:
        ranks.setdefault(mention.key, len(ranks))
    return ranks


def named_candidates(scene: Scene, guess: NameGuess, phrase: str, offset: int) -> list[Candidate]:
    rows = scene.keys + pending_rows(scene, offset)
    ranks = nearby_ranks(scene)
    found = []
    for match in matches(guess, phrase, rows):
        key = ("id", match.speaker_id) if match.speaker_id > 0 else ("name", match.name.casefold())
        rank = ranks.get(key)
        near = NEARBY * max(0.0, 1 - rank / 10) if rank is not None else 0.0
        reason = match.reason + (", named nearby" if rank is not None else "")
        pk = match.speaker_id if match.speaker_id > 0 else None
        found.append(Candidate(pk, match.name, match.kind, reason, match.score + near))
    best = max((c.score for c in found), default=0.0)
    exact = any(c.name.casefold() == guess.name.casefold() for c in found)
    if not exact:
        score = NEW_FIRST if best < HEAD_WORDS else NEW_AFTER
        found.append(Candidate(None, guess.name, guess.kind, "new: named in the source", score))
    if guess.kind == PERSON and len(guess.tokens) == 1:
        full = full_name_before(scene, guess.name, offset, guess.gender)
        if full is not None:
            found = with_full_name(found, guess, full)
    return found


# A word of three letters or more and a period: a sentence ends ("Heel. Donald Trump").
sentence_end = re.compile(r"(?<=\w{3}\.)\s+")


def full_name_before(
    scene: Scene, last_name: str, offset: int, gender: str = ""
) -> NameGuess | None:
    """Return the full name the article gives a last name ("Mike Pence" for "Pence"), the
    nearest before the source first, else the first after; None when it never does."""
    pattern = re.compile(r"((?:[A-Z][\w'’-]*\.?\s+){1,4})" + re.escape(last_name) + r"\b")
    # Not in the headline, which capitalises every word: "Defiant Obama".
    for text in [scene.text[:offset], *scene.texts_naming(last_name, headline=False)]:
        for match in reversed(list(pattern.finditer(text))):
            words = sentence_end.split(match.group())[-1]
            if re.search(r"\bof\s+(?:the\s+)?$", text[: match.start()]):
                words = from_first_name(words)  # "Secretary of State Helen Pell"
            name = read_source(words).name
            last = name and len(name.tokens) > 1 and name.tokens[-1] == fold(last_name)
            if last and name.kind == PERSON and gender in ("", gender_of_name(name.name) or gender):
                return name
    return None


def from_first_name(words: str) -> str:
    """Return the words from the first known first name on, when a name follows a department
    or a chamber ("State Helen Pell", "House Peter Marsh")."""
    tokens = [t for t in tokens_of(words) if t.is_word]
    genders = lexicon().genders
    for token in tokens[1:-1]:
        if token.lower in genders:
            return words[token.start :]
    return words


def with_full_name(found: list[Candidate], guess: NameGuess, full: NameGuess) -> list[Candidate]:
    """Rank first the speaker of the full name the article uses; propose it as a new speaker
    when no speaker has it (not the last name alone, nor another person of that last name)."""
    same = [c for c in found if without_initials(c.name) == without_initials(full.name)]
    note = f", “{full.name}” in the article"
    if same:
        # The article's own full name outweighs a link learnt in another article ("Mr. Reed").
        return [replace_score(c, c.score + FULL_NAME, c.reason + note) if c in same
                else replace_score(c, c.score - FULL_NAME, c.reason) if c.kind == PERSON
                else c for c in found]  # fmt: skip
    others = [replace_score(c, c.score - FULL_NAME, c.reason) for c in found
              if c.name.casefold() != guess.name.casefold()]  # fmt: skip
    new = Candidate(None, full.name, full.kind, f"new: “{full.name}” in the article", REFERENT)
    return [new, *others]


def without_initials(name: str) -> tuple[str, ...]:
    """Return a name's words without initials: "Donald J. Trump" is Donald Trump."""
    return tuple(w for w in name_tokens(name) if len(w) > 1)


def replace_score(candidate: Candidate, score: float, reason: str) -> Candidate:
    return Candidate(candidate.id, candidate.name, candidate.kind, reason, score)


def pending_rows(scene: Scene, offset: int) -> list[KeyRow]:
    """Return the speakers proposed around the sentence but not created yet, as name rows
    (negative ids), so that "Lynch" finds the "Loretta Lynch" an earlier sentence names."""
    rows, seen = [], set()
    for mention in [*scene.mentions, *scene.suggested_mentions]:
        speaker = mention.speaker
        if speaker.get("id") or speaker["name"].casefold() in seen:
            continue
        seen.add(speaker["name"].casefold())
        rows.append(KeyRow(-len(rows) - 1, speaker["name"], speaker["kind"], "name",
                           phrase_key(speaker["name"]), 0))  # fmt: skip
    return rows


def name_before(text: str, offset: int) -> NameGuess | None:
    """Return the name right before a relative pronoun: "Lynch, who ..." -> Lynch."""
    before = text[:offset].rstrip(" ,")
    tokens = tokens_of(before)
    start = len(tokens)
    while start > 0 and (tokens[start - 1].is_cap or tokens[start - 1].lower in ("of", ".")):
        start -= 1
    if start == len(tokens):
        return None
    reading = read_source(before[tokens[start].start :])
    return reading.name if reading.form == NAMED else None


def fits(speaker: dict[str, Any], reading: Reading) -> bool:
    if reading.kinds and speaker["kind"] not in reading.kinds:
        return False
    if reading.gender and speaker["kind"] == PERSON:
        known = gender_of_name(speaker["name"])
        return not known or known == reading.gender
    return True


def earlier_mentions(scene: Scene, offset: int) -> list[Mention]:
    """Return who was named before the source, nearest first: in this sentence whoever it
    names before the source (as a source or in its words); then, sentence by sentence back,
    the sources of its attributions (stored, or the rules' finds where nobody labelled it)
    and then the people its words name."""
    from claims.speakers.mentions import text_mentions  # it reads a Scene too

    here = [m for m in scene.mentions if m.index == scene.index and 0 <= m.offset < offset]
    ordered = sorted(here + text_mentions(scene, scene.index, offset), key=lambda m: -m.offset)
    sources = [m for m in scene.mentions + scene.suggested_mentions if m.index < scene.index]
    indexes = {m.index for m in sources} | {i for i in scene.texts if i < scene.index}
    for index in sorted(indexes, reverse=True):
        ordered += sorted((m for m in sources if m.index == index), key=lambda m: -m.offset)
        ordered += sorted(text_mentions(scene, index), key=lambda m: -m.offset)
    return ordered


def referents(scene: Scene, offset: int, reading: Reading, text: str) -> list[Candidate]:
    found, seen = [], set()
    fitting: list[Mention] = []
    for mention in earlier_mentions(scene, offset):
        speaker = mention.speaker
        if mention.key in seen or speaker["kind"] in (AUTHOR, UNNAMED):
            continue
        seen.add(mention.key)
        where = f"sentence {mention.index + 1}"
        if fits(speaker, reading):
            score = REFERENT - REFERENT_STEP * len(fitting)
            fitting.append(mention)
            reason = f"“{text}”: named before ({where})"
        else:
            score = UNFIT - REFERENT_STEP * (len(seen) - len(fitting))
            reason = f"named before ({where})"
        found.append(Candidate(speaker.get("id"), speaker["name"], speaker["kind"], reason, score))
    if len(fitting) > 1 and fitting[0].index == fitting[1].index:
        return ambiguous(found, fitting[:2])
    return found


def ambiguous(found: list[Candidate], pair: list[Mention]) -> list[Candidate]:
    """Return the candidates listed as before but none proposed: the two nearest who fit were
    named in the same sentence ("Governor Tom Blake and Mayor Paul Carver met. He said"), and
    the nearer is then right about half the time (PolNeAR train: "he"/"she" 44 of 90, nominals
    3 of 14; bench/RESULTS.md, "two people named together"), a guess an annotator would accept
    blind."""
    names = {mention.key for mention in pair}
    return [
        replace_score(
            c, c.score - AMBIGUOUS,
            f"{c.reason}, beside another: which one?" if c.key in names else c.reason,
        )
        for c in found
    ]  # fmt: skip


def unnamed_candidate(scene: Scene) -> Candidate:
    return Candidate(None, UNNAMED_NAME, UNNAMED, "no one named", UNNAMED_SCORE)


def sourceless(scene: Scene) -> list[Candidate]:
    """Return the candidates for an attribution without a source: the speaker of the
    quotation it is part of, the next sentence's source, the previous sentence's, the
    author / outlet."""
    found = []
    quoted = quotation_speaker(scene)
    if quoted is not None:
        speaker = quoted[0]
        where = f"the quotation's speaker (sentence {quoted[1] + 1})"
        found.append(Candidate(speaker.id, speaker.name, speaker.kind, where, QUOTATION))
    for mention in scene.mentions:
        if mention.index == scene.index + 1:
            speaker = mention.speaker
            found.append(Candidate(speaker.get("id"), speaker["name"], speaker["kind"],
                                   NEXT_SENTENCE, NEXT_SOURCE))  # fmt: skip
        elif mention.index == scene.index - 1:
            speaker = mention.speaker
            found.append(Candidate(speaker.get("id"), speaker["name"], speaker["kind"],
                                   PREVIOUS_SENTENCE, PREVIOUS))  # fmt: skip
    outlet = scene.article_source or AUTHOR_NAME
    found.append(Candidate(None, outlet, AUTHOR, "the author / outlet", AUTHOR_SCORE))
    found.append(unnamed_candidate(scene))
    return found


def quotation_speaker(scene: Scene) -> tuple[Candidate, int] | None:
    """Return the speaker of the quotation over several sentences the sentence is part of,
    and the index of the sentence naming it, once any of its sentences names one (a stored
    attribution of the quoted part, or the source a suggestion of its first or last sentence
    names)."""
    from claims.speakers.suggested import quotation_source  # it ranks with this module

    quotation = scene.quotation
    if quotation is None:
        return None
    for mention in scene.mentions:
        part = quotation.parts.get(mention.index)
        if part is None or mention.index == scene.index:
            continue
        if mention.content is None or overlaps(mention.content, part):
            speaker = mention.speaker
            found = Candidate(speaker.get("id"), speaker["name"], speaker["kind"], "", QUOTATION)
            return found, mention.index
    return quotation_source(scene, quotation)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
