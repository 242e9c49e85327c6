// The dialogs: shortcuts, guidelines, and skip (which asks for an optional reason). Closing
// one gives the focus back to the page, where the keys work.

import { $, main } from "./dom.js";
import { skip } from "./flow.js";

export function openDialog(id) {
  const dialog = $(id);
  if (!dialog.open) dialog.showModal();
}

export function openSkip() {
  $("skip-reason").value = "";
  $("skip-dialog").returnValue = "";
  openDialog("skip-dialog");
  $("skip-reason").focus();
}

export function installDialogs() {
  $("skip-dialog").addEventListener("close", () => {
    const dialog = $("skip-dialog");
    if (dialog.returnValue === "skip") skip($("skip-reason").value.trim());
    else main.focus();
  });
  for (const id of ["help-dialog", "guidelines-dialog"]) {
    $(id).addEventListener("close", () => main.focus());
  }
}
