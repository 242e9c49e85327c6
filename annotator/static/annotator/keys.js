// The keyboard map. Label option keys come from the config and win over the fixed keys, so a
// project's schema can use any key; the help dialog (in the template) lists the same keys.

import {
  addAttribution,
  cycleQuoteType,
  markRole,
  nextAttribution,
  openSpeaker,
  removeAttribution,
  setSpeaker,
} from "./attributions.js";
import { config } from "./config.js";
import { openDialog, openSkip } from "./dialogs.js";
import { main, sentenceBox } from "./dom.js";
import { undo } from "./drafts.js";
import { back, submit } from "./flow.js";
import { setClaim, setStance, switchTarget, toggleType } from "./options.js";
import { clearSelection, focusSentence, sentenceKey } from "./sentence.js";
import { authorSpeaker, unnamedSpeaker } from "./speakers.js";
import { acceptSuggestion } from "./suggestions.js";

const ROLE_KEYS = { r: "source", v: "cue", t: "content" };

function keyMap() {
  const map = new Map();
  for (const o of config.claims) map.set(o.key, () => setClaim(o.value));
  for (const o of config.claimTypes) if (!map.has(o.key)) map.set(o.key, () => toggleType(o.value));
  for (const o of config.stances) if (!map.has(o.key)) map.set(o.key, () => setStance(o.value));
  const fixed = {
    w: focusSentence,
    y: () => acceptSuggestion(),
    k: openSpeaker,
    d: cycleQuoteType,
    b: addAttribution,
    x: () => removeAttribution(),
    s: openSkip,
    g: () => openDialog("guidelines-dialog"),
    "?": () => openDialog("help-dialog"),
    A: () => setSpeaker(authorSpeaker()),
    U: () => setSpeaker(unnamedSpeaker()),
    m: nextAttribution,
    "]": () => switchTarget(1),
    "[": () => switchTarget(-1),
    Enter: submit,
    Backspace: back,
    ArrowLeft: back,
    Escape: clearSelection,
  };
  for (const [key, role] of Object.entries(ROLE_KEYS)) fixed[key] = () => markRole(role);
  for (const [key, action] of Object.entries(fixed)) if (!map.has(key)) map.set(key, action);
  return map;
}

export function installKeys() {
  const keys = keyMap();
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
    const target = event.target;
    if (target.closest?.("input, textarea, select")) return;
    if (main.dataset.state !== "ready") {
      if (["Enter", "Backspace", "ArrowLeft"].includes(event.key)) event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      if (event.key.toLowerCase() === "z" && !event.shiftKey && !event.altKey) {
        event.preventDefault();
        undo();
      }
      return;
    }
    if (event.altKey) return;
    if (target === sentenceBox && sentenceKey(event)) {
      event.preventDefault();
      return;
    }
    // Enter and Space press a focused button, except the label options: Enter submits there too.
    const button = target.closest?.("button, a");
    if (
      button &&
      (event.key === " " || (event.key === "Enter" && !button.classList.contains("option")))
    )
      return;
    const action = keys.get(event.key);
    if (action) {
      event.preventDefault();
      action();
    }
  });
}
