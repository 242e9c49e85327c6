// The reviewers' gold editor on the admin's adjudication page: the labeling page's editor
// (same modules, same keys) on one sentence. Enter (or the button) posts the labels to the
// page's form, which checks and stores them as the sentence's gold.

import { addAttribution, markRole, renderAttributions } from "./attributions.js";
import { claimKeys, config } from "./config.js";
import { labelsFrom, payload } from "./content.js";
import { $, root, say, sentenceBox, setState } from "./dom.js";
import { installKeys } from "./keys.js";
import { renderOptions, setClaim, setStance, toggleType } from "./options.js";
import { loadSentence, renderSentence, selectFromMouse } from "./sentence.js";
import { hooks, render, setRenderers, state } from "./state.js";
import { renderSuggestions } from "./suggestions.js";

function saveGold() {
  if (!state.labels.claim) {
    return say(`Choose a claim label first: ${claimKeys}.`, { error: true });
  }
  const body = payload(state.labels, {
    version: null,
    status: config.submittedStatus,
    reason: "",
    leadTimeMs: 0,
    fullSpeakers: true,
  });
  $("gold-content").value = JSON.stringify(body);
  root.dataset.dirty = "false";
  $("edit-gold-form").submit();
}

state.item = config.item;
state.labels = labelsFrom(config.item.annotation);
loadSentence(config.item.sentence.text);
setRenderers([renderSentence, renderOptions, renderAttributions, renderSuggestions]);
hooks.changed = () => {
  root.dataset.dirty = "true";
};
// Page-wide: the editor is what this page is for, and keys that waited for a click inside it
// (or were lost by a click on the table above) did nothing.
installKeys({ pageKeys: { Enter: saveGold } });

root.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button || root.dataset.state !== "ready") return;
  if (button.dataset.claim) setClaim(button.dataset.claim);
  else if (button.dataset.type) toggleType(button.dataset.type);
  else if (button.dataset.stance) {
    const groups = [...root.querySelectorAll(".stance")];
    setStance(button.dataset.stance, groups.indexOf(button.closest(".stance")));
  } else if (button.dataset.role) markRole(button.dataset.role);
  else if (button.id === "add-attribution") addAttribution();
  else if (button.id === "save-gold") saveGold();
});
sentenceBox.addEventListener("mouseup", selectFromMouse);
// Leaving with edits not saved as gold asks first.
window.addEventListener("beforeunload", (event) => {
  if (root.dataset.dirty === "true") event.preventDefault();
});

render();
root.dataset.dirty = "false";
setState("ready");
// Opened to edit (or back with errors): the focus in the editor, so Tab goes through its
// controls. After the load, because going to the #edit-gold fragment moves the focus.
if (location.hash === "#edit-gold" || $("gold-errors")) {
  window.addEventListener("load", () => setTimeout(() => root.focus({ preventScroll: true })));
}
