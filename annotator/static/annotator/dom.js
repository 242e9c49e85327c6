// The page's fixed elements, and the one way text reaches the page: textContent, never HTML.

export const $ = (id) => document.getElementById(id);
export const main = $("main");
export const sentenceBox = $("sentence");

export function say(message) {
  $("status").textContent = message;
}

// <main data-state> ("loading", "ready", "done") is what tests and tools wait on.
export function setState(name) {
  main.dataset.state = name;
}

// Properties (value, selected, htmlFor, hidden) set the live state; aria-* and data-* names
// are not properties, so they go in as attributes.
export function element(tag, props = {}, ...children) {
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
