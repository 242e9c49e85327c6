// The labels of one sentence as the page edits them: built from the API's annotation record
// and turned back into the body of a PUT. Everything is copied: the API's records stay as
// they came, so a stored annotation can be shown again after a conflict.

import { config, takesTypes } from "./config.js";

// The span roles are the API's attribution format, not project schema.
export const ROLES = ["source", "cue", "content"];
// "" is no quote type; `q` cycles through them in this order.
export const QUOTE_TYPES = ["", ...config.quoteTypes.map((q) => q.value)];
export const quoteTypeTitle = (value) =>
  config.quoteTypes.find((q) => q.value === value)?.title ?? "none";

const span = (s) => s && { start: s.start, end: s.end };
const copySpeaker = (s) => s && { ...s };

// From an attribution of an annotation record, or of the suggestions.
export function attributionFrom(record, suggested) {
  return {
    speaker: copySpeaker(record.speaker),
    source: span(record.source),
    cue: span(record.cue),
    content: span(record.content),
    quote_type: record.quote_type ?? "",
    suggested,
  };
}

export function emptyAttribution() {
  return {
    speaker: null,
    source: null,
    cue: null,
    content: null,
    quote_type: "",
    suggested: false,
  };
}

export function labelsFrom(annotation) {
  const stance = {};
  for (const s of annotation?.stance ?? []) stance[s.target] = s.label;
  return {
    claim: annotation?.claim ?? "",
    claimTypes: [...(annotation?.claim_types ?? [])],
    attributions: (annotation?.attributions ?? []).map((a) =>
      attributionFrom(a, Boolean(a.suggested)),
    ),
    stance,
  };
}

// An attribution with nothing in it yet is not sent, so the stored ones pair with the sent.
const isSent = (a) => a.speaker || ROLES.some((role) => a[role]);

// `fullSpeakers`: send each speaker's name and kind with its id (the server goes by the id),
// for a form that may have to show the labels again as they were sent.
export function payload(labels, { version, status, reason, leadTimeMs, fullSpeakers = false }) {
  // An id goes with its name: the speaker may be gone when this arrives (one a draft made and
  // left, back with Ctrl+Z), and the server then saves by the name.
  const reference = (s) =>
    s.id ? { id: s.id, name: s.name, kind: s.kind } : { name: s.name, kind: s.kind };
  const speaker = (s) => s && (fullSpeakers ? { ...s } : reference(s));
  return {
    version,
    status,
    claim: labels.claim || null,
    claim_types: takesTypes(labels.claim) ? labels.claimTypes : [],
    attributions: labels.attributions.filter(isSent).map((a) => ({
      speaker: speaker(a.speaker),
      source: span(a.source),
      cue: span(a.cue),
      content: span(a.content),
      quote_type: a.quote_type || null,
      suggested: a.suggested,
    })),
    stance: Object.entries(labels.stance).map(([target, label]) => ({ target, label })),
    skip_reason: reason,
    lead_time_ms: leadTimeMs,
  };
}

// Speaker names as the server compares them: case and spacing aside.
const fold = (name) => name.split(/\s+/u).filter(Boolean).join(" ").toLowerCase();

// The new speakers a save sent by name, each with the speaker the server stored for it: a name
// the project already has stands for that speaker, whatever kind was sent.
export function storedSpeakers(sent, annotation) {
  const stored = annotation.attributions ?? [];
  return sent.attributions
    .map((a, at) => ({ sent: a.speaker, stored: stored[at]?.speaker }))
    .filter((pair) => pair.sent && !pair.sent.id && pair.stored?.id);
}

// New speakers are sent by name; once stored, refer to them by id, with the name and kind the
// server stored (which the page then shows, and saves). A speaker changed since the save was
// sent is kept: the next save sends it. Returns the speakers whose kind or name this changed.
export function adoptSpeakerIds(labels, sent, annotation) {
  const stored = annotation.attributions ?? [];
  const changed = [];
  let index = 0;
  for (const attribution of labels.attributions) {
    if (!isSent(attribution)) continue;
    const at = index++;
    const speaker = attribution.speaker;
    const asSent = sent.attributions[at]?.speaker;
    const twin = stored[at]?.speaker;
    if (!speaker || speaker.id || !twin?.id || !asSent || asSent.id) continue;
    if (fold(asSent.name) !== fold(speaker.name)) continue;
    const given = speakerWasGiven(attribution);
    attribution.speaker = copySpeaker(twin);
    if (given) noteGivenSpeaker(attribution); // still the page's: another source replaces it
    if (twin.kind !== speaker.kind || twin.name !== speaker.name) {
      changed.push({ chosen: speaker, stored: twin });
    }
  }
  return changed;
}

// The speaker the page gave each attribution (a suggestion's, or the one proposed for a
// source marked by hand) while the annotator has picked no other: another source marked
// then proposes again, rather than keeping a speaker meant for the old source.
const givenSpeakers = new WeakMap();

export function noteGivenSpeaker(attribution) {
  givenSpeakers.set(attribution, attribution.speaker);
}

export const speakerWasGiven = (attribution) =>
  Boolean(attribution.speaker) && givenSpeakers.get(attribution) === attribution.speaker;
