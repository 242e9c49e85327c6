"""Where a sentence starts, around quote marks and abbreviations: closing quotes end a
sentence, opening ones start the next (the sentencizer would attach both to the sentence
before); a quotation ending in "?" or "!" keeps the attribution after it
('"...right?" Trump said at a fundraiser'); initials closing a sentence end it
("Sen. Chuck Schumer (D-N.Y.) The emails ...", "in the U.S. The ...")."""

import re

from claims.nlp.lexicon import CUE_WORDS
from claims.nlp.lines import FINAL_PUNCT

# Straight quotes are ambiguous; position (after whitespace, before a non-space) decides.
_OPENERS = frozenset("\"'“‘«„‹([{")
_CLOSERS = frozenset("\"'”’»›)]}")


def adjust_cut(para: str, cut: int) -> int:
    """Move a sentence start so closing quotes end a sentence and opening quotes start one."""
    if cut == 0:
        return 0
    # Most starts follow one space after a word or a period: nothing to move (checked first,
    # as this runs for every sentence).
    if cut >= 2 and para[cut - 1] == " " and para[cut] not in _CLOSERS:
        before = para[cut - 2]
        if before not in _OPENERS and not before.isspace():
            return cut
    return _openers_forward(para, _closers_back(para, cut))


def _closers_back(para: str, cut: int) -> int:
    """Keep closing quotes glued to the sentence they close (parsers may split them off)."""
    if cut == 0 or para[cut] not in _CLOSERS or para[cut - 1].isspace():
        return cut
    end = cut
    while end < len(para) and (para[end] in _CLOSERS or para[end] in FINAL_PUNCT):
        end += 1
    return end if end == len(para) or para[end].isspace() else cut


def _openers_forward(para: str, cut: int) -> int:
    """Hand opening quotes to the next sentence.

    The sentencizer attaches all punctuation after a period to the sentence it ends, so
    ``said. "We`` would otherwise end the first sentence with the quote that opens the next.
    """
    tail = cut
    while tail > 0 and (para[tail - 1].isspace() or para[tail - 1] in _OPENERS):
        tail -= 1
    for index in range(tail, cut):
        if para[index] in _OPENERS and _is_opening(para, index):
            return index
    return cut


def _is_opening(para: str, index: int) -> bool:
    """Tell whether the mark at ``index`` opens something: space before, non-space after."""
    after = index + 1
    before_ok = index == 0 or para[index - 1].isspace()
    return before_ok and after < len(para) and not para[after].isspace()


# A question or exclamation closed by a quote mark, as the text before a sentence start.
_QUESTION_QUOTED = re.compile(r"[?!][\"”’»]+\s*$")
# Who speaks, before the cue ("Trump", "Sen. Chuck Schumer", "he", "the senator").
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it"})
_MAX_SOURCE_WORDS = 5
# Initials ending a sentence ("U.S.", "(D-N.Y.)") before a word that opens a sentence.
_INITIALS_END = re.compile(
    r"(?<![\w.])(?:[A-Z]\.){2,}\)?[\"”’]?\s+"
    r"(?=(?:The|A|An|This|That|These|Those|He|She|It|They|We|His|Her|Its|Their|Our|But|In"
    r"|On|At|For|If|When|While|After|Before|There|What|Why|How|Some|Many|Most)\s)"
)


# A party and state in brackets after a name, "(I-Vt.)", ends no sentence before a word in
# lower case: "Sen. Ann Lee (D-Ore.) said ...".
_BRACKETED_ABBREVIATION = re.compile(r"\.\)\s+$")


def joined_cuts(para: str, cuts: set[int]) -> set[int]:
    """Return the cuts without those between a quoted question and its attribution or
    after a bracketed abbreviation going on in lower case, plus the cuts after initials that
    end a sentence."""
    kept = {
        cut
        for cut in cuts
        if not attribution_follows(para, cut)
        and not (para[cut : cut + 1].islower() and _BRACKETED_ABBREVIATION.search(para, 0, cut))
    }
    return kept | {match.end() for match in _INITIALS_END.finditer(para)}


def attribution_follows(para: str, cut: int) -> bool:
    """Tell whether ``cut`` splits '"...right?" Trump said ...': a quoted question or
    exclamation, then its source and cue (or cue and source) opening the next sentence."""
    if cut == 0 or not _QUESTION_QUOTED.search(para, 0, cut):
        return False
    raw = para[cut:].split(maxsplit=_MAX_SOURCE_WORDS + 2)
    words = [w.strip(",.;:") for w in raw]
    if not words:
        return False
    # 'I said, "Wait a minute"': the cue opens a quotation of its own.
    opens = [i for i, w in enumerate(raw[:-1]) if w[-1] in ",:" and raw[i + 1][0] in "\"“‘'"]
    if opens and opens[0] <= _MAX_SOURCE_WORDS:
        return False
    first = words[0].casefold()
    if first in CUE_WORDS:  # '..." said Trump', '..." asked the senator'
        return len(words) > 1 and (words[1][:1].isupper() or words[1].casefold() in _PRONOUNS)
    if first in _PRONOUNS:
        return len(words) > 1 and _cue_at(words, 1)
    start = 1 if first == "the" else 0
    for index in range(start, min(len(words), start + _MAX_SOURCE_WORDS)):
        word = words[index]
        if index > start and _cue_at(words, index):
            return True
        if not (word[:1].isupper() or (first == "the" and word.isalpha() and word.islower())):
            return False
    return False


def _cue_at(words: list[str], index: int) -> bool:
    """Tell whether a cue verb stands at ``index`` (after "also"), not opening a that-clause."""
    if index < len(words) and words[index].casefold() == "also":
        index += 1
    if index >= len(words) or words[index].casefold() not in CUE_WORDS:
        return False
    return index + 1 >= len(words) or words[index + 1].casefold() != "that"
