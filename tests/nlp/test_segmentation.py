"""Tests for claims.nlp.segmentation: pinned seed output, invariants and pipeline selection."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.nlp import segmentation
from claims.nlp.quote_cuts import adjust_cut
from claims.nlp.segmentation import (
    KINDS,
    MODEL_SETTING,
    Segment,
    get_nlp,
    normalize_text,
    segment,
    segment_many,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_000 = SEEDS / "000_6e215ce514fd1e56.txt"
SEED_002 = SEEDS / "002_8305c54b32ef5283.txt"


@pytest.fixture(autouse=True, scope="module")
def blank_pipeline() -> Iterator[None]:
    """Pin the rule-based sentencizer: expected output below depends on it."""
    with override_settings(**{MODEL_SETTING: ""}):
        get_nlp.cache_clear()
        yield
    get_nlp.cache_clear()


def read_seed(path: Path) -> str:
    """Read and normalize a seed article."""
    return normalize_text(path.read_text(encoding="utf-8"))


def pairs(text: str, segments: list[Segment]) -> list[tuple[str, str]]:
    """Return (kind, text) for each segment."""
    return [(s.kind, text[s.start : s.end]) for s in segments]


def assert_invariants(text: str, segments: list[Segment]) -> None:
    """Check order, no overlap, trimming and exact coverage of non-whitespace characters."""
    previous_end = 0
    for s in segments:
        assert s.kind in KINDS
        assert previous_end <= s.start < s.end <= len(text)
        piece = text[s.start : s.end]
        assert piece == piece.strip()
        assert "\n" not in piece
        previous_end = s.end
    # In order and disjoint, so equal concatenations mean each character is covered once.
    covered = "".join("".join(text[s.start : s.end].split()) for s in segments)
    assert covered == "".join(text.split())


SEED_000_EXPECTED = [
    ("boilerplate", "All news"),
    ("heading", "Russia ready to facilitate dialogue between Maduro and Venezuelan opposition"),
    (
        "body",
        (
            "Juan Guaido, Venezuelan opposition leader and parliament speaker, whose "
            "appointment to that position had been cancelled by the country’s Supreme "
            "Court, declared himself interim president on January 23"
        ),
    ),
    ("dateline", "MOSCOW, January 30. /TASS/."),
    (
        "body",
        (
            "Russia is ready to facilitate the launch of dialogue between the Venezuelan "
            "authorities and the opposition, and is discussing this possibility with "
            "China, European and Latin American countries, Russian Foreign Minister Sergey "
            "Lavrov said at a press conference following talks with Iraqi top diplomat "
            "Mohamed Ali Alhakim on Wednesday."
        ),
    ),
    ("body", '"There is the EU’s initiative to set up a contact group.'),
    (
        "body",
        (
            "The Caribbean Community (CARICOM) has also put forward some initiatives, "
            'there is also some ideas that Uruguay and Mexico have come up with" he said.'
        ),
    ),
    (
        "body",
        (
            "However, according to Lavrov, Venezuelan opposition leaders, encouraged by "
            "their western sponsors, have been reluctant to launch dialogue."
        ),
    ),
    (
        "body",
        (
            '"We truly wish to help create conditions for dialogue between the government '
            "and the opposition."
        ),
    ),
    (
        "body",
        (
            "We are discussing it with our Venezuelan partners, China, Latin American and "
            "European countries."
        ),
    ),
    (
        "body",
        (
            "We are also ready to participate in international efforts on platforms that "
            'would be acceptable for the Venezuelan parties," Lavrov noted.'
        ),
    ),
    ("heading", "Clarifying the goals"),
    (
        "body",
        (
            'The Russian top diplomat stressed that "all mediation initiatives must be '
            "impartial and involve a wide spectrum of international players, capable of "
            'influencing the government and the opposition."'
        ),
    ),
    (
        "body",
        ('"There is a need to clarify the goal of such a mediation platform," he went on to say.'),
    ),
    (
        "body",
        (
            '"We are confident that creating conditions for the Venezuelan parties to make '
            "an agreement is the only possible goal."
        ),
    ),
    (
        "body",
        (
            "If mediation efforts are aimed at predetermining the outcome of talks, such "
            'platforms will hardly be useful," Lavrov noted.'
        ),
    ),
    (
        "body",
        (
            "At the same time, in his words, Moscow would like the EU to explain its "
            "initiative to establish a contact group."
        ),
    ),
    (
        "body",
        (
            '"Some EU countries, including very influential ones, have presented an '
            'ultimatum to the Venezuelan government," he noted.'
        ),
    ),
    (
        "body",
        ('"We would like to figure out as soon as possible, what it is all about," he added.'),
    ),
    (
        "body",
        (
            'According to him, if impartiality is guaranteed, such an initiative "could be '
            'very useful."'
        ),
    ),
    (
        "body",
        (
            "In addition, the Russian foreign minister said that Moscow welcomed "
            '"Venezuelan President Nicolas Maduro’s readiness to accept international '
            'efforts."'
        ),
    ),
    (
        "body",
        (
            '"We call on the opposition to adopt a similar constructive approach and '
            "abandon the language of ultimatums and act independently, guided by the "
            'interests of the Venezuelan people," Lavrov concluded.'
        ),
    ),
    ("heading", "Political upheaval rocks Venezuela"),
    (
        "body",
        (
            "Juan Guaido, Venezuelan opposition leader and parliament speaker, whose "
            "appointment to that position had been cancelled by the country’s Supreme "
            "Court, declared himself interim president at a rally in the country’s capital "
            "of Caracas on January 23."
        ),
    ),
    (
        "body",
        (
            "Several countries, including the United States, Lima Group members (excluding "
            "Mexico), Australia, Albania, Georgia and Israel, as well as the Organization "
            "of American States, recognized him."
        ),
    ),
    (
        "body",
        (
            "Maduro, in turn, blasted the move as a coup staged by Washington and said he "
            "was severing diplomatic ties with the US."
        ),
    ),
    (
        "body",
        (
            "Meanwhile, Spain, France, Germany, the United Kingdom and the Netherlands "
            "said that they would recognize Guaido as Venezuela’s interim president unless "
            "Maduro called elections by February 3."
        ),
    ),
    (
        "body",
        (
            "In contrast, Russia, Belarus, Bolivia, Iran, Cuba, Nicaragua, El Salvador and "
            "Turkey voiced support for Maduro, while China called for resolving all "
            "differences peacefully and warned against foreign interference."
        ),
    ),
    (
        "body",
        (
            "The United Nations secretary general, in turn, called for dialogue to resolve "
            "the crisis."
        ),
    ),
]

SEED_002_EXPECTED = [
    (
        "body",
        (
            "Russia has expressed readiness to play a role in a new round of peace talks "
            "between the government of Venezuelan President Nicolas Maduro and the "
            "US-backed opposition slated for next week in Norway’s capital, Oslo."
        ),
    ),
    (
        "body",
        (
            "The Norwegian government announced Sunday that delegates from the Maduro "
            "government and the opposition will resume negotiations in Oslo in an effort "
            "to find ways out of a months-long political crisis plaguing the Latin "
            "American country."
        ),
    ),
    ("body", "Norway will be acting as a mediator."),
    (
        "body",
        (
            "An earlier round of such talks was held in Oslo this month, but the "
            "opposition said there were no face-to-face meetings."
        ),
    ),
    (
        "body",
        (
            "Russia’s Ministry of Foreign Affairs welcomed the continuation of the talks, "
            "saying it was ready to assist in the negotiating process."
        ),
    ),
    (
        "body",
        (
            "“Moscow welcomes the announcement about the continuation of contacts between "
            "the Venezuelan government and opposition being held in Oslo through Norway’s "
            "good services,” said the statement."
        ),
    ),
    (
        "body",
        (
            "The political crisis began in Venezuela in January when opposition figure "
            "Juan Guaido — who heads Venezuela’s now defunct National Assembly — abruptly "
            "declared himself “interim president” and called for early election."
        ),
    ),
    ("body", "Caracas called it a coup attempt masterminded by the US."),
    (
        "body",
        (
            "Russia further warned against external powers trying to foist ultimatums on "
            "the Venezuelan leadership."
        ),
    ),
    (
        "body",
        (
            "“We call on all states involved in the Venezuela situation to support the "
            "launch of the political process in the form of talks between the country’s "
            "major forces, refraining from issuing ultimatums to Venezuela’s leadership,” "
            "it added."
        ),
    ),
    (
        "body",
        (
            "The warning came in an apparent message to the US, which quickly recognized "
            "Guaido and has been actively attempting to replace Maduro with Guaido."
        ),
    ),
    (
        "body",
        (
            "The opposition returned to the negotiating table with Maduro weeks after the "
            "Caracas government and the army petered out a coup orchestrated by Guaido and "
            "a small group of renegade soldiers in Caracas."
        ),
    ),
    (
        "body",
        (
            "In a video posted on Twitter, Maduro welcomed the second round as a chance "
            "“to look for peace, always to look for peace.”"
        ),
    ),
    (
        "body",
        (
            "Guaido also welcomed the initiative, but said the opposition would not be "
            "dragged into any process that delayed efforts “to find a solution to the "
            "chaos our country is suffering.”"
        ),
    ),
]


def test_seed_000_segments() -> None:
    text = read_seed(SEED_000)
    assert pairs(text, segment(text)) == SEED_000_EXPECTED


def test_seed_002_segments() -> None:
    text = read_seed(SEED_002)
    assert pairs(text, segment(text)) == SEED_002_EXPECTED


@pytest.mark.parametrize("path", [SEED_000, SEED_002], ids=["000", "002"])
def test_seed_invariants(path: Path) -> None:
    text = read_seed(path)
    assert_invariants(text, segment(text))


def test_normalize_text() -> None:
    raw = "\ufeffTitle\r\nOne.\rTwo.\r\n\tTabbed \ufeff"
    assert normalize_text(raw) == "Title\nOne.\nTwo.\n\tTabbed \ufeff"


def test_awkward_text_after_normalize() -> None:
    raw = (
        "\ufeffHeadline with 😀 emoji\r\n\r\n\r\n"
        "𝔘nicode first 😀. Then\ttabs here. She said. “Quoted 🎉 words,” he said\r"
        "\t  \r\n"
        "text with no final period"
    )
    text = normalize_text(raw)
    segments = segment(text)
    assert_invariants(text, segments)
    assert pairs(text, segments) == [
        ("heading", "Headline with 😀 emoji"),
        ("body", "𝔘nicode first 😀."),
        ("body", "Then\ttabs here."),
        ("body", "She said."),
        ("body", "“Quoted 🎉 words,” he said"),
        ("heading", "text with no final period"),
    ]
    assert segments[1].start == text.index("𝔘")


@pytest.mark.parametrize(
    ("line", "dateline", "rest"),
    [
        ("MOSCOW, January 30. /TASS/. Russia is ready.", "MOSCOW, January 30. /TASS/.", True),
        ("WASHINGTON, Jan 5 (Reuters) - The U.S. said no.", "WASHINGTON, Jan 5 (Reuters) -", True),
        ("LONDON (AP) — Britain's leader spoke.", "LONDON (AP) —", True),
        (
            "NEW YORK, Jan. 5, 2019 (Reuters) -- Stocks rose.",
            "NEW YORK, Jan. 5, 2019 (Reuters) --",
            True,
        ),
        ("KYIV, Ukraine, Feb 24 (Reuters) - War began.", "KYIV, Ukraine, Feb 24 (Reuters) -", True),
        ("WASHINGTON — Officials said so.", "WASHINGTON —", True),
        ("MOSCOW, January 30. /TASS/.", "MOSCOW, January 30. /TASS/.", False),
    ],
)
def test_datelines(line: str, dateline: str, rest: bool) -> None:
    found = pairs(line, segment(line))
    assert found[0] == ("dateline", dateline)
    assert [kind for kind, _ in found[1:]] == (["body"] if rest else [])


@pytest.mark.parametrize(
    "line",
    ["NATO, Russia and China met on Monday.", "US — the country said.", "Russia said so."],
)
def test_no_false_datelines(line: str) -> None:
    assert [s.kind for s in segment(line)] == ["body"]


@pytest.mark.parametrize(
    "line",
    [
        "All news",
        "Advertisement",
        "Read more",
        "Share",
        "Subscribe",
        "Related news",
        "Follow us on Twitter",
        "Read more: Russia says it is ready",
        "* * *",
    ],
)
def test_boilerplate_lines(line: str) -> None:
    assert pairs(line, segment(line)) == [("boilerplate", line)]


def test_headings_need_short_unpunctuated_lines() -> None:
    long_line = " ".join(["word"] * 21)
    text = f"Clarifying the goals\nHe said it.\nHe added:\n{long_line}\nU.S. to meet Mr. Putin"
    assert [s.kind for s in segment(text)] == ["heading", "body", "body", "body", "heading"]


def test_multi_sentence_line_is_body_even_without_final_period() -> None:
    text = "Brexit? No deal, says PM"
    assert pairs(text, segment(text)) == [("body", "Brexit?"), ("body", "No deal, says PM")]


def test_quotes_open_their_sentences() -> None:
    text = 'He said. "We go." "Yes." \'Fine.\' «Non.» (Maybe.) End of "story."'
    assert pairs(text, segment(text)) == [
        ("body", "He said."),
        ("body", '"We go."'),
        ("body", '"Yes."'),
        ("body", "'Fine.'"),
        ("body", "«Non.»"),
        ("body", "(Maybe.)"),
        ("body", 'End of "story."'),
    ]


def test_closing_quote_split_off_by_a_parser_is_glued_back() -> None:
    para = 'It ended." Then'
    assert adjust_cut(para, para.index('"')) == para.index(" Then")


@pytest.mark.parametrize("text", ["", " ", "\n\n\t \n", "\u00a0\u2028"])
def test_whitespace_only_gives_nothing(text: str) -> None:
    assert segment(text) == []


def test_segment_many_matches_segment() -> None:
    texts = [read_seed(SEED_000), "", "Short line", read_seed(SEED_002), "A. B.\n\nC"]
    assert list(segment_many(texts, batch_size=2)) == [segment(t) for t in texts]


def test_segment_many_rejects_bad_batch_size() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        list(segment_many(["x"], batch_size=0))


def test_missing_model_gives_clear_error() -> None:
    name = "claims_no_such_spacy_pipeline"
    with override_settings(**{MODEL_SETTING: name}):
        get_nlp.cache_clear()
        try:
            with pytest.raises(RuntimeError, match=name):
                get_nlp()
        finally:
            get_nlp.cache_clear()
    assert get_nlp().pipe_names == ["sentencizer"]


# Characters and fragments that exercise quotes, line breaks, non-BMP offsets and datelines.
_CHARS = list(" \n\t\r\u00a0\ufeff\u200b.!?,:\"'“”‘’«»()—-😀𝔘🎉")
_FRAGMENTS = [
    "\n\n",
    "word",
    "Word",
    "MOSCOW",
    "January 30",
    "(AP)",
    "/TASS/",
    "U.S.",
    "said.",
    "All news",
]
_PIECES = st.sampled_from(_CHARS + _FRAGMENTS)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=4), max_size=40).map("".join))
def test_coverage_invariant_on_random_text(text: str) -> None:
    assert_invariants(text, segment(text))
    assert_invariants(normalize_text(text), segment(normalize_text(text)))


def sentencizer_pipeline() -> spacy.Language:
    """A pipeline whose sentence boundaries are read from doc.sents, as for trained ones."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("doc_cleaner")  # any other component: segmentation then runs the pipeline
    return nlp


_SENTENCIZER = sentencizer_pipeline()


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=4), max_size=40).map("".join))
def test_the_default_segments_are_those_of_spacys_sentencizer(text: str) -> None:
    """The default reads sentence starts off the tokens: the same as running the sentencizer."""
    text = normalize_text(text)
    assert segment(text) == next(segment_many([text], nlp=_SENTENCIZER))


def test_seeds_segment_as_with_spacys_sentencizer() -> None:
    long_article = "\n".join([read_seed(SEED_000)] * 40)  # tokenized a paragraph at a time
    assert len(long_article) > segmentation.MAX_BLOCK_CHARS
    texts = [read_seed(SEED_000), read_seed(SEED_002), long_article]
    assert list(segment_many(texts)) == list(segment_many(texts, nlp=_SENTENCIZER))


def test_a_text_without_sentence_punctuation_is_cut_near_the_maximum_length() -> None:
    words = [f"word{n % 97}" for n in range(20_000)]  # 127 KB, no punctuation, one line
    text = " ".join(words)
    segments = segment(text)
    assert_invariants(text, segments)
    assert all(s.end - s.start <= segmentation.MAX_SEGMENT_CHARS for s in segments)
    assert len(segments) <= len(text) // 990 + 2  # cut near the maximum, not far below it
    # Cut at whitespace: every piece is whole words.
    assert all(text[s.end] == " " for s in segments[:-1])


def test_a_run_without_whitespace_is_cut_at_the_maximum_length() -> None:
    text = "Before it. " + "x" * 2500 + " after."
    segments = segment(text)
    assert_invariants(text, segments)
    assert [s.end - s.start for s in segments] == [10, 1000, 1000, 507]  # "x…x after."


@pytest.fixture(params=["sentencizer", "pipeline"])
def either_pipeline(request, tmp_path) -> Iterator[None]:
    """The default sentencizer, or a saved pipeline whose sentences are read from doc.sents."""
    if request.param == "sentencizer":
        yield
        return
    sentencizer_pipeline().to_disk(tmp_path / "pipeline")
    with override_settings(**{MODEL_SETTING: str(tmp_path / "pipeline")}):
        get_nlp.cache_clear()
        yield
    get_nlp.cache_clear()


def test_a_paragraph_beyond_spacys_length_limit_is_segmented(either_pipeline) -> None:
    sentence = "The minister said the talks would resume in Oslo next week. "
    text = (sentence * 20_000).strip()  # 1.2 million characters in one paragraph
    assert len(text) > get_nlp().max_length
    segments = segment(text)
    assert_invariants(text, segments)
    assert [text[s.start : s.end] for s in segments] == [sentence.strip()] * 20_000


def test_a_quoted_question_keeps_the_attribution_after_it() -> None:
    text = "“We are going to win, right?” Trump said at a San Antonio fundraiser. He left."
    assert pairs(text, segment(text)) == [
        ("body", "“We are going to win, right?” Trump said at a San Antonio fundraiser."),
        ("body", "He left."),
    ]
    # A cue opening a quotation of its own starts a sentence; so does a report with "that".
    for text in ("“Why?” I said, “Wait a minute.”", "“Over?” Trump said that it was dead."):
        assert len(segment(text)) == 2


def test_initials_ending_a_sentence_end_it() -> None:
    text = "The letter came from Sen. Chuck Schumer (D-N.Y.) The questionable emails were old."
    assert pairs(text, segment(text)) == [
        ("body", "The letter came from Sen. Chuck Schumer (D-N.Y.)"),
        ("body", "The questionable emails were old."),
    ]
    assert len(segment("He moved to the U.S. The company followed.")) == 2
    assert len(segment("The U.S. Senate voted. Officials in the U.S. said so.")) == 2


def test_a_party_and_state_in_brackets_going_on_in_lower_case_ends_no_sentence() -> None:
    text = (
        "Sen. Ann Lee (I-Vt.) defended her call to raise taxes. "
        "Rep. Tom Hale (R-Tex.) The plan failed."
    )
    assert pairs(text, segment(text)) == [
        ("body", "Sen. Ann Lee (I-Vt.) defended her call to raise taxes."),
        ("body", "Rep. Tom Hale (R-Tex.)"),
        ("body", "The plan failed."),
    ]
