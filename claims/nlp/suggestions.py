"""Pre-annotation: suggest attributions (source, cue, content, quote type) for one sentence.

Tokenised like claims/nlp/segmentation.py (``get_nlp``, never moving its boundaries). With the
blank English pipeline the suggestions come from rules: a lexicon of cue words and phrases ("said",
"according to", "called on", ...), quotations between quote marks, and source candidates next
to a cue: a pronoun, a capitalised name sequence ("Russian Foreign Minister Sergey Lavrov"), a
determiner phrase ("the Russian top diplomat") or a list of names; the project's known speaker
names and aliases are found with spaCy's PhraseMatcher and name the speaker. With a trained
pipeline (``CLAIMS_SPACY_MODEL``, claims/nlp/parsing.py) the subject of the cue verb and the
PERSON / ORG / GPE / NORP entities are used first.

Spans have the export's shape: ``{"start", "end", "text"}``, end-exclusive offsets into the
sentence in code points. Nothing is cached here; the pipeline is loaded once per process by
``get_nlp``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from claims.nlp.attribution_rules import KnownSpeaker, Suggestion, attributions_in
from claims.nlp.parsing import get_parser, parses
from claims.nlp.segmentation import get_nlp

# Types only: spaCy loads with a pipeline (claims.nlp.segmentation), not at app start-up.
if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

CLAIM_NOT_KINDS = {"heading", "dateline", "boilerplate"}

__all__ = ["KnownSpeaker", "suggest"]


def suggest(
    text: str,
    *,
    speakers: Sequence[KnownSpeaker] = (),
    kind: str = "body",
    not_claim: str | None = None,
) -> dict[str, Any]:
    """Return ``{"attributions": [...], "claim": label or None}`` for one sentence.

    `not_claim` is the project's value for "not a claim" (None: never suggest a claim label).
    """
    if kind in CLAIM_NOT_KINDS:
        return {"attributions": [], "claim": not_claim}
    doc = get_parser()(text) if parses() else get_nlp().make_doc(text)
    suggestions = attributions_in(doc, known_speaker_spans(doc, speakers))
    return {
        "attributions": [record(text, s) for s in suggestions],
        "claim": not_claim if text.rstrip().endswith("?") else None,
    }


def record(text: str, suggestion: Suggestion) -> dict[str, Any]:
    """Return the suggestion in the export's attribution shape."""

    def span(offsets):
        return offsets and {"start": offsets[0], "end": offsets[1], "text": text[slice(*offsets)]}

    speaker = suggestion.speaker
    return {
        "speaker": speaker and {"id": speaker.id, "name": speaker.name, "kind": speaker.kind},
        "source": span(suggestion.source),
        "cue": span(suggestion.cue),
        "content": span(suggestion.content),
        "quote_type": suggestion.quote_type or None,
        "suggested": True,
    }


def known_speaker_spans(
    doc: Doc, speakers: Iterable[KnownSpeaker]
) -> list[tuple[Span, KnownSpeaker]]:
    """Return where the sentence names a known speaker (case-insensitive, whole tokens)."""
    folded = doc.text.casefold()
    present = [s for s in speakers if any(n.casefold() in folded for n in s.names if n)]
    if not present:
        return []
    from spacy.matcher import PhraseMatcher  # spaCy is loaded: there is a Doc

    matcher = PhraseMatcher(doc.vocab, attr="LOWER")
    nlp = get_nlp()
    for number, speaker in enumerate(present):
        matcher.add(str(number), [nlp.make_doc(name) for name in speaker.names if name.strip()])
    found = []
    for match_id, start, end in matcher(doc):
        found.append((doc[start:end], present[int(doc.vocab.strings[match_id])]))
    return found
