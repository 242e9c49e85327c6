// Suggestions (dashed in the sentence): attributions found by the server, which become
// labels only when accepted, and a suggested claim label, shown as a hint.

import { config } from "./config.js";
import { attributionFrom, ROLES } from "./content.js";
import { $, element, say } from "./dom.js";
import { change } from "./drafts.js";
import { render, state } from "./state.js";

export function acceptSuggestion(index) {
  const suggestions = state.item.suggestions.attributions;
  const chosen = index ?? suggestions.findIndex((_, i) => !state.accepted.has(i));
  if (chosen < 0 || chosen >= suggestions.length) return say("No suggestion left to accept.");
  change((labels) => {
    labels.attributions.push(attributionFrom(suggestions[chosen], true));
    state.active = labels.attributions.length - 1;
  });
  state.accepted.add(chosen);
  render();
  say(`Suggestion accepted as attribution ${state.active + 1}.`);
}

export function renderSuggestions() {
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
