"""Where a sentence starts, around quote marks: closing quotes end a sentence, opening ones
start the next (the sentencizer would attach both to the sentence before)."""

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
