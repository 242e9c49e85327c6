// The speaker picker's options. The server ranks the speakers a source may stand for
// (GET /sentences/{id}/speaker-candidates/): the picker lists them in its order, the best
// highlighted, so `k Enter` takes it. A new speaker is proposed as "Create “Name” (kind)"; → on
// that row changes the kind (← back). What the annotator types is searched among the project's
// speakers, with a Create row for it. Speakers created on this page are always listed (the server may not
// have them yet), and a pronoun never names a new speaker.

import { fetchCandidates, searchSpeakers } from "./api.js";
import { AUTHOR, config, UNNAMED } from "./config.js";
import { say } from "./dom.js";
import { combobox } from "./picker.js";
import { hooks, state } from "./state.js";

export { AUTHOR, UNNAMED };

const kinds = config.speakerKinds.map((k) => k.value);
const creatable = kinds.filter((kind) => kind !== AUTHOR && kind !== UNNAMED);
const notNames = new Set(config.notNames);
// A longer name is refused by every save (the server's limit), and by the speaker search.
const NAME_MAX = config.speakerNameMax;
const nameLength = (name) => Array.from(name).length; // code points, as the server counts
const tooLong = (name) => nameLength(name) > NAME_MAX;
const tooLongLabel = (name) => `Name too long: ${nameLength(name)} characters, at most ${NAME_MAX}`;
// Candidates scored this high are proposed: the first of them is highlighted.
const PROPOSED = config.speakerProposal.sourced;

export const kindTitle = (kind) => config.speakerKinds.find((k) => k.value === kind)?.title ?? kind;

export const authorSpeaker = () => ({
  name: state.item.article.source || kindTitle(AUTHOR),
  kind: AUTHOR,
});
export const unnamedSpeaker = () => ({ name: kindTitle(UNNAMED), kind: UNNAMED });

const fold = (s) => s.trim().toLowerCase();
const words = (s) =>
  fold(s)
    .split(/\s+/u)
    .map((w) => w.replace(/^\W+|\W+$/gu, ""))
    .filter(Boolean);
// As the server's rule: a name made only of pronouns and function words is none; a word in
// capitals is an acronym ("WHO", "US"), a name.
const isAcronym = (word) => word.length > 1 && word === word.toUpperCase() && /\p{L}/u.test(word);
const isNotAName = (name) =>
  words(name).length > 0 &&
  words(name).every((w) => notNames.has(w)) &&
  !name.split(/\s+/u).some((w) => isAcronym(w.replace(/^\W+|\W+$/gu, "")));

// Speakers made on this page, newest first: listed whatever the server knows yet.
const createdHere = [];

export function rememberCreated(speaker) {
  if (speaker.kind === AUTHOR || speaker.kind === UNNAMED) return;
  const at = createdHere.findIndex((s) => fold(s.name) === fold(speaker.name));
  if (at >= 0) createdHere.splice(at, 1);
  createdHere.unshift({ ...speaker });
}

// A save stored the new speakers it sent: those made on this page take the stored id and
// kind, and the candidates are asked again (the server names them now, with their kind: a
// Create row for a name it has would save its kind, not the row's).
export function learnStored(pairs) {
  if (!pairs.length) return;
  for (const { sent, stored } of pairs) {
    const at = createdHere.findIndex((s) => fold(s.name) === fold(sent.name));
    if (at >= 0) createdHere[at] = { id: stored.id, name: stored.name, kind: stored.kind };
  }
  forgetCandidates();
}

// The speaker a name made on this page was stored as, once a save has said.
export const storedAs = (speaker) =>
  createdHere.find((s) => s.id && fold(s.name) === fold(speaker.name)) ?? null;

const createdNote = (s) => (s.id ? "created on this page" : "new, on this page");

const keyOf = (s) => (s.id ? `id:${s.id}` : `new:${fold(s.name)}`);
const sameSpeaker = (a, b) => keyOf(a) === keyOf(b) || fold(a.name) === fold(b.name);

// The server's candidates for an attribution's source, asked once per picker opening.
const asked = new Map(); // "sentence:start:end" -> Promise of candidates

export async function candidatesFor(index) {
  const item = state.item;
  const source = state.labels.attributions[index]?.source ?? null;
  const key = `${item.sentence.id}:${source?.start}:${source?.end}`;
  if (!asked.has(key)) {
    asked.clear();
    asked.set(
      key,
      hooks
        .beforeCandidates()
        .then(() => fetchCandidates(item.sentence.id, source))
        .then((r) => (r.ok ? r.data.candidates : []))
        .catch(() => []),
    );
  }
  return asked.get(key);
}

// Forget what was asked (the labels changed): the next opening asks again.
// The server gives a source this candidate as its speaker (claims/labeling/speakers.py).
export const proposedForSource = (best) =>
  Boolean(best) && best.score >= PROPOSED && (best.id || !tooLong(best.name));

export function forgetCandidates() {
  asked.clear();
}

const createLabel = (name, kind) => `Create “${name}” (${kind}) · ← → change the kind`;

// A Create row; → gives the next kind, ← the one before (the picker's cycle).
function createOption(name, kind, extra = {}) {
  return {
    value: { name, kind },
    label: createLabel(name, kind),
    create: true,
    cycle: (step) => {
      const at = creatable.indexOf(kind) + step;
      return createOption(name, creatable[(at + creatable.length) % creatable.length], extra);
    },
    ...extra,
  };
}

async function speakerOptions(query, index) {
  const q = query.trim();
  const options = [];
  const add = (option) => {
    if (options.some((o) => o.value && sameSpeaker(o.value, option.value))) return;
    options.push(option);
  };
  const named = (s, note) => `${s.name} (${s.kind})${note ? ` · ${note}` : ""}`;
  // A new name from a long source could never be saved: not offered.
  const fromServer = (await candidatesFor(index)).filter((c) => c.id || !tooLong(c.name));
  const listed = (s, note, preferred = true) => ({
    value: { id: s.id, name: s.name, kind: s.kind },
    label: named(s, note),
    preferred,
  });
  // A weak candidate (nothing before fits "he") is listed, never what Enter takes unasked.
  const candidate = (c) =>
    c.id || c.kind === AUTHOR || c.kind === UNNAMED
      ? listed(c, c.reason, c.score >= PROPOSED)
      : createOption(c.name, c.kind, { preferred: c.score >= PROPOSED });
  if (tooLong(q)) {
    options.push({ label: tooLongLabel(q), disabled: true });
  } else if (!q || isNotAName(q)) {
    if (q) options.push({ label: `“${q}” is not a name: choose who it refers to`, disabled: true });
    for (const c of fromServer) add(candidate(c));
    for (const s of createdHere) add(listed(s, createdNote(s)));
    for (const s of state.item.extra_speakers ?? []) add(listed(s.speaker, s.note));
  } else {
    const matches = (s) => fold(s.name).includes(fold(q));
    for (const c of fromServer.filter(matches)) add(candidate(c));
    for (const s of createdHere.filter(matches)) add(listed(s, createdNote(s)));
    const found = await searchSpeakers(q).catch(() => null);
    for (const s of found?.data?.results ?? []) add(listed(s));
    if (!options.some((o) => o.value && fold(o.value.name) === fold(q))) {
      // The server's guess from the name's words ("Kremlin press office": organization).
      const guess = found?.data?.new_kind;
      options.push(createOption(q, creatable.includes(guess) ? guess : creatable[0]));
    }
  }
  add({ value: authorSpeaker(), label: `${kindTitle(AUTHOR)} (⇧A)` });
  add({ value: unnamedSpeaker(), label: `${kindTitle(UNNAMED)} (⇧U)` });
  return options;
}

// Nothing typed: the picker has left the box (the keys act on the page again); something
// typed: the box keeps the focus.
function nothingChosen(typed) {
  if (tooLong(typed)) return say(`${tooLongLabel(typed)}: shorten it.`, { error: true });
  if (typed && isNotAName(typed))
    return say(`“${typed}” is not a name: choose the speaker it refers to.`, { error: true });
  say(
    typed
      ? `Nothing chosen: ↓ to a speaker or to “Create ${typed}”, then Enter; Escape leaves.`
      : "No speaker chosen. k opens the box: type a name or ↓ to a speaker, then Enter.",
  );
}

export const speakerText = (speaker) => (speaker ? `${speaker.name} (${speaker.kind})` : "");

export function speakerPicker(inputId, index, onChoose) {
  const speaker = () => state.labels.attributions[index]?.speaker;
  return combobox({
    id: inputId,
    label: "Speakers",
    // The speaker as it is now: a save may have given it its stored kind since the box was made.
    value: () => speakerText(speaker()),
    placeholder: speaker() ? "" : "Type a name…",
    // A chosen speaker shows as "Name (kind)": searching from there starts afresh.
    options: (query) => speakerOptions(query === speakerText(speaker()) ? "" : query, index),
    onChoose,
    onNothing: nothingChosen,
    onLeave: () => say(speaker() ? `Speaker unchanged: ${speakerText(speaker())}.` : "No speaker."),
  });
}
