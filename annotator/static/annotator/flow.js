// Moving between sentences: the first one, submit and skip (saved in the background while
// the next one shows), back to an earlier one (from the "All done" screen too) and forward
// again, the prefetch, and the progress counter.

import { fetchNext, fetchPrevious } from "./api.js";
import { claimKeys, config } from "./config.js";
import { labelsFrom } from "./content.js";
import { $, root, say, sentenceBox, setState } from "./dom.js";
import { autosave, enqueue, failed, save, setDirty } from "./drafts.js";
import { describeClaim } from "./options.js";
import { loadSentence } from "./sentence.js";
import { forgetCandidates } from "./speakers.js";
import { recordOf, render, state } from "./state.js";
import { refreshSuggestions } from "./suggestions.js";

const DONE = new Set(config.doneStatuses);

// The progress an item reports was counted when it was fetched; sentences finished since
// (the next item is fetched before this one is submitted) are added here.
const progress = { started: 0, stored: 0, baseline: new WeakMap() };

function show(item, labels = null) {
  const record = recordOf(item);
  state.item = item;
  state.labels = labels ?? labelsFrom(record.annotation);
  state.history = [];
  state.active = 0;
  state.selection = null;
  state.leadBase = record.annotation?.lead_time_ms ?? 0;
  forgetCandidates();
  state.shownAt = performance.now();
  setDirty(false);
  loadSentence(item.sentence.text);
  renderItem();
  render();
  sentenceBox.dataset.sentenceId = String(item.sentence.id);
  setState("ready");
  root.focus({ preventScroll: true });
  // A sentence opens with its labels panel at the top, its claim row in view.
  $("claim-group").closest(".labels").scrollTop = 0;
  const skipped = record.annotation?.status === config.skippedStatus;
  const reason = record.annotation?.skip_reason;
  $("skipped-note").hidden = !skipped;
  $("skipped-note").textContent = skipped
    ? `You skipped this sentence${reason ? ` (“${reason}”)` : ""}. Label it and press Enter to submit it instead.`
    : "";
}

// What stays the same while the sentence is labelled: where it is, progress, its context.
function renderItem() {
  const item = state.item;
  $("workspace").hidden = false;
  $("done").hidden = true;
  $("article-title").textContent = item.article.title || "Untitled article";
  $("position").textContent = item.position.label[0].toUpperCase() + item.position.label.slice(1);
  renderProgress(item);
  const before = [...item.context.before];
  const after = [...item.context.after];
  // A quotation's speaker named further away than the context: shown too, set apart.
  const naming = item.speaker_sentence;
  if (naming?.index < item.sentence.index) before.unshift({ ...naming, naming: true });
  else if (naming) after.push({ ...naming, naming: true });
  for (const [id, sentences] of [
    ["context-before", before],
    ["context-after", after],
  ]) {
    $(id).replaceChildren(
      ...sentences.map((s) => {
        const p = document.createElement("p");
        p.className = `context-sentence kind-${s.kind}${s.naming ? " names-speaker" : ""}`;
        p.textContent = s.text;
        if (s.naming) p.title = `Sentence ${s.index + 1} names the quotation's speaker`;
        return p;
      }),
    );
  }
  sentenceBox.classList.toggle("is-heading", item.sentence.kind === "heading");
}

function renderProgress(item) {
  const base = progress.baseline.get(item) ?? progress.started;
  const total = item.progress.total;
  const done = Math.min(total, item.progress.done + progress.started - base);
  const percent = total ? Math.round((1000 * done) / total) / 10 : 100;
  $("progress").setAttribute("aria-valuenow", String(percent));
  $("progress").setAttribute("aria-valuetext", `${done} of ${total} sentences done`);
  $("progress").firstElementChild.style.width = `${percent}%`;
  $("progress-text").textContent = `${done} / ${total}`;
}

function showDone() {
  if (state.item) renderProgress(state.item); // the last sentence counted too
  state.item = null;
  $("workspace").hidden = true;
  $("done").hidden = false;
  $("position").textContent = "Nothing left to label";
  setState("done");
  $("done").querySelector("a").focus();
}

// Fetch the next item after the writes before it; what the server counted as done by then
// is every sentence finished so far.
function next(exclude) {
  return enqueue(async () => {
    const base = progress.started;
    const item = await fetchNext(exclude);
    if (item) progress.baseline.set(item, base);
    return item;
  });
}

// The next item is fetched while the current one is labelled, after the saves before it.
// The root's data-prefetch says whether the next item is here yet ("pending" or "ready").
function prefetch() {
  const current = state.item ? [state.item.sentence.id] : [];
  root.dataset.prefetch = "pending";
  const pending = next(current);
  pending.then(
    () => {
      if (state.prefetch === pending) root.dataset.prefetch = "ready";
    },
    () => {
      if (state.prefetch === pending) root.dataset.prefetch = "failed";
    },
  );
  return pending;
}

export async function start() {
  try {
    const item = await next([]);
    if (!item) return showDone();
    show(item);
    // Opened at an article (?article=) with nothing left in it for this annotator.
    if (config.article && item.article.id !== config.article) {
      say(`Nothing left for you in article ${config.article}: your next sentence.`);
    }
    state.prefetch = prefetch();
  } catch (error) {
    say(`Could not load a sentence (${error.message}). Reload the page to try again.`, {
      error: true,
    });
  }
}

export function submit() {
  if (!state.labels.claim) {
    return say(`Choose a claim label first: ${claimKeys} (or press s to skip).`, { error: true });
  }
  finish(config.submittedStatus);
}

export function skip(reason) {
  finish(config.skippedStatus, reason);
}

// Save in the background and move on at once; if the save fails, come back to the sentence
// with its labels and say why.
function finish(status, reason = "") {
  clearTimeout(state.autosaveTimer);
  setDirty(false);
  const item = state.item;
  const record = recordOf(item);
  const labels = state.labels;
  const newlyDone = !DONE.has(record.annotation?.status);
  if (newlyDone) progress.started += 1;
  record.saveResult = undefined;
  const saved = save(status, reason);
  saved.then((result) => {
    record.saveResult = result;
    if (result.ok && newlyDone) progress.stored += 1;
    if (!result.ok && newlyDone) progress.started -= 1;
    if (!result.ok) recover(item, labels, result);
  });
  say(status === config.skippedStatus ? "Skipped." : "");
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
      { error: true },
    );
  }
  show(item, labels);
  failed(
    `Not saved: ${result.message}. Your labels are still here: press Enter to try again.`,
    result,
  );
}

async function advance(finished, saved) {
  let item = state.forward.pop();
  const fromQueue = !item;
  if (fromQueue) {
    setState("loading");
    item = await (state.prefetch ?? prefetch()).catch(() => undefined);
    if (item === undefined) {
      // The prefetch failed (or the item it returned is gone): ask once more, now.
      item = await next([]).catch(() => undefined);
    }
    if (item === undefined) {
      setState("ready");
      return say("The next sentence could not be loaded: press Enter to try again.", {
        error: true,
      });
    }
  }
  const result = recordOf(finished).saveResult;
  if (result && !result.ok) {
    // Its save failed while the next one loaded: recover() shows it; this one comes after.
    if (item) state.forward.push(item);
    return;
  }
  if (!item) {
    if ((await saved).ok) showDone();
    return;
  }
  show(item);
  // Fetched ahead, or shown before Back, before the sentence just labelled was saved: its
  // suggestions may have moved on (a quotation's speaker changed on its first sentence).
  refreshSuggestions(item, saved);
  if (fromQueue || !state.prefetch) state.prefetch = prefetch();
}

// Back to the annotator's previous sentence; from "All done", to the last one they labelled.
export async function back() {
  if (state.dirty) await autosave();
  const current = state.item;
  setState("loading");
  const base = progress.stored;
  const response = await fetchPrevious(current?.sentence.id).catch(() => ({ status: 0 }));
  if (response.status !== 200) {
    setState(current ? "ready" : "done");
    return say(response.status === 204 ? "No earlier sentence of yours." : "Could not go back.");
  }
  if (current) state.forward.push(current);
  progress.baseline.set(response.data, base);
  show(response.data);
  if (!$("skipped-note").hidden) return;
  // Its claim is named, and the message stays one line long at 1280x720 ("Back to your
  // previous sentence: Not a claim (1). ..." wrapped, the action bar growing over the labels).
  const claim = state.labels.claim ? `: ${describeClaim(state.labels.claim)}` : "";
  say(`Previous sentence${claim}. Edit it; Enter returns you.`);
}
