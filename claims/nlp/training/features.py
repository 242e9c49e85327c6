"""Token features from the rules, and documents of consecutive sentences for the tagger.

The tagger sees more than words: for each token, the role the rule suggester gives it
(source, cue, content or none), whether it lies inside a quotation (carried across sentences,
since a quotation often runs over several), whether it is a cue word of the rules' lexicon or
of the broad one of reporting verbs and nouns (claims.nlp.reporting_words: it carries the
tagger to cue words training never saw as cues), and whether it starts a sentence. Blank
pipelines have no lemmatizer, so the combined feature is stored in the token's lemma slot,
which the tagger's embedding reads like any other attribute.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from claims.nlp.attribution_rules import Suggestion, attributions_in
from claims.nlp.lexicon import CUE_WORDS
from claims.nlp.quote_ranges import quotations
from claims.nlp.reporting_words import (
    ATTITUDE_ADJECTIVES,
    REPORTING_NOUNS,
    REPORTING_NOUNS_3,
    REPORTING_VERBS,
    REPORTING_VERBS_3,
)

# The feature strings' version, stored with a trained tagger: a model reads the features it
# was trained on (1: no reporting-words lexicon; 2: with it; 3: with the words of thought,
# feeling and attitude as well).
FEATURES = 3
# A quotation left open this many sentences ago is taken to have been a stray mark.
MAX_QUOTE_CARRY = 4
# Consecutive sentences are tagged together, up to this many tokens, for context.
CHUNK_TOKENS = 160
_ROLE_LETTER = {"source": "S", "cue": "C", "content": "T"}


@dataclass(frozen=True)
class SentenceFeatures:
    """A tokenised sentence with its rule suggestions and per-token feature strings.

    ``features`` go in the lemma slot, ``reach`` (where the nearest cue word is, as a
    morphological feature) in the morph slot: the tagger embeds both.
    """

    doc: Doc
    rules: tuple[Suggestion, ...]
    features: tuple[str, ...]
    reach: tuple[str, ...]


@dataclass(frozen=True)
class Chunk:
    """A doc of consecutive sentences (``indexes``) and the token where each starts."""

    doc: Doc
    indexes: tuple[int, ...]
    token_starts: tuple[int, ...]


def featurize(
    nlp: Language, texts: Sequence[str], carry: int = 0, version: int = FEATURES
) -> list[SentenceFeatures]:
    """Tokenise consecutive sentences, run the rules on each and derive the token features.

    ``carry``: the quotation state the sentences before left (``quote_carry``); ``version``:
    which features (``FEATURES``; a model trained on older ones reads those).
    """
    found = []
    for text in texts:
        doc = nlp.make_doc(text)
        rules = tuple(attributions_in(doc, []))
        quoted, carry = _quoted(text, carry)
        features = tuple(
            _feature(token, rules, quoted, first=token.i == 0, version=version) for token in doc
        )
        found.append(SentenceFeatures(doc, rules, features, _reach(doc, rules, version)))
    return found


def quote_carry(texts: Sequence[str]) -> int:
    """Return the quotation state after consecutive sentences (0: no quotation left open)."""
    carry = 0
    for text in texts:
        _, carry = _quoted(text, carry)
    return carry


def _reach(doc: Doc, rules: Sequence[Suggestion], version: int = FEATURES) -> tuple[str, ...]:
    """Return, per token, the side and distance of the nearest other cue word or rule cue.

    The tagger's window sees eight tokens each way; this tells it about a cue further off
    ("Dana Ortiz, a strategist who managed the campaign, said") or about none at all.
    """
    verbs = _verbs(version)
    cues = {t.i for t in doc if t.lower_ in CUE_WORDS or t.lower_ in verbs}
    for suggestion in rules:
        if suggestion.cue:
            span = doc.char_span(*suggestion.cue, alignment_mode="expand")
            cues.update(range(span.start, span.end) if span is not None else ())
    reach = []
    for token in doc:
        gaps = [c - token.i for c in cues if c != token.i]
        if not gaps:
            reach.append("Cue=None")
            continue
        gap = min(gaps, key=abs)
        size = 1 if abs(gap) <= 2 else 2 if abs(gap) <= 6 else 3 if abs(gap) <= 15 else 4
        reach.append(f"Cue={'Right' if gap > 0 else 'Left'}{size}")
    return tuple(reach)


def _quoted(text: str, carry: int) -> tuple[list[tuple[int, int]], int]:
    """Return the quoted ranges of a sentence and the carry for the next one.

    ``carry`` counts the sentences since a quotation opened and stayed open (0: none).
    """
    ranges = quotations(text)
    marks = [i for i, char in enumerate(text) if char in '"“”«»']
    if not marks:
        if 0 < carry < MAX_QUOTE_CARRY:
            return [(0, len(text))], carry + 1
        return [], 0
    last_open = bool(ranges) and ranges[-1][1] == len(text) and marks[-1] < len(text) - 1
    return ranges, 1 if last_open else 0


def _feature(token, rules: Sequence[Suggestion], quoted, *, first: bool, version: int) -> str:
    start, end = token.idx, token.idx + len(token)
    role = "O"
    for suggestion in rules:
        for name, letter in _ROLE_LETTER.items():
            span = getattr(suggestion, name)
            if span and span[0] < end and start < span[1]:
                role = letter
    inside = "q" if any(a <= start < b for a, b in quoted) else "-"
    word = token.lower_
    if version < 2:
        return f"{role}{inside}{'c' if word in CUE_WORDS else '-'}{'b' if first else '-'}"
    cue = "c" if word in CUE_WORDS else "v" if word in _verbs(version) else "-"
    if cue == "-" and version >= 3 and word in ATTITUDE_ADJECTIVES:
        cue = "a"
    noun = "n" if word in (REPORTING_NOUNS_3 if version >= 3 else REPORTING_NOUNS) else "-"
    return f"{role}{inside}{cue}{noun}{'b' if first else '-'}"


def _verbs(version: int) -> frozenset[str]:
    """Return the reporting verbs of a feature version."""
    if version >= 3:
        return REPORTING_VERBS_3
    return REPORTING_VERBS if version >= 2 else frozenset()


def chunks(
    nlp: Language, sentences: Sequence[SentenceFeatures], max_tokens: int = CHUNK_TOKENS
) -> Iterator[Chunk]:
    """Group consecutive sentences into docs of at most ``max_tokens`` tokens (or one)."""
    group: list[int] = []
    size = 0
    for index, sentence in enumerate(sentences):
        if group and size + len(sentence.doc) > max_tokens:
            yield _chunk(nlp, sentences, group)
            group, size = [], 0
        group.append(index)
        size += len(sentence.doc)
    if group:
        yield _chunk(nlp, sentences, group)


def _chunk(nlp: Language, sentences: Sequence[SentenceFeatures], group: list[int]) -> Chunk:
    words, spaces, lemmas, morphs, starts, token_starts = [], [], [], [], [], []
    for index in group:
        sentence = sentences[index]
        token_starts.append(len(words))
        for token, feature, reach in zip(
            sentence.doc, sentence.features, sentence.reach, strict=True
        ):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
            lemmas.append(feature)
            morphs.append(reach)
            starts.append(token.i == 0)
        if sentence.doc:
            spaces[-1] = True
    doc = Doc(
        nlp.vocab, words=words, spaces=spaces, lemmas=lemmas, morphs=morphs, sent_starts=starts
    )
    return Chunk(doc, tuple(group), tuple(token_starts))
