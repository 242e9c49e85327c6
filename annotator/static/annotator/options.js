// The label option buttons (claim, claim types, stance per target): their pressed state, and
// the changes they and their keys make.

import { config, takesTypes, typedClaimKeys } from "./config.js";
import { $, say } from "./dom.js";
import { change } from "./edit.js";
import { state } from "./state.js";

// A claim key sets the label and never clears it: every sentence needs one, and an annotator
// who presses it again (after `y` took the suggested label) must not lose the claim types.
export function setClaim(value) {
  if (state.labels.claim !== value) {
    change((labels) => {
      labels.claim = value;
      if (!takesTypes(labels.claim)) labels.claimTypes = [];
    });
  }
  // Once an attribution is shown the panel scrolls past the claim row: the key must be seen
  // to act, on the row and in the status line.
  $("claim-group").scrollIntoView({ block: "nearest" });
  say(`Claim: ${describeClaim(value)}.`);
}

export function describeClaim(value) {
  const option = config.claims.find((c) => c.value === value);
  return option ? `${option.title} (${option.key})` : value;
}

export function toggleType(value) {
  if (!takesTypes(state.labels.claim)) {
    return say(`Claim types apply to claims: press ${typedClaimKeys} first.`);
  }
  change((labels) => {
    const at = labels.claimTypes.indexOf(value);
    if (at >= 0) labels.claimTypes.splice(at, 1);
    else labels.claimTypes.push(value);
  });
}

const NO_TARGET = "No stance target in this project: stance keys do nothing.";

export function setStance(value, targetIndex = state.target) {
  const target = config.targets[targetIndex];
  if (!target) return say(NO_TARGET);
  change((labels) => {
    if (labels.stance[target.name] === value) delete labels.stance[target.name];
    else labels.stance[target.name] = value;
  });
}

export function switchTarget(step) {
  const count = config.targets.length;
  if (!count) return say(NO_TARGET);
  if (count < 2) return say("This project has one stance target.");
  state.target = (state.target + step + count) % count;
  renderOptions();
  say(`Stance keys now apply to “${config.targets[state.target].name}”.`);
}

export function renderOptions() {
  const labels = state.labels;
  for (const button of document.querySelectorAll("[data-claim]")) {
    button.setAttribute("aria-pressed", String(button.dataset.claim === labels.claim));
  }
  const typed = takesTypes(labels.claim);
  for (const button of document.querySelectorAll("[data-type]")) {
    button.setAttribute("aria-pressed", String(labels.claimTypes.includes(button.dataset.type)));
    button.setAttribute("aria-disabled", String(!typed));
  }
  document.querySelectorAll(".stance").forEach((group, index) => {
    group.classList.toggle("active-target", index === state.target && config.targets.length > 1);
    for (const button of group.querySelectorAll("[data-stance]")) {
      button.setAttribute(
        "aria-pressed",
        String(labels.stance[group.dataset.target] === button.dataset.stance),
      );
    }
  });
}
