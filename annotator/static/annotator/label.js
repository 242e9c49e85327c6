// The labeling page: one sentence at a time, keyboard first, talking to the JSON API.
//
// Offsets are Unicode code points (Python str indices), as the API stores them; JavaScript
// strings count UTF-16 units, so the sentence is handled as an array of code points.
// Text from the server is only ever put in the page with textContent, never as HTML.

import { addAttribution, markRole, renderAttributions } from "./attributions.js";
import { installDialogs, openDialog, openSkip } from "./dialogs.js";
import { main, sentenceBox } from "./dom.js";
import { sendPendingDraft, undo } from "./drafts.js";
import { back, start, submit } from "./flow.js";
import { installKeys } from "./keys.js";
import { renderOptions, setClaim, setStance, toggleType } from "./options.js";
import { renderSentence, selectFromMouse } from "./sentence.js";
import { setRenderers } from "./state.js";
import { renderSuggestions } from "./suggestions.js";

setRenderers([renderSentence, renderOptions, renderAttributions, renderSuggestions]);
installDialogs();
installKeys();

// One listener for every button of the page; the attribution cards bind their own.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (button?.id === "help-button") return openDialog("help-dialog");
  if (button?.id === "guidelines-button") return openDialog("guidelines-dialog");
  if (!button || main.dataset.state !== "ready") return;
  if (button.dataset.claim) setClaim(button.dataset.claim);
  else if (button.dataset.type) toggleType(button.dataset.type);
  else if (button.dataset.stance) {
    const groups = [...document.querySelectorAll(".stance")];
    setStance(button.dataset.stance, groups.indexOf(button.closest(".stance")));
  } else if (button.dataset.role) markRole(button.dataset.role);
  else if (button.id === "add-attribution") addAttribution();
  else if (button.id === "submit-button") submit();
  else if (button.id === "back-button") back();
  else if (button.id === "skip-button") openSkip();
  else if (button.id === "undo-button") undo();
});

sentenceBox.addEventListener("mouseup", selectFromMouse);
window.addEventListener("pagehide", sendPendingDraft);

start();
