// The sentence on screen. Offsets are code points, as the API counts them, so the text is
// kept as an array of code points; selections snap to whole words.

import { ROLES } from "./content.js";
import { main, say, sentenceBox } from "./dom.js";
import { state } from "./state.js";

let points = []; // the sentence as code points
let words = []; // [{start, end}] in code points

export function loadSentence(text) {
  points = Array.from(text);
  words = wordsOf(points);
  state.anchor = state.caret = 0;
}

export const textOf = (span) => (span ? points.slice(span.start, span.end).join("") : "");

// A word is a run of letters and digits (with inner apostrophes and hyphens); any other mark
// that is not a space is a word of its own, so punctuation can end a span.
function wordsOf(codepoints) {
  const found = [];
  let i = 0;
  const isWord = (c) => /[\p{L}\p{N}]/u.test(c);
  while (i < codepoints.length) {
    if (/\s/u.test(codepoints[i])) {
      i += 1;
    } else if (isWord(codepoints[i])) {
      const start = i;
      while (
        i < codepoints.length &&
        (isWord(codepoints[i]) || (/['’-]/u.test(codepoints[i]) && isWord(codepoints[i + 1] ?? "")))
      )
        i += 1;
      found.push({ start, end: i });
    } else {
      found.push({ start: i, end: i + 1 });
      i += 1;
    }
  }
  return found;
}

// Spans overlap, so the text is cut at every span boundary and each piece gets the classes
// of all the spans it lies in.
export function renderSentence() {
  const ranges = [];
  state.labels.attributions.forEach((a, i) => {
    for (const role of ROLES) {
      if (a[role])
        ranges.push({ ...a[role], cls: `hl hl-${role}${i === state.active ? " hl-active" : ""}` });
    }
  });
  state.item.suggestions.attributions.forEach((s, i) => {
    if (state.accepted.has(i)) return;
    for (const role of ROLES)
      if (s[role]) ranges.push({ start: s[role].start, end: s[role].end, cls: `sg sg-${role}` });
  });
  if (state.selection) ranges.push({ ...state.selection, cls: "sel" });
  const cuts = new Set([0, points.length]);
  for (const r of ranges) cuts.add(r.start).add(r.end);
  const bounds = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const piece = document.createElement("span");
    piece.dataset.start = String(start);
    piece.textContent = points.slice(start, end).join("");
    const classes = ranges
      .filter((r) => r.start <= start && end <= r.end)
      .flatMap((r) => r.cls.split(" "));
    if (classes.length) piece.className = [...new Set(classes)].join(" ");
    pieces.push(piece);
  }
  sentenceBox.replaceChildren(...pieces);
}

function codepointAt(node, offset) {
  if (node === sentenceBox) {
    const child = sentenceBox.childNodes[offset];
    return child ? Number(child.dataset.start) : points.length;
  }
  const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(
    "[data-start]",
  );
  if (!piece || !sentenceBox.contains(piece)) return null;
  const text = node.nodeType === Node.TEXT_NODE ? node.textContent.slice(0, offset) : "";
  return Number(piece.dataset.start) + Array.from(text).length;
}

// Snap a selection to whole words, without surrounding spaces.
function snapped(start, end) {
  const inside = words.filter((w) => w.end > start && w.start < end);
  if (!inside.length) return null;
  return { start: inside[0].start, end: inside[inside.length - 1].end };
}

export function selectFromMouse() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !sentenceBox.contains(selection.anchorNode)) return;
  const a = codepointAt(selection.anchorNode, selection.anchorOffset);
  const b = codepointAt(selection.focusNode, selection.focusOffset);
  if (a === null || b === null) return;
  state.selection = snapped(Math.min(a, b), Math.max(a, b));
  selection.removeAllRanges();
  renderSentence();
  if (state.selection) say(`Selected “${textOf(state.selection)}”: r source, v cue, t content.`);
}

function selectWords() {
  if (!words.length) return;
  const [from, to] = [Math.min(state.anchor, state.caret), Math.max(state.anchor, state.caret)];
  state.selection = { start: words[from].start, end: words[to].end };
  renderSentence();
  say(`Selected “${textOf(state.selection)}”.`);
}

// Keys while the sentence has focus; true when the key was one of them.
export function sentenceKey(event) {
  const last = words.length - 1;
  const moves = {
    ArrowRight: () => Math.min(last, state.caret + 1),
    ArrowLeft: () => Math.max(0, state.caret - 1),
    Home: () => 0,
    End: () => last,
  };
  if (event.key in moves) {
    state.caret = moves[event.key]();
    if (!event.shiftKey) state.anchor = state.caret;
    selectWords();
    return true;
  }
  if (event.key === "Escape") {
    main.focus();
    return true;
  }
  return false;
}

export function focusSentence() {
  sentenceBox.focus();
  if (!state.selection) {
    state.anchor = state.caret;
    selectWords();
  }
}

export function clearSelection() {
  state.selection = null;
  renderSentence();
}
