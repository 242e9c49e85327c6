// The labeling page: one sentence at a time, keyboard first, talking to the JSON API.
//
// Offsets are Unicode code points (Python str indices), as the API stores them; JavaScript
// strings count UTF-16 units, so the sentence is handled as an array of code points.
// Text from the server is only ever put in the page with textContent, never as HTML.

const config = JSON.parse(document.getElementById("label-config").textContent);
const $ = (id) => document.getElementById(id);
const main = $("main");
const sentenceBox = $("sentence");
const ROLES = ["source", "cue", "content"];
const ROLE_KEYS = { r: "source", v: "cue", t: "content" };
const QUOTE_TYPES = ["", "direct", "indirect", "mixed"];
const TYPED_CLAIMS = ["claim", "checkworthy"];
const AUTOSAVE_MS = 800;
const SEARCH_MS = 120;

const state = {
  item: null, // what the API returned for the sentence on screen
  labels: null, // the editable labels of that sentence
  history: [], // undo snapshots of `labels`
  active: 0, // index of the attribution that marks and speaker keys apply to
  target: 0, // index of the stance target that stance keys apply to
  selection: null, // {start, end} in code points
  anchor: 0, // keyboard selection, in word indices
  caret: 0,
  accepted: new Set(), // suggestions taken on this visit
  shownAt: 0,
  leadBase: 0,
  dirty: false,
  autosaveTimer: 0,
  forward: [], // items to come back to after going back, newest last
  prefetch: null, // Promise of the next item (or null when none is left)
  chain: Promise.resolve(), // the page's writes (saves, and `next`, which reserves), in order
};
let points = []; // the sentence as code points
let words = []; // [{start, end}] in code points

// --- the API -------------------------------------------------------------------------------

async function api(method, url, body, extra = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = config.csrfToken;
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
    ...extra,
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, ok: response.ok, data };
}

const annotationUrl = (id) => config.urls.annotation.replace("{id}", String(id));

async function fetchNext(exclude) {
  const query = exclude.length ? `?exclude=${exclude.join(",")}` : "";
  const response = await api("GET", config.urls.next + query);
  if (response.status === 204) return null;
  if (!response.ok) throw new Error(`next: HTTP ${response.status}`);
  return response.data;
}

// --- labels --------------------------------------------------------------------------------

function labelsFrom(annotation) {
  const stance = {};
  for (const s of annotation?.stance ?? []) stance[s.target] = s.label;
  return {
    claim: annotation?.claim ?? "",
    claimTypes: [...(annotation?.claim_types ?? [])],
    attributions: (annotation?.attributions ?? []).map((a) => ({
      speaker: a.speaker,
      source: a.source && { start: a.source.start, end: a.source.end },
      cue: a.cue && { start: a.cue.start, end: a.cue.end },
      content: a.content && { start: a.content.start, end: a.content.end },
      quote_type: a.quote_type ?? "",
      suggested: Boolean(a.suggested),
    })),
    stance,
  };
}

function leadTime() {
  return state.leadBase + Math.round(performance.now() - state.shownAt);
}

function payload(status, reason = "") {
  const labels = state.labels;
  const span = (s) => s && { start: s.start, end: s.end };
  const speaker = (s) => s && (s.id ? { id: s.id } : { name: s.name, kind: s.kind });
  return {
    version: state.item.version,
    status,
    claim: labels.claim || null,
    claim_types: TYPED_CLAIMS.includes(labels.claim) ? labels.claimTypes : [],
    attributions: labels.attributions
      .filter((a) => a.speaker || ROLES.some((role) => a[role]))
      .map((a) => ({
        speaker: speaker(a.speaker),
        source: span(a.source),
        cue: span(a.cue),
        content: span(a.content),
        quote_type: a.quote_type || null,
        suggested: a.suggested,
      })),
    stance: Object.entries(labels.stance).map(([target, label]) => ({ target, label })),
    skip_reason: reason,
    lead_time_ms: leadTime(),
  };
}

// Change the labels through here, so every change can be undone and is saved as a draft.
function change(mutate) {
  state.history.push(JSON.stringify(state.labels));
  mutate(state.labels);
  markDirty();
  render();
}

function undo() {
  const previous = state.history.pop();
  if (previous === undefined) return say("Nothing to undo on this sentence.");
  state.labels = JSON.parse(previous);
  state.active = Math.min(state.active, Math.max(0, state.labels.attributions.length - 1));
  markDirty();
  render();
  say("Undone.");
}

// Unsaved changes are also shown on <main data-dirty>, so tests and tools can wait for them.
function setDirty(dirty) {
  state.dirty = dirty;
  main.dataset.dirty = String(dirty);
}

function markDirty() {
  setDirty(true);
  clearTimeout(state.autosaveTimer);
  state.autosaveTimer = setTimeout(() => autosave(), AUTOSAVE_MS);
}

async function autosave() {
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
function enqueue(task) {
  const run = state.chain.then(task);
  state.chain = run.catch(() => {});
  return run;
}

// Each save remembers the item it belongs to and sends that item's latest version.
function save(status, reason = "") {
  const item = state.item;
  const body = payload(status, reason);
  countSaves(1);
  return enqueue(() => put(item, body)).finally(() => countSaves(-1));
}

// Saves not yet answered are counted on <main data-saves>, for tests and tools.
let pendingSaves = 0;
main.dataset.saves = "0";
function countSaves(step) {
  pendingSaves += step;
  main.dataset.saves = String(pendingSaves);
}

async function put(item, body) {
  body.version = item.version ?? null;
  let response;
  try {
    response = await api("PUT", annotationUrl(item.sentence.id), body);
  } catch {
    return { ok: false, message: "the server cannot be reached" };
  }
  if (response.ok) {
    item.annotation = response.data;
    item.version = response.data.version;
    if (item === state.item) adoptSpeakerIds(response.data);
    return { ok: true };
  }
  if (response.status === 409) {
    item.annotation = response.data.current;
    item.version = response.data.current?.version ?? null;
    return { ok: false, conflict: true, message: "this sentence was changed elsewhere" };
  }
  return { ok: false, message: describeErrors(response.data) };
}

// Show what is stored now; the labels on screen stay one Ctrl+Z away.
function adoptConflict(item) {
  state.history.push(JSON.stringify(state.labels));
  state.labels = labelsFrom(item.annotation);
  render();
  say("This sentence was changed elsewhere: its current labels are shown (Ctrl+Z restores yours).");
}

// New speakers are sent by name; once stored, refer to them by id.
function adoptSpeakerIds(annotation) {
  const stored = annotation.attributions ?? [];
  let index = 0;
  for (const attribution of state.labels.attributions) {
    if (!attribution.speaker && !ROLES.some((role) => attribution[role])) continue;
    const twin = stored[index++];
    if (attribution.speaker && !attribution.speaker.id && twin?.speaker) {
      attribution.speaker = twin.speaker;
    }
  }
}

function describeErrors(errors) {
  if (!errors || typeof errors !== "object") return "unexpected answer from the server.";
  const parts = [];
  const walk = (value, path) => {
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
      parts.push(`${path || "request"}: ${value.join(" ")}`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path} ${i + 1}`));
    } else if (value && typeof value === "object") {
      for (const [key, v] of Object.entries(value)) walk(v, path ? `${path} ${key}` : key);
    } else if (typeof value === "string") {
      parts.push(value);
    }
  };
  walk(errors, "");
  return parts.join("; ") || "unexpected answer from the server.";
}

// --- flow ----------------------------------------------------------------------------------

function setState(name) {
  main.dataset.state = name;
}

function show(item, labels = null) {
  state.item = item;
  if (item.version === undefined) item.version = item.annotation?.version ?? null;
  state.labels = labels ?? labelsFrom(item.annotation);
  state.history = [];
  state.active = 0;
  state.selection = null;
  state.accepted = new Set();
  state.leadBase = item.annotation?.lead_time_ms ?? 0;
  state.shownAt = performance.now();
  setDirty(false);
  points = Array.from(item.sentence.text);
  words = wordsOf(points);
  state.anchor = state.caret = 0;
  renderItem();
  render();
  sentenceBox.dataset.sentenceId = String(item.sentence.id);
  setState("ready");
  main.focus({ preventScroll: true });
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

async function start() {
  try {
    const item = await fetchNext([]);
    if (!item) return showDone();
    show(item);
    state.prefetch = prefetch();
  } catch (error) {
    say(`Could not load a sentence (${error.message}). Reload the page to try again.`);
  }
}

function submit() {
  if (!state.labels.claim) {
    return say("Choose a claim label first: 1, 2 or 3 (or press s to skip).");
  }
  finish("submitted");
}

// Save in the background and move on at once; if the save fails, come back to the sentence
// with its labels and say why.
function finish(status, reason = "") {
  clearTimeout(state.autosaveTimer);
  setDirty(false);
  const item = state.item;
  const labels = state.labels;
  item.saveResult = undefined;
  const saved = save(status, reason);
  saved.then((result) => {
    item.saveResult = result;
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
  if (finished.saveResult && !finished.saveResult.ok) {
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

async function back() {
  if (state.dirty) await autosave();
  setState("loading");
  const current = state.item;
  const response = await api("GET", `${config.urls.previous}?before=${current.sentence.id}`).catch(
    () => ({ status: 0 }),
  );
  if (response.status !== 200) {
    setState("ready");
    return say(response.status === 204 ? "No earlier sentence of yours." : "Could not go back.");
  }
  state.forward.push(current);
  show(response.data);
  say("Back to your previous sentence: edit it, then Enter returns you.");
}

// --- editing -------------------------------------------------------------------------------

function setClaim(value) {
  change((labels) => {
    labels.claim = labels.claim === value ? "" : value;
    if (!TYPED_CLAIMS.includes(labels.claim)) labels.claimTypes = [];
  });
}

function toggleType(value) {
  if (!TYPED_CLAIMS.includes(state.labels.claim)) {
    return say("Claim types apply to claims: press 2 or 3 first.");
  }
  change((labels) => {
    const at = labels.claimTypes.indexOf(value);
    if (at >= 0) labels.claimTypes.splice(at, 1);
    else labels.claimTypes.push(value);
  });
}

function setStance(value, targetIndex = state.target) {
  const target = config.targets[targetIndex];
  if (!target) return;
  change((labels) => {
    if (labels.stance[target.name] === value) delete labels.stance[target.name];
    else labels.stance[target.name] = value;
  });
}

function emptyAttribution() {
  return {
    speaker: null,
    source: null,
    cue: null,
    content: null,
    quote_type: "",
    suggested: false,
  };
}

function activeAttribution(create) {
  let attribution = state.labels.attributions[state.active];
  if (!attribution && create) {
    attribution = emptyAttribution();
    state.labels.attributions.push(attribution);
    state.active = state.labels.attributions.length - 1;
  }
  return attribution;
}

function addAttribution() {
  change((labels) => {
    labels.attributions.push(emptyAttribution());
    state.active = labels.attributions.length - 1;
  });
  say(`Attribution ${state.active + 1} added: select words and mark them.`);
}

function markRole(role) {
  const selection = state.selection;
  if (!selection)
    return say("Select some words first: with the mouse, or press w and use the arrows.");
  change(() => {
    const attribution = activeAttribution(true);
    attribution[role] = { start: selection.start, end: selection.end };
    attribution.suggested = false;
  });
  state.selection = null;
  render();
  const attribution = activeAttribution(false);
  const hint = role === "source" && !attribution.speaker ? " Press k to pick the speaker." : "";
  say(`Marked ${role}: “${textOf(attribution[role])}”.${hint}`);
}

function removeSpan(index, role) {
  change((labels) => {
    labels.attributions[index][role] = null;
    labels.attributions[index].suggested = false;
  });
}

function removeAttribution(index = state.active) {
  if (!state.labels.attributions[index]) return say("No attribution to remove.");
  change((labels) => {
    labels.attributions.splice(index, 1);
    state.active = Math.max(0, Math.min(state.active, labels.attributions.length - 1));
  });
  say("Attribution removed.");
}

function cycleQuoteType() {
  if (!activeAttribution(false)) return say("No attribution yet: mark a span or press b.");
  change(() => {
    const attribution = activeAttribution(false);
    const at = QUOTE_TYPES.indexOf(attribution.quote_type || "");
    attribution.quote_type = QUOTE_TYPES[(at + 1) % QUOTE_TYPES.length];
  });
  say(`Quote type: ${activeAttribution(false).quote_type || "none"}.`);
}

function setSpeaker(speaker, index = state.active) {
  change(() => {
    if (!state.labels.attributions[index]) state.active = index = state.labels.attributions.length;
    state.active = index;
    activeAttribution(true).speaker = speaker;
  });
  say(`Speaker: ${speaker.name}${speaker.id ? "" : ` (new ${speaker.kind})`}.`);
}

const authorSpeaker = () => ({
  name: state.item.article.source || "Author / outlet",
  kind: "author",
});
const unnamedSpeaker = () => ({ name: "Unnamed source", kind: "unnamed" });

function acceptSuggestion(index) {
  const suggestions = state.item.suggestions.attributions;
  const chosen = index ?? suggestions.findIndex((_, i) => !state.accepted.has(i));
  if (chosen < 0 || chosen >= suggestions.length) return say("No suggestion left to accept.");
  const s = suggestions[chosen];
  change((labels) => {
    labels.attributions.push({
      speaker: s.speaker,
      source: s.source && { start: s.source.start, end: s.source.end },
      cue: s.cue && { start: s.cue.start, end: s.cue.end },
      content: s.content && { start: s.content.start, end: s.content.end },
      quote_type: s.quote_type ?? "",
      suggested: true,
    });
    state.active = labels.attributions.length - 1;
  });
  state.accepted.add(chosen);
  render();
  say(`Suggestion accepted as attribution ${state.active + 1}.`);
}

// --- the sentence: rendering and selection ------------------------------------------------

const textOf = (span) => (span ? points.slice(span.start, span.end).join("") : "");

function wordsOf(codepoints) {
  const found = [];
  let i = 0;
  const isWord = (c) => /[\p{L}\p{N}]/u.test(c);
  while (i < codepoints.length) {
    if (/\s/u.test(codepoints[i])) {
      i += 1;
    } else if (isWord(codepoints[i])) {
      const start = i;
      while (
        i < codepoints.length &&
        (isWord(codepoints[i]) || (/['’-]/u.test(codepoints[i]) && isWord(codepoints[i + 1] ?? "")))
      )
        i += 1;
      found.push({ start, end: i });
    } else {
      found.push({ start: i, end: i + 1 });
      i += 1;
    }
  }
  return found;
}

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

function render() {
  renderSentence();
  renderOptions();
  renderAttributions();
  renderSuggestions();
}

function renderSentence() {
  const ranges = [];
  state.labels.attributions.forEach((a, i) => {
    for (const role of ROLES) {
      if (a[role])
        ranges.push({ ...a[role], cls: `hl hl-${role}${i === state.active ? " hl-active" : ""}` });
    }
  });
  state.item.suggestions.attributions.forEach((s, i) => {
    if (state.accepted.has(i)) return;
    for (const role of ROLES)
      if (s[role]) ranges.push({ start: s[role].start, end: s[role].end, cls: `sg sg-${role}` });
  });
  if (state.selection) ranges.push({ ...state.selection, cls: "sel" });
  const cuts = new Set([0, points.length]);
  for (const r of ranges) cuts.add(r.start).add(r.end);
  const bounds = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [start, end] = [bounds[i], bounds[i + 1]];
    const piece = document.createElement("span");
    piece.dataset.start = String(start);
    piece.textContent = points.slice(start, end).join("");
    const classes = ranges
      .filter((r) => r.start <= start && end <= r.end)
      .flatMap((r) => r.cls.split(" "));
    if (classes.length) piece.className = [...new Set(classes)].join(" ");
    pieces.push(piece);
  }
  sentenceBox.replaceChildren(...pieces);
}

function renderOptions() {
  const labels = state.labels;
  for (const button of document.querySelectorAll("[data-claim]")) {
    button.setAttribute("aria-pressed", String(button.dataset.claim === labels.claim));
  }
  const typed = TYPED_CLAIMS.includes(labels.claim);
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

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key in node && !key.startsWith("aria") && !key.startsWith("data")) node[key] = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter(Boolean));
  return node;
}

function renderAttributions() {
  const box = $("attributions");
  const focused = document.activeElement?.id;
  const cards = state.labels.attributions.map((a, index) => attributionCard(a, index));
  box.replaceChildren(
    ...(cards.length
      ? cards
      : [element("p", { className: "muted", text: "None: the author / outlet asserts it." })]),
  );
  if (focused && $(focused) && focused.startsWith("speaker-")) $(focused).focus();
}

function attributionCard(attribution, index) {
  const number = index + 1;
  const chips = ROLES.map((role) =>
    attribution[role]
      ? element(
          "span",
          { className: `chip chip-${role}` },
          element("span", { text: `${role}: “${textOf(attribution[role])}”` }),
          element("button", {
            type: "button",
            className: "chip-remove",
            text: "×",
            "aria-label": `Remove ${role} of attribution ${number}`,
            onclick: () => removeSpan(index, role),
          }),
        )
      : null,
  );
  const speaker = attribution.speaker;
  const inputId = `speaker-${index}`;
  const quoteId = `quote-${index}`;
  const quote = element(
    "select",
    {
      id: quoteId,
      onchange: (e) =>
        change(() => {
          attribution.quote_type = e.target.value;
        }),
    },
    ...QUOTE_TYPES.map((value) =>
      element("option", {
        value,
        text: value || "none",
        selected: value === (attribution.quote_type || ""),
      }),
    ),
  );
  return element(
    "div",
    {
      className: `attribution${index === state.active ? " active" : ""}`,
      role: "group",
      "aria-label": `Attribution ${number}`,
      onclick: (e) => {
        if (e.target.closest("button, input, select")) return;
        state.active = index;
        render();
      },
    },
    element(
      "div",
      { className: "attribution-head" },
      element("strong", { text: `Attribution ${number}` }),
      attribution.suggested ? element("span", { className: "badge", text: "suggested" }) : null,
      element("button", {
        type: "button",
        className: "link-button",
        text: "Remove",
        "aria-label": `Remove attribution ${number}`,
        onclick: () => removeAttribution(index),
      }),
    ),
    element(
      "div",
      { className: "chips" },
      ...(chips.some(Boolean)
        ? chips
        : [element("span", { className: "muted", text: "No spans yet." })]),
    ),
    element(
      "div",
      { className: "speaker-row" },
      element("label", { htmlFor: inputId, text: "Speaker (k)" }),
      speakerPicker(inputId, index, speaker),
      element("button", {
        type: "button",
        text: "Author / outlet (⇧A)",
        onclick: () => setSpeaker(authorSpeaker(), index),
      }),
      element("button", {
        type: "button",
        text: "Unnamed source (⇧U)",
        onclick: () => setSpeaker(unnamedSpeaker(), index),
      }),
    ),
    element(
      "div",
      { className: "quote-row" },
      element("label", { htmlFor: quoteId, text: "Quote type (d)" }),
      quote,
    ),
  );
}

function renderSuggestions() {
  const suggestions = state.item.suggestions;
  const list = $("suggestion-list");
  const items = suggestions.attributions
    .map((s, index) => {
      if (state.accepted.has(index)) return null;
      const parts = ROLES.filter((role) => s[role]).map((role) => `${role} “${s[role].text}”`);
      if (s.quote_type) parts.push(s.quote_type);
      if (s.speaker) parts.push(`speaker ${s.speaker.name}`);
      return element(
        "li",
        {},
        element("span", { text: parts.join(", ") }),
        element("button", {
          type: "button",
          text: "Accept",
          "aria-label": `Accept suggestion: ${parts.join(", ")}`,
          onclick: () => acceptSuggestion(index),
        }),
      );
    })
    .filter(Boolean);
  if (suggestions.claim) {
    const option = config.claims.find((c) => c.value === suggestions.claim);
    items.push(
      element("li", {
        text: `Claim: ${option ? `${option.title} (${option.key})` : suggestions.claim}`,
      }),
    );
  }
  list.replaceChildren(...items);
  $("suggestions").hidden = items.length === 0;
}

function codepointAt(node, offset) {
  if (node === sentenceBox) {
    const child = sentenceBox.childNodes[offset];
    return child ? Number(child.dataset.start) : points.length;
  }
  const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest(
    "[data-start]",
  );
  if (!piece || !sentenceBox.contains(piece)) return null;
  const text = node.nodeType === Node.TEXT_NODE ? node.textContent.slice(0, offset) : "";
  return Number(piece.dataset.start) + Array.from(text).length;
}

// Snap a selection to whole words, without surrounding spaces.
function snapped(start, end) {
  const inside = words.filter((w) => w.end > start && w.start < end);
  if (!inside.length) return null;
  return { start: inside[0].start, end: inside[inside.length - 1].end };
}

function selectFromMouse() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !sentenceBox.contains(selection.anchorNode)) return;
  const a = codepointAt(selection.anchorNode, selection.anchorOffset);
  const b = codepointAt(selection.focusNode, selection.focusOffset);
  if (a === null || b === null) return;
  state.selection = snapped(Math.min(a, b), Math.max(a, b));
  selection.removeAllRanges();
  renderSentence();
  if (state.selection) say(`Selected “${textOf(state.selection)}”: r source, v cue, t content.`);
}

function selectWords() {
  if (!words.length) return;
  const [from, to] = [Math.min(state.anchor, state.caret), Math.max(state.anchor, state.caret)];
  state.selection = { start: words[from].start, end: words[to].end };
  renderSentence();
  say(`Selected “${textOf(state.selection)}”.`);
}

function sentenceKey(event) {
  const last = words.length - 1;
  const moves = {
    ArrowRight: () => Math.min(last, state.caret + 1),
    ArrowLeft: () => Math.max(0, state.caret - 1),
    Home: () => 0,
    End: () => last,
  };
  if (event.key in moves) {
    state.caret = moves[event.key]();
    if (!event.shiftKey) state.anchor = state.caret;
    selectWords();
    return true;
  }
  if (event.key === "Escape") {
    main.focus();
    return true;
  }
  return false;
}

function focusSentence() {
  sentenceBox.focus();
  if (!state.selection) {
    state.anchor = state.caret;
    selectWords();
  }
}

// --- speakers ------------------------------------------------------------------------------

function speakerPicker(inputId, index, speaker) {
  const listId = `${inputId}-list`;
  const input = element("input", {
    id: inputId,
    type: "text",
    autocomplete: "off",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    placeholder: speaker ? "" : "Type a name…",
    value: speaker ? `${speaker.name} (${speaker.kind})` : "",
  });
  const list = element("ul", {
    id: listId,
    role: "listbox",
    className: "listbox",
    "aria-label": "Speakers",
    hidden: true,
  });
  let options = [];
  let active = -1;
  let timer = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, n) => li.setAttribute("aria-selected", String(n === i)));
    if (i >= 0) input.setAttribute("aria-activedescendant", `${listId}-${i}`);
  };
  const choose = (i) => {
    const option = options[i];
    if (!option) return;
    close();
    setSpeaker(option.speaker, index);
    main.focus();
  };
  const refresh = async () => {
    options = await speakerOptions(
      input.value.replace(/ \((person|organization|country|media|unnamed|author)\)$/, ""),
    );
    list.replaceChildren(
      ...options.map((option, n) =>
        element("li", {
          id: `${listId}-${n}`,
          role: "option",
          "aria-selected": "false",
          text: option.label,
          onmousedown: (e) => {
            e.preventDefault();
            choose(n);
          },
        }),
      ),
    );
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    highlight(options.length ? 0 : -1);
  };
  input.addEventListener("focus", () => {
    input.select();
    refresh();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, SEARCH_MS);
  });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!options.length) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + options.length) % options.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
      main.focus();
    }
  });
  return element("span", { className: "combobox" }, input, list);
}

async function speakerOptions(query) {
  const q = query.trim();
  const seen = new Set();
  const options = [];
  const add = (speaker, label) => {
    const key = speaker.id
      ? `id:${speaker.id}`
      : `new:${speaker.name.toLowerCase()}:${speaker.kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    options.push({ speaker, label });
  };
  for (const s of state.item.previous_speakers) add(s, `${s.name} (${s.kind}) · previous sentence`);
  if (q) {
    const found = await api(
      "GET",
      `${config.urls.speakers}?search=${encodeURIComponent(q)}&page_size=8`,
    ).catch(() => null);
    for (const s of found?.data?.results ?? [])
      add({ id: s.id, name: s.name, kind: s.kind }, `${s.name} (${s.kind})`);
    const exact = options.some((o) => o.speaker.name.toLowerCase() === q.toLowerCase());
    if (!exact) {
      for (const kind of ["person", "organization", "country", "media"])
        add({ name: q, kind }, `Create “${q}” as ${kind}`);
    }
  }
  add(authorSpeaker(), "Author / outlet");
  add(unnamedSpeaker(), "Unnamed source");
  return options;
}

function openSpeaker() {
  const attribution = activeAttribution(false);
  if (!attribution) {
    change(() => activeAttribution(true));
  }
  const input = $(`speaker-${state.active}`);
  const current = activeAttribution(false);
  if (!current.speaker && current.source) input.value = textOf(current.source);
  input.focus();
}

// --- dialogs and keys ----------------------------------------------------------------------

function say(message) {
  $("status").textContent = message;
}

function openDialog(id) {
  const dialog = $(id);
  if (!dialog.open) dialog.showModal();
}

$("skip-dialog").addEventListener("close", () => {
  const dialog = $("skip-dialog");
  if (dialog.returnValue === "skip") finish("skipped", $("skip-reason").value.trim());
  else main.focus();
});
for (const id of ["help-dialog", "guidelines-dialog"]) {
  $(id).addEventListener("close", () => main.focus());
}

function openSkip() {
  $("skip-reason").value = "";
  $("skip-dialog").returnValue = "";
  openDialog("skip-dialog");
  $("skip-reason").focus();
}

function keyMap() {
  const map = new Map();
  for (const o of config.claims) map.set(o.key, () => setClaim(o.value));
  for (const o of config.claimTypes) if (!map.has(o.key)) map.set(o.key, () => toggleType(o.value));
  for (const o of config.stances) if (!map.has(o.key)) map.set(o.key, () => setStance(o.value));
  const fixed = {
    w: focusSentence,
    y: () => acceptSuggestion(),
    k: openSpeaker,
    d: cycleQuoteType,
    b: addAttribution,
    x: () => removeAttribution(),
    s: openSkip,
    g: () => openDialog("guidelines-dialog"),
    "?": () => openDialog("help-dialog"),
    A: () => setSpeaker(authorSpeaker()),
    U: () => setSpeaker(unnamedSpeaker()),
    m: () => {
      state.active = (state.active + 1) % Math.max(1, state.labels.attributions.length);
      render();
      say(`Attribution ${state.active + 1} is active.`);
    },
    "]": () => switchTarget(1),
    "[": () => switchTarget(-1),
    Enter: submit,
    Backspace: back,
    ArrowLeft: back,
    Escape: () => {
      state.selection = null;
      renderSentence();
    },
  };
  for (const [key, role] of Object.entries(ROLE_KEYS)) fixed[key] = () => markRole(role);
  for (const [key, action] of Object.entries(fixed)) if (!map.has(key)) map.set(key, action);
  return map;
}

function switchTarget(step) {
  const count = config.targets.length;
  if (count < 2) return say("This project has one stance target.");
  state.target = (state.target + step + count) % count;
  renderOptions();
  say(`Stance keys now apply to “${config.targets[state.target].name}”.`);
}

const keys = keyMap();

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || document.querySelector("dialog[open]")) return;
  const target = event.target;
  if (target.closest?.("input, textarea, select")) return;
  if (main.dataset.state !== "ready") {
    if (["Enter", "Backspace", "ArrowLeft"].includes(event.key)) event.preventDefault();
    return;
  }
  if (event.ctrlKey || event.metaKey) {
    if (event.key.toLowerCase() === "z" && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      undo();
    }
    return;
  }
  if (event.altKey) return;
  if (target === sentenceBox && sentenceKey(event)) {
    event.preventDefault();
    return;
  }
  // Enter and Space press a focused button, except the label options: Enter submits there too.
  const button = target.closest?.("button, a");
  if (
    button &&
    (event.key === " " || (event.key === "Enter" && !button.classList.contains("option")))
  )
    return;
  const action = keys.get(event.key);
  if (action) {
    event.preventDefault();
    action();
  }
});

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

// A closed tab loses nothing: send the pending draft on the way out.
window.addEventListener("pagehide", () => {
  if (!state.dirty || !state.item) return;
  const body = payload("draft");
  body.version = state.item.version;
  api("PUT", annotationUrl(state.item.sentence.id), body, { keepalive: true }).catch(() => {});
});

start();
