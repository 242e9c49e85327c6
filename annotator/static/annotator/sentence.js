// The sentence on screen. Offsets are code points, as the API counts them, so the text is
// kept as an array of code points; selections snap to whole words.

import { ROLES } from "./content.js";
import { quoted, say, sentenceBox } from "./dom.js";
import { state } from "./state.js";
import { openSuggestions } from "./suggestions.js";
import { snapped, wordsOf } from "./units.js";

export const text = { points: [], words: [] }; // the sentence as code points, and its words

export function loadSentence(sentence) {
  text.points = Array.from(sentence);
  text.words = wordsOf(text.points);
  state.anchor = state.caret = 0;
  drawn = "";
}

export const textOf = (span) => (span ? text.points.slice(span.start, span.end).join("") : "");

// The spans to draw: each attribution's, the suggestions not yet taken, the selection.
function ranges() {
  const found = [];
  state.labels.attributions.forEach((a, i) => {
    for (const role of ROLES) {
      if (a[role])
        found.push({ ...a[role], cls: `hl hl-${role}${i === state.active ? " hl-active" : ""}` });
    }
  });
  for (const s of openSuggestions()) {
    for (const role of ROLES)
      if (s[role]) found.push({ start: s[role].start, end: s[role].end, cls: `sg sg-${role}` });
  }
  if (state.selection) found.push({ ...state.selection, cls: "sel" });
  return found;
}

// Spans overlap, so the text is cut at every span boundary and each piece gets the classes
// of all the spans it lies in. Redrawn only when the spans changed: a long sentence is
// thousands of characters, and most keys change something else.
let drawn = "";
export function renderSentence() {
  const found = ranges();
  const key = JSON.stringify(found);
  if (key === drawn) return;
  drawn = key;
  const cuts = new Set([0, text.points.length]);
  for (const r of found) cuts.add(r.start).add(r.end);
  const bounds = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const piece = document.createElement("span");
    piece.dataset.start = String(start);
    piece.textContent = text.points.slice(start, end).join("");
    const classes = found
      .filter((r) => r.start <= start && end <= r.end)
      .flatMap((r) => r.cls.split(" "));
    if (classes.length) piece.className = [...new Set(classes)].join(" ");
    pieces.push(piece);
  }
  sentenceBox.replaceChildren(...pieces);
  sentenceBox.querySelector(".sel")?.scrollIntoView({ block: "nearest" });
}

function codepointAt(node, offset) {
  if (node === sentenceBox) {
    const child = sentenceBox.childNodes[offset];
    return child ? Number(child.dataset.start) : text.points.length;
  }
  const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(
    "[data-start]",
  );
  if (!piece || !sentenceBox.contains(piece)) return null;
  const before = node.nodeType === Node.TEXT_NODE ? node.textContent.slice(0, offset) : "";
  return Number(piece.dataset.start) + Array.from(before).length;
}

// Show a selection; the keyboard's anchor and caret go to its first and last word, unless
// the keys that made it placed them (`placed`).
export function select(span, message, placed = false) {
  state.selection = span;
  if (span && !placed) {
    state.anchor = text.words.findIndex((w) => w.start >= span.start);
    state.caret = text.words.findLastIndex((w) => w.end <= span.end);
  }
  renderSentence();
  if (span) say(message ?? `Selected ${quoted(textOf(span))}: r source, v cue, t content.`);
}

// A mouse drag selects the whole words it touches.
export function selectFromMouse() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !sentenceBox.contains(selection.anchorNode)) return;
  const a = codepointAt(selection.anchorNode, selection.anchorOffset);
  const b = codepointAt(selection.focusNode, selection.focusOffset);
  if (a === null || b === null) return;
  selection.removeAllRanges();
  select(snapped(text.words, Math.min(a, b), Math.max(a, b)));
}

export function clearSelection() {
  state.selection = null;
  renderSentence();
}
