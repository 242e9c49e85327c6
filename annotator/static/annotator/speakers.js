// The speaker picker: a combobox that offers the speakers of the sentences before, the
// project's speakers that match what is typed, new ones to create, and the author or an
// unnamed source.

import { searchSpeakers } from "./api.js";
import { config } from "./config.js";
import { element, main } from "./dom.js";
import { state } from "./state.js";

const SEARCH_MS = 120;

// These two kinds have keys of their own (Shift+A, Shift+U) and are offered on every
// sentence, never created from a name; every other kind in the config can be.
export const AUTHOR = "author";
export const UNNAMED = "unnamed";

const kinds = config.speakerKinds.map((k) => k.value);
const creatable = kinds.filter((kind) => kind !== AUTHOR && kind !== UNNAMED);

export const kindTitle = (kind) => config.speakerKinds.find((k) => k.value === kind)?.title ?? kind;

// A chosen speaker shows as "Name (kind)"; searching from there drops the kind.
const escaped = kinds.map((kind) => kind.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
const kindSuffix = new RegExp(` \\((${escaped.join("|")})\\)$`);

export const authorSpeaker = () => ({
  name: state.item.article.source || kindTitle(AUTHOR),
  kind: AUTHOR,
});
export const unnamedSpeaker = () => ({ name: kindTitle(UNNAMED), kind: UNNAMED });

export function speakerPicker(inputId, speaker, onChoose) {
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
    for (const [n, li] of [...list.children].entries()) {
      li.setAttribute("aria-selected", String(n === i));
    }
    if (i >= 0) input.setAttribute("aria-activedescendant", `${listId}-${i}`);
  };
  const choose = (i) => {
    const option = options[i];
    if (!option) return;
    close();
    onChoose(option.speaker);
    main.focus();
  };
  const refresh = async () => {
    options = await speakerOptions(input.value.replace(kindSuffix, ""));
    list.replaceChildren(
      ...options.map((option, n) =>
        element("li", {
          id: `${listId}-${n}`,
          role: "option",
          "aria-selected": "false",
          text: option.label,
          // mousedown, not click: a click would blur the input first, which closes the list.
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
    const found = await searchSpeakers(q).catch(() => null);
    for (const s of found?.data?.results ?? [])
      add({ id: s.id, name: s.name, kind: s.kind }, `${s.name} (${s.kind})`);
    const exact = options.some((o) => o.speaker.name.toLowerCase() === q.toLowerCase());
    if (!exact) {
      for (const kind of creatable) add({ name: q, kind }, `Create “${q}” as ${kind}`);
    }
  }
  add(authorSpeaker(), kindTitle(AUTHOR));
  add(unnamedSpeaker(), kindTitle(UNNAMED));
  return options;
}
