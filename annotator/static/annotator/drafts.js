// The labeling page's saves: each change is saved as a draft soon after, writes go to the
// server one at a time in the order they were made, and nothing pending is lost on the way
// out (logging out waits for the saves; a closed tab sends them with keepalive).

import { describeErrors, isLoggedOut, putAnnotation } from "./api.js";
import { adoptSpeakerIds, labelsFrom, payload, storedSpeakers } from "./content.js";
import { $, root, say } from "./dom.js";
import { learnStored } from "./speakers.js";
import { hooks, leadTime, recordOf, render, state } from "./state.js";

const AUTOSAVE_MS = 800;
// Logging out waits this long at most for the saves still on their way.
const FLUSH_MS = 8000;

// Unsaved changes are also shown on the root's data-dirty, so tests and tools can wait for them.
export function setDirty(dirty) {
  state.dirty = dirty;
  root.dataset.dirty = String(dirty);
}

function markDirty() {
  setDirty(true);
  clearTimeout(state.autosaveTimer);
  state.autosaveTimer = setTimeout(() => autosave(), AUTOSAVE_MS);
}

export function installDrafts() {
  hooks.changed = markDirty;
}

export async function autosave() {
  clearTimeout(state.autosaveTimer);
  if (!state.dirty) return true;
  setDirty(false);
  const item = state.item;
  const result = await save("draft");
  if (result.ok) {
    // Said for the sentence on screen only: an answer that comes after Enter is not news there.
    if (item === state.item) say("Draft saved.", { save: true });
  } else if (result.conflict && item === state.item) adoptConflict(item);
  else {
    if (result.loggedOut && item === state.item) setDirty(true); // saved again once logged in
    failed(`Draft not saved: ${result.message}`, result);
  }
  return result.ok;
}

// Say why a save failed; when logged out, offer the login page (in a new tab: this one keeps
// the work, and saves it once logged in again).
export function failed(message, result) {
  $("login-again").hidden = !result.loggedOut;
  say(message, { error: true, save: true });
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
  const saved = enqueue(() => put(item, sent)).finally(() => countSaves(-1));
  state.saved = saved.catch(() => {});
  return saved;
}

// Saves not yet answered are counted on the root's data-saves, for tests and tools.
let pendingSaves = 0;
root.dataset.saves = "0";
function countSaves(step) {
  pendingSaves += step;
  root.dataset.saves = String(pendingSaves);
}

export async function put(item, sent) {
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
    learnStored(storedSpeakers(sent, response.data));
    if (item === state.item) showStored(adoptSpeakerIds(state.labels, sent, response.data));
    $("login-again").hidden = true;
    return { ok: true };
  }
  if (response.status === 409) {
    record.annotation = response.data.current;
    record.version = response.data.current?.version ?? null;
    return { ok: false, conflict: true, message: "this sentence was changed elsewhere" };
  }
  if (isLoggedOut(response)) {
    return { ok: false, loggedOut: true, message: "you are logged out. Log in again" };
  }
  return { ok: false, message: describeErrors(response.data) };
}

// A new speaker's name that the project already had stands for that speaker: show its kind
// (the one saved), and say so. Not while a speaker box is being typed in: redrawn, it would
// lose what is typed (it shows the stored speaker when left).
function showStored(changed) {
  if (!changed.length) return;
  if (!document.activeElement?.id?.startsWith("speaker-")) render();
  say(changed.map(({ stored }) => `“${stored.name}” already exists as ${stored.kind}.`).join(" "));
}

// Show what is stored now; the labels on screen stay one Ctrl+Z away.
function adoptConflict(item) {
  state.history.push(JSON.stringify(state.labels));
  state.labels = labelsFrom(recordOf(item).annotation);
  render();
  say(
    "This sentence was changed elsewhere: its current labels are shown (Ctrl+Z restores yours).",
    {
      error: true,
    },
  );
}

// Save the pending draft now and wait for every write on its way (at most FLUSH_MS).
export async function flush() {
  const pending = state.dirty ? autosave() : Promise.resolve();
  const timeout = new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
  await Promise.race([Promise.all([pending, state.chain]), timeout]);
}

// A closed tab loses nothing: send the pending draft on the way out (keepalive).
export function sendPendingDraft() {
  if (!state.dirty || !state.item) return;
  clearTimeout(state.autosaveTimer);
  setDirty(false);
  putAnnotation(state.item.sentence.id, body("draft")).catch(() => {});
}
