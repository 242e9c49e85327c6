"""Speakers on the labeling page's item: each suggestion carries the speaker the server
resolves for its source (claims.speakers), a quotation over several sentences is suggested
in each of its sentences once its speaker is known, the sentence naming that speaker is
shown, and a sentence closing a quotation lists the quotation's earlier sentences (Shift+Q).
"""

from typing import Any

from claims.learning.serving import sentence_suggestions
from claims.models import Sentence
from claims.speakers.candidates import (
    NEXT_SENTENCE,
    PREVIOUS_SENTENCE,
    PROPOSED,
    QUOTATION,
    UNNAMED_SCORE,
    Candidate,
    quotation_speaker,
    speaker_candidates,
)
from claims.speakers.names import UNNAMED
from claims.speakers.scene import WINDOW_AFTER, Scene, scene_of

# The sentences shown either side of the one labelled.
SHOWN = 2
# What may come before a content that goes on from the sentence before: quote marks, a dash.
CONTINUING = " \t\n\"'“‘«(—–-…"
# What may come after a content that runs to the end of its sentence.
CLOSING = " \t\n\"'”’»).,;:!?—–-…"
QUOTATION_ORIGIN = "quotation"


def speaker_parts(
    sentence: Sentence,
    user,
    *,
    rows: list[dict[str, Any]],
    not_claim: str | None,
    article_source: str = "",
    model_id: Any = None,
    prediction_id: Any = None,
    after: int = WINDOW_AFTER,
    whole_article: bool = False,
    threshold: Any = None,
) -> dict[str, Any]:
    """Return the item's suggestions (with speakers), `quotation` and `speaker_sentence`.

    `rows`: the sentences around it, itself included (id, index, kind, text); the two either
    side are the suggestion model's context. `model_id`, `prediction_id`: the project's active
    model and the sentence's prediction, read with the item (None: none). `whole_article`:
    look for a last name's full name beyond `rows` too (one more query; the queue's item does
    not: the page asks the candidates endpoint again when it shows an item fetched ahead).
    `threshold`: the project's suggestion threshold, read with the item.
    """
    user_id = user.id if user is not None else None
    scene = scene_of(
        sentence=sentence, rows=rows, user_id=user_id, article_source=article_source,
        after=after, whole_article=whole_article,
    )  # fmt: skip
    near = [r for r in rows if 0 < abs(r["index"] - sentence.index) <= SHOWN]
    found = sentence_suggestions(
        sentence,
        not_claim=not_claim,
        before=[r["text"] for r in near if r["index"] < sentence.index],
        after=[r["text"] for r in near if r["index"] > sentence.index],
        model_id=model_id,
        prediction_id=prediction_id,
        threshold=threshold,
    )
    quoted = quotation_speaker(scene)
    return {
        "quotation": open_quotation(scene, rows),
        "speaker_sentence": speaker_sentence(scene, rows, quoted),
        "suggestions": with_speakers(scene, found, quoted),
    }


def with_speakers(scene: Scene, found: dict[str, Any], quoted) -> dict[str, Any]:
    """Return the suggestions, each attribution with the best speaker for its source, and the
    quotation's attribution when the sentence continues one whose speaker is known."""
    attributions = []
    for attribution in found["attributions"]:
        if not attribution.get("speaker"):
            attribution = {**attribution, "speaker": suggested_speaker(scene, attribution)}
        attributions.append(attribution)
    part = scene.quotation and scene.quotation.parts.get(scene.index)
    if quoted is not None and part is not None:
        attributions = with_quotation(scene, attributions, quoted[0].speaker(), part)
    return {**found, "attributions": attributions}


def suggested_speaker(scene: Scene, attribution: dict[str, Any]) -> dict[str, Any] | None:
    """Return the speaker a suggested attribution is given: the best candidate for its source,
    when the picker would propose it; without a source, see sourceless_choice. None: the
    annotator picks (a wrong speaker shown costs more than none: it is accepted blind)."""
    source = attribution.get("source")
    span = (source["start"], source["end"]) if source else None
    if span is None:
        chosen = sourceless_choice(speaker_candidates(scene, None), attribution, scene.text)
        return chosen.speaker() if chosen is not None else None
    candidates = speaker_candidates(scene, span, limit=1)
    if not candidates:
        return None
    best = candidates[0]
    if best.kind == UNNAMED and best.score <= UNNAMED_SCORE:
        return None
    if best.score < PROPOSED:
        return None  # only a speaker the picker would propose is suggested with a source
    return best.speaker()


def sourceless_choice(
    candidates: list[Candidate], attribution: dict[str, Any], text: str
) -> Candidate | None:
    """Return the candidate an attribution without a source is given, or None.

    The quotation's speaker first. Then the previous sentence's speaker, for a content going on
    from that sentence; then the next sentence's source, for a content that is its whole
    sentence. A report with a cue of its own and no source names nobody ("The senator is
    expected to ..."): neither neighbour's speaker is its speaker. Chosen on PolNeAR train
    (bench/RESULTS.md, "speakers for attributions without a source"): coming back to a
    sentence once the next is labelled, the next sentence's source was right 2 times in 36
    with a cue here, 22 in 35 for a content not opening its sentence, and it had outranked the
    previous sentence's speaker of a content going on.
    """
    by_reason: dict[str, Candidate] = {}
    for candidate in candidates:  # ranked: the first of each reason is its best
        by_reason.setdefault(candidate.reason, candidate)
    quoted = next((c for c in candidates if c.score >= QUOTATION), None)
    if quoted is not None:
        return quoted
    previous = by_reason.get(PREVIOUS_SENTENCE)
    if previous is not None and continues_sentence_before(attribution, text):
        return previous
    following = by_reason.get(NEXT_SENTENCE)
    if following is not None and whole_sentence_content(attribution, text):
        return following
    return None


def whole_sentence_content(attribution: dict[str, Any], text: str) -> bool:
    """Tell whether the attribution is a content that is its whole sentence, with no cue in it
    (quote marks and a dash aside): its source may come in the next sentence."""
    content = attribution.get("content")
    if not continues_sentence_before(attribution, text):
        return False
    return not text[content["end"] :].strip(CLOSING)


def continues_sentence_before(attribution: dict[str, Any], text: str) -> bool:
    """Tell whether the attribution is a content going on from the sentence before: no cue
    in this sentence, and its content opens the sentence (after quote marks or a dash)."""
    content = attribution.get("content")
    if attribution.get("cue") or not content:
        return False
    return not text[: content["start"]].strip(CONTINUING)


def with_quotation(scene: Scene, attributions: list, speaker: dict, part: tuple[int, int]):
    """Give the quoted part the quotation's speaker: the suggestion without a source that
    marks it, else a direct attribution of its own."""
    overlapping = [
        a for a in attributions
        if a.get("content") and a["content"]["start"] < part[1] and part[0] < a["content"]["end"]
    ]  # fmt: skip
    if any(a.get("source") for a in overlapping):
        return attributions  # the sentence names its own speaker for it
    text = scene.text
    quoted = {
        "speaker": speaker,
        "source": None,
        "cue": None,
        "content": {"start": part[0], "end": part[1], "text": text[part[0] : part[1]]},
        "quote_type": "direct",
        "suggested": True,
        "origin": QUOTATION_ORIGIN,
        "confidence": None,
    }
    rest = [a for a in attributions if a not in overlapping]
    return [quoted, *rest]


def speaker_sentence(scene: Scene, rows: list[dict[str, Any]], quoted) -> dict[str, Any] | None:
    """Return the sentence naming the speaker of the quotation the sentence is part of, when
    it is further away than the sentences shown around it."""
    if quoted is None or abs(quoted[1] - scene.index) <= SHOWN:
        return None
    row = next((r for r in rows if r["index"] == quoted[1]), None)
    return row and {name: row[name] for name in ("id", "index", "kind", "text")}


def open_quotation(scene: Scene, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the earlier sentences of the quotation this sentence closes, with the quoted
    part of each; None when it closes none."""
    quotation = scene.quotation
    if quotation is None or quotation.last != scene.index:
        return None
    by_index = {r["index"]: r for r in rows}
    parts = [
        {"id": by_index[i]["id"], "index": i, "text": by_index[i]["text"],
         "content": {"start": start, "end": end}}
        for i, (start, end) in sorted(quotation.parts.items()) if i < scene.index
    ]  # fmt: skip
    return {"sentences": parts} if parts else None


__all__ = ["QUOTATION", "speaker_parts"]
