"""Quotations over several sentences, as news sets them: the speaker of a quotation is offered
for each of its sentences, so the sentences one covers must be read right."""

from claims.nlp.quote_ranges import quotations
from claims.speakers.quotations import quotation_around


def quoted_parts(texts: list[str], index: int) -> dict[int, str] | None:
    found = quotation_around(dict(enumerate(texts)), index)
    if found is None:
        return None
    return {at: texts[at][start:end] for at, (start, end) in found.parts.items()}


def test_a_quotation_going_on_into_the_next_paragraph_is_one_quotation():
    # No closing mark at a paragraph's end, an opening mark at the next one's start.
    texts = [
        "The mayor spoke first.",
        '"We will rebuild the bridge. It will take two years.',
        "Nobody will pay more for it.",
        '"The state has agreed to help.',
        'We start in June," Mayor Ortiz said.',
        "The council voted later.",
    ]
    whole = {
        1: "We will rebuild the bridge. It will take two years",
        2: "Nobody will pay more for it",
        3: "The state has agreed to help",
        4: "We start in June",
    }
    for index in (1, 2, 3, 4):
        assert quoted_parts(texts, index) == whole
    assert quoted_parts(texts, 0) is None
    assert quoted_parts(texts, 5) is None


def test_a_paragraph_quoted_whole_after_an_open_one_closes_the_quotation():
    texts = ['"We will go on.', '"And we will win," she said.', '"Later," he said.']
    assert quoted_parts(texts, 0) == {0: "We will go on", 1: "And we will win"}
    assert quoted_parts(texts, 2) is None


def test_a_closing_curly_mark_set_before_a_word_opens():
    text = "”Mr. Trump embodies the legacy,” she said."
    assert [text[s:e] for s, e in quotations(text)] == ["Mr. Trump embodies the legacy,"]
    texts = ["”Mr. Trump embodies the legacy.", "He is great,” she said."]
    assert quoted_parts(texts, 1) == {0: "Mr. Trump embodies the legacy", 1: "He is great"}


def test_straight_and_curly_marks_mixed_pair_up():
    for text in ['There was “no evidence" yet.', 'Her "work-related” emails.']:
        assert [text[s:e] for s, e in quotations(text)] in (["no evidence"], ["work-related"])
    texts = ["“We will go on,", 'and win," he said.']
    assert quoted_parts(texts, 0) == {0: "We will go on", 1: "and win"}


def test_a_quotation_followed_by_other_marks_is_not_guessed():
    # An open quotation, then a sentence quoting someone else without going on with it.
    texts = ['She said "yes', "and no.", 'He said "maybe."']
    assert all(quoted_parts(texts, index) is None for index in range(3))


def test_a_quoted_transcripts_next_turn_is_a_new_quotation():
    texts = [
        "Partial transcript as follows:",
        '"WALLACE: Let us start with the debate.',
        "Will she be there tomorrow night?",
        '"PENCE: Well, look, she will not attend.',
        "This is serious business.",
    ]
    asked = {1: "WALLACE: Let us start with the debate", 2: "Will she be there tomorrow night?"}
    assert quoted_parts(texts, 2) == asked
    answered = {3: "PENCE: Well, look, she will not attend", 4: "This is serious business"}
    assert quoted_parts(texts, 4) == answered


def test_a_paragraph_opening_with_another_kind_of_mark_is_not_the_quotation_going_on():
    # A report quoted in straight marks, then a person it quotes in curly ones.
    texts = [
        "The newspaper reports:",
        '"Melanie thought the whole thing was outrageous.',
        "She was anxious, sure.",
        "“It never crossed my mind,” she said.",
    ]
    assert quoted_parts(texts, 2) is None
    assert quoted_parts(texts, 3) is None
