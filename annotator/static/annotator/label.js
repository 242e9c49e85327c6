// The labeling page: one sentence at a time, keyboard first, talking to the JSON API.
//
// Offsets are Unicode code points (Python str indices), as the API stores them; JavaScript
// strings count UTF-16 units, so the sentence is handled as an array of code points.
// Text from the server is only ever put in the page with textContent, never as HTML.

import { installArticles, openArticles, renderArticle, toggleArticle } from "./article.js";
import { addAttribution, markRole, renderAttributions } from "./attributions.js";
import { config } from "./config.js";
import { installDialogs, openDialog, openSkip } from "./dialogs.js";
import { root, sentenceBox } from "./dom.js";
import { flush, installDrafts, sendPendingDraft } from "./drafts.js";
import { undo } from "./edit.js";
import { back, start, submit } from "./flow.js";
import { installKeys } from "./keys.js";
import { renderOptions, setClaim, setStance, toggleType } from "./options.js";
import { applyQuotation, offerQuotation } from "./quotation.js";
import { renderSentence, selectFromMouse } from "./sentence.js";
import { hooks, setRenderers, state } from "./state.js";
import { renderSuggestions } from "./suggestions.js";

setRenderers([renderSentence, renderOptions, renderAttributions, renderSuggestions, renderArticle]);
installDrafts();
hooks.speakerSet = offerQuotation;
// The saves on their way first (the sentence just submitted names who "he" is), not the
// sentence fetched ahead, nor a draft not yet due: the picker must answer at once.
hooks.beforeCandidates = () => state.saved;
installDialogs();
installArticles();
installKeys({
  pageKeys: {
    Enter: submit,
    Backspace: back,
    ArrowLeft: back,
    s: openSkip,
    g: () => openDialog("guidelines-dialog"),
    "?": () => openDialog("help-dialog"),
    z: toggleArticle,
    j: openArticles,
    Q: applyQuotation,
  },
  // From "All done", Back reaches the annotator's last sentences; while loading, the keys
  // that move are swallowed (a second Enter must not submit the next sentence unseen).
  whenNotReady: {
    Enter: () => {},
    Backspace: () => root.dataset.state === "done" && back(),
    ArrowLeft: () => root.dataset.state === "done" && back(),
    "?": () => openDialog("help-dialog"),
    j: openArticles,
  },
});

// One listener for every button of the page; the attribution cards bind their own.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (button?.id === "help-button") return openDialog("help-dialog");
  if (button?.id === "guidelines-button") return openDialog("guidelines-dialog");
  if (button?.id === "articles-button") return openArticles();
  if (!button || root.dataset.state !== "ready") return;
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
  else if (button.id === "article-button") toggleArticle();
});

sentenceBox.addEventListener("mouseup", selectFromMouse);
window.addEventListener("pagehide", sendPendingDraft);

// Logging out waits for the saves on their way: a draft that reached the server after the
// logout would be refused, and lost.
for (const form of document.querySelectorAll(`form[action="${config.urls.logout}"]`)) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.flushed) return;
    event.preventDefault();
    await flush();
    form.dataset.flushed = "true";
    form.requestSubmit();
  });
}

start();
