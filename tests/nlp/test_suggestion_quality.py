"""What makes a suggestion one to accept blind: no source that names no one, a rule quotation
kept beside the model's attributions, and confidences that are the share right."""

import pytest

from claims.nlp.function_sources import is_function_source
from claims.nlp.segmentation import get_nlp
from claims.nlp.suggestions import suggest
from claims.nlp.training.calibration import (
    RULES_ALONE,
    Calibration,
    Curve,
    Points,
    fit_attributions,
    reliability,
)
from claims.nlp.training.examples import GoldAttribution
from claims.nlp.training.features import featurize
from claims.nlp.training.suggester import DecodeSettings, served_attributions
from claims.nlp.training.suggestion import MODEL, RULES, SuggestedAttribution, SuggestedSpan
from claims.nlp.training.tagger import TaggedSpan


def sources(text: str) -> list[str | None]:
    return [a["source"] and a["source"]["text"] for a in suggest(text)["attributions"]]


@pytest.mark.parametrize(
    ("text", "function_word"),
    [
        ("It", True),
        ("who", True),
        ("Who", True),
        ("the matter", True),
        ("that", True),
        ("n't", True),
        ("there", True),
        ("Less", True),  # a comparative opening its sentence, read once by a model as a name
        ("the least", True),
        ("he", False),
        ("She", False),
        ("they", False),
        ("his", False),
        ("Some", False),
        ("Trump", False),
        ("the senator", False),
        ("people familiar with the matter", False),
        ("Will", False),
        ("May", False),
        ("will", True),
        ("WILL", True),
    ],
)
def test_a_function_word_source_names_no_one(text, function_word):
    assert is_function_source(text) is function_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It is said that the talks failed.", [None]),
        ("“We call on all states to support the talks,” it added.", [None]),
        ("Who said the border is closed?", [None]),
        ("WHO said the outbreak was over.", ["WHO"]),  # the acronym, not the pronoun
        ("Trump, who said the election was rigged, lost.", ["Trump"]),
        ("He said the deal was off.", ["He"]),
        ("They argued that the vote was fair.", ["They"]),
    ],
)
def test_the_rules_suggest_no_function_word_source(text, expected):
    assert sources(text) == expected


def tagged(doc, role: str, word: str, confidence: float = 0.9) -> TaggedSpan:
    token = next(t for t in doc if t.text == word)
    return TaggedSpan(role, token.idx, token.idx + len(token), confidence, token.i, token.i)


def test_the_models_function_word_sources_are_dropped_or_give_way_to_their_phrase():
    (sentence,) = featurize(get_nlp(), ["Trump, who spoke Monday, argued the vote was fair."])
    doc = sentence.doc
    spans = [tagged(doc, "source", "who"), tagged(doc, "cue", "spoke")]
    (found, *_) = served_attributions(sentence, spans, DecodeSettings(fill=False))
    assert [(doc.text[s.start : s.end], s.origin) for s in found.source] == [("Trump", RULES)]

    (sentence,) = featurize(get_nlp(), ["It remains unclear, it added."])
    spans = [tagged(sentence.doc, "source", "it"), tagged(sentence.doc, "cue", "added")]
    found = served_attributions(sentence, spans, DecodeSettings(fill=False))
    assert [a.source for a in found] == [()]


def test_a_rule_quotation_stays_beside_the_models_attributions():
    text = "“We are ready to help,” the statement read, as Lavrov noted."
    (sentence,) = featurize(get_nlp(), [text])
    doc = sentence.doc
    spans = [tagged(doc, "source", "Lavrov"), tagged(doc, "cue", "noted")]
    found = served_attributions(sentence, spans, DecodeSettings(fill=False, fallback=False))
    contents = [(text[s.start : s.end], s.origin) for a in found for s in a.content]
    assert ("We are ready to help", RULES) in contents
    assert [text[s.start : s.end] for s in found[0].cue] == ["noted"]
    assert found[0].cue[0].origin == MODEL
    # A quotation the model marks itself is not offered twice.
    quoted = next(t for t in doc if t.text == "We")
    end = text.index(",")
    spans.append(TaggedSpan("content", quoted.idx, end, 0.9, quoted.i, quoted.i + 4))
    found = served_attributions(sentence, spans, DecodeSettings(fill=False, fallback=False))
    assert all(s.origin == MODEL for a in found for s in a.content)


def test_a_rule_quotation_is_offered_when_the_model_shares_its_cue_but_not_its_content():
    text = "“We will win this state,” Dana said to the governor, who began by thanking her."
    (sentence,) = featurize(get_nlp(), [text])
    doc = sentence.doc
    began = next(t for t in doc if t.text == "began")
    spans = [
        tagged(doc, "source", "Dana"),
        tagged(doc, "cue", "said"),
        TaggedSpan("content", began.idx, len(text) - 1, 0.6, began.i, len(doc) - 2),
    ]
    for fill in (True, False):
        found = served_attributions(sentence, spans, DecodeSettings(fill=fill))
        offered = [
            ([text[s.start : s.end] for s in a.cue], [text[s.start : s.end] for s in a.content])
            for a in found
        ]
        assert offered == [
            (["said"], ["began by thanking her"]),
            (["said"], ["We will win this state"]),
        ]
        assert found[1].quote_type == "direct"
        assert [text[s.start : s.end] for s in found[1].source] == ["Dana"]
    # A model content over the quotation: the quotation is not offered twice.
    spans[2] = TaggedSpan("content", 1, text.index(","), 0.6, 1, 5)
    found = served_attributions(sentence, spans, DecodeSettings())
    assert len(found) == 1
    # The model's attribution has no content: the rules' quotation completes it.
    for fill in (True, False):
        (found,) = served_attributions(sentence, spans[:2], DecodeSettings(fill=fill))
        assert (found.cue[0].origin, found.content[0].origin) == (MODEL, RULES)
        assert found.quote_type == "direct"


def test_an_isotonic_curve_gives_the_share_right_and_never_decreases():
    raw = [0.2] * 40 + [0.6] * 40 + [0.9] * 40
    right = [i < 10 for i in range(40)] + [i < 30 for i in range(40)] + [i < 38 for i in range(40)]
    curve = Curve.fit(raw, right)
    assert [round(curve(x), 3) for x in (0.2, 0.6, 0.9)] == [0.25, 0.75, 0.95]
    assert curve(0.4) <= curve(0.5) <= curve(0.7)
    # Sure-looking spans that were wrong more often are pooled, not ranked above.
    flipped = Curve.fit(
        [0.3] * 30 + [0.8] * 30, [True] * 20 + [False] * 10 + [True] * 10 * 1 + [False] * 20
    )
    assert flipped(0.3) == flipped(0.8) == pytest.approx(0.5)
    assert Curve.fit([0.5], [True]) == Curve()  # too few points to say: unchanged


def test_calibration_maps_model_and_rule_spans_and_attributions():
    text = "Lavrov said the talks resumed."
    calibration = Calibration(
        model={"cue": Curve((0.0, 1.0), (0.0, 0.5))},
        rules={"source:name": 0.9, "content:clause": 0.7},
        attribution=Curve((0.0, 1.0), (0.0, 0.8)),
    )
    suggested = SuggestedAttribution(
        source=(SuggestedSpan(0, 6, 0.0, RULES),),
        cue=(SuggestedSpan(7, 11, 0.8, MODEL),),
        content=(SuggestedSpan(12, 29, 0.0, RULES),),
    )
    (found,) = calibration.apply(text, [suggested])
    assert [s.confidence for s in found.spans()] == [0.9, 0.4, 0.7]
    assert found.confidence == pytest.approx(0.8 * 0.4)
    assert found.record(text)["confidence"] == pytest.approx(0.32)
    assert Calibration.from_dict(calibration.to_dict()) == calibration


def test_calibration_measured_on_labelled_sentences_says_the_share_right():
    texts = [f"Official {n} said the talks resumed." for n in range(40)]
    right = GoldAttribution(source=((0, 11),), cue=((12, 16),), content=((17, 35),))
    points, sentences = Points(), []
    for number, text in enumerate(texts):
        suggested = [
            SuggestedAttribution(
                source=(SuggestedSpan(0, 11, 0.9, MODEL),), cue=(SuggestedSpan(12, 16, 0.9, MODEL),)
            )
        ]
        gold = [right] if number % 4 else []  # a quarter of them wrong
        points.add(text, suggested, gold)
        sentences.append((text, suggested, gold))
    calibration, pairs = fit_attributions(points.fit(RULES_ALONE), sentences)
    assert calibration.model["source"](0.9) == pytest.approx(0.75)
    (band,) = reliability(pairs)
    assert band["right"] == pytest.approx(0.75) and band["confidence"] == pytest.approx(0.75)


def test_the_rules_alone_are_calibrated_by_kind():
    found = suggest("Lavrov said the talks resumed.")["attributions"]
    assert len(found) == 1
    from claims.learning.serving import rule_confidence

    confidence = rule_confidence("Lavrov said the talks resumed.", found[0])
    weakest = min(RULES_ALONE.rules[k] for k in ("source:name", "cue:word", "content:clause"))
    assert confidence == pytest.approx(RULES_ALONE.attribution(weakest), abs=1e-4)


def test_a_cue_inside_a_quotation_is_left_to_the_quotation():
    text = "“He said we would win,” Trump said."
    (sentence,) = featurize(get_nlp(), [text])
    doc = sentence.doc
    inner, outer = [t for t in doc if t.text == "said"]
    spans = [
        TaggedSpan("cue", inner.idx, inner.idx + 4, 0.9, inner.i, inner.i),
        TaggedSpan("cue", outer.idx, outer.idx + 4, 0.9, outer.i, outer.i),
        tagged(doc, "source", "Trump"),
    ]
    found = served_attributions(sentence, spans, DecodeSettings(fill=False))
    assert [[text[c.start : c.end + 6] for c in a.cue] for a in found] == [["said."]]


def test_a_model_content_with_its_quote_marks_is_a_direct_quotation():
    text = "“This is in their heads.”"
    (sentence,) = featurize(get_nlp(), [text])
    doc = sentence.doc
    spans = [TaggedSpan("content", 0, len(text), 0.9, 0, len(doc) - 1)]
    (found,) = served_attributions(sentence, spans, DecodeSettings(fill=False))
    assert found.quote_type == "direct"


def test_a_model_reads_the_features_it_was_trained_on():
    from claims.nlp.training import ClaimModel, ModelSuggester
    from claims.nlp.training.features import FEATURES
    from claims.nlp.training.tagger import build_tagger

    older = ModelSuggester(ClaimModel(tagger=build_tagger(), meta={"tagger": {}}))
    newer = ModelSuggester(ClaimModel(tagger=build_tagger(), meta={"tagger": {"features": 2}}))
    assert (older.features, newer.features, FEATURES) == (1, 2, 3)
    # Nor had it a calibration: its confidences stay as decoded, the rules' are calibrated.
    assert older.calibration == Calibration(rules=RULES_ALONE.rules)
    text = ["Lavrov quipped that the talks resumed."]
    (old,) = featurize(get_nlp(), text, version=1)
    (new,) = featurize(get_nlp(), text, version=2)
    assert old.features[1] == "O---" and new.features[1] == "O-v--"  # "quipped": no rule cue
    assert old.reach[0] == "Cue=None" and new.reach[0] == "Cue=Right1"
    # Version 3 also knows the words of thought and attitude; a version-2 model never sees them.
    text = ["Democrats were furious and want the talks resumed."]
    (two,) = featurize(get_nlp(), text, version=2)
    (three,) = featurize(get_nlp(), text, version=3)
    assert (two.features[2], two.features[4]) == ("O----", "O----")  # "furious", "want"
    assert (three.features[2], three.features[4]) == ("O-a--", "O-v--")
    assert two.reach[0] == "Cue=None" and three.reach[0] == "Cue=Right2"
