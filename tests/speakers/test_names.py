"""Reading a source's text: the name a careful annotator would give a new speaker, its kind,
and which sources are pronouns, relative pronouns or nominals."""

import pytest

from claims.speakers.names import NAMED, NOMINAL, PRONOUN, RELATIVE, phrase_key, read_source


@pytest.mark.parametrize(
    ("source", "name", "kind"),
    [
        ("Attorney General Loretta Lynch", "Loretta Lynch", "person"),
        ("FBI Director James Comey", "James Comey", "person"),
        ("Republican nominee Donald Trump", "Donald Trump", "person"),
        ("Sen. Lindsey Graham (R-S.C.)", "Lindsey Graham", "person"),
        ("House Speaker Paul Ryan, R-Wis.,", "Paul Ryan", "person"),
        ("Rendell, a Clinton surrogate,", "Rendell", "person"),
        ("Another critic, Laurence H. Tribe,", "Laurence H. Tribe", "person"),
        ("Rival Hillary Clinton", "Hillary Clinton", "person"),
        ("Secretary of State John Kerry", "John Kerry", "person"),
        ("Hillary Clinton’s campaign manager Robby Mook", "Robby Mook", "person"),
        ("Mr. Grassley and Mr. Leahy", "Grassley", "person"),
        ("The Wall Street Journal", "The Wall Street Journal", "media"),
        ("the New York Times", "The New York Times", "media"),
        ("CNN", "CNN", "media"),
        ("The Trump campaign", "Trump campaign", "organization"),
        ("the Obama administration", "Obama administration", "organization"),
        ("the Justice Department", "Justice Department", "organization"),
        ("the Ministry of Foreign Affairs", "Ministry of Foreign Affairs", "organization"),
        ("The House Oversight and Government Reform Committee",
         "House Oversight and Government Reform Committee", "organization"),
        ("the FBI", "FBI", "organization"),
        ("Russia", "Russia", "country"),
        ("the United States", "United States", "country"),
    ],
)  # fmt: skip
def test_a_named_source_gives_a_clean_name_and_a_fitting_kind(source, name, kind):
    reading = read_source(source)
    assert reading.form == NAMED
    assert (reading.name.name, reading.name.kind) == (name, kind)


@pytest.mark.parametrize(
    ("source", "gender"),
    [("Mr. Obama", "m"), ("Mrs. Clinton", "f"), ("Hillary Clinton", "f"), ("Donald Trump", "m"),
     ("Clinton", "")],
)  # fmt: skip
def test_a_title_or_a_first_name_tells_the_gender(source, gender):
    assert read_source(source).name.gender == gender


@pytest.mark.parametrize(
    ("source", "form", "kinds"),
    [
        ("he", PRONOUN, {"person"}),
        ("She", PRONOUN, {"person"}),
        ("it", PRONOUN, {"organization", "country", "media"}),
        ("who", RELATIVE, set()),
        ("the newspaper", NOMINAL, {"media"}),
        ("The ministry", NOMINAL, {"organization"}),
        ("officials", NOMINAL, {"organization", "country", "unnamed"}),
        ("Officials", NOMINAL, {"organization", "country", "unnamed"}),
        ("The Republican nominee", NOMINAL, {"person"}),
        ("sources", NOMINAL, {"unnamed"}),
    ],
)
def test_pronouns_and_nominals_say_what_they_can_refer_to(source, form, kinds):
    reading = read_source(source)
    assert (reading.form, set(reading.kinds)) == (form, kinds)


def test_he_and_she_carry_a_gender():
    assert (read_source("he").gender, read_source("she").gender) == ("m", "f")


def test_phrase_keys_ignore_case_the_article_periods_and_possessives():
    assert phrase_key("The Post") == phrase_key("the post") == "post"
    assert phrase_key("Mr. Obama") == "mr obama"
    assert phrase_key("Clinton’s") == "clinton"
