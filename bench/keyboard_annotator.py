"""The keyboard-only annotator of bench/keystrokes_data.py: the keys it presses in the page
for a sentence's gold attributions, and how it reads what the page shows."""

import re
from collections import Counter, deque
from contextlib import suppress
from itertools import permutations

from keystrokes import word_moves, words_of
from page_selection import Page, State
from page_units import rest_of
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROLES = ("source", "cue", "content")
MARKS = {"source": "r", "cue": "v", "content": "t"}
PACE_MS = 30  # between keys: a person's pace (the picker's candidates load meanwhile)

# Without a source, the report's band edge: the quotation's speaker and the next sentence's
# source score above it, the previous sentence's below.
SOURCELESS_BAND = 0.6


def fold(name: str | None) -> str:
    return " ".join((name or "").casefold().replace(".", "").split()).removeprefix("the ")


class Annotator:
    """One keyboard-only annotator in the page; counts the keys per sentence."""

    def __init__(self, page, base: str, use_suggestions: bool):
        self.page, self.base, self.use_suggestions = page, base, use_suggestions
        self.keys: dict[int, int] = {}
        self.submit_key = "Enter"  # the key that submits the sentence labelled last
        self.new_speaker_keys: list[int] = []  # keys spent on a speaker new to the project
        self.known: set[str] = set()  # speaker names the project has (folded)
        # Where the keys go: attributions accepted / made by hand / speakers fixed, and keys.
        self.tally: Counter = Counter()
        # Speaker picks by why they are needed (Annotator.why_picked), and their keys.
        self.speaker_picks: Counter = Counter()
        self.speaker_pick_keys: Counter = Counter()

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
        self.words, self.text = words_of(text), text
        # "keys": the page's selection state (a new sentence has no selection, the caret on
        # its first word and the focus outside the sentence), and the sentence's keys.
        self.state, self.units = State(0, 0, False, False), Page(text, self.words)
        done: list[dict] = []  # gold attributions made so far, in the page's order
        self.sentence_id = sentence_id
        if self.use_suggestions:
            suggested = self.api(f"/api/v1/sentences/{sentence_id}/suggestions/")
            passed: list[dict] = []  # suggestions passed over with Shift+Y
            accepted: list[dict] = []  # taken whatever is moved since (suggestions.js)
            while offer := open_suggestions(suggested, done, passed, accepted):
                # The first suggestion that fits a gold attribution not made yet; the wrong
                # ones before it are passed over (Shift+Y each), none after it.
                found = next(((n, t) for n, s in enumerate(offer)
                              if (t := fitting(s, gold, done))), None)  # fmt: skip
                if found is None:
                    break  # none fits: the rest by hand
                if not self.offered():
                    # The page fetched the sentence ahead, before the sentence just labelled
                    # was saved: the API may suggest more now than the page offers.
                    self.tally["not offered"] += 1
                    break
                skip, target = found
                suggestion = offer[skip]
                if skip:
                    self.press(*["Y"] * skip)
                    passed.extend(offer[:skip])
                    self.tally["passed over"] += skip
                before = self.count
                self.accept()
                accepted.append(suggestion)
                self.fix_spans(text, suggestion, target)
                self.tally["accepted"] += 1
                self.tally["accepted keys"] += self.count - before
                done.append(target)
                self.fix_speaker(self.settled_speaker(len(done) - 1), target, len(done) - 1,
                                 how="accepted", source=target["source"])  # fmt: skip
        for target in [g for g in gold if g not in done]:
            before = self.count
            self.by_hand(text, target, first=not done)
            self.tally["by hand"] += 1
            self.tally["by hand keys"] += self.count - before
            done.append(target)
            # The page proposes a hand-marked source's speaker; "words" (the page before) picks.
            shown = self.settled_speaker(len(done) - 1) if self.use_suggestions else None
            self.fix_speaker(shown, target, len(done) - 1, how="by hand", source=target["source"])
        claim = "2" if gold else "1"
        if self.use_suggestions:
            # The claim and the submit in one key, pressed by next_sentence.
            self.submit_key = f"Shift+Digit{claim}"
        else:
            self.press(claim)  # the page before: the claim key, then Enter
        self.keys[sentence_id] = self.count + 1  # the submit key, pressed by next_sentence
        for target in gold:
            if target["speaker"]:
                self.known.add(fold(target["speaker"]))

    def offered(self) -> bool:
        """Whether the page lists an attribution suggestion (not the claim's or a stance's)."""
        for _ in range(8):  # a person waits for the dashes to appear
            listed = self.page.locator("#suggestion-list li > span").all_text_contents()
            if any(not t.startswith(("Claim:", "Stance:")) for t in listed):
                return True
            self.page.wait_for_timeout(250)
        return False

    def accept(self) -> None:
        """Press `y` once the page shows the sentence's suggestions (a person waits for the
        dashes to appear: a key pressed before they arrive is not counted again)."""
        self.press("y")
        status = self.page.locator("[role=status]").first
        for _ in range(20):
            if (status.text_content() or "").startswith("Suggestion accepted"):
                return
            self.page.wait_for_timeout(250)
            self.page.keyboard.press("y")
        raise AssertionError(f"y accepted nothing: {status.text_content()!r}")

    def settled_speaker(self, index: int) -> dict | None:
        """The speaker shown once the page has had the server's proposal for a source marked
        by hand (it asks for the candidates as the source is marked)."""
        with suppress(PlaywrightTimeout):  # the timeout: nothing proposed
            self.page.wait_for_function(
                "i => document.querySelector(`#speaker-${i}`)?.value", arg=index, timeout=1500
            )
        return self.speaker_shown(index)

    def speaker_shown(self, index: int) -> dict | None:
        """Return the speaker the page shows for attribution `index` ("Name (kind)")."""
        value = self.page.locator(f"#speaker-{index}").input_value()
        found = re.match(r"(.+) \(([a-z]+)\)$", value)
        return found and {"name": found.group(1), "kind": found.group(2)}

    def fix_spans(self, text: str, suggestion: dict, target: dict) -> None:
        """Mark again the spans of an accepted suggestion that differ from the target."""
        wanted = {}
        for role in ROLES:
            want, got = target[role], suggestion.get(role)
            if want and (not got or (got["start"], got["end"]) != tuple(want)):
                wanted[role] = tuple(want)
        if self.use_suggestions:
            has = {r: suggestion.get(r) and (suggestion[r]["start"], suggestion[r]["end"])
                   for r in ROLES}  # fmt: skip
            self.mark_fewest(wanted, has)
            return
        for role in wanted:
            self.mark(role, wanted[role], target)

    def mark(self, role: str, span: tuple[int, int], target: dict | None = None) -> None:
        """Select the span word by word from where the page's selection is, and mark it; for
        "keys", a content that `Shift+T` marks (the rest of the sentence around the target's
        source and cue) with that key."""
        marked = [tuple(target[r]) for r in ("source", "cue") if target and target[r]]
        if role == "content" and self.use_suggestions and marked:
            block = (min(s for s, _ in marked), max(e for _, e in marked))
            if rest_of(self.text, self.words, block) == tuple(span):
                self.press("T")
                self.selection = None
                return
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

    def mark_fewest(self, wanted: dict, has: dict) -> None:
        """Mark the wanted spans of the active attribution (which has the spans `has`) with
        the fewest keys: every order of the roles, each span selected by the shortest path
        over the page's selection keys from where the selection is, or a content marked with
        `Shift+T` where that key marks it."""
        best = None
        for order in permutations(wanted):
            state, spans, plan = self.state, dict(has), []
            for role in order:
                keys, state = self.plan_role(state, role, wanted[role], spans)
                spans[role] = wanted[role]
                plan.append((role, keys))
            cost = sum(len(keys) for _, keys in plan)
            if best is None or cost < best[0]:
                best = (cost, plan)
        spans = dict(has)
        for role, keys in best[1] if best else ():
            self.press(*keys[:-1])
            if keys[-1] != "T":
                self.check_selection(wanted[role])
            self.press(keys[-1])
            self.units.attribution(spans)
            self.state = self.after_mark(self.state, role, wanted[role], keys)
            spans[role] = wanted[role]

    def plan_role(self, state: State, role: str, span: tuple, spans: dict):
        """The keys that mark one role from `state`, and the state they leave."""
        marked = [spans[r] for r in ("source", "cue") if spans.get(r)]
        if role == "content" and marked:
            block = (min(s for s, _ in marked), max(e for _, e in marked))
            if rest_of(self.text, self.words, block) == span:
                return ["T"], state._replace(selected=False, cycle=-1)
        self.units.attribution(spans)
        goal = self.units.word_range(span)
        keys, reached = self.units.path(state, goal)
        return [*keys, MARKS[role]], self.units.marked(reached, role, span)

    def after_mark(self, state: State, role: str, span: tuple, keys: list[str]) -> State:
        if keys == ["T"]:
            return state._replace(selected=False, cycle=-1)
        for key in keys[:-1]:
            state = dict(self.units.moves(state))[key]
        return self.units.marked(state, role, span)

    def check_selection(self, span: tuple) -> None:
        """The page must show the planned selection (the Python reading of its keys is
        checked against the page itself on every span)."""
        shown = self.page.evaluate(
            """() => {
              const box = document.querySelector('#sentence');
              const pieces = box.querySelectorAll('.sel');
              if (!pieces.length) return null;
              const last = pieces[pieces.length - 1];
              return [Number(pieces[0].dataset.start),
                      Number(last.dataset.start) + Array.from(last.textContent).length];
            }"""
        )
        first, last = self.units.word_range(span)
        want = [self.words[first][0], self.words[last][1]]
        if shown != want:
            raise AssertionError(
                f"planned {want} ({self.text[want[0] : want[1]]!r}) but the page selects {shown}"
                f" in {self.text!r}; state {self.state}"
            )

    def by_hand(self, text: str, target: dict, first: bool) -> None:
        if not first:
            self.press("b")
        if self.use_suggestions:
            self.mark_fewest({r: tuple(target[r]) for r in ROLES if target[r]}, {})
            return
        for role in ROLES:
            if target[role]:
                self.mark(role, target[role], target)

    def fix_speaker(self, proposed: dict | None, target: dict, index: int, how: str = "",
                    source: list | None = None) -> None:  # fmt: skip
        """Give the attribution the target's speaker: nothing when the proposal is it, else
        the picker (`k`, then ↓ to its row or its name typed, `Enter`)."""
        want = target["speaker"]
        new = bool(want) and fold(want) not in self.known
        before = self.count
        if want is None or (proposed and fold(proposed["name"]) == fold(want)):
            if new:
                self.new_speaker_keys.append(0)
            return
        self.tally["speaker fixed"] += 1
        why = self.why_picked(how, proposed, want, source)
        self.state = self.state._replace(focused=False)  # the picker gives the page the focus
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
        self.tally["speaker keys"] += self.count - before
        self.speaker_picks[why] += 1
        self.speaker_pick_keys[why] += self.count - before
        if new:
            self.new_speaker_keys.append(self.count - before)

    def why_picked(self, how: str, proposed: dict | None, want: str, source) -> str:
        """Why a speaker is picked: for an accepted suggestion, the speaker it showed was
        wrong, or it showed none and the server's best candidate for the source (its score
        below the proposal's threshold or not) was right, wrong or missing; for one made by
        hand (the page proposes in the picker only), whether the proposal is right."""
        span = f"?start={source[0]}&end={source[1]}" if source else ""
        found = self.api(f"/api/v1/sentences/{self.sentence_id}/speaker-candidates/{span}")
        best = next(iter(found.get("candidates") or ()), None)
        right = bool(best) and fold(best["name"]) == fold(want)
        sourced = "with a source" if source else "without a source"
        if how == "accepted" and proposed:
            return f"accepted, {sourced}: the speaker shown is wrong"
        if best is None:
            return f"{how}, {sourced}: no candidate"
        from claims.speakers.candidates import PROPOSED

        limit = PROPOSED if source else SOURCELESS_BAND
        level = f"< {limit}" if best["score"] < limit else f">= {limit}"
        return f"{how}, {sourced}: best candidate {'right' if right else 'wrong'} (score {level})"


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


def open_suggestions(
    suggested: dict, done: list[dict], passed: list[dict] = (), accepted: list[dict] = ()
) -> list[dict]:
    """Return the suggestions the page still offers to `y`, in its order: those not passed
    over and no attribution made so far takes (annotator/static/annotator/suggestions.js: its
    cue overlaps the suggestion's; without a cue, its content and source overlap the
    suggestion's; with a source only, the same source)."""

    def span(s: dict | None) -> tuple | None:
        return s and (s["start"], s["end"])

    def overlaps(a, b) -> bool:
        return bool(a and b and a[0] < b[1] and b[0] < a[1])

    def taken(suggestion: dict) -> bool:
        wanted = {r: span(suggestion.get(r)) for r in ROLES}
        for made in done:
            mine = {r: made[r] and tuple(made[r]) for r in ROLES}
            if wanted["cue"]:
                if overlaps(mine["cue"], wanted["cue"]):
                    return True
            elif wanted["content"]:
                sources = (
                    overlaps(mine["source"], wanted["source"])
                    if wanted["source"]
                    else not mine["source"]
                )
                if overlaps(mine["content"], wanted["content"]) and sources:
                    return True
            elif mine["source"] == wanted["source"]:
                return True
        return False

    return [s for s in suggested.get("attributions", [])
            if not taken(s) and not any(s is p for p in [*passed, *accepted])]  # fmt: skip


def names(label: str) -> str:
    """Return the speaker name a picker row offers (folded)."""
    created = re.match(r"Create “(.+)” \(", label)
    if created:
        return fold(created.group(1))
    return fold(re.sub(r" \([a-z]+\)( · .*)?$", "", label))


def fitting(suggestion: dict, gold: list[dict], done: list[dict]) -> dict | None:
    """Return the gold attribution the suggestion is (same spans), or one it becomes by
    marking its differing spans again (it marks no role the gold leaves empty): one that
    shares a span with it, else one that each of its spans overlaps; else None."""
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
    # Close: every span the suggestion has overlaps the target's (ends to move, `Shift+W`).

    def near(role: str, target: dict) -> bool:
        got, want = spans[role], target[role]
        return not got or bool(want and got[0] < want[1] and want[0] < got[1])

    for target in open_gold:
        if all(near(r, target) for r in ROLES):
            return target
    return None
