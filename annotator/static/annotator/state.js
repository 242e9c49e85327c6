// What the page holds: the sentence on screen, its labels and their undo history, and what
// it has learnt about each item the API returned (kept beside the item, never on it).

export const state = {
  item: null, // what the API returned for the sentence on screen, as returned
  labels: null, // the editable labels of that sentence
  history: [], // undo snapshots of `labels`
  active: 0, // index of the attribution that marks and speaker keys apply to
  target: 0, // index of the stance target that stance keys apply to
  selection: null, // {start, end} in code points
  anchor: 0, // keyboard selection, in word indices
  caret: 0,
  shownAt: 0,
  leadBase: 0,
  dirty: false,
  autosaveTimer: 0,
  forward: [], // items to come back to after going back, newest last
  prefetch: null, // Promise of the next item (or null when none is left)
  chain: Promise.resolve(), // the page's writes (saves, and `next`, which reserves), in order
  saved: Promise.resolve(), // settles when the last save so far is answered
};

// Per item: the annotation stored now and its version (saves and conflicts move them on from
// what the item came with), and how its last submit or skip went. Weak, so that items the
// page has let go of are not kept.
const records = new WeakMap();

export function recordOf(item) {
  let record = records.get(item);
  if (!record) {
    const annotation = item.annotation;
    record = { annotation, version: annotation?.version ?? null, saveResult: undefined };
    records.set(item, record);
  }
  return record;
}

export function leadTime() {
  return state.leadBase + Math.round(performance.now() - state.shownAt);
}

// The page registers its views and what follows a change here, so that the editing code can
// redraw and save without importing the page's modules (which import the editing code).
let renderers = [];
export const hooks = {
  changed: () => {}, // after every change of the labels (the labeling page saves a draft)
  // After a speaker is chosen or accepted (the labeling page offers the quotation): the
  // speaker, and what the key said.
  speakerSet: () => {},
  // Before the speaker candidates are asked: the labeling page waits for its saves on their
  // way, so that the server ranks with the labels as they were sent.
  beforeCandidates: () => Promise.resolve(),
};

export function setRenderers(list) {
  renderers = list;
}

export function render() {
  for (const draw of renderers) draw();
}
