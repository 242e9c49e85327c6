// A quotation over several sentences often names its speaker only in the last one
// ('... come up with" he said.'). Once the annotator gives that sentence a speaker, Q gives
// the quotation's earlier sentences (those they labelled) the same speaker: the attribution
// of the quoted part gets it, or a direct one is added for it.

import { describeErrors, getAnnotation, isLoggedOut, putAnnotation } from "./api.js";
import { config } from "./config.js";
import { attributionFrom, labelsFrom, payload } from "./content.js";
import { $, say } from "./dom.js";
import { enqueue, failed } from "./drafts.js";
import { AUTHOR, UNNAMED } from "./speakers.js";
import { state } from "./state.js";

const named = (speaker) => Boolean(speaker) && speaker.kind !== AUTHOR && speaker.kind !== UNNAMED;

// After a speaker is given (picked, or with an accepted suggestion): `said` is what the key
// said, to which the offer is added, unless every earlier sentence labelled has that speaker
// for its quoted part already (its quotation suggestion accepted): Shift+Q would change nothing.
export async function offerQuotation(speaker, said = $("status").textContent) {
  const item = state.item;
  const quotation = item?.quotation;
  if (!quotation?.sentences.length || !named(speaker)) return;
  if (!(await someLacks(quotation.sentences, speaker))) return;
  // Only while what the key said shows, on the same sentence: a later key's message stays.
  if (state.item !== item || $("status").textContent !== said) return;
  const count = quotation.sentences.length;
  const those = count === 1 ? "its earlier sentence" : `its ${count} earlier sentences`;
  say(`${said} This quotation began earlier: Shift+Q gives ${those} ${speaker.name} too.`);
}

const sameSpeaker = (a, b) =>
  Boolean(a && b) && (b.id ? a.id === b.id : !a.id && a.name === b.name);

// Whether a labelled earlier sentence lacks the speaker for its quoted part (read once the
// saves on their way are through; a sentence that cannot be read counts as lacking it).
async function someLacks(sentences, speaker) {
  await state.saved;
  for (const sentence of sentences) {
    const read = await getAnnotation(sentence.id).catch(() => ({ ok: false }));
    if (read.status === 204) continue;
    if (!read.ok) return true;
    const { attributions } = labelsFrom(read.data);
    const has = attributions.some(
      (a) => overlaps(a.content, sentence.content) && sameSpeaker(a.speaker, speaker),
    );
    if (!has) return true;
  }
  return false;
}

// The speaker Q gives: the active attribution's, else the first named one, however it came
// (picked with k, proposed for a source, an accepted suggestion, stored before).
function sentenceSpeaker() {
  const attributions = state.labels?.attributions ?? [];
  const active = attributions[state.active]?.speaker;
  return named(active) ? active : (attributions.map((a) => a.speaker).find(named) ?? null);
}

const overlaps = (a, b) => a && b && a.start < b.end && b.start < a.end;

// The attribution of the quoted part gets the speaker; else one with no content yet (a
// speaker given alone) gets the quoted part; else a direct one is added.
function withSpeaker(labels, content, speaker) {
  const same = (s) => !s || (speaker.id ? s.id === speaker.id : s.name === speaker.name);
  const quoted =
    labels.attributions.find((a) => overlaps(a.content, content)) ??
    labels.attributions.find((a) => !a.content && same(a.speaker));
  if (quoted) {
    quoted.speaker = { ...speaker };
    quoted.content ??= { ...content };
    quoted.quote_type ||= config.quoteTypeFor.inside;
  } else {
    labels.attributions.push(
      attributionFrom(
        { speaker, content, quote_type: config.quoteTypeFor.inside, source: null, cue: null },
        false,
      ),
    );
  }
  return labels;
}

async function applyOne(sentence, speaker) {
  const read = await getAnnotation(sentence.id);
  if (read.status === 204) return "unlabelled";
  if (!read.ok) return isLoggedOut(read) ? "logged out" : `not read: ${describeErrors(read.data)}`;
  const record = read.data;
  const labels = withSpeaker(labelsFrom(record), sentence.content, speaker);
  const body = payload(labels, {
    version: record.version,
    status: record.status,
    reason: record.skip_reason ?? "",
    leadTimeMs: record.lead_time_ms ?? 0,
  });
  const saved = await putAnnotation(sentence.id, body);
  if (!saved.ok) return isLoggedOut(saved) ? "logged out" : describeErrors(saved.data);
  return "done";
}

// Q: give the quotation's earlier sentences the speaker just chosen.
export async function applyQuotation() {
  const item = state.item;
  if (!item?.quotation?.sentences.length) {
    return say("This sentence does not continue a quotation: Shift+Q has nothing to give.");
  }
  const speaker = sentenceSpeaker();
  if (!speaker) {
    return say(
      "Shift+Q applies to a quotation's earlier sentences once this sentence has a speaker.",
    );
  }
  say(`Giving the quotation's earlier sentences ${speaker.name}…`);
  const results = await enqueue(async () => {
    const found = [];
    for (const sentence of item.quotation.sentences) found.push(await applyOne(sentence, speaker));
    return found;
  });
  const done = results.filter((r) => r === "done").length;
  const problems = results.filter((r) => r !== "done" && r !== "unlabelled");
  if (problems.length) {
    return failed(`Not all saved: ${problems.join("; ")}.`, {
      loggedOut: problems.includes("logged out"),
    });
  }
  const skipped = results.length - done;
  say(
    `${speaker.name} given to ${done} earlier sentence${done === 1 ? "" : "s"} of the quotation` +
      (skipped ? ` (${skipped} you have not labelled were left alone).` : "."),
  );
}
