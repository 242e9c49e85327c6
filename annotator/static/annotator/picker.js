// A combobox: a text box with a list of options below it (ARIA 1.2 pattern). The options come
// from an async function of what is typed; the highlighted one is what Enter takes, and Enter
// waits for the list of what was typed last, so fast typing never picks a stale option.

import { element, root } from "./dom.js";

const SEARCH_MS = 120;

// Keys pressed while an Enter waits for its list act after the choice, in the order pressed:
// "k lavrov Enter 1 Enter" chooses the speaker before the sentence is submitted.
let pendingKeys = null;

function enqueue(step) {
  const run = (pendingKeys ?? Promise.resolve()).then(step).catch((error) => console.error(error));
  pendingKeys = run;
  run.finally(() => {
    if (pendingKeys === run) pendingKeys = null;
  });
  return run;
}

// Run a page key's action now, or after the choice an Enter is still waiting for.
export function afterPick(action) {
  if (pendingKeys) enqueue(action);
  else action();
}

// options(query) resolves to [{label, value, disabled, preferred, cycle}]: the first preferred
// option is highlighted at first; with none, Enter takes nothing and `onNothing` says why. An
// option with `cycle` (a new speaker's kind) is replaced by cycle(1) on → and cycle(-1) on ←
// while it is highlighted: the arrows move the caret only when no such option is.
// `value()`: what the box shows for the value it stands for ("" for none). Escape, or an Enter
// with nothing typed and nothing highlighted, leaves the box showing it again: the page's keys
// that follow act on the page, and are not typed into the box.
export function combobox({ id, value, placeholder, label, options, onChoose, onNothing, onLeave }) {
  const listId = `${id}-list`;
  const input = element("input", {
    id,
    type: "text",
    autocomplete: "off",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    placeholder,
    value: value(),
  });
  const list = element("ul", { id: listId, role: "listbox", className: "listbox", hidden: true });
  list.setAttribute("aria-label", label);
  let shown = [];
  let shownFor = null; // what was typed when `shown` was asked for
  let steps = []; // ↓ ↑ pressed before the list of what is typed arrived: applied to it
  let active = -1;
  let timer = 0;
  let pending = Promise.resolve();
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };
  const highlight = (i) => {
    active = i;
    for (const [n, li] of [...list.children].entries()) {
      li.setAttribute("aria-selected", String(n === i));
      if (n === i) li.scrollIntoView({ block: "nearest" });
    }
    if (i >= 0) input.setAttribute("aria-activedescendant", `${listId}-${i}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const leave = () => {
    steps = [];
    close();
    input.value = value();
    root.focus();
  };
  // What is typed, not what the box shows for its value.
  const typed = () => (input.value === value() ? "" : input.value.trim());
  const choose = (i) => {
    const option = shown[i];
    if (!option || option.disabled) {
      const text = typed();
      if (text) {
        // Back to what was typed, to go on with it: the caret at its end, nothing selected.
        input.focus();
        input.setSelectionRange(input.value.length, input.value.length);
      } else leave();
      return onNothing(text);
    }
    close();
    onChoose(option.value);
    root.focus();
  };
  const refresh = async () => {
    const asked = input.value;
    const found = await options(asked);
    if (asked !== input.value) return; // typed on meanwhile: a newer refresh is on its way
    shown = found;
    shownFor = asked;
    list.replaceChildren(
      ...found.map((option, n) =>
        element("li", {
          id: `${listId}-${n}`,
          role: "option",
          className: option.disabled ? "note" : option.create ? "create" : "",
          "aria-selected": "false",
          "aria-disabled": String(Boolean(option.disabled)),
          text: option.label,
          // mousedown, not click: a click would blur the input first, which closes the list.
          onmousedown: (e) => {
            e.preventDefault();
            choose(n);
          },
        }),
      ),
    );
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    highlight(found.findIndex((o) => o.preferred && !o.disabled));
    for (const step of steps.splice(0)) move(step);
  };
  const move = (step) => {
    const enabled = shown.map((o, n) => (o.disabled ? -1 : n)).filter((n) => n >= 0);
    if (!enabled.length) return;
    const at = enabled.indexOf(active);
    const next = at < 0 ? (step > 0 ? 0 : enabled.length - 1) : at + step;
    highlight(enabled[(next + enabled.length) % enabled.length]);
  };
  const later = () => {
    clearTimeout(timer);
    pending = new Promise((resolve) => {
      timer = setTimeout(() => refresh().finally(resolve), SEARCH_MS);
    });
  };
  input.addEventListener("focus", () => {
    input.select();
    // Room below for the list, above the page's sticky action bar.
    input.scrollIntoView({ block: "center" });
    pending = refresh();
  });
  input.addEventListener("input", later);
  // Not when the box has the focus back by then (an Enter that took nothing gives it back).
  input.addEventListener("blur", () =>
    setTimeout(() => document.activeElement !== input && close(), 100),
  );
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      // The list shown is for what was typed before: the arrow moves in the one on its way.
      if (shownFor !== input.value) steps.push(step);
      else move(step);
    } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && shown[active]?.cycle) {
      event.preventDefault();
      shown[active] = shown[active].cycle(event.key === "ArrowRight" ? 1 : -1);
      list.children[active].textContent = shown[active].label;
    } else if (event.key === "Enter") {
      // The page's keys act at once (a claim key typed right after Enter is not typed into
      // the box) while the list of what was typed last arrives; then its highlighted option
      // is taken, or the box gets the focus back to say why nothing was.
      event.preventDefault();
      const waiting = pending;
      root.focus();
      enqueue(async () => {
        await waiting;
        choose(active);
      });
    } else if (event.key === "Escape") {
      event.preventDefault();
      leave();
      onLeave();
    }
  });
  return element("span", { className: "combobox" }, input, list);
}
