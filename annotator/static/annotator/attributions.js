// Attributions (who says it): the cards with their spans, speaker and quote type, and the
// changes made to them. Marks and speaker keys apply to the active attribution.

import { config } from "./config.js";
import {
  emptyAttribution,
  noteGivenSpeaker,
  QUOTE_TYPES,
  quoteTypeTitle,
  ROLES,
  speakerWasGiven,
} from "./content.js";
import { $, element, inQuotes, quoted, say, stillSays } from "./dom.js";
import { change } from "./edit.js";
import { selectAfter } from "./select.js";
import { text, textOf } from "./sentence.js";
import {
  AUTHOR,
  authorSpeaker,
  candidatesFor,
  forgetCandidates,
  kindTitle,
  proposedForSource,
  rememberCreated,
  speakerPicker,
  storedAs,
  UNNAMED,
  unnamedSpeaker,
} from "./speakers.js";
import { hooks, render, state } from "./state.js";
import { quotedness, restOf } from "./units.js";

function activeAttribution(create) {
  let attribution = state.labels.attributions[state.active];
  if (!attribution && create) {
    attribution = emptyAttribution();
    state.labels.attributions.push(attribution);
    state.active = state.labels.attributions.length - 1;
  }
  return attribution;
}

export function addAttribution() {
  change((labels) => {
    labels.attributions.push(emptyAttribution());
    state.active = labels.attributions.length - 1;
  });
  say(`Attribution ${state.active + 1} added: select words and mark them.`);
}

export function nextAttribution() {
  state.active = (state.active + 1) % Math.max(1, state.labels.attributions.length);
  render();
  say(`Attribution ${state.active + 1} is active.`);
}

// A content span's quote type follows the quote marks around it whenever it is marked (d
// changes it afterwards); marking a source or cue leaves it.
function quoteTypeFor(attribution, role) {
  if (role !== "content") return attribution.quote_type;
  return config.quoteTypeFor[quotedness(text.points, attribution.content)] ?? "";
}

// What is left of a span once a newer mark takes some of its words: the longer part outside
// the mark, without the spaces at its ends; null when nothing is left. An attribution's source,
// cue and content never share a word (the server refuses it: one tag a word in the exports).
function outsideOf(span, mark) {
  if (span.end <= mark.start || span.start >= mark.end) return span;
  const parts = [
    { start: span.start, end: Math.min(span.end, mark.start) },
    { start: Math.max(span.start, mark.end), end: span.end },
  ].map((part) => {
    while (part.start < part.end && !text.points[part.start].trim()) part.start += 1;
    while (part.end > part.start && !text.points[part.end - 1].trim()) part.end -= 1;
    return part;
  });
  const [longer] = parts.sort((a, b) => b.end - b.start - (a.end - a.start));
  return longer.end > longer.start ? longer : null;
}

function mark(role, span) {
  const now = []; // the parts the mark took words from, as they are left
  const removed = []; // those it took whole
  let dropped = null;
  change(() => {
    const attribution = activeAttribution(true);
    // Marked again where it was (Shift+W, then r), a suggested span is still the suggester's.
    const moved = attribution[role]?.start !== span.start || attribution[role]?.end !== span.end;
    if (role === "source" && moved && speakerWasGiven(attribution)) {
      dropped = attribution.speaker;
      attribution.speaker = null;
    }
    attribution[role] = { start: span.start, end: span.end };
    for (const other of ROLES.filter((r) => r !== role && attribution[r])) {
      const left = outsideOf(attribution[other], span);
      if (left === attribution[other]) continue;
      attribution[other] = left;
      if (left) now.push([other, left]);
      else removed.push(other);
    }
    const cut = now.length + removed.length > 0;
    if (moved || cut) attribution.suggested = false;
    // A content cut by the mark is quoted as what is left of it.
    const requote = role === "content" || (cut && attribution.content);
    attribution.quote_type = quoteTypeFor(attribution, requote ? "content" : role);
  });
  if (role === "content") state.selection = null;
  else selectAfter(span);
  render();
  const attribution = activeAttribution(false);
  const was = dropped ? ` ${dropped.name} dropped:` : "";
  const hint = role === "source" && !attribution.speaker ? `${was} k picks the speaker.` : "";
  const quote = role === "content" && attribution.quote_type ? ` (${attribution.quote_type})` : "";
  // Short, so the status stays one line: "...; source now “...”", "...; source and cue removed".
  // Quoted here, with the message: what the status cuts to fit is what was quoted since.
  const left = now.map(([other, part]) => `${other} now ${quoted(textOf(part))}`);
  const took = [...left, ...(removed.length ? [`${removed.join(" and ")} removed`] : [])];
  const overlap = took.length ? `; ${took.join("; ")}` : "";
  const message = `Marked ${role}: ${quoted(textOf(attribution[role]))}${quote}${overlap}.${hint}`;
  say(message);
  if (role === "source" && !attribution.speaker) proposeSpeaker(attribution, message);
}

// A source marked by hand gets the speaker the server would give it as a suggestion's (its
// best candidate, when proposed), so `k Enter` is not needed to take it; `k` changes it. Only
// while the attribution is as it was: a speaker chosen meanwhile, another source, another
// sentence, an undo or a speaker box being typed in keep what the annotator has.
async function proposeSpeaker(attribution, message) {
  const item = state.item;
  const source = attribution.source;
  const index = state.labels.attributions.indexOf(attribution);
  const best = (await candidatesFor(index))[0];
  const unchanged =
    state.item === item &&
    state.labels.attributions[index] === attribution &&
    attribution.source === source &&
    !attribution.speaker &&
    document.activeElement?.id !== `speaker-${index}`;
  if (!unchanged || !proposedForSource(best)) return;
  const speaker = { id: best.id, name: best.name, kind: best.kind };
  change(() => {
    attribution.speaker = speaker;
  });
  noteGivenSpeaker(attribution);
  if (!speaker.id) rememberCreated(speaker);
  const kind = speaker.id ? speaker.kind : `new ${speaker.kind}`;
  // Said only while the marking's message shows: a later key's message is not replaced.
  if (stillSays(message)) {
    say(`Speaker proposed for the source: ${speaker.name} (${kind}); k changes it.`);
  }
}

export function markRole(role) {
  if (!state.selection)
    return say("Select some words first: with the mouse, or press w and use the arrows.");
  mark(role, state.selection);
}

// T: the rest of the sentence, around the active attribution's source and cue, is its content.
export function markRest() {
  const attribution = activeAttribution(false);
  const marked = [attribution?.source, attribution?.cue].filter(Boolean);
  if (!marked.length) return say("Mark the source or the cue first (r, v); then T marks the rest.");
  const block = {
    start: Math.min(...marked.map((s) => s.start)),
    end: Math.max(...marked.map((s) => s.end)),
  };
  const rest = restOf(text.points, text.words, block);
  if (!rest) return say("Nothing else in the sentence to mark as content.");
  mark("content", rest);
}

function removeSpan(index, role) {
  change((labels) => {
    labels.attributions[index][role] = null;
    labels.attributions[index].suggested = false;
  });
}

export function removeAttribution(index = state.active) {
  if (!state.labels.attributions[index]) return say("No attribution to remove.");
  change((labels) => {
    labels.attributions.splice(index, 1);
    state.active = Math.max(0, Math.min(state.active, labels.attributions.length - 1));
  });
  say("Attribution removed.");
}

export function cycleQuoteType() {
  if (!activeAttribution(false)) return say("No attribution yet: mark a span or press b.");
  change(() => {
    const attribution = activeAttribution(false);
    const at = QUOTE_TYPES.indexOf(attribution.quote_type || "");
    attribution.quote_type = QUOTE_TYPES[(at + 1) % QUOTE_TYPES.length];
  });
  say(`Quote type: ${activeAttribution(false).quote_type || "none"}.`);
}

export function setSpeaker(chosen, index = state.active) {
  // A Create row for a name stored meanwhile: the stored speaker, with its kind, said so.
  const stored = chosen.id ? null : storedAs(chosen);
  const speaker = stored ?? chosen;
  change(() => {
    if (!state.labels.attributions[index]) state.active = index = state.labels.attributions.length;
    state.active = index;
    activeAttribution(true).speaker = { ...speaker };
  });
  if (!speaker.id) rememberCreated(speaker);
  forgetCandidates();
  const exists =
    stored && stored.kind !== chosen.kind ? ` (it already exists as ${stored.kind})` : "";
  say(`Speaker: ${speaker.name}${speaker.id ? "" : ` (new ${speaker.kind})`}${exists}.`);
  hooks.speakerSet(speaker);
}

// k: the speaker box of the active attribution (made when there is none), empty to type in.
export function openSpeaker() {
  if (!activeAttribution(false)) change(() => activeAttribution(true));
  $(`speaker-${state.active}`).focus();
}

export function renderAttributions() {
  const box = $("attributions");
  const focused = document.activeElement?.id;
  const cards = state.labels.attributions.map((a, index) => attributionCard(a, index));
  box.replaceChildren(
    ...(cards.length
      ? cards
      : [element("p", { className: "muted", text: "None: the author / outlet asserts it." })]),
  );
  // The cards are rebuilt on every change: give the speaker box its focus back.
  if (focused && $(focused) && focused.startsWith("speaker-")) $(focused).focus();
  keepActiveInView(box);
}

// When the active attribution changes (a span marked, a suggestion accepted, a speaker
// proposed), its speaker and quote type are scrolled into view above the action bar: at
// 1280x720 they fall below it once three spans are shown. Other renders leave the scroll.
let shownActive = "";
const wideLayout = window.matchMedia("(min-width: 901px)");

function keepActiveInView(box) {
  const active = state.labels.attributions[state.active];
  const shown = active ? JSON.stringify([state.item?.sentence?.id, state.active, active]) : "";
  if (shown === shownActive) return;
  shownActive = shown;
  if (active && wideLayout.matches) {
    box.querySelector(".attribution.active .quote-row")?.scrollIntoView({ block: "nearest" });
  }
}

function spanChips(attribution, number, index) {
  return ROLES.map((role) => {
    const span = attribution[role];
    if (!span) return null;
    return element(
      "span",
      { className: `chip chip-${role}` },
      element("span", { text: `${role}: ${inQuotes(textOf(span))}` }),
      config.showOffsets
        ? element("small", { className: "offsets", text: `[${span.start}:${span.end}]` })
        : null,
      element("button", {
        type: "button",
        className: "chip-remove",
        text: "×",
        "aria-label": `Remove ${role} of attribution ${number}`,
        onclick: () => removeSpan(index, role),
      }),
    );
  });
}

function quoteSelect(attribution, quoteId) {
  return element(
    "select",
    {
      id: quoteId,
      onchange: (e) =>
        change(() => {
          attribution.quote_type = e.target.value;
        }),
    },
    ...QUOTE_TYPES.map((value) =>
      element("option", {
        value,
        text: value ? quoteTypeTitle(value) : "none",
        selected: value === (attribution.quote_type || ""),
      }),
    ),
  );
}

function attributionCard(attribution, index) {
  const number = index + 1;
  const chips = spanChips(attribution, number, index);
  const inputId = `speaker-${index}`;
  const quoteId = `quote-${index}`;
  return element(
    "div",
    {
      className: `attribution${index === state.active ? " active" : ""}`,
      role: "group",
      "aria-label": `Attribution ${number}`,
      onclick: (e) => {
        if (e.target.closest("button, input, select, li")) return;
        state.active = index;
        render();
      },
    },
    element(
      "div",
      { className: "attribution-head" },
      element("strong", { text: `Attribution ${number}` }),
      attribution.suggested ? element("span", { className: "badge", text: "suggested" }) : null,
      element("button", {
        type: "button",
        className: "link-button",
        text: "Remove",
        "aria-label": `Remove attribution ${number}`,
        onclick: () => removeAttribution(index),
      }),
    ),
    element(
      "div",
      { className: "chips" },
      ...(chips.some(Boolean)
        ? chips
        : [element("span", { className: "muted", text: "No spans yet." })]),
    ),
    element(
      "div",
      { className: "speaker-row" },
      element("label", { htmlFor: inputId, text: "Speaker (k)" }),
      speakerPicker(inputId, index, (speaker) => setSpeaker(speaker, index)),
      element("button", {
        type: "button",
        text: `${kindTitle(AUTHOR)} (⇧A)`,
        onclick: () => setSpeaker(authorSpeaker(), index),
      }),
      element("button", {
        type: "button",
        text: `${kindTitle(UNNAMED)} (⇧U)`,
        onclick: () => setSpeaker(unnamedSpeaker(), index),
      }),
    ),
    element(
      "div",
      { className: "quote-row" },
      element("label", { htmlFor: quoteId, text: "Quote type (d)" }),
      quoteSelect(attribution, quoteId),
    ),
  );
}
