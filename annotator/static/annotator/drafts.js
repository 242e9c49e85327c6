// Every change to the labels goes through change(): it can be undone, and it is saved as a
// draft soon after. Writes go to the server one at a time, in the order they were made.

import { describeErrors, putAnnotation } from "./api.js";
import { adoptSpeakerIds, labelsFrom, payload } from "./content.js";
import { main, say } from "./dom.js";
import { leadTime, recordOf, render, state } from "./state.js";

const AUTOSAVE_MS = 800;

export function change(mutate) {
  state.history.push(JSON.stringify(state.labels));
  mutate(state.labels);
  markDirty();
  render();
}

export function undo() {
  const previous = state.history.pop();
  if (previous === undefined) return say("Nothing to undo on this sentence.");
  state.labels = JSON.parse(previous);
  state.active = Math.min(state.active, Math.max(0, state.labels.attributions.length - 1));
  markDirty();
  render();
  say("Undone.");
}

// Unsaved changes are also shown on <main data-dirty>, so tests and tools can wait for them.
export function setDirty(dirty) {
  state.dirty = dirty;
  main.dataset.dirty = String(dirty);
}

function markDirty() {
  setDirty(true);
  clearTimeout(state.autosaveTimer);
  state.autosaveTimer = setTimeout(() => autosave(), AUTOSAVE_MS);
}

export async function autosave() {
  clearTimeout(state.autosaveTimer);
  if (!state.dirty) return true;
  setDirty(false);
  const item = state.item;
  const result = await save("draft");
  if (result.ok) say("Draft saved.");
  else if (result.conflict && item === state.item) adoptConflict(item);
  else say(`Draft not saved: ${result.message}`);
  return result.ok;
}

// The page never has two writes in flight: each waits for the one before (so the server sees
// a submitted sentence as done before it is asked for the next one).
export function enqueue(task) {
  const run = state.chain.then(task);
  state.chain = run.catch(() => {});
  return run;
}

function body(status, reason = "") {
  const version = recordOf(state.item).version;
  return payload(state.labels, { version, status, reason, leadTimeMs: leadTime() });
}

// Each save remembers the item it belongs to and sends that item's latest version.
export function save(status, reason = "") {
  const item = state.item;
  const sent = body(status, reason);
  countSaves(1);
  return enqueue(() => put(item, sent)).finally(() => countSaves(-1));
}

// Saves not yet answered are counted on <main data-saves>, for tests and tools.
let pendingSaves = 0;
main.dataset.saves = "0";
function countSaves(step) {
  pendingSaves += step;
  main.dataset.saves = String(pendingSaves);
}

async function put(item, sent) {
  const record = recordOf(item);
  sent.version = record.version ?? null;
  let response;
  try {
    response = await putAnnotation(item.sentence.id, sent);
  } catch {
    return { ok: false, message: "the server cannot be reached" };
  }
  if (response.ok) {
    record.annotation = response.data;
    record.version = response.data.version;
    if (item === state.item) adoptSpeakerIds(state.labels, response.data);
    return { ok: true };
  }
  if (response.status === 409) {
    record.annotation = response.data.current;
    record.version = response.data.current?.version ?? null;
    return { ok: false, conflict: true, message: "this sentence was changed elsewhere" };
  }
  return { ok: false, message: describeErrors(response.data) };
}

// Show what is stored now; the labels on screen stay one Ctrl+Z away.
function adoptConflict(item) {
  state.history.push(JSON.stringify(state.labels));
  state.labels = labelsFrom(recordOf(item).annotation);
  render();
  say("This sentence was changed elsewhere: its current labels are shown (Ctrl+Z restores yours).");
}

// A closed tab loses nothing: send the pending draft on the way out.
export function sendPendingDraft() {
  if (!state.dirty || !state.item) return;
  putAnnotation(state.item.sentence.id, body("draft"), { keepalive: true }).catch(() => {});
}
