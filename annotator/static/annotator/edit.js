// Every change to the labels goes through change(): it can be undone, it redraws the page,
// and the page hears of it (the labeling page saves a draft soon after).

import { say } from "./dom.js";
import { hooks, render, state } from "./state.js";

export function change(mutate) {
  state.history.push(JSON.stringify(state.labels));
  mutate(state.labels);
  hooks.changed();
  render();
}

export function undo() {
  const previous = state.history.pop();
  if (previous === undefined) return say("Nothing to undo on this sentence.");
  state.labels = JSON.parse(previous);
  state.active = Math.min(state.active, Math.max(0, state.labels.attributions.length - 1));
  hooks.changed();
  render();
  say("Undone.");
}
