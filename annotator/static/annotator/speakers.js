// The speaker picker's options. What the annotator types ranks first; with nothing typed,
// the speakers the sentence's neighbourhood suggests: for a pronoun source ("he") the
// speaker of the nearest attribution before it, the speaker the source names, those of the
// annotator's previous sentence as it is now, the one the next sentence names (a quotation
// often names its speaker only after it). Creating a speaker is always a row of its own,
// never what Enter takes unless highlighted, and a pronoun never names a new speaker.

import { searchSpeakers } from "./api.js";
import { config } from "./config.js";
import { say } from "./dom.js";
import { earlierSpeakers } from "./memory.js";
import { combobox } from "./picker.js";
import { textOf } from "./sentence.js";
import { state } from "./state.js";

// These two kinds have keys of their own (Shift+A, Shift+U) and are offered on every
// sentence, never created from a name; every other kind in the config can be.
export const AUTHOR = "author";
export const UNNAMED = "unnamed";

const kinds = config.speakerKinds.map((k) => k.value);
const creatable = kinds.filter((kind) => kind !== AUTHOR && kind !== UNNAMED);
const notNames = new Set(config.notNames);
const pronouns = new Set(config.pronouns);

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
// As the server's rule: a name made only of pronouns and function words is none.
const isNotAName = (name) => words(name).length > 0 && words(name).every((w) => notNames.has(w));
const isPronoun = (name) => words(name).length > 0 && words(name).every((w) => pronouns.has(w));
const overlaps = (a, b) => a && b && a.start < b.end && b.start < a.end;

// The speakers the sentence's neighbourhood suggests for attribution `index`, best first.
function contextual(index) {
  const item = state.item;
  const attribution = state.labels.attributions[index];
  const source = attribution?.source;
  const others = state.labels.attributions.filter((a, i) => i !== index && a.speaker);
  const before = earlierSpeakers(item);
  // The annotator's previous sentence: the nearest one before that annotators are asked to
  // label (a dateline between is not). Speakers further back are "earlier".
  const asked = (item.context?.before ?? []).filter((s) => config.queueKinds.includes(s.kind));
  const previousIndex = asked.at(-1)?.index;
  const found = [];
  const add = (speaker, note) => speaker && found.push({ speaker, note });
  if (source && isPronoun(textOf(source))) {
    const earlierHere = state.labels.attributions.slice(0, index).findLast((a) => a.speaker);
    add(earlierHere?.speaker ?? before[0]?.speaker, `nearest speaker before “${textOf(source)}”`);
  }
  for (const named of item.named_speakers ?? []) {
    if (overlaps(named, source)) add(named.speaker, "named in the source");
  }
  for (const a of others) add(a.speaker, "this sentence");
  for (const e of before) if (e.index === previousIndex) add(e.speaker, "previous sentence");
  for (const s of item.next_speakers ?? []) add(s, "next sentence");
  for (const named of item.named_speakers ?? []) add(named.speaker, "named in the sentence");
  for (const s of item.extra_speakers ?? []) add(s.speaker, s.note);
  for (const e of before) add(e.speaker, "earlier sentence");
  return found;
}

const keyOf = (s) => (s.id ? `id:${s.id}` : `new:${fold(s.name)}:${s.kind}`);

async function speakerOptions(query, index) {
  const q = query.trim();
  const seen = new Set();
  const options = [];
  const add = (speaker, label, extra = {}) => {
    if (seen.has(keyOf(speaker))) return;
    seen.add(keyOf(speaker));
    options.push({ value: speaker, label, ...extra });
  };
  const named = (s, note) => `${s.name} (${s.kind})${note ? ` · ${note}` : ""}`;
  const nearby = contextual(index);
  if (!q) {
    for (const { speaker, note } of nearby) add(speaker, named(speaker, note), { preferred: true });
  } else if (isNotAName(q)) {
    options.push({ label: `“${q}” is not a name: choose who it refers to`, disabled: true });
    for (const { speaker, note } of nearby) add(speaker, named(speaker, note), { preferred: true });
  } else {
    const matches = (s) => fold(s.name).includes(fold(q));
    for (const { speaker, note } of nearby.filter((c) => matches(c.speaker)))
      add(speaker, named(speaker, note), { preferred: true });
    const found = await searchSpeakers(q).catch(() => null);
    for (const s of found?.data?.results ?? [])
      add({ id: s.id, name: s.name, kind: s.kind }, named(s), { preferred: true });
    if (!options.some((o) => fold(o.value.name) === fold(q))) {
      for (const kind of creatable)
        add({ name: q, kind }, `Create “${q}” as ${kind}`, { create: true });
    }
  }
  add(authorSpeaker(), `${kindTitle(AUTHOR)} (⇧A)`);
  add(unnamedSpeaker(), `${kindTitle(UNNAMED)} (⇧U)`);
  return options;
}

function nothingChosen(typed) {
  if (typed && isNotAName(typed))
    return say(`“${typed}” is not a name: choose the speaker it refers to.`, { error: true });
  say(
    typed
      ? `Nothing chosen: ↓ to a speaker or to “Create ${typed}”, then Enter.`
      : "Type a name, or ↓ to a speaker, then Enter.",
  );
}

export function speakerPicker(inputId, index, onChoose) {
  const speaker = state.labels.attributions[index]?.speaker;
  return combobox({
    id: inputId,
    label: "Speakers",
    value: speaker ? `${speaker.name} (${speaker.kind})` : "",
    placeholder: speaker ? "" : "Type a name…",
    // A chosen speaker shows as "Name (kind)": searching from there starts afresh.
    options: (query) => speakerOptions(speaker && query.endsWith(")") ? "" : query, index),
    onChoose,
    onNothing: nothingChosen,
  });
}
