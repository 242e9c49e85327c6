// The keyboard map. Label option keys come from the config and win over the fixed keys, so a
// project's schema can use any key; the help (in the template) lists the same keys. The
// labeling page and the gold editor share the editing keys; each adds its own (`pageKeys`).

import {
  addAttribution,
  cycleQuoteType,
  markRest,
  markRole,
  nextAttribution,
  openSpeaker,
  removeAttribution,
  setSpeaker,
} from "./attributions.js";
import { config } from "./config.js";
import { countActions, root, sentenceBox } from "./dom.js";
import { undo } from "./edit.js";
import { setClaim, setStance, switchTarget, toggleType } from "./options.js";
import { afterPick } from "./picker.js";
import { focusSentence, selectMarked, selectQuotation, sentenceKey } from "./select.js";
import { clearSelection } from "./sentence.js";
import { authorSpeaker, unnamedSpeaker } from "./speakers.js";
import { acceptSuggestion, passOverSuggestion } from "./suggestions.js";

const ROLE_KEYS = { r: "source", v: "cue", t: "content" };

function keyMap(pageKeys) {
  const map = new Map();
  for (const o of config.claims) map.set(o.key, () => setClaim(o.value));
  for (const o of config.claimTypes) if (!map.has(o.key)) map.set(o.key, () => toggleType(o.value));
  for (const o of config.stances) if (!map.has(o.key)) map.set(o.key, () => setStance(o.value));
  const fixed = {
    w: focusSentence,
    W: selectMarked,
    '"': selectQuotation,
    T: markRest,
    y: () => acceptSuggestion(),
    Y: passOverSuggestion,
    k: openSpeaker,
    d: cycleQuoteType,
    b: addAttribution,
    x: () => removeAttribution(),
    A: () => setSpeaker(authorSpeaker()),
    U: () => setSpeaker(unnamedSpeaker()),
    m: nextAttribution,
    "]": () => switchTarget(1),
    "[": () => switchTarget(-1),
    Escape: clearSelection,
    ...pageKeys,
  };
  for (const [key, role] of Object.entries(ROLE_KEYS)) fixed[key] = () => markRole(role);
  for (const [key, action] of Object.entries(fixed)) if (!map.has(key)) map.set(key, action);
  // Where Enter submits, Shift with a claim's digit chooses that claim and submits: one key
  // for a sentence with nothing else to mark, or after its last attribution.
  if (pageKeys.Enter) {
    for (const o of config.claims.filter((c) => /^[0-9]$/.test(c.key))) {
      map.set(`Shift+Digit${o.key}`, () => {
        setClaim(o.value);
        pageKeys.Enter();
      });
    }
  }
  return map;
}

// The key's name in the map: the character typed, or for Shift and a digit key whose
// character is not a key of its own ("!" on a US keyboard), the chord. Keyboards that type
// digits with Shift give the digit itself: the claim key, as ever.
function keyName(event, keys) {
  if (keys.has(event.key) || !event.shiftKey || !/^Digit[0-9]$/.test(event.code)) return event.key;
  return `Shift+${event.code}`;
}

// `scope`: where the keys work (the document, or the gold editor's box); `whenNotReady`: the
// keys that still act while the page is not ready for editing (loading, or "All done").
export function installKeys({ scope = document, pageKeys = {}, whenNotReady = {} } = {}) {
  const keys = keyMap(pageKeys);
  countActions();
  scope.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
    const target = event.target;
    if (target.closest?.("input, textarea, select")) return;
    if (root.dataset.state !== "ready") {
      if (target.closest?.("a, button") && [" ", "Enter"].includes(event.key)) return;
      const action = whenNotReady[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
      return;
    }
    if (target === sentenceBox && sentenceKey(event)) {
      event.preventDefault();
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
    // Enter and Space press a focused button, except the label options: Enter submits there too.
    const button = target.closest?.("button, a");
    if (
      button &&
      (event.key === " " || (event.key === "Enter" && !button.classList.contains("option")))
    )
      return;
    const action = keys.get(keyName(event, keys));
    if (action) {
      event.preventDefault();
      afterPick(action);
    }
  });
}
