// Attributions (who says it): the cards with their spans, speaker and quote type, and the
// changes made to them. Marks and speaker keys apply to the active attribution.

import { emptyAttribution, QUOTE_TYPES, quoteTypeTitle, ROLES } from "./content.js";
import { $, element, say } from "./dom.js";
import { change } from "./drafts.js";
import { textOf } from "./sentence.js";
import {
  AUTHOR,
  authorSpeaker,
  kindTitle,
  speakerPicker,
  UNNAMED,
  unnamedSpeaker,
} from "./speakers.js";
import { render, state } from "./state.js";

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

export function markRole(role) {
  const selection = state.selection;
  if (!selection)
    return say("Select some words first: with the mouse, or press w and use the arrows.");
  change(() => {
    const attribution = activeAttribution(true);
    attribution[role] = { start: selection.start, end: selection.end };
    attribution.suggested = false;
  });
  state.selection = null;
  render();
  const attribution = activeAttribution(false);
  const hint = role === "source" && !attribution.speaker ? " Press k to pick the speaker." : "";
  say(`Marked ${role}: “${textOf(attribution[role])}”.${hint}`);
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

export function setSpeaker(speaker, index = state.active) {
  change(() => {
    if (!state.labels.attributions[index]) state.active = index = state.labels.attributions.length;
    state.active = index;
    activeAttribution(true).speaker = { ...speaker };
  });
  say(`Speaker: ${speaker.name}${speaker.id ? "" : ` (new ${speaker.kind})`}.`);
}

// The speaker box starts from the source's words: usually the name to look for.
export function openSpeaker() {
  const attribution = activeAttribution(false);
  if (!attribution) {
    change(() => activeAttribution(true));
  }
  const input = $(`speaker-${state.active}`);
  const current = activeAttribution(false);
  if (!current.speaker && current.source) input.value = textOf(current.source);
  input.focus();
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
}

function spanChips(attribution, number, index) {
  return ROLES.map((role) =>
    attribution[role]
      ? element(
          "span",
          { className: `chip chip-${role}` },
          element("span", { text: `${role}: “${textOf(attribution[role])}”` }),
          element("button", {
            type: "button",
            className: "chip-remove",
            text: "×",
            "aria-label": `Remove ${role} of attribution ${number}`,
            onclick: () => removeSpan(index, role),
          }),
        )
      : null,
  );
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
        if (e.target.closest("button, input, select")) return;
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
      speakerPicker(inputId, attribution.speaker, (speaker) => setSpeaker(speaker, index)),
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
