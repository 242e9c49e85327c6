// Moving between sentences: the first one, submit and skip (saved in the background while
// the next one shows), back to an earlier one and forward again, and the prefetch.

import { fetchNext, fetchPrevious } from "./api.js";
import { claimKeys } from "./config.js";
import { labelsFrom } from "./content.js";
import { $, main, say, sentenceBox, setState } from "./dom.js";
import { autosave, enqueue, save, setDirty } from "./drafts.js";
import { loadSentence } from "./sentence.js";
import { recordOf, render, state } from "./state.js";

function show(item, labels = null) {
  const record = recordOf(item);
  state.item = item;
  state.labels = labels ?? labelsFrom(record.annotation);
  state.history = [];
  state.active = 0;
  state.selection = null;
  state.accepted = new Set();
  state.leadBase = record.annotation?.lead_time_ms ?? 0;
  state.shownAt = performance.now();
  setDirty(false);
  loadSentence(item.sentence.text);
  renderItem();
  render();
  sentenceBox.dataset.sentenceId = String(item.sentence.id);
  setState("ready");
  main.focus({ preventScroll: true });
}

// What stays the same while the sentence is labelled: where it is, progress, its context.
function renderItem() {
  const item = state.item;
  $("workspace").hidden = false;
  $("done").hidden = true;
  $("article-title").textContent = item.article.title || "Untitled article";
  $("position").textContent = item.position.label[0].toUpperCase() + item.position.label.slice(1);
  const progress = item.progress;
  $("progress").setAttribute("aria-valuenow", String(progress.percent));
  $("progress").setAttribute(
    "aria-valuetext",
    `${progress.done} of ${progress.total} sentences done`,
  );
  $("progress").firstElementChild.style.width = `${progress.percent}%`;
  $("progress-text").textContent = `${progress.done} / ${progress.total}`;
  for (const [id, sentences] of [
    ["context-before", item.context.before],
    ["context-after", item.context.after],
  ]) {
    const box = $(id);
    box.replaceChildren(
      ...sentences.map((s) => {
        const p = document.createElement("p");
        p.className = `context-sentence kind-${s.kind}`;
        p.textContent = s.text;
        return p;
      }),
    );
  }
  sentenceBox.classList.toggle("is-heading", item.sentence.kind === "heading");
}

function showDone() {
  state.item = null;
  $("workspace").hidden = true;
  $("done").hidden = false;
  $("position").textContent = "Nothing left to label";
  setState("done");
  $("done").querySelector("a").focus();
}

// The next item is fetched while the current one is labelled, after the saves before it.
// <main data-prefetch> says whether the next item is here yet ("pending" or "ready").
function prefetch() {
  const current = state.item ? [state.item.sentence.id] : [];
  main.dataset.prefetch = "pending";
  const pending = enqueue(() => fetchNext(current));
  pending.then(
    () => {
      if (state.prefetch === pending) main.dataset.prefetch = "ready";
    },
    () => {
      if (state.prefetch === pending) main.dataset.prefetch = "failed";
    },
  );
  return pending;
}

export async function start() {
  try {
    const item = await fetchNext([]);
    if (!item) return showDone();
    show(item);
    state.prefetch = prefetch();
  } catch (error) {
    say(`Could not load a sentence (${error.message}). Reload the page to try again.`);
  }
}

export function submit() {
  if (!state.labels.claim) {
    return say(`Choose a claim label first: ${claimKeys} (or press s to skip).`);
  }
  finish("submitted");
}

export function skip(reason) {
  finish("skipped", reason);
}

// Save in the background and move on at once; if the save fails, come back to the sentence
// with its labels and say why.
function finish(status, reason = "") {
  clearTimeout(state.autosaveTimer);
  setDirty(false);
  const item = state.item;
  const record = recordOf(item);
  const labels = state.labels;
  record.saveResult = undefined;
  const saved = save(status, reason);
  saved.then((result) => {
    record.saveResult = result;
    if (!result.ok) recover(item, labels, result);
  });
  say(status === "skipped" ? "Skipped." : "");
  advance(item, saved);
}

function recover(item, labels, result) {
  if (state.item && state.item !== item) state.forward.push(state.item);
  state.prefetch = null; // it was asked while this sentence counted as unfinished
  if (result.conflict) {
    show(item);
    state.history.push(JSON.stringify(labels));
    return say(
      "Not saved: this sentence was changed elsewhere. Its current labels are shown (Ctrl+Z brings yours back).",
    );
  }
  show(item, labels);
  say(`Not saved: ${result.message}. Your labels are still here: press Enter to try again.`);
}

async function advance(finished, saved) {
  let next = state.forward.pop();
  const fromQueue = !next;
  if (fromQueue) {
    setState("loading");
    next = await (state.prefetch ?? prefetch()).catch(() => undefined);
    if (next === undefined) {
      // The prefetch failed (or the item it returned is gone): ask once more, now.
      next = await enqueue(() => fetchNext([])).catch(() => undefined);
    }
    if (next === undefined) {
      setState("ready");
      return say("The next sentence could not be loaded: press Enter to try again.");
    }
  }
  const result = recordOf(finished).saveResult;
  if (result && !result.ok) {
    // Its save failed while the next one loaded: recover() shows it; this one comes after.
    if (next) state.forward.push(next);
    return;
  }
  if (!next) {
    if ((await saved).ok) showDone();
    return;
  }
  show(next);
  if (fromQueue || !state.prefetch) state.prefetch = prefetch();
}

export async function back() {
  if (state.dirty) await autosave();
  setState("loading");
  const current = state.item;
  const response = await fetchPrevious(current.sentence.id).catch(() => ({ status: 0 }));
  if (response.status !== 200) {
    setState("ready");
    return say(response.status === 204 ? "No earlier sentence of yours." : "Could not go back.");
  }
  state.forward.push(current);
  show(response.data);
  say("Back to your previous sentence: edit it, then Enter returns you.");
}
