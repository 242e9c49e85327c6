// The speakers of the annotator's recent sentences as they are now. An item lists the
// speakers of the sentences before it as they were when it was fetched, which is before the
// annotator labelled the sentence just before (the next one is fetched ahead): what this
// page labelled since wins over what the item says.

const WINDOW = 8; // sentences back, as far as the server's earlier_speakers look
const bySentence = new Map(); // sentence id -> {article, index, speakers}

const KEPT = 200; // sentences remembered; the oldest go first

export function remember(item, labels) {
  if (!item?.article) return;
  bySentence.delete(item.sentence.id); // re-inserted as the newest
  if (bySentence.size >= KEPT) bySentence.delete(bySentence.keys().next().value);
  bySentence.set(item.sentence.id, {
    article: item.article.id,
    index: item.sentence.index,
    speakers: labels.attributions.map((a) => a.speaker).filter(Boolean),
  });
}

// [{index, speaker}] of the sentences before the item's, nearest first.
export function earlierSpeakers(item) {
  const index = item.sentence.index;
  const found = (item.earlier_speakers ?? [])
    .filter((e) => !bySentence.has(e.sentence))
    .map((e) => ({ index: e.index, speaker: e.speaker }));
  for (const entry of bySentence.values()) {
    if (entry.article !== item.article?.id) continue;
    if (entry.index >= index || entry.index < index - WINDOW) continue;
    for (const speaker of entry.speakers) found.push({ index: entry.index, speaker });
  }
  // Stable: within a sentence the attributions keep their order.
  return found.sort((a, b) => b.index - a.index);
}
