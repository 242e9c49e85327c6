"""Tokenise sentences with the project's spaCy pipeline and map character spans to tokens."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc


def tokenize(text: str) -> Doc:
    """Return the text tokenised (tokenizer only) by the pipeline sentences are split with."""
    # Imported here so that the native JSONL export never loads spaCy.
    from claims.nlp.segmentation import get_nlp

    return get_nlp().make_doc(text)


def token_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Return the tokens [first, last + 1) covering the characters, or None for whitespace."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.start, span.end


def bio_tags(
    doc: Doc, spans: tuple[tuple[int, int, str], ...], untagged: Counter | None = None
) -> list[str]:
    """Return a BIO tag per token; of overlapping spans, the earlier (then longer) one wins.

    The spans that get no tags are counted in `untagged` by why: "covers_no_token" or
    "overlaps_another_span" (claims.exporting.report.PartLeft's values).
    """
    tags = ["O"] * len(doc)
    untagged = untagged if untagged is not None else Counter()
    for start, end, label in sorted(spans, key=lambda s: (s[0], s[0] - s[1], s[2])):
        tokens = token_range(doc, start, end)
        if tokens is None:
            untagged["covers_no_token"] += 1
            continue
        if any(tag != "O" for tag in tags[tokens[0] : tokens[1]]):
            untagged["overlaps_another_span"] += 1
            continue
        tags[tokens[0]] = f"B-{label}"
        for index in range(tokens[0] + 1, tokens[1]):
            tags[index] = f"I-{label}"
    return tags
