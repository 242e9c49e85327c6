// Selecting with the keyboard, in useful units: words (arrows), phrases (Ctrl+arrows), the
// pieces between punctuation marks (. and , jump; > and < extend), the sentence's start and
// end (Home, End) and whole quotations ("). Shift extends. Marks (r, v, t) then apply. Shift+W
// starts from a span the active attribution has, to move its ends.

import { ROLES } from "./content.js";
import { $, quoted, root, say, sentenceBox } from "./dom.js";
import { clearSelection, select, text, textOf } from "./sentence.js";
import { state } from "./state.js";
import { phrasesOf, piecesOf, quotationsOf, snapped } from "./units.js";

const span = (first, last) => ({ start: text.words[first].start, end: text.words[last].end });
const low = () => Math.min(state.anchor, state.caret);
const high = () => Math.max(state.anchor, state.caret);

// Select words first..last, or (extend) move only the caret there.
function reach(first, last, extend, forward = true) {
  if (extend) state.caret = forward ? last : first;
  else [state.anchor, state.caret] = [first, last];
  select(span(low(), high()), undefined, true);
}

function byWord(step, extend) {
  const last = text.words.length - 1;
  const caret = Math.max(
    0,
    Math.min(last, (extend ? state.caret : step > 0 ? high() : low()) + step),
  );
  reach(caret, caret, extend);
}

function byPhrase(step, extend) {
  const phrases = phrasesOf(text.points, text.words);
  if (!phrases.length) return;
  const phrase =
    step > 0
      ? (phrases.find((p) => p.first > (extend ? state.caret : high())) ?? phrases.at(-1))
      : (phrases.findLast((p) => p.last < (extend ? state.caret : low())) ?? phrases[0]);
  reach(phrase.first, phrase.last, extend, step > 0);
}

// Jump to the first phrase after the next (or previous) punctuation mark. Extending moves the
// selection's end to the word before the next (or previous) mark, its start to the word after
// the previous (or next) one: Shift+, shrinks "..., which began in May, had" to "... May".
function byPiece(step, extend) {
  const pieces = piecesOf(text.points, text.words);
  if (!pieces.length) return;
  if (extend) {
    const caret = state.caret;
    const movesEnd = caret > state.anchor || (caret === state.anchor && step > 0);
    let to;
    if (movesEnd && step < 0) {
      // The piece the caret is in, or ends (on the mark after it): the end goes before its mark.
      const here = pieces.findLast((p) => p.first <= caret) ?? pieces[0];
      to = pieces.findLast((p) => p.last < here.first)?.last ?? state.anchor;
    } else if (movesEnd) {
      to = (pieces.find((p) => p.last > caret) ?? pieces.at(-1)).last;
    } else if (step > 0) {
      const here = pieces.find((p) => p.last >= caret) ?? pieces.at(-1);
      to = pieces.find((p) => p.first > here.last)?.first ?? state.anchor;
    } else {
      to = (pieces.findLast((p) => p.first < caret) ?? pieces[0]).first;
    }
    return reach(to, to, true);
  }
  const here = pieces.findLastIndex((p) => p.first <= low());
  const back = here >= 0 && pieces[here].first < low() ? here : here - 1;
  const at = step > 0 ? pieces.findIndex((p) => p.first > high()) : Math.max(0, back);
  const piece = pieces[at < 0 ? pieces.length - 1 : at];
  const phrase = phrasesOf(text.points, text.words).find((p) => p.first >= piece.first);
  reach(piece.first, Math.min(piece.last, phrase?.last ?? piece.last), false);
}

function toEnd(step, extend) {
  const last = text.words.length - 1;
  const caret = step > 0 ? last : 0;
  reach(caret, caret, extend, step > 0);
}

// The quotation around the selection, else the next one (again: the one after).
export function selectQuotation() {
  const quotes = quotationsOf(text.points).map((q) => snapped(text.words, q.start, q.end));
  if (!quotes.length) {
    clearSelection(); // what was selected before is not what the key asked for: t must not mark it
    return say("No quotation in this sentence: select words with w and arrows.");
  }
  const current = state.selection;
  const same = (q) => current && q.start === current.start && q.end === current.end;
  const after = quotes.findIndex(same);
  const chosen =
    after >= 0
      ? quotes[(after + 1) % quotes.length]
      : (quotes.find((q) => current && q.start <= current.start && current.end <= q.end) ??
        quotes.find((q) => !current || q.start >= current.start) ??
        quotes[0]);
  sentenceBox.focus();
  select(chosen, `Selected the quotation ${quoted(textOf(chosen))}: t marks it as content.`);
}

// Shift+W: the active attribution's spans in turn (source, cue, content), each first with the
// caret on its last word (Shift+arrows then move its end), then on its first (they move its
// start): a suggestion off by a word is fixed without selecting it again.
let cycled = { selection: null, at: -1 };
export function selectMarked() {
  const attribution = state.labels.attributions[state.active];
  const ends = [];
  for (const role of ROLES) {
    const marked = attribution?.[role];
    if (!marked) continue;
    const first = text.words.findIndex((w) => w.end > marked.start);
    const last = text.words.findLastIndex((w) => w.start < marked.end);
    if (first < 0 || last < first) continue;
    ends.push({ role, anchor: first, caret: last, moves: "end" });
    if (last > first) ends.push({ role, anchor: last, caret: first, moves: "start" });
  }
  if (!ends.length) return say("The active attribution has no span yet: select words with w.");
  // The next after the one Shift+W selected last, while that selection stands; else the first.
  const here = state.selection && state.selection === cycled.selection ? cycled.at : -1;
  const at = (here + 1) % ends.length;
  const chosen = ends[at];
  sentenceBox.focus();
  $("sentence-help")?.classList.add("is-active");
  [state.anchor, state.caret] = [chosen.anchor, chosen.caret];
  const selected = span(low(), high());
  cycled = { selection: selected, at };
  select(
    selected,
    `${capitalized(chosen.role)} ${quoted(textOf(selected))}: Shift+←/→ moves its ${chosen.moves}; r, v, t mark it.`,
    true,
  );
}

const MOVES = {
  ArrowRight: (extend, ctrl) => (ctrl ? byPhrase(1, extend) : byWord(1, extend)),
  ArrowLeft: (extend, ctrl) => (ctrl ? byPhrase(-1, extend) : byWord(-1, extend)),
  Home: (extend) => toEnd(-1, extend),
  End: (extend) => toEnd(1, extend),
};
// By key code, so that Shift (which turns . into > on most layouts) extends.
const PIECES = { Period: 1, Comma: -1 };

// Keys while the sentence has focus; true when the key was one of them.
export function sentenceKey(event) {
  if (!text.words.length) return false;
  if (event.key in MOVES && !event.altKey && !event.metaKey) {
    MOVES[event.key](event.shiftKey, event.ctrlKey);
    return true;
  }
  if (event.code in PIECES && !event.ctrlKey && !event.altKey && !event.metaKey) {
    byPiece(PIECES[event.code], event.shiftKey);
    return true;
  }
  if (event.key === "Escape") {
    clearSelection();
    root.focus();
    return true;
  }
  return false;
}

// w: select the word at the caret (or keep the selection) and take the keys above.
export function focusSentence() {
  sentenceBox.focus();
  if (!state.selection && text.words.length) reach(state.caret, state.caret, false);
  $("sentence-help")?.classList.add("is-active");
}

// After a source or cue is marked, the word after it is selected: the cue, or the content,
// usually follows.
export function selectAfter(marked) {
  const next = text.words.findIndex((w) => w.start >= marked.end);
  if (next < 0 || document.activeElement !== sentenceBox) return clearSelection();
  reach(next, next, false);
}

const capitalized = (word) => word.charAt(0).toUpperCase() + word.slice(1);
