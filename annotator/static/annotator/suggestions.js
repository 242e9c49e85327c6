// Suggestions (dashed in the sentence): attributions found by the server, each with the
// speaker it resolved for the source, which become labels only when accepted, and a suggested
// claim label. A suggestion the sentence already has as an attribution (taken, below) is not
// offered again, however the page was reached (Back, a reload); two suggestions sharing a
// source ("Lynch had urged ..., saying ...") or a content are two. In the gold editor the
// suggestions are the annotators' own.

import { fetchSuggestions } from "./api.js";
import { AUTHOR, config, UNNAMED } from "./config.js";
import { attributionFrom, noteGivenSpeaker, ROLES } from "./content.js";
import { $, element, inQuotes, say } from "./dom.js";
import { change } from "./edit.js";
import { hooks, render, state } from "./state.js";

const sameSpan = (a, b) => a && b && a.start === b.start && a.end === b.end;
const overlaps = (a, b) => a && b && a.start < b.end && b.start < a.end;
const samePart = (a, b) => (a && b ? sameSpan(a, b) : !a && !b);
const sameSpeaker = (a, b) =>
  a && b ? (a.id ?? null) === (b.id ?? null) && a.name === b.name : a === b;

// Taken: an attribution is the suggestion's own (accepted, with an end moved perhaps, or made by
// hand): its cue overlaps the suggestion's; without a cue, its content and its source overlap
// the suggestion's (or neither has a source); with a source only, the same source. Another
// attribution of the sentence, whatever its content covers, leaves the suggestion on offer.
function taken(suggestion) {
  return state.labels.attributions.some((a) => {
    // Accepted from it here, whatever was moved since (its source fixed with Shift+W).
    if (acceptedHere.get(a) === suggestion) return true;
    if (suggestion.cue) return overlaps(a.cue, suggestion.cue);
    if (suggestion.content) {
      const sources = suggestion.source ? overlaps(a.source, suggestion.source) : !a.source;
      return overlaps(a.content, suggestion.content) && sources;
    }
    // A source alone: the same source (one overlapping it may be another attribution's).
    return sameSpan(a.source, suggestion.source);
  });
}

// Attributions accepted from a suggestion while it is on screen: its speaker follows the
// suggestion's until the annotator picks another.
const acceptedHere = new WeakMap(); // attribution -> suggestion

// A prefetched item's suggestions were made before the sentence just labelled was saved: once
// that save is through, ask for them again, and offer what the server now suggests, in its
// order. A suggestion that only the save makes possible (a quotation's next sentence, once its
// speaker is known) joins the list and one it replaces (a model's part of that sentence) leaves
// it, unless accepted already; one still there takes the speaker the server now proposes, and
// so does what was accepted from it meanwhile.
export async function refreshSuggestions(item, saved) {
  await saved;
  const answer = await fetchSuggestions(item.sentence.id).catch(() => null);
  if (!answer?.ok || !answer.data) return;
  const held = item.suggestions.attributions;
  const offered = [];
  let changed = false;
  for (const suggestion of answer.data.attributions ?? []) {
    const same = held.find((h) => ROLES.every((role) => samePart(h[role], suggestion[role])));
    offered.push(same ?? suggestion);
    if (!same || !suggestion.speaker || sameSpeaker(same.speaker, suggestion.speaker)) continue;
    const before = same.speaker;
    same.speaker = { ...suggestion.speaker };
    if (state.item !== item) continue;
    for (const attribution of state.labels.attributions) {
      if (acceptedHere.get(attribution) === same && sameSpeaker(attribution.speaker, before)) {
        attribution.speaker = { ...same.speaker };
        noteGivenSpeaker(attribution);
        changed = true;
      }
    }
  }
  const accepted = held.filter((h) => !offered.includes(h) && state.item === item && taken(h));
  item.suggestions.attributions = [...offered, ...accepted];
  if (state.item !== item) return;
  if (changed) hooks.changed();
  render();
}

// Suggestions passed over with Shift+Y: on this showing of the sentence only (they are the
// item's own objects, so a sentence shown again offers them again).
const passedOver = new WeakSet();

const untaken = () => state.item.suggestions.attributions.filter((s) => !taken(s));

// The attribution suggestions still on offer, in the server's order.
export function openSuggestions() {
  if (!state.item || !state.labels) return [];
  return untaken().filter((s) => !passedOver.has(s));
}

// Shift+Y: pass over the next attribution suggestion (a wrong one), so that y offers the one
// after it; with none left on offer, the ones passed over are offered again.
export function passOverSuggestion() {
  if (!state.item || !state.labels) return;
  const next = openSuggestions()[0];
  if (next) {
    passedOver.add(next);
    const left = openSuggestions().length;
    render();
    return say(
      `Suggestion passed over; ${left ? `${left} left (y accepts the next)` : "none left"}.`,
    );
  }
  const again = untaken().filter((s) => passedOver.has(s));
  if (!again.length) return say("No attribution suggestion to pass over.");
  for (const s of again) passedOver.delete(s);
  render();
  say(`${again.length} suggestion${again.length > 1 ? "s" : ""} passed over offered again.`);
}

const openClaim = () => {
  const claim = state.item?.suggestions.claim;
  return claim && !state.labels.claim ? claim : null;
};

// The stance suggestions for the project's targets not labelled yet, in the targets' order.
const openStances = () => {
  const suggested = state.item?.suggestions.stance ?? [];
  return config.targets
    .map((t) => suggested.find((s) => s.target === t.name))
    .filter((s) => s && !state.labels.stance[s.target]);
};

// y: the next suggestion in the list (attributions first, the claim label, then stances).
export function acceptSuggestion(suggestion) {
  const chosen = suggestion ?? openSuggestions()[0];
  if (chosen) {
    change((labels) => {
      const attribution = attributionFrom(chosen, true);
      labels.attributions.push(attribution);
      acceptedHere.set(attribution, chosen);
      noteGivenSpeaker(attribution);
      state.active = labels.attributions.length - 1;
    });
    const said = `Suggestion accepted as attribution ${state.active + 1}.`;
    say(said);
    // Its speaker is given as a picked one is: Shift+Q offers it to the quotation's start.
    if (chosen.speaker) hooks.speakerSet(chosen.speaker, said);
    return;
  }
  acceptClaim();
}

function acceptClaim() {
  const claim = openClaim();
  if (!claim) return acceptStance();
  change((labels) => {
    labels.claim = claim;
  });
  say(`Claim suggestion accepted: ${claimTitle(claim)}.`);
}

function acceptStance(suggestion) {
  const chosen = suggestion ?? openStances()[0];
  if (!chosen) return say("No suggestion left to accept.");
  change((labels) => {
    labels.stance[chosen.target] = chosen.label;
  });
  say(`Stance suggestion accepted: ${describeStance(chosen)}.`);
}

const stanceTitle = (value) => config.stances.find((s) => s.value === value)?.title ?? value;
const describeStance = (s) =>
  `${stanceTitle(s.label)} toward “${s.target}”${origin("model", s.confidence)}`;

const claimTitle = (value) => config.claims.find((c) => c.value === value)?.title ?? value;

// Where a suggestion comes from (model, rules, predictions) and how sure it is.
function origin(from, confidence) {
  if (!from) return "";
  const sure = typeof confidence === "number" ? ` ${Math.round(confidence * 100)}%` : "";
  return ` (${from}${sure})`;
}

// A long span keeps its first and last words in the list: it is dashed in full in the sentence
// above, and written out it pushed the suggestions after it out of view.
function shorten(text, most = 60) {
  if (text.length <= most) return text;
  const head = text.slice(0, 32).replace(/\s+\S*$/, "");
  const tail = text.slice(-22).replace(/^\S*\s+/, "");
  return `${head} … ${tail}`;
}

// The author / outlet and the unnamed source are never created: they are not "new".
const isNew = (speaker) => !speaker.id && speaker.kind !== AUTHOR && speaker.kind !== UNNAMED;

function describe(s, short = false) {
  const parts = ROLES.filter((role) => s[role]).map(
    (role) => `${role} ${inQuotes(short ? shorten(s[role].text) : s[role].text)}`,
  );
  if (s.quote_type) parts.push(s.quote_type);
  if (s.speaker)
    parts.push(`speaker ${s.speaker.name}${isNew(s.speaker) ? ` (new ${s.speaker.kind})` : ""}`);
  if (s.from) parts.push(`from ${s.from}`);
  return parts.join(", ") + origin(s.origin, s.confidence);
}

function describeClaim(claim, suggestions) {
  const option = config.claims.find((c) => c.value === claim);
  let text = `Claim: ${option ? `${option.title} (${option.key})` : claim}`;
  text += origin(suggestions.claim_origin, suggestions.claim_confidence);
  if (typeof suggestions.checkworthiness === "number") {
    text += `, check-worthiness ${Math.round(suggestions.checkworthiness * 100)}%`;
  }
  return text;
}

// One suggestion on offer: what it says and its Accept button.
const offer = (text, accept) =>
  element(
    "li",
    {},
    element("span", { text }),
    element("button", {
      type: "button",
      text: "Accept",
      "aria-label": `Accept suggestion: ${text}`,
      onclick: accept,
    }),
  );

export function renderSuggestions() {
  const items = openSuggestions().map((s) =>
    element(
      "li",
      {},
      element("span", { text: describe(s, true), title: describe(s) }),
      element("button", {
        type: "button",
        text: "Accept",
        "aria-label": `Accept suggestion: ${describe(s)}`,
        onclick: () => acceptSuggestion(s),
      }),
    ),
  );
  const claim = openClaim();
  if (claim) items.push(offer(describeClaim(claim, state.item.suggestions), acceptClaim));
  for (const stance of openStances()) {
    items.push(offer(`Stance: ${describeStance(stance)}`, () => acceptStance(stance)));
  }
  $("suggestion-list").replaceChildren(...items);
  $("suggestions").hidden = items.length === 0;
}
