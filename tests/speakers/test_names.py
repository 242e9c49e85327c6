"""Reading a source's text: the name a careful annotator would give a new speaker, its kind,
and which sources are pronouns, relative pronouns or nominals."""

import pytest

from claims.speakers.names import NAMED, NOMINAL, PRONOUN, RELATIVE, read_source
from claims.speakers.tokens import phrase_key


@pytest.mark.parametrize(
    ("source", "name", "kind"),
    [
        ("Attorney General Loretta Lynch", "Loretta Lynch", "person"),
        ("Pres. Obama", "Obama", "person"),
        ("Sen. Ann Lee (D-Ore.", "Ann Lee", "person"),  # a span cut before its ")"
        ("The Islamic State", "Islamic State", "organization"),
        ("Author Dana Reyes", "Dana Reyes", "person"),
        ("Conservative icon Morton Hale", "Morton Hale", "person"),
        ("Conservative Futures PAC", "Conservative Futures PAC", "organization"),
        ("a new Harbor University poll", "Harbor University", "organization"),
        ("a CNN poll released Monday", "CNN", "media"),
        ("FBI Director James Comey", "James Comey", "person"),
        ("Republican nominee Donald Trump", "Donald Trump", "person"),
        ("Sen. Carl Webb (R-S.C.)", "Carl Webb", "person"),
        ("House Speaker Janet Shaw, R-Ore.,", "Janet Shaw", "person"),
        ("Varga, a campaign surrogate,", "Varga", "person"),
        ("Another skeptic, Esther K. Osei,", "Esther K. Osei", "person"),
        ("Rival Hillary Clinton", "Hillary Clinton", "person"),
        ("Secretary of State John Kerry", "John Kerry", "person"),
        ("Maria Lopez’s campaign manager Harold Brandt", "Harold Brandt", "person"),
        ("Mr. Alder and Mr. Birch", "Alder", "person"),
        ("The Wall Street Journal", "The Wall Street Journal", "media"),
        ("the New York Times", "The New York Times", "media"),
        ("CNN", "CNN", "media"),
        ("The Trump campaign", "Trump campaign", "organization"),
        ("the Obama administration", "Obama administration", "organization"),
        ("the Justice Department", "Justice Department", "organization"),
        ("the Ministry of Foreign Affairs", "Ministry of Foreign Affairs", "organization"),
        ("Norway’s Ministry of Foreign Affairs", "Norway’s Ministry of Foreign Affairs",
         "organization"),
        ("Chile's Foreign Ministry", "Chile's Foreign Ministry", "organization"),
        ("Norway’s Espen Dahl", "Espen Dahl", "person"),
        ("The House Housing and Urban Growth Committee",
         "House Housing and Urban Growth Committee", "organization"),
        ("the FBI", "FBI", "organization"),
        ("a spokesman for Mary Jones", "Mary Jones", "person"),  # speaks for her
        ("WHO", "WHO", "organization"),  # an acronym, not the relative pronoun
        ("Russia", "Russia", "country"),
        ("the United States", "United States", "country"),
        ("Rep. Arthur T. Hale of Ohio", "Arthur T. Hale", "person"),
        ("German Chancellor Angela Merkel", "Angela Merkel", "person"),
        ("Stone on Wednesday", "Stone", "person"),
        ("Many Canadians", "Canadians", "person"),
        ("a complaint filed by the federal Mines and Quarries Commission",
         "Mines and Quarries Commission", "organization"),
        ("the Bank of America", "Bank of America", "organization"),
        ("the Commission on Presidential Debates", "Commission on Presidential Debates",
         "organization"),
        # Groups named by their members and a cause are organizations, named whole.
        ("Friends of the Earth", "Friends of the Earth", "organization"),
        ("Students for a Democratic Society", "Students for a Democratic Society",
         "organization"),
        ("a spokesman for Citizens for Fair Housing", "Citizens for Fair Housing",
         "organization"),
        ("Americans for Prosperity", "Americans for Prosperity", "organization"),
        ("Doctors Without Borders", "Doctors Without Borders", "organization"),
        ("Human Rights Watch", "Human Rights Watch", "organization"),
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
        ("Four in 10 voters", NOMINAL, {"unnamed"}),
        ("Nearly eight of 10 voters", NOMINAL, {"unnamed"}),
        ("Hispanic voters", NOMINAL, {"unnamed"}),
        ("a recent poll of Ohio voters", NOMINAL, {"unnamed"}),
        ("Officials in Washington", NOMINAL, {"organization", "country", "unnamed"}),
        ("Experts on Norway", NOMINAL, {"unnamed"}),
        ("Several experts", NOMINAL, {"unnamed"}),
        # Named by whom they are close to: the one who speaks is not the one named.
        ("An aide to Senator Mary Jones", NOMINAL, {"unnamed"}),
        ("a lawyer for Mr. Reed", NOMINAL, {"unnamed"}),
        ("Sources close to Ortiz", NOMINAL, {"unnamed"}),
        ("the wife of Governor Tom Blake", NOMINAL, {"unnamed"}),
        ("lawyers for both Tom and Ann Blake", NOMINAL, {"unnamed"}),  # no apposition
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
