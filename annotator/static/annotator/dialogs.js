// The dialogs: shortcuts, guidelines, articles, and skip (which asks for an optional reason).
// Closing one gives the focus back to the page, where the keys work.

import { $, root } from "./dom.js";
import { skip } from "./flow.js";

// A dialog opens at its top: focusing its Close button (at the bottom) would scroll it there.
export function openDialog(id) {
  const dialog = $(id);
  if (!dialog.open) dialog.showModal();
  dialog.scrollTop = 0;
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
    else root.focus();
  });
  for (const id of ["help-dialog", "guidelines-dialog", "articles-dialog"]) {
    $(id).addEventListener("close", () => root.focus());
  }
}
