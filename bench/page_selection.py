"""The labeling page's selection keys (annotator/static/annotator/select.js and units.js), read
in Python so that the keyboard annotator of bench/keystrokes_data.py plans the fewest keys over
all of them: words, phrases (`Ctrl+←/→`), punctuation pieces (`.` `,`), the sentence's ends
(`Home` `End`, `Shift` extends each), quotations (`"`) and the active attribution's own spans
(`Shift+W`, to move their ends), from where the page's selection is.

A state is (anchor, caret, selected, focused, cycle): the keyboard selection in word indices,
whether the page shows a selection (it is then always the words from anchor to caret), whether
the sentence has the focus (the sentence keys act only then; `w`, `"` and `Shift+W` give it),
and where `Shift+W` is in its turn while the selection it made stands. Offsets are code points,
as in the page (Python's str indexes them)."""

from collections import deque
from typing import NamedTuple

from page_units import quotations, snapped

JOINERS = {"of", "de", "del", "al", "bin", "van", "von", "'s", "’s"}


class State(NamedTuple):
    anchor: int
    caret: int
    selected: bool
    focused: bool
    cycle: int = -1  # which of the active attribution's ends `Shift+W` selected last, if it did

    @property
    def words(self) -> tuple[int, int]:
        return min(self.anchor, self.caret), max(self.anchor, self.caret)


def is_mark(text: str, word: tuple[int, int]) -> bool:
    return not text[word[0]].isalnum()


def phrases_of(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """units.js phrasesOf: runs of words between marks, cut where a capitalised name starts
    or ends; (first, last) word indices."""
    found, i = [], 0

    def cap(n: int) -> bool:
        return n < len(words) and not is_mark(text, words[n]) and text[words[n][0]].isupper()

    while i < len(words):
        if is_mark(text, words[i]):
            i += 1
            continue
        first, name = i, cap(i)
        i += 1
        while i < len(words) and not is_mark(text, words[i]):
            joins = text[words[i][0] : words[i][1]].lower() in JOINERS and cap(i + 1)
            if (not (cap(i) or joins)) if name else cap(i):
                break
            i += 2 if joins else 1
        found.append((first, i - 1))
    return found


def pieces_of(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """units.js piecesOf: the runs of words between punctuation marks."""
    found, first = [], None
    for n, word in enumerate(words):
        if is_mark(text, word):
            if first is not None:
                found.append((first, n - 1))
            first = None
        elif first is None:
            first = n
    if first is not None:
        found.append((first, len(words) - 1))
    return found


class Page:
    """One sentence's selection keys and where each leaves the page's state."""

    def __init__(self, text: str, words: list[tuple[int, int]]):
        self.text, self.words, self.last = text, words, len(words) - 1
        self.phrases = phrases_of(text, words)
        self.pieces = pieces_of(text, words)
        quotes = [snapped(words, *q) for q in quotations(text)]
        # A quotation without a word would make the page's `"` fail: never press it then.
        self.quotes = [self.word_range(q) for q in quotes] if all(quotes) else []
        self.ends: list[tuple[int, int]] = []

    def attribution(self, spans: dict) -> None:
        """The active attribution's spans (by role), for `Shift+W` (select.js selectMarked):
        each (anchor, caret), first with the caret on its last word, then on its first."""
        self.ends = []
        for role in ("source", "cue", "content"):
            if spans.get(role):
                first, last = self.word_range(spans[role])
                self.ends.append((first, last))
                if last > first:
                    self.ends.append((last, first))

    def word_range(self, span: tuple[int, int]) -> tuple[int, int]:
        """The words a span touches (first, last)."""
        inside = [i for i, w in enumerate(self.words) if w[0] < span[1] and span[0] < w[1]]
        return inside[0], inside[-1]

    def reach(self, state: State, first: int, last: int, extend: bool, forward=True) -> State:
        if extend:
            return State(state.anchor, last if forward else first, True, True)
        return State(first, last, True, True)

    def by_word(self, state: State, step: int, extend: bool) -> State:
        low, high = state.words
        moved = state.caret if extend else high if step > 0 else low
        caret = max(0, min(self.last, moved + step))
        return self.reach(state, caret, caret, extend)

    def by_phrase(self, state: State, step: int, extend: bool) -> State:
        if not self.phrases:
            return state
        low, high = state.words
        if step > 0:
            edge = state.caret if extend else high
            phrase = next((p for p in self.phrases if p[0] > edge), self.phrases[-1])
        else:
            edge = state.caret if extend else low
            phrase = next((p for p in reversed(self.phrases) if p[1] < edge), self.phrases[0])
        return self.reach(state, *phrase, extend, step > 0)

    def by_piece(self, state: State, step: int, extend: bool) -> State:
        pieces = self.pieces
        if not pieces:
            return state
        if extend:  # the end to the word before a mark, the start to the word after one
            caret = state.caret
            moves_end = caret > state.anchor or (caret == state.anchor and step > 0)
            if moves_end and step < 0:
                here = next((p for p in reversed(pieces) if p[0] <= caret), pieces[0])
                to = next((p[1] for p in reversed(pieces) if p[1] < here[0]), state.anchor)
            elif moves_end:
                to = next((p for p in pieces if p[1] > caret), pieces[-1])[1]
            elif step > 0:
                here = next((p for p in pieces if p[1] >= caret), pieces[-1])
                to = next((p[0] for p in pieces if p[0] > here[1]), state.anchor)
            else:
                to = next((p for p in reversed(pieces) if p[0] < caret), pieces[0])[0]
            return self.reach(state, to, to, True)
        low, high = state.words
        here = max((n for n, p in enumerate(pieces) if p[0] <= low), default=-1)
        back = here if here >= 0 and pieces[here][0] < low else here - 1
        if step > 0:
            at = next((n for n, p in enumerate(pieces) if p[0] > high), -1)
        else:
            at = max(0, back)
        piece = pieces[at]  # -1: the last piece, as the page takes it
        phrase = next((p for p in self.phrases if p[0] >= piece[0]), None)
        return self.reach(state, piece[0], min(piece[1], phrase[1] if phrase else piece[1]), False)

    def to_end(self, state: State, step: int, extend: bool) -> State:
        caret = self.last if step > 0 else 0
        return self.reach(state, caret, caret, extend, step > 0)

    def quotation(self, state: State) -> State:
        """`"`: the quotation around the selection, else the next one (again: the one after)."""
        quotes = self.quotes
        current = state.words if state.selected else None
        if current in quotes:
            chosen = quotes[(quotes.index(current) + 1) % len(quotes)]
        else:
            chosen = next(
                (q for q in quotes if current and q[0] <= current[0] and current[1] <= q[1]),
                None,
            ) or next((q for q in quotes if not current or q[0] >= current[0]), quotes[0])
        return State(chosen[0], chosen[1], True, True)

    def marked_span(self, state: State) -> State:
        """`Shift+W`: the next of the active attribution's ends after the one it selected last
        (while that selection stands), else the first."""
        here = state.cycle if state.selected else -1
        at = (here + 1) % len(self.ends)
        return State(*self.ends[at], True, True, at)

    def moves(self, state: State):
        """The keys, and the state each leaves."""
        if self.quotes:
            yield '"', self.quotation(state)
        if self.ends:
            yield "Shift+W", self.marked_span(state)
        if not state.focused:
            if state.selected:
                yield "w", state._replace(focused=True)
            else:
                yield "w", State(state.caret, state.caret, True, True)
            return
        if not state.selected:
            yield "w", State(state.caret, state.caret, True, True)
        for extend in (False, True):
            shift = "Shift+" if extend else ""
            for step, arrow in ((1, "ArrowRight"), (-1, "ArrowLeft")):
                yield f"{shift}{arrow}", self.by_word(state, step, extend)
                yield f"Control+{shift}{arrow}", self.by_phrase(state, step, extend)
            for step, mark in ((1, "Period"), (-1, "Comma")):
                yield f"{shift}{mark}", self.by_piece(state, step, extend)
            for step, end in ((1, "End"), (-1, "Home")):
                yield f"{shift}{end}", self.to_end(state, step, extend)

    def path(self, start: State, goal: tuple[int, int]) -> tuple[list[str], State]:
        """The fewest keys from `start` to a selection of the goal's words (breadth first)."""
        seen = {start: []}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            if state.selected and state.words == goal:
                return seen[state], state
            for key, after in self.moves(state):
                if after not in seen:
                    seen[after] = [*seen[state], key]
                    queue.append(after)
        raise AssertionError(f"cannot select {goal}")

    def marked(self, state: State, role: str, span: tuple[int, int]) -> State:
        """The state after marking a role (r, v, t; or T for the content): after a source or
        cue the word after it is selected when the sentence has the focus; after a content
        nothing is."""
        if role == "content":
            return state._replace(selected=False, cycle=-1)
        following = next((i for i, w in enumerate(self.words) if w[0] >= span[1]), None)
        if following is None or not state.focused:
            return state._replace(selected=False, cycle=-1)
        return State(following, following, True, True)
