"""Suggestions for consecutive sentences of an article: the model's, the rules', or both.

``ModelSuggester`` tokenises with the model's own pipeline, never with the segmentation
pipeline, so loading a model cannot move sentence boundaries. Without a model (cold start)
it returns the rule suggestions; with one, the model's spans grouped into attributions,
completed by the rules where the model's settings say that helps (``combine``). Either way no
source names no one (``claims.nlp.function_sources``), and every confidence is calibrated: the
model's with the calibration measured on its dev articles, the rules' alone with the one
measured on PolNeAR train (``claims.nlp.training.calibration``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.language import Language

from claims.nlp.attribution_rules import quote_kind
from claims.nlp.function_sources import speaking_offsets
from claims.nlp.quote_ranges import quotations, trim
from claims.nlp.segmentation import get_nlp
from claims.nlp.training.calibration import RULES_ALONE, Calibration
from claims.nlp.training.checkworthiness import (
    ContextCalibration,
    tempered,
    with_checkworthiness,
)
from claims.nlp.training.classifier import (
    CHECKWORTHY,
    checkworthiness,
    claim_probabilities,
    in_context,
)
from claims.nlp.training.examples import ROLES
from claims.nlp.training.features import FEATURES, SentenceFeatures, featurize, quote_carry
from claims.nlp.training.model import ClaimModel
from claims.nlp.training.suggestion import (
    MODEL,
    RULES,
    SentenceSuggestions,
    SuggestedAttribution,
    SuggestedSpan,
    from_rules,
)
from claims.nlp.training.tagger import TaggedSpan, tag_spans

# A span crossing another cue is far less likely to belong to this one than a distant one.
_CROSSING_PENALTY = 1000


@dataclass(frozen=True)
class DecodeSettings:
    """How model spans become suggestions: per-role confidence floors and rule help.

    ``fill``: rules add a role the model's attribution lacks (same cue); ``fallback``: rule
    attributions the model has no trace of are added as they are; ``outside_scale`` < 1
    makes the decoder readier to start a span (recall for precision).
    """

    thresholds: tuple[tuple[str, float], ...] = (("source", 0.0), ("cue", 0.0), ("content", 0.0))
    fill: bool = True
    fallback: bool = False
    outside_scale: float = 1.0

    def threshold(self, role: str) -> float:
        """Return the confidence below which a model span of ``role`` is dropped."""
        return dict(self.thresholds).get(role, 0.0)


class ModelSuggester:
    """Suggest attributions and claim labels for the sentences of one article, in order."""

    def __init__(self, model: ClaimModel | None = None, *, not_claim: str | None = "not_claim"):
        """``not_claim``: the claim value the rules give a question (None: none)."""
        self.model = model
        self.not_claim = not_claim
        tagger = model.tagger if model else None
        self.settings = model.decode_settings() if model else DecodeSettings()
        self._tagger: Language | None = tagger
        self._tokenizer: Language = tagger if tagger is not None else get_nlp()
        report = (model.meta.get("tagger") or {}) if tagger else {}
        stored = report.get("calibration")
        if stored:
            self.calibration = Calibration.from_dict(stored)
        else:  # the rules alone, or a model trained before calibration: its spans as decoded
            self.calibration = (
                RULES_ALONE if tagger is None else Calibration(rules=RULES_ALONE.rules)
            )
        # Models trained before the reporting-words features read the features they knew.
        self.features = report.get("features", 1) if tagger else FEATURES

    def suggest(self, sentences: Sequence[str]) -> list[SentenceSuggestions]:
        """Return one ``SentenceSuggestions`` per sentence (consecutive sentences of a text)."""
        features = featurize(self._tokenizer, sentences, version=self.features)
        if self._tagger is None:
            attributions = [from_rules(f.rules) for f in features]
        else:
            spans = tag_spans(self._tagger, features, outside_scale=self.settings.outside_scale)
            attributions = [
                served_attributions(f, found, self.settings)
                for f, found in zip(features, spans, strict=True)
            ]
        claims = self._claims(sentences)
        return [
            SentenceSuggestions(tuple(self.calibration.apply(text, found)), *claim)
            for text, found, claim in zip(sentences, attributions, claims, strict=True)
        ]

    def suggest_at(
        self, texts: Sequence[str], index: int, speaker: str | None = None
    ) -> SentenceSuggestions:
        """Return the suggestions of ``texts[index]`` alone, the sentences before telling only
        whether a quotation runs on into it (cheaper than ``suggest`` over all of them).

        ``speaker``: whose turn the first text is in, when it opened before (transcripts)."""
        carry = quote_carry(texts[:index])
        features = featurize(self._tokenizer, [texts[index]], carry, version=self.features)
        if self._tagger is None:
            attributions = list(from_rules(features[0].rules))
        else:
            spans = tag_spans(self._tagger, features, outside_scale=self.settings.outside_scale)
            attributions = served_attributions(features[0], spans[0], self.settings)
        attributions = self.calibration.apply(texts[index], attributions)
        claim = (
            self._claims(texts, speaker)[index]
            if self._context_matters()
            else self._claims([texts[index]])[0]
        )
        return SentenceSuggestions(tuple(attributions), *claim)

    def _context_matters(self) -> bool:
        """Tell whether the check-worthiness score blends in the neighbours' (``in_context``)."""
        classifier = self.model.meta.get("classifier", {}) if self.model else {}
        calibrated = classifier.get("calibration")
        return bool(
            self.model and self.model.classifier and (classifier.get("context") or calibrated)
        )

    def _claims(self, sentences: Sequence[str], speaker: str | None = None) -> list[tuple]:
        classifier = self.model.classifier if self.model else None
        if classifier is None:
            question = ({self.not_claim: 1.0}, None, RULES) if self.not_claim else ({}, None, None)
            return [question if s.rstrip().endswith("?") else ({}, None, None) for s in sentences]
        found = claim_probabilities(classifier, sentences)
        report = self.model.meta.get("classifier", {})
        label = report.get("checkworthy", CHECKWORTHY) if report else CHECKWORTHY
        scores = [checkworthiness(p, label) for p in found]
        calibration = ContextCalibration.from_meta(report.get("calibration"))
        if found and calibration is not None and all(score is not None for score in scores):
            scores = calibration.score(sentences, scores, speaker)
            temperature = report.get("temperature", 1.0)
            found = [
                with_checkworthiness(tempered(p, temperature), label, score)
                for p, score in zip(found, scores, strict=True)
            ]
        elif found and all(score is not None for score in scores):
            context = report.get("context", 0.0)
            scores = in_context(scores, context)
        elif found and report.get("temperature"):
            found = [tempered(p, report["temperature"]) for p in found]
        return [(p, score, MODEL) for p, score in zip(found, scores, strict=True)]


def served_attributions(
    sentence: SentenceFeatures, spans: Sequence[TaggedSpan], settings: DecodeSettings
) -> list[SuggestedAttribution]:
    """Return a sentence's attributions as served (before calibration): the model's, their
    sources naming someone, completed by the rules (``combine``)."""
    found = model_attributions(sentence, spans, settings)
    found = [speaking_sources(sentence, attribution) for attribution in found]
    return combine(found, from_rules(sentence.rules), settings)


def model_attributions(
    sentence: SentenceFeatures, spans: Sequence[TaggedSpan], settings: DecodeSettings
) -> list[SuggestedAttribution]:
    """Group a sentence's tagged spans into attributions, each cue with its nearest parts.

    A cue inside a quotation is a report nested in the quoted one ('"He said we would win,"
    Trump said'): PolNeAR, like most guidelines, leaves those to the quotation (0.3% of its
    cues lie inside quote marks), so the decoder does too.
    """
    quotes = quotations(sentence.doc.text)
    kept = [
        s
        for s in spans
        if s.confidence >= settings.threshold(s.role)
        and not (s.role == "cue" and any(a <= s.start and s.end <= b for a, b in quotes))
    ]
    return [_attribution(sentence.doc.text, group, quotes) for group in group_spans(kept)]


def speaking_sources(
    sentence: SentenceFeatures, attribution: SuggestedAttribution
) -> SuggestedAttribution:
    """Drop the model's sources that name no one; a relative pronoun gives way to the phrase
    it follows, found by the rules ("Trump, who said": "Trump")."""
    kept = []
    for span in attribution.source:
        offsets = speaking_offsets(sentence.doc, (span.start, span.end))
        if offsets == (span.start, span.end):
            kept.append(span)
        elif offsets is not None:
            kept.append(SuggestedSpan(*offsets, span.confidence, RULES))
    if len(kept) == len(attribution.source) and all(
        a is b for a, b in zip(kept, attribution.source, strict=True)
    ):
        return attribution
    return replace(attribution, source=tuple(kept))


def group_spans(spans: Sequence[TaggedSpan]) -> list[list[TaggedSpan]]:
    """Attach every source and content to the nearest cue not across another cue.

    With no cue in the sentence (a quotation running on from the previous one), all spans
    form one attribution.
    """
    cues = [s for s in spans if s.role == "cue"]
    if not cues:
        return [list(spans)] if spans else []
    groups: dict[int, list[TaggedSpan]] = {id(cue): [cue] for cue in cues}
    for span in spans:
        if span.role != "cue":
            best = min(cues, key=lambda cue: _distance(span, cue, cues))
            groups[id(best)].append(span)
    return [sorted(group, key=lambda s: s.first_token) for group in groups.values()]


def _distance(span: TaggedSpan, cue: TaggedSpan, cues: Sequence[TaggedSpan]) -> int:
    lo, hi = sorted((span.first_token, cue.first_token))
    crossed = sum(lo < other.first_token < hi for other in cues if other is not cue)
    gap = max(cue.first_token - span.last_token, span.first_token - cue.last_token, 0)
    return gap + _CROSSING_PENALTY * crossed


def _attribution(text: str, group: Sequence[TaggedSpan], quotes) -> SuggestedAttribution:
    parts = {
        role: tuple(
            SuggestedSpan(s.start, s.end, s.confidence, MODEL) for s in group if s.role == role
        )
        for role in ROLES
    }
    contents = parts["content"]
    longest = max(contents, key=lambda s: s.end - s.start) if contents else None
    # The model's content often takes in the quote marks and the final period: the quote
    # type is read off the words inside them, as the rules read theirs.
    inner = longest and (trim(text, longest.start, longest.end) or (longest.start, longest.end))
    quote_type = quote_kind(text, inner, quotes) if inner else ""
    return SuggestedAttribution(**parts, quote_type=quote_type)


def combine(
    model: Sequence[SuggestedAttribution],
    rules: Sequence[SuggestedAttribution],
    settings: DecodeSettings,
) -> list[SuggestedAttribution]:
    """Complete the model's attributions with the rules' (never over a model span).

    A rule quotation no model content covers is always offered: quote marks are a surer sign
    than any model's, and a quotation without its cue is still one to attribute. It completes
    the model's attribution of the same cue when that has no content, and stands as its own
    attribution when that has another.
    """
    found = list(model)
    taken = [(s.start, s.end) for a in found for s in a.spans()]
    for ruled in rules:
        free = {
            role: tuple(s for s in getattr(ruled, role) if not _overlaps_any(s, taken))
            for role in ROLES
        }
        match = _same_attribution(found, ruled)
        if match is not None and _quotation(ruled) and not _covered(found, ruled):
            if found[match].content:
                # The model heard the cue but took another content ('"USA, baby," Melanie
                # said to the nominee, who began ...': the relative clause): the quotation
                # is offered as the rules found it, beside the model's attribution.
                found.append(ruled)
            else:
                found[match] = replace(
                    found[match], content=ruled.content, quote_type=ruled.quote_type
                )
            taken += [(s.start, s.end) for s in ruled.content]
        elif match is not None and settings.fill:
            missing = {role: free[role] for role in ROLES if not getattr(found[match], role)}
            if any(missing.values()):
                kind = ruled.quote_type if missing.get("content") else found[match].quote_type
                found[match] = replace(found[match], **missing, quote_type=kind)
                taken += [(s.start, s.end) for spans in missing.values() for s in spans]
        elif match is None and (
            settings.fallback and free["cue"] or _quotation(ruled) and free["content"]
        ):
            found.append(replace(ruled, **free))
            taken += [(s.start, s.end) for spans in free.values() for s in spans]
    return found


def _quotation(ruled: SuggestedAttribution) -> bool:
    """Tell whether a rule attribution's content is a quotation (between quote marks)."""
    return ruled.quote_type == "direct" and bool(ruled.content)


def _covered(found: Sequence[SuggestedAttribution], ruled: SuggestedAttribution) -> bool:
    """Tell whether a content already suggested overlaps the rule's content."""
    contents = [offsets for attribution in found for offsets in attribution.parts("content")]
    return any(_overlaps_any(s, contents) for s in ruled.content)


def _same_attribution(
    found: Sequence[SuggestedAttribution], ruled: SuggestedAttribution
) -> int | None:
    """Return the index of the model attribution sharing the rule's cue (else content)."""
    role = "cue" if ruled.cue else "content"
    for index, attribution in enumerate(found):
        if any(_overlaps_any(s, attribution.parts(role)) for s in getattr(ruled, role)):
            return index
    return None


def _overlaps_any(span: SuggestedSpan, offsets) -> bool:
    return any(span.start < end and start < span.end for start, end in offsets)
