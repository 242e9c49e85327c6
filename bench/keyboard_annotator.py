"""The keyboard-only annotator of bench/keystrokes_data.py: the keys it presses in the page
for a sentence's gold attributions, and how it reads what the page shows."""

import re
from collections import deque

from keystrokes import word_moves, words_of

ROLES = ("source", "cue", "content")
MARKS = {"source": "r", "cue": "v", "content": "t"}
PACE_MS = 30  # between keys: a person's pace (the picker's candidates load meanwhile)


def fold(name: str | None) -> str:
    return " ".join((name or "").casefold().replace(".", "").split()).removeprefix("the ")


class Annotator:
    """One keyboard-only annotator in the page; counts the keys per sentence."""

    def __init__(self, page, base: str, use_suggestions: bool):
        self.page, self.base, self.use_suggestions = page, base, use_suggestions
        self.keys: dict[int, int] = {}
        self.new_speaker_keys: list[int] = []  # keys spent on a speaker new to the project
        self.known: set[str] = set()  # speaker names the project has (folded)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(PACE_MS)
            self.count += 1

    def api(self, path: str) -> dict:
        response = self.page.request.get(f"{self.base}{path}")
        return response.json() if response.ok else {}

    def label(self, sentence_id: int, text: str, gold: list[dict]) -> None:
        self.count = 0
        # The page's keyboard selection: (anchor, caret) in words, or None; a new sentence
        # starts with the caret on its first word.
        self.selection, self.caret = None, 0
        self.words = words_of(text)
        done: list[dict] = []  # gold attributions made so far, in the page's order
        if self.use_suggestions:
            suggested = self.api(f"/api/v1/sentences/{sentence_id}/suggestions/")
            for suggestion in self.open_suggestions(suggested, done):
                target = fitting(suggestion, gold, done)
                if target is None:
                    break  # the next one is wrong: the rest by hand
                self.press("y")
                self.fix_spans(text, suggestion, target)
                done.append(target)
                self.fix_speaker(self.speaker_shown(len(done) - 1), target, len(done) - 1)
        for target in [g for g in gold if g not in done]:
            self.by_hand(text, target, first=not done)
            done.append(target)
            self.fix_speaker(None, target, len(done) - 1)
        self.press("2" if gold else "1")
        self.keys[sentence_id] = self.count + 1  # Enter, pressed by next_sentence
        for target in gold:
            if target["speaker"]:
                self.known.add(fold(target["speaker"]))

    def speaker_shown(self, index: int) -> dict | None:
        """Return the speaker the page shows for attribution `index` ("Name (kind)")."""
        value = self.page.locator(f"#speaker-{index}").input_value()
        found = re.match(r"(.+) \(([a-z]+)\)$", value)
        return found and {"name": found.group(1), "kind": found.group(2)}

    @staticmethod
    def open_suggestions(suggested: dict, done: list) -> list[dict]:
        return list(suggested.get("attributions", []))

    def fix_spans(self, text: str, suggestion: dict, target: dict) -> None:
        """Mark again the spans of an accepted suggestion that differ from the target."""
        for role in ROLES:
            want, got = target[role], suggestion.get(role)
            if want and (not got or (got["start"], got["end"]) != tuple(want)):
                self.mark(role, want)

    def mark(self, role: str, span: tuple[int, int]) -> None:
        """Select the span word by word from where the page's selection is, and mark it."""
        inside = [i for i, w in enumerate(self.words) if w[0] < span[1] and span[0] < w[1]]
        start = self.selection or (self.caret, self.caret)
        keys, (anchor, caret) = shortest(start, (inside[0], inside[-1]), len(self.words) - 1)
        self.press("w", *keys, MARKS[role])
        self.caret = caret
        # After a source or cue the word after it is selected; after a content nothing is.
        following = next((i for i, w in enumerate(self.words) if w[0] >= span[1]), None)
        self.selection = None if role == "content" or following is None else (following,) * 2
        if self.selection:
            self.caret = following

    def by_hand(self, text: str, target: dict, first: bool) -> None:
        if not first:
            self.press("b")
        for role in ROLES:
            if target[role]:
                self.mark(role, target[role])

    def fix_speaker(self, proposed: dict | None, target: dict, index: int) -> None:
        """Give the attribution the target's speaker: nothing when the proposal is it, else
        the picker (`k`, then ↓ to its row or its name typed, `Enter`)."""
        want = target["speaker"]
        new = bool(want) and fold(want) not in self.known
        before = self.count
        if want is None or (proposed and fold(proposed["name"]) == fold(want)):
            if new:
                self.new_speaker_keys.append(0)
            return
        self.press("k")
        self.page.wait_for_selector(f"#speaker-{index}-list li", timeout=5000)
        self.page.wait_for_timeout(300)
        labels = self.page.locator(f"#speaker-{index}-list li").all_text_contents()
        active = next((i for i, li in enumerate(
            self.page.locator(f"#speaker-{index}-list li").all()
        ) if li.get_attribute("aria-selected") == "true"), -1)  # fmt: skip
        row = next((i for i, label in enumerate(labels) if names(label) == fold(want)), None)
        if row is not None:
            steps = row - active if active >= 0 else row + 1
            self.press(*(["ArrowDown"] * steps if steps >= 0 else ["ArrowUp"] * -steps), "Enter")
        else:
            for char in want:
                self.page.keyboard.type(char)
                self.count += 1
            self.page.wait_for_timeout(400)
            labels = self.page.locator(f"#speaker-{index}-list li").all_text_contents()
            row = next((i for i, label in enumerate(labels) if names(label) == fold(want)), 0)
            selected = [li.get_attribute("aria-selected") for li in
                        self.page.locator(f"#speaker-{index}-list li").all()]  # fmt: skip
            active = selected.index("true") if "true" in selected else -1
            steps = row - active if active >= 0 else row + 1
            self.press(*(["ArrowDown"] * max(0, steps)), "Enter")
        if new:
            self.new_speaker_keys.append(self.count - before)


def shortest(start: tuple[int, int], goal: tuple[int, int], last: int):
    """Return the fewest word-selection keys from a selection to the goal's words, and the
    selection (anchor, caret) they leave (breadth first over the page's word keys)."""
    seen = {start: []}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if (min(state), max(state)) == goal:
            return seen[state], state
        for key, after in word_moves(*state, last):
            if after not in seen:
                seen[after] = [*seen[state], key]
                queue.append(after)
    raise AssertionError(f"cannot select {goal}")


def names(label: str) -> str:
    """Return the speaker name a picker row offers (folded)."""
    created = re.match(r"Create “(.+)” \(", label)
    if created:
        return fold(created.group(1))
    return fold(re.sub(r" \([a-z]+\)( · .*)?$", "", label))


def fitting(suggestion: dict, gold: list[dict], done: list[dict]) -> dict | None:
    """Return the gold attribution the suggestion is (same spans), or one it becomes by
    marking its differing spans again (it marks no role the gold leaves empty); else None."""
    open_gold = [g for g in gold if g not in done]
    spans = {r: suggestion[r] and (suggestion[r]["start"], suggestion[r]["end"]) for r in ROLES}
    for target in open_gold:
        if all(spans[r] == (tuple(target[r]) if target[r] else None) for r in ROLES):
            return target
    for target in open_gold:
        extra = any(spans[r] and not target[r] for r in ROLES)
        shared = any(spans[r] and target[r] and spans[r] == tuple(target[r]) for r in ROLES)
        if shared and not extra:
            return target
    return None
