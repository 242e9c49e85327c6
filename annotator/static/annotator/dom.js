// The page's fixed elements, and the one way text reaches the page: textContent, never HTML.

export const $ = (id) => document.getElementById(id);
// The editor's root: <main> on the labeling page, the gold editor's box in the admin. Its
// data-* attributes (state, dirty, saves, prefetch) are what tests and tools wait on.
export const root = document.querySelector("[data-editor]");
export const sentenceBox = $("sentence");

// The annotator's actions (keys, clicks) are counted, so that what the last one said stays
// until the next one: a routine message (a draft saved) must not replace it a second later.
let actions = 0;
let lastSaid = { action: -1, save: true };
const MODIFIERS = new Set(["Shift", "Control", "Alt", "Meta", "AltGraph", "CapsLock"]);

export function countActions() {
  const act = (event) => {
    if (!MODIFIERS.has(event.key)) actions += 1;
  };
  document.addEventListener("keydown", act, true);
  document.addEventListener("pointerdown", act, true);
}

// The status line sits in the always-visible action bar and is a live region, so a message
// is seen and heard wherever the page is scrolled. `save`: a save's message; an error shows
// whatever the status holds, a success only when the last action said nothing.
export function say(message, { error = false, save = false } = {}) {
  if (save && !error && lastSaid.action === actions && !lastSaid.save) return;
  lastSaid = { action: actions, save };
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("is-error", error && Boolean(message));
  fitOneLine(status, message);
  quotedSince = [];
  lastShown = { message, text: status.textContent };
}

// Whether the status still shows what say(message) put there (its spans perhaps cut shorter).
let lastShown = { message: "", text: "" };
export function stillSays(message) {
  const shown = lastShown.message === message ? lastShown.text : message;
  return $("status").textContent === shown;
}

// Spans quoted since the last message: [as quoted, the span's text].
let quotedSince = [];
const SHORTER = [60, 50, 40, 32, 24, 16];

// A message that wraps grows the action bar over the labels: its quoted spans are cut
// shorter (never its keys' hints) until it fits on one line, or they are as short as they go.
function fitOneLine(status, message) {
  const spans = quotedSince.filter(([shown]) => message.includes(shown));
  for (const max of SHORTER) {
    if (!spans.length || status.getClientRects().length <= 1) return;
    let shorter = message;
    for (const [shown, text] of spans) shorter = shorter.replace(shown, cut(text, max));
    status.textContent = shorter;
  }
}

// A span's text in a message: long ones are cut in the middle, so the status stays one line.
export function quoted(text, max = 70) {
  const shown = cut(text, max);
  quotedSince.push([shown, text]);
  return shown;
}

// A span that carries its own quote marks (a quotation's content) is not quoted again:
// “One of them … rather than ““One of them …; a closing mark is its own only when no
// quotation opens inside the span (“it was “bad”” keeps both), an opening one only when it
// is not closed inside (“"Yes," he”).
export function inQuotes(text) {
  const body = text.replace(/["”»][.,!?]?$/u, "");
  const opens = /^["“‘«]/u.test(text) && !/["”»]/u.test(body.slice(1));
  const closes = body !== text && (opens || !/["“«]/u.test(body));
  return `${opens ? "" : "“"}${text}${closes ? "" : "”"}`;
}

// Cut in the middle, at spaces where there are some: “Moscow welcomes … good services”.
function cut(text, max) {
  const points = Array.from(text);
  if (points.length <= max) return inQuotes(text);
  const half = Math.floor((max - 1) / 2);
  let head = points.slice(0, half).join("");
  let tail = points.slice(-half).join("");
  const space = head.lastIndexOf(" ");
  if (space > half / 2) head = head.slice(0, space + 1);
  const after = tail.indexOf(" ");
  if (after >= 0 && after < half / 2) tail = tail.slice(after);
  return inQuotes(text).replace(text, () => `${head}…${tail}`);
}

export function setState(name) {
  root.dataset.state = name;
}

// Properties (value, selected, htmlFor, hidden) set the live state; aria-* and data-* names
// are not properties, so they go in as attributes.
export function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && !key.startsWith("aria") && !key.startsWith("data")) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter(Boolean));
  return node;
}
