"""One vocabulary for what an annotation says: read from JSON, stored, read back, compared."""

from dataclasses import replace

import pytest

from claims.content import (
    AnnotationContent,
    AttributionContent,
    Span,
    SpeakerRef,
    content_check,
    content_from_json,
    content_of,
    history_record,
)
from claims.errors import InvalidInput
from claims.labels import project_labels
from claims.models import Annotation
from claims.services.annotations import annotation_save
from tests.services.test_annotations import LAVROV_NOTED


def test_what_is_stored_reads_back_as_the_same_content(quote_sentence, annotator):
    sent = content_from_json(
        LAVROV_NOTED,
        sentence_text=quote_sentence.text,
        labels=project_labels(quote_sentence.project),
    )
    saved = annotation_save(sentence=quote_sentence, user=annotator, content=sent, version=None)
    stored = Annotation.objects.select_related("sentence").get(pk=saved.annotation.pk)
    assert content_of(stored) == saved.content
    assert saved.content.attributions[0].speaker.name == "Sergey Lavrov"
    record = history_record(saved.content)
    assert record["attributions"][0]["source"] == [98, 104]
    assert record["attributions"][0]["speaker"] == saved.content.attributions[0].speaker.id


def test_same_labels_ignores_what_annotators_cannot_disagree_on():
    lavrov = AttributionContent(
        speaker=SpeakerRef(id=7), source=Span(0, 6), cue=Span(7, 12), quote_type="direct"
    )
    mine = AnnotationContent(claim="claim", attributions=(lavrov,), status="submitted")
    theirs = replace(
        mine,
        attributions=(replace(lavrov, suggested=True),),
        lead_time_ms=900,
        status="draft",
    )
    assert mine.same_labels(theirs)
    assert not mine.same_labels(replace(mine, attributions=(replace(lavrov, cue=Span(7, 11)),)))
    assert not mine.same_labels(
        replace(mine, attributions=(replace(lavrov, speaker=SpeakerRef(id=8)),))
    )
    # The same attribution twice is not the same as once.
    assert not mine.same_labels(replace(mine, attributions=(lavrov, lavrov)))


def test_content_built_by_hand_is_checked_against_sentence_and_labels(quote_sentence):
    labels = project_labels(quote_sentence.project)
    content = AnnotationContent(
        claim="not_claim",
        claim_types=("quantity",),
        attributions=(AttributionContent(source=Span(3, 999)), AttributionContent()),
        status="submitted",
    )
    with pytest.raises(InvalidInput) as caught:
        content_check(content, sentence_text=quote_sentence.text, labels=labels)
    length = len(quote_sentence.text)
    assert caught.value.errors == {
        "claim_types": ["only the claim values ['checkworthy', 'claim'] have claim types"],
        "attributions": [
            {"source": {"end": [f"must be >= 0 and <= {length} (sentence length)"]}},
            {"non_field_errors": ["an attribution needs a speaker or a span"]},
        ],
    }
    assert caught.value.lines() == [
        "claim types: only the claim values ['checkworthy', 'claim'] have claim types",
        f"attribution 1, source end: must be >= 0 and <= {length} (sentence length)",
        "attribution 2: an attribution needs a speaker or a span",
    ]


def test_an_exact_duplicate_attribution_is_refused_naming_it(quote_sentence):
    labels = project_labels(quote_sentence.project)
    lavrov = LAVROV_NOTED["attributions"][0]
    moved = {**lavrov, "cue": None}
    data = {**LAVROV_NOTED, "attributions": [lavrov, moved, dict(lavrov)]}
    with pytest.raises(InvalidInput) as caught:
        content_from_json(data, sentence_text=quote_sentence.text, labels=labels)
    assert caught.value.errors == {
        "attributions": [
            {},
            {},
            {
                "non_field_errors": [
                    "the same as attribution 1 (speaker, spans and quote type); remove one of them"
                ]
            },
        ]
    }
    # The same spans with another quote type (or speaker) are two attributions, not one.
    other = {**lavrov, "quote_type": "mixed"}
    checked = content_from_json(
        {**LAVROV_NOTED, "attributions": [lavrov, other]},
        sentence_text=quote_sentence.text,
        labels=labels,
    )
    assert len(checked.attributions) == 2
