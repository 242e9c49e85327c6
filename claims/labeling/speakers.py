"""Who may be speaking in the sentence on the labeling page: the speakers the picker offers
first, the suggestions that name them, and the quotation a closing sentence belongs to.

A quotation often names its speaker in another sentence than the one labelled: in the
sentences before (the annotator's own labels of them), in the next one ("... come up with" he
said.), or by a pronoun whose speaker is the nearest attribution before. The page ranks the
picker's options from these lists; they are read here in three queries whatever the project.
"""

from typing import Any

from django.db.models import QuerySet

from claims.learning.serving import sentence_suggestions
from claims.models import AnnotationKind, Attribution, Sentence, Speaker
from claims.nlp.attribution_rules import quotations, trim
from claims.nlp.segmentation import get_nlp
from claims.nlp.suggestions import KnownSpeaker, known_speaker_spans, suggest
from claims.prepared import Prepared

# How far back the page looks for the speaker a pronoun or a continued quotation refers to.
EARLIER_SENTENCES = 8
# The two sentences shown before the labelled one; `previous_speakers` covers those.
PREVIOUS_SENTENCES = 2


def speaker_parts(
    sentence: Sentence,
    user,
    *,
    after: list[dict[str, Any]],
    not_claim: str | None,
    before: list[dict[str, Any]] = (),
    model_id: int | None = None,
    prediction_id: int | None = None,
    threshold: float | None = None,
) -> dict[str, Any]:
    """Return the item's speaker fields and its suggestions (naming the project's speakers).

    `before` / `after`: the context sentences around it (dicts with id, index, kind and
    text): the suggestion model reads them too; `model_id`, `prediction_id`: the project's
    active model and the sentence's prediction, read with the item (None: none); `threshold`:
    the project's suggestion threshold, read with the item.
    """
    following = next((c for c in after if c["kind"] == "body"), None)
    texts = [sentence.text, following["text"] if following else ""]
    known = speakers_named_in(sentence.project_id, texts)
    here = [s for s in known if mentioned(s, texts[0])]
    earlier = earlier_speakers(user, sentence)
    nearest = PREVIOUS_SENTENCES
    return {
        "previous_speakers": unique_speakers(
            e["speaker"] for e in earlier if e["index"] >= sentence.index - nearest
        ),
        "earlier_speakers": earlier,
        "named_speakers": named_spans(sentence.text, here),
        "next_speakers": next_speakers(texts[1], [s for s in known if mentioned(s, texts[1])]),
        "quotation": open_quotation(sentence),
        "suggestions": sentence_suggestions(
            sentence,
            speakers=here,
            not_claim=not_claim,
            before=[c["text"] for c in before],
            after=[c["text"] for c in after],
            model_id=model_id,
            prediction_id=prediction_id,
            threshold=threshold,
        ),
    }


def speakers_named_in(project_id: int, texts: list[str]) -> list[KnownSpeaker]:
    """Return the project's speakers whose name or an alias occurs in any of the texts."""
    folded = [t.casefold() for t in texts if t]
    known = []
    for speaker_id, name, kind, aliases in PROJECT_SPEAKERS.iterate(project=project_id):
        names = [name, *(a for a in aliases or [] if isinstance(a, str))]
        if any(n and n.casefold() in text for n in names for text in folded):
            known.append(KnownSpeaker(speaker_id, name, kind, tuple(names[1:])))
    return known


def mentioned(speaker: KnownSpeaker, text: str) -> bool:
    folded = text.casefold()
    return any(n and n.casefold() in folded for n in speaker.names)


def speaker_record(speaker) -> dict[str, Any]:
    return {"id": speaker.id, "name": speaker.name, "kind": speaker.kind}


def named_spans(text: str, speakers: list[KnownSpeaker]) -> list[dict[str, Any]]:
    """Return where the sentence names a known speaker (whole tokens), in text order."""
    if not speakers:
        return []
    doc = get_nlp().make_doc(text)
    found = known_speaker_spans(doc, speakers)
    return [
        {"start": span.start_char, "end": span.end_char, "speaker": speaker_record(speaker)}
        for span, speaker in sorted(found, key=lambda f: (f[0].start_char, -f[0].end_char))
    ]


def next_speakers(text: str, speakers: list[KnownSpeaker]) -> list[dict[str, Any]]:
    """Return the known speakers the next sentence's suggestions name, in order."""
    if not text or not speakers:
        return []
    suggested = suggest(text, speakers=speakers)["attributions"]
    return unique_speakers(s["speaker"] for s in suggested if s["speaker"])


def unique_speakers(speakers) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for speaker in speakers:
        seen.setdefault(speaker["id"], speaker)
    return list(seen.values())


# The item's two speaker reads: compiled once (claims.prepared).
PROJECT_SPEAKERS = Prepared(
    lambda project: Speaker.objects.filter(project_id=project).values_list(
        "id", "name", "kind", "aliases"
    ),
    project=int,
)
EARLIER_SPEAKERS = Prepared(
    lambda article, start, end, user: (
        Attribution.objects.filter(
            annotation__sentence__article_id=article,
            annotation__sentence__index__gte=start,
            annotation__sentence__index__lt=end,
            annotation__annotator_id=user,
            annotation__kind=AnnotationKind.ANNOTATOR,
            speaker__isnull=False,
        )
        .order_by("-annotation__sentence__index", "position")
        .values_list(
            "annotation__sentence_id",
            "annotation__sentence__index",
            "speaker_id",
            "speaker__name",
            "speaker__kind",
        )
    ),
    article=int,
    start=int,
    end=int,
    user=int,
)


def earlier_speakers(user, sentence: Sentence) -> list[dict[str, Any]]:
    """Return the speakers of the user's own labels of the sentences just before this one in
    its article, nearest sentence first, in attribution order within a sentence."""
    rows = EARLIER_SPEAKERS.rows(
        article=sentence.article_id,
        start=sentence.index - EARLIER_SENTENCES,
        end=sentence.index,
        user=user.pk,
    )
    return [
        {"sentence": sentence_id, "index": index, "speaker": {"id": pk, "name": n, "kind": k}}
        for sentence_id, index, pk, n, k in rows
    ]


def closes_earlier_quotation(text: str) -> bool:
    """Tell whether the sentence closes a quotation that an earlier sentence opened."""
    return any(start == 0 for start, _ in quotations(text))


def open_quotation(sentence: Sentence) -> dict[str, Any] | None:
    """Return the earlier sentences of the quotation this sentence closes, with the quoted part
    of each; None when it closes none (or where it opens cannot be told)."""
    if not closes_earlier_quotation(sentence.text):
        return None
    parts = []
    for earlier in earlier_sentences(sentence):
        text = earlier["text"]
        ranges = quotations(text)
        opening = [r for r in ranges if r[1] == len(text) and r[0] > 0]
        if ranges and not opening:
            return None  # quote marks that do not open this quotation: unsure where it starts
        inner = trim(text, opening[0][0] if opening else 0, len(text))
        if inner is not None:
            parts.append({**earlier, "content": {"start": inner[0], "end": inner[1]}})
        if opening:
            return {"sentences": parts[::-1]}
    return None


def earlier_sentences(sentence: Sentence) -> QuerySet:
    return (
        Sentence.objects.filter(
            article_id=sentence.article_id,
            index__gte=sentence.index - EARLIER_SENTENCES,
            index__lt=sentence.index,
        )
        .order_by("-index")
        .values("id", "index", "text")
    )
