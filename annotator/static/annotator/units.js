// The units the keyboard selects in: words, phrases, punctuation-delimited pieces and
// quotations, found in the sentence's code points. Pure functions of the text; offsets are
// code points and word indices.

const isWordChar = (c) => /[\p{L}\p{N}]/u.test(c ?? "");
const isSpace = (c) => /\s/u.test(c ?? "");
const OPENING = "“«„";
const CLOSING = "”»";
const STRAIGHT = '"';
// Words inside a name: "Ministry of Foreign Affairs", "Russia's Ministry".
const JOINERS = new Set(["of", "de", "del", "al", "bin", "van", "von", "'s", "’s"]);

// A word is a run of letters and digits (with inner apostrophes and hyphens); any other mark
// that is not a space is a word of its own, so punctuation can end a span.
export function wordsOf(points) {
  const found = [];
  let i = 0;
  while (i < points.length) {
    if (isSpace(points[i])) {
      i += 1;
    } else if (isWordChar(points[i])) {
      const start = i;
      while (
        i < points.length &&
        (isWordChar(points[i]) || (/['’-]/u.test(points[i]) && isWordChar(points[i + 1])))
      )
        i += 1;
      found.push({ start, end: i });
    } else {
      found.push({ start: i, end: i + 1 });
      i += 1;
    }
  }
  return found;
}

function isMark(points, word) {
  return !isWordChar(points[word.start]);
}

const capitalised = (points, word) => /\p{Lu}/u.test(points[word.start]);
const lower = (points, word) => points.slice(word.start, word.end).join("").toLowerCase();

// Phrases: runs of words between punctuation marks, cut where a capitalised name starts or
// ends, so that "Russian Foreign Minister Sergey Lavrov" is one phrase and "said at a press
// conference" another. [{first, last}] in word indices.
export function phrasesOf(points, words) {
  const phrases = [];
  let i = 0;
  const mark = (n) => isMark(points, words[n]);
  const cap = (n) => n < words.length && !mark(n) && capitalised(points, words[n]);
  while (i < words.length) {
    if (mark(i)) {
      i += 1;
      continue;
    }
    const first = i;
    const name = cap(i);
    i += 1;
    while (i < words.length && !mark(i)) {
      const joins = JOINERS.has(lower(points, words[i])) && cap(i + 1);
      if (name ? !(cap(i) || joins) : cap(i)) break;
      i += joins ? 2 : 1;
    }
    phrases.push({ first, last: i - 1 });
  }
  return phrases;
}

// Pieces: the runs of words between punctuation marks (quote marks and dashes included).
export function piecesOf(points, words) {
  const pieces = [];
  let first = null;
  words.forEach((word, n) => {
    if (isMark(points, word)) {
      if (first !== null) pieces.push({ first, last: n - 1 });
      first = null;
    } else if (first === null) first = n;
  });
  if (first !== null) pieces.push({ first, last: words.length - 1 });
  return pieces;
}

// A straight quote opens after a space (or first) and before a non-space.
// A closing curly mark opens only there and before a letter (”Mr. Trump ...”, as some sites
// set it), as the server's suggestions read it (claims.nlp.quote_ranges).
function straightOpens(points, at, open, mark = STRAIGHT) {
  const before = at === 0 || isSpace(points[at - 1]) || "([{".includes(points[at - 1]);
  const after = at + 1 < points.length && !isSpace(points[at + 1]);
  if (mark === "”") return open === null && before && after && isWordChar(points[at + 1]);
  if (before && after) return true;
  return open === null && !(at > 0 && !isSpace(points[at - 1]));
}

// The ranges inside quotation marks, as the server's suggestions find them: an unclosed one
// runs to the end, a closing mark without an opening one closes a quotation from the start.
export function quotationsOf(points) {
  const ranges = [];
  let open = null;
  points.forEach((c, at) => {
    if (!OPENING.includes(c) && !CLOSING.includes(c) && c !== STRAIGHT) return;
    const opening =
      OPENING.includes(c) || ((c === STRAIGHT || c === "”") && straightOpens(points, at, open, c));
    if (opening && open === null) open = at + 1;
    else if (!opening && open !== null) {
      ranges.push({ start: open, end: at });
      open = null;
    } else if (!opening) ranges.push({ start: 0, end: at });
  });
  if (open !== null) ranges.push({ start: open, end: points.length });
  return ranges.map((r) => trimmed(points, r.start, r.end)).filter(Boolean);
}

// Shrink a range past spaces, quote marks and trailing punctuation (as content spans are).
function trimmed(points, start, end) {
  let [s, e] = [start, end];
  while (s < e && (isSpace(points[s]) || `${OPENING}${CLOSING}${STRAIGHT}`.includes(points[s])))
    s += 1;
  while (e > s && (isSpace(points[e - 1]) || `,.;:${CLOSING}${STRAIGHT}`.includes(points[e - 1])))
    e -= 1;
  return e > s ? { start: s, end: e } : null;
}

// Snap a range to the whole words it touches.
export function snapped(words, start, end) {
  const inside = words.filter((w) => w.end > start && w.start < end);
  if (!inside.length) return null;
  return { start: inside[0].start, end: inside[inside.length - 1].end };
}

// The rest of the sentence around a source and cue: what they report. A quotation right
// next to them wins ('"...," he said', 'stressed that "..."'); else the longer of the parts
// before and after them ("..., Lavrov said at a press conference" takes the part before).
export function restOf(points, words, block) {
  const between = (from, to) => points.slice(from, to).join("");
  const beside = /^[\s,.;:"“”«»]*(that[\s"“«]*)?$/u;
  const quote = quotationsOf(points).find(
    (q) =>
      (q.end <= block.start && beside.test(between(q.end, block.start))) ||
      (q.start >= block.end && beside.test(between(block.end, q.start))),
  );
  if (quote) return snapped(words, quote.start, quote.end);
  const before = trimmed(points, 0, block.start);
  let afterStart = block.end;
  const that = between(afterStart, points.length).match(/^\s*(that|,)\s+/u);
  if (that) afterStart += Array.from(that[0]).length;
  const after = trimmed(points, afterStart, points.length);
  const size = (r) => (r ? r.end - r.start : 0);
  const chosen = size(before) >= size(after) ? before : after;
  return chosen && snapped(words, chosen.start, chosen.end);
}

// How a content span is quoted: inside one quotation, partly, or not at all.
export function quotedness(points, span) {
  const quotes = quotationsOf(points);
  if (quotes.some((q) => q.start <= span.start && span.end <= q.end)) return "inside";
  if (quotes.some((q) => q.start < span.end && span.start < q.end)) return "partly";
  return "outside";
}
