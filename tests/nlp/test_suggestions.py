"""Pre-annotation: cue, source, content and quote type suggested for one sentence."""

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, Span

from claims.nlp.attribution_rules import attributions_in
from claims.nlp.segmentation import get_nlp
from claims.nlp.suggestions import KnownSpeaker, suggest

GOLD = Path(__file__).resolve().parents[2] / "fixtures" / "suggestions_gold.jsonl"
LAVROV = KnownSpeaker(7, "Sergey Lavrov", "person", ("Lavrov", "the Russian top diplomat"))


def roles(text: str, **options) -> list[tuple]:
    """Return (source, cue, content, quote_type) texts of each suggested attribution."""
    found = suggest(text, **options)["attributions"]

    def part(span):
        if span is not None:
            assert text[span["start"] : span["end"]] == span["text"]
            return span["text"]
        return None

    return [(part(a["source"]), part(a["cue"]), part(a["content"]), a["quote_type"]) for a in found]


def test_a_direct_quote_before_its_source_and_cue():
    text = '"We truly wish to help create conditions for dialogue," Lavrov noted.'
    assert roles(text) == [
        ("Lavrov", "noted", "We truly wish to help create conditions for dialogue", "direct")
    ]


def test_a_direct_quote_before_a_source_with_words_describing_it():
    text = "“We will see justice done in this case,” city police Chief Ann Carver said Monday."
    [(source, cue, content, quote_type)] = roles(text)
    assert (cue, content, quote_type) == ("said", "We will see justice done in this case", "direct")
    assert source.endswith("Ann Carver")


def test_according_to_takes_the_source_after_the_cue():
    text = "However, according to Lavrov, opposition leaders have been reluctant to talk."
    assert roles(text) == [
        ("Lavrov", "according to", "opposition leaders have been reluctant to talk", "indirect")
    ]


def test_according_to_at_the_end_of_a_sentence_is_the_source_of_the_clause_before():
    text = "The jobless rate fell to 3.1 percent, according to regional statistics."
    assert roles(text) == [
        (
            "regional statistics",
            "according to",
            "The jobless rate fell to 3.1 percent",
            "indirect",
        )
    ]
    described = "The rate fell, according to the Labor Department, which tracks it."
    assert roles(described) == [
        ("the Labor Department", "according to", "The rate fell", "indirect")
    ]


def test_according_to_between_commas_mid_sentence_keeps_the_clause_after():
    text = "The plan, according to two people familiar with it, would cut taxes."
    assert roles(text) == [
        ("two people familiar with it", "according to", "would cut taxes", "indirect")
    ]


def test_a_determiner_phrase_and_a_that_clause_quote():
    text = 'The Russian top diplomat stressed that "all mediation must be impartial."'
    assert roles(text) == [
        ("The Russian top diplomat", "stressed", "all mediation must be impartial", "mixed")
    ]


def test_a_list_of_names_and_the_source_after_a_closing_quote():
    listed = "Meanwhile, Spain, France and the Netherlands said that they would wait."
    assert roles(listed)[0][:2] == ("Spain, France and the Netherlands", "said")
    inverted = "“Moscow welcomes the announcement,” said the statement."
    assert roles(inverted) == [
        ("the statement", "said", "Moscow welcomes the announcement", "direct")
    ]


def test_cues_inside_a_quotation_are_part_of_its_content():
    text = "“We call on all states to support the talks,” it added."
    assert roles(text) == [(None, "added", "We call on all states to support the talks", "direct")]


def test_coordinated_cues_share_the_source_and_split_the_content():
    text = "Maduro blasted the move as a coup and said he was severing ties with the US."
    assert roles(text) == [
        ("Maduro", "blasted", "the move as a coup", "indirect"),
        ("Maduro", "said", "he was severing ties with the US", "indirect"),
    ]


def test_quotations_without_a_cue_are_content_but_scare_quotes_are_not():
    opening = '"There is the EU initiative to set up a contact group.'
    assert roles(opening) == [
        (None, None, "There is the EU initiative to set up a contact group", "direct")
    ]
    assert roles("Guaido declared himself “interim president” on Monday.") == []


def test_names_and_aliases_of_known_speakers_name_the_speaker():
    found = suggest('"We are ready," LAVROV noted.', speakers=[LAVROV])["attributions"][0]
    assert found["speaker"] == {"id": 7, "name": "Sergey Lavrov", "kind": "person"}
    found = suggest("The Russian top diplomat stressed it.", speakers=[LAVROV])["attributions"]
    assert found[0]["speaker"]["id"] == 7
    # Whole tokens only: "Lavrovsky" is someone else.
    found = suggest("Lavrovsky said it was over.", speakers=[LAVROV])["attributions"][0]
    assert (found["source"]["text"], found["speaker"]) == ("Lavrovsky", None)


def test_offsets_are_code_points_around_emoji():
    text = '🇷🇺 "Talks help 💬," Lavrov said.'
    found = suggest(text)["attributions"][0]
    assert text[found["source"]["start"] : found["source"]["end"]] == "Lavrov"
    assert found["content"]["text"] == "Talks help 💬"


def test_headings_and_questions_are_not_claims():
    assert suggest("Clarifying the goals", kind="heading", not_claim="not_claim") == {
        "attributions": [],
        "claim": "not_claim",
    }
    assert suggest("Will the talks go ahead?", not_claim="not_claim")["claim"] == "not_claim"
    assert suggest("Norway will be acting as a mediator.") == {"attributions": [], "claim": None}


def test_a_parsed_subject_and_named_entities_are_used_when_the_pipeline_has_them():
    # What a trained pipeline would produce, built by hand (none is installed here).
    vocab = get_nlp().vocab
    words = ["The", "envoy", "from", "Oslo", "said", "talks", "resume"]
    subject = Doc(
        vocab,
        words=words,
        heads=[1, 4, 1, 2, 4, 6, 4],
        deps=["det", "nsubj", "prep", "pobj", "ROOT", "nsubj", "ccomp"],
    )
    found = attributions_in(subject, [])[0]
    assert subject.text[slice(*found.source)] == "The envoy from Oslo"
    entity = Doc(vocab, words=["Talks", "resume", ",", "said", "Jonas", "Store"])
    entity.ents = [Span(entity, 4, 6, label="PERSON")]
    found = attributions_in(entity, [])[0]
    assert entity.text[slice(*found.source)] == "Jonas Store"


def test_the_gold_file_is_consistent():
    """Every gold span must match its sentence text: the benchmark relies on it."""
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 41
    for row in rows:
        for attribution in row["attributions"]:
            for role in ("source", "cue", "content"):
                span = attribution[role]
                if span:
                    assert row["text"][span["start"] : span["end"]] == span["text"]


def sources_and_cues(text: str) -> list[tuple]:
    """Return (source, cue) texts of each suggested attribution."""
    return [(found[0], found[1]) for found in roles(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Inflections and verbs the lexicon lacked (issue 11).
        ("The senator suggests taxes will rise.", [("The senator", "suggests")]),
        ("Officials declined to comment.", [("Officials", "declined")]),
        # Evidence, and a Title-Case headline.
        ("New polls show Clinton leading in Ohio.", [("New polls", "show")]),
        ("Trump Says Clinton Lied About Her Emails", [("Trump", "Says")]),
        ("Kasich: Voters Want a Steady Hand", [("Kasich", ":")]),
        ("Calm Over Storm: Markets Shrug Off the Vote", []),  # a heading, not a name
        # Appositives, bare plurals, time phrases, issuers and relative pronouns.
        (
            "Dana Ortiz, a strategist who managed the race, said it was close.",
            [("Dana Ortiz, a strategist who managed the race", "said")],
        ),
        ("Party officials said the vote would be delayed.", [("Party officials", "said")]),
        ("Obama on Tuesday accused Republicans of lying.", [("Obama", "accused")]),
        (
            "The campaign issued a statement saying the report was false.",
            [("The campaign", "saying")],
        ),
        # A relative pronoun names no one: the phrase it follows is the source.
        ("Ms. Lee, who said she backs the plan, left early.", [("Lee", "said")]),
        # After a comma the phrase after the cue is the content's subject, not the source.
        (
            "Sanders criticized the deal, saying the president wants war.",
            [("Sanders", "criticized"), ("Sanders", "saying")],
        ),
        # Other senses of cue words.
        ("The economy adds 156,000 jobs.", []),
        ("Smith reported from Moscow.", []),
        ("He did not return calls for comment.", []),
        ("The governor responded.", []),
        ("He was fined for criticizing the judge.", []),
    ],
)
def test_rules_for_the_failures_seen_on_news(text, expected):
    assert sources_and_cues(text) == expected


def test_a_parsing_pipeline_for_suggestions_never_moves_sentence_boundaries(tmp_path, settings):
    """CLAIMS_SPACY_MODEL is for suggestions: segmentation keeps its own pipeline."""
    import spacy

    from claims.nlp.parsing import get_parser
    from claims.nlp.segmentation import segment

    text = "Talks resumed, Lavrov said. Aid will follow, officials added."
    before = segment(text)
    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer", config={"punct_chars": [","]})  # would cut at commas
    splitter.to_disk(tmp_path / "pipeline")
    settings.CLAIMS_SPACY_MODEL = str(tmp_path / "pipeline")
    get_parser.cache_clear()
    get_nlp.cache_clear()
    try:
        assert get_parser() is not None
        assert segment(text) == before
        assert len(before) == 2
    finally:
        get_parser.cache_clear()
        get_nlp.cache_clear()
