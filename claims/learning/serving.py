"""The suggestions a sentence is offered: imported predictions, the active model, the rules.

Each attribution and the claim label say where they came from (``origin``: ``predictions``,
``model`` or ``rules``) and how sure that is (``confidence`` in [0, 1]; None for imported
predictions, whose maker did not say). Predictions come first; a model or rule attribution
that marks a span a prediction already marks in the same role is not offered twice. Without
an active model the rules suggest (the cold start); with one, the model's spans come
completed by the rules as the model's training chose (``claims.nlp.training.combine``).
Confidences are calibrated (the share of such suggestions right on labelled articles), and a
model or rule attribution below the project's ``suggestion_threshold`` is not offered.
"""

from collections.abc import Sequence
from typing import Any

from claims.content.values import overlapping_parts
from claims.learning.loader import active_model_id, suggester_for
from claims.learning.models import Prediction
from claims.models import Project, Sentence
from claims.nlp.segmentation import get_nlp
from claims.nlp.suggestions import CLAIM_NOT_KINDS, KnownSpeaker, known_speaker_spans, suggest
from claims.nlp.training.suggestion import SentenceSuggestions, SuggestedAttribution, SuggestedSpan

# The model's modules (spaCy, thinc, numpy) are imported in the functions that use them: the
# app's start-up imports this module (admin, labeling pages) and should not pay for them.

ROLES = ("source", "cue", "content")
MODEL, RULES, PREDICTIONS = "model", "rules", "predictions"
NO_CLAIM = {
    "claim": None,
    "claim_origin": None,
    "claim_confidence": None,
    "claim_probabilities": {},
    "checkworthiness": None,
    "model": None,
    "stance": [],
}
# Kinds of sentence offered a stance besides the body (the rules suggest nothing for them).
STANCE_KINDS = {"heading"}
# How far back a turn's opening is looked for (a transcript's turns are rarely longer).
TURN_LOOKBACK = 300
# Passed for `model_id` / `prediction_id` when the caller has not read them.
LOOK_UP = object()


def sentence_suggestions(
    sentence: Sentence,
    *,
    speakers: Sequence[KnownSpeaker] = (),
    not_claim: str | None = None,
    before: Sequence[str] = (),
    after: Sequence[str] = (),
    model_id: Any = LOOK_UP,
    prediction_id: Any = LOOK_UP,
    threshold: Any = LOOK_UP,
) -> dict[str, Any]:
    """Return the sentence's suggestions.

    ``before`` / ``after``: the texts of the sentences around it, in order (the model reads
    a quotation across sentences); ``speakers``: the project's speakers it names;
    ``model_id`` / ``prediction_id``: the project's active model and the sentence's prediction
    (or None) when the caller read them with the sentence, else one query each; ``threshold``
    likewise: the project's ``suggestion_threshold``.
    """
    from claims.nlp.training.stance import suggest_stances

    if model_id is LOOK_UP:
        model_id = active_model_id(sentence.project_id)
    if model_id is None or sentence.kind in CLAIM_NOT_KINDS:
        found = rule_suggestions(sentence, speakers=speakers, not_claim=not_claim)
        if model_id is not None and sentence.kind in STANCE_KINDS:
            # A headline takes a stance as much as the body does.
            model = suggester_for(sentence.project_id, model_id).model
            found["stance"] = suggest_stances(model, [*before, sentence.text, *after], len(before))
    else:
        suggester = suggester_for(sentence.project_id, model_id)
        texts = [*before, sentence.text, *after]
        speaker = turn_speaker_before(sentence, before, suggester.model)
        suggested = suggester.suggest_at(texts, len(before), speaker)
        found = model_suggestions(sentence.text, suggested, speakers=speakers, not_claim=not_claim)
        found["model"] = model_id
        found["stance"] = suggest_stances(suggester.model, texts, len(before))
    if threshold is LOOK_UP:
        threshold = Project.objects.values_list("suggestion_threshold", flat=True).get(
            pk=sentence.project_id
        )
    found["attributions"] = above(found["attributions"], threshold)
    if prediction_id is LOOK_UP:
        prediction = Prediction.objects.filter(sentence_id=sentence.pk).first()
    else:
        prediction = prediction_id and Prediction.objects.filter(pk=prediction_id).first()
    if prediction:
        found = with_prediction(found, prediction, sentence.text)
    found["attributions"] = [spans_apart(a) for a in found["attributions"]]
    return found


def spans_apart(attribution: dict[str, Any]) -> dict[str, Any]:
    """Return the attribution without a span overlapping an earlier role's ("in his words":
    the cue holds the source): saving it as suggested would be refused."""
    spans = {r: (s["start"], s["end"]) for r in ROLES if (s := attribution.get(r))}
    return {**attribution, **{role: None for role, _ in overlapping_parts(spans)}}


def turn_speaker_before(sentence: Sentence, before: Sequence[str], model) -> str | None:
    """Return whose turn the text before the sentence's context is in (``NAME:`` opens a
    turn in transcripts), for a model whose check-worthiness reads the speaker; else None.

    One query, and only for such a model when no turn opens within the context."""
    from claims.nlp.training.checkworthiness import ContextCalibration, turn_speaker

    classifier = model.meta.get("classifier", {}) if model else {}
    calibration = ContextCalibration.from_meta(classifier.get("calibration"))
    if calibration is None or not calibration.reads_turns or any(map(turn_speaker, before)):
        return None
    earlier = (
        Sentence.objects.filter(
            article_id=sentence.article_id, index__lt=sentence.index - len(before)
        )
        .order_by("-index")
        .values_list("text", flat=True)[:TURN_LOOKBACK]
    )
    for text in earlier:
        if found := turn_speaker(text):
            return found
    return None


def rule_suggestions(
    sentence: Sentence, *, speakers: Sequence[KnownSpeaker], not_claim: str | None
) -> dict[str, Any]:
    """Return the rules' suggestions, each with origin and confidence."""
    ruled = suggest(sentence.text, speakers=speakers, kind=sentence.kind, not_claim=not_claim)
    attributions = [
        {**a, "origin": RULES, "confidence": rule_confidence(sentence.text, a)}
        for a in ruled["attributions"]
    ]
    claim = ruled["claim"]
    return {
        **NO_CLAIM,
        "attributions": attributions,
        "claim": claim,
        "claim_origin": RULES if claim else None,
    }


def rule_confidence(text: str, attribution: dict[str, Any]) -> float:
    """Return the share of such rule attributions right on PolNeAR train (calibrated)."""
    from claims.nlp.training.calibration import RULES_ALONE

    parts = {
        role: (SuggestedSpan(attribution[role]["start"], attribution[role]["end"], 0.0, RULES),)
        for role in ROLES
        if attribution.get(role)
    }
    suggested = SuggestedAttribution(**parts, quote_type=attribution.get("quote_type") or "")
    return round(RULES_ALONE.apply(text, [suggested])[0].confidence, 4)


def above(attributions: list[dict[str, Any]], threshold: float | None) -> list[dict[str, Any]]:
    """Return the attributions at or above the threshold (those without a confidence stay)."""
    if not threshold:
        return attributions
    return [a for a in attributions if a["confidence"] is None or a["confidence"] >= threshold]


def model_suggestions(
    text: str,
    suggested: SentenceSuggestions,
    *,
    speakers: Sequence[KnownSpeaker],
    not_claim: str | None,
) -> dict[str, Any]:
    """Return the model's attributions (the rules completing them) and claim label (the
    rules' when the model has no classifier: a question is no claim)."""
    named = speaker_spans(text, speakers)
    attributions = []
    for attribution in suggested.attributions:
        record = attribution.record(text)
        record["speaker"] = speaker_of(record["source"], named)
        attributions.append(record)
    question = not_claim if text.rstrip().endswith("?") else None
    found = {
        **NO_CLAIM,
        "attributions": attributions,
        "claim": question,
        "claim_origin": RULES if question else None,
    }
    if suggested.claim and suggested.claim_origin == MODEL:
        label = suggested.claim_label
        found |= {
            "claim": label,
            "claim_origin": MODEL,
            "claim_confidence": round(suggested.claim[label], 4),
            "claim_probabilities": {k: round(v, 4) for k, v in suggested.claim.items()},
            "checkworthiness": (
                None if suggested.checkworthiness is None else round(suggested.checkworthiness, 4)
            ),
        }
    return found


def speaker_spans(text: str, speakers: Sequence[KnownSpeaker]) -> list[tuple[int, int, dict]]:
    if not speakers:
        return []
    doc = get_nlp().make_doc(text)
    return [
        (
            span.start_char,
            span.end_char,
            {"id": speaker.id, "name": speaker.name, "kind": speaker.kind},
        )
        for span, speaker in known_speaker_spans(doc, speakers)
    ]


def speaker_of(source: dict[str, Any] | None, named: list[tuple[int, int, dict]]):
    """Return the known speaker a source span names, if any."""
    if not source:
        return None
    for start, end, speaker in named:
        if start < source["end"] and source["start"] < end:
            return speaker
    return None


def with_prediction(found: dict[str, Any], prediction: Prediction, text: str) -> dict[str, Any]:
    """Put the imported prediction first; drop what marks words one of its spans marks in the
    same role (the rules' quotation inside a predicted content with its quote marks is the
    same content: offered twice, both could be accepted)."""
    predicted = [prediction_record(a, text) for a in prediction.attributions]
    taken = [
        (role, a[role]["start"], a[role]["end"]) for a in predicted for role in ROLES if a[role]
    ]

    def repeats(attribution: dict[str, Any]) -> bool:
        return any(
            attribution[role]
            and attribution[role]["start"] < end
            and start < attribution[role]["end"]
            for role, start, end in taken
        )

    rest = [a for a in found["attributions"] if not repeats(a)]
    found = {**found, "attributions": predicted + rest}
    if prediction.claim:
        found |= {
            "claim": prediction.claim,
            "claim_origin": PREDICTIONS,
            "claim_confidence": None,
        }
    return found


def prediction_record(stored: dict[str, Any], text: str) -> dict[str, Any]:
    def span(offsets):
        return offsets and {"start": offsets[0], "end": offsets[1], "text": text[slice(*offsets)]}

    return {
        "speaker": stored.get("speaker"),
        "source": span(stored.get("source")),
        "cue": span(stored.get("cue")),
        "content": span(stored.get("content")),
        "quote_type": stored.get("quote_type") or None,
        "suggested": True,
        "origin": PREDICTIONS,
        "confidence": None,
    }
