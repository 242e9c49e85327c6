"""Classify a whole line (paragraph) of an article: site chrome, a wire dateline, a heading."""

import re

MAX_HEADING_WORDS = 20
MAX_BOILERPLATE_WORDS = 12
FINAL_PUNCT = frozenset(".!?…")
# A line ending like a sentence (or a fragment of one) is prose, not a headline.
_NON_HEADING_END = FINAL_PUNCT | frozenset(":;,\"'”’»›")

_CHROME_LINES = frozenset(
    {
        "ad",
        "advertisement",
        "advertising",
        "all news",
        "also read",
        "back to top",
        "close",
        "comments",
        "e-mail",
        "email",
        "home",
        "latest news",
        "leave a comment",
        "like this",
        "loading",
        "menu",
        "more",
        "more news",
        "most popular",
        "most read",
        "print",
        "read also",
        "read more",
        "related",
        "related articles",
        "related content",
        "related coverage",
        "related news",
        "related stories",
        "search",
        "see also",
        "share",
        "share this",
        "share this article",
        "share this story",
        "show comments",
        "skip to content",
        "skip to main content",
        "sponsored",
        "sponsored content",
        "subscribe",
        "subscribe now",
        "top stories",
        "tweet",
    }
)
_CHROME_PREFIX = re.compile(
    r"(?:follow us|read more|read also|also read|see also|subscribe to|sign up|share on"
    r"|click here|download (?:our|the) app|join us on|copyright|photo:|image:|©|\(c\))"
)
_CHROME_STRIP = " \t.:!|>»›→…•·*-–—"

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = (
    rf"(?:(?:{_WEEKDAY}),?[ ])?"
    rf"(?:{_MONTH}\.?[ ]\d{{1,2}}(?:,?[ ]\d{{4}})?|\d{{1,2}}[ ]{_MONTH}\.?(?:[ ]\d{{4}})?"
    rf"|{_WEEKDAY})"
)
# Upper-case-ness is checked in code: ``re`` has no Unicode upper-case class.
_CITY_WORD = r"[^\W\d_a-z](?:[^\W\d_a-z]|['’.-])*"
_REGION_WORD = r"[A-Z][\w.'’-]*"
_DATELINE = re.compile(
    rf"(?P<city>{_CITY_WORD}(?:[ ]{_CITY_WORD}){{0,3}})"
    rf"(?:,[ ]+(?!(?:{_MONTH}|{_WEEKDAY})\b)"
    rf"(?P<region>{_REGION_WORD}(?:[ ]{_REGION_WORD}){{0,2}}))?"
    rf"(?:,[ ]+(?P<date>{_DATE}))?"
    r"\.?[ ]*"
    r"(?P<agency>\([A-Z][\w .&'’/-]{0,30}\)|/[A-Z][\w .&'’-]{0,20}/)?"
    r"[ ]*(?P<term>--|[-–—.])?"
    r"(?=\s|$)"
)


def is_boilerplate(line: str) -> bool:
    """Tell whether a whole line is site chrome (or has no letters or digits at all)."""
    if not any(char.isalnum() for char in line):
        return True
    if len(line.split(maxsplit=MAX_BOILERPLATE_WORDS)) > MAX_BOILERPLATE_WORDS:
        return False
    key = " ".join(line.casefold().split()).strip(_CHROME_STRIP)
    return key in _CHROME_LINES or _CHROME_PREFIX.match(key) is not None


def looks_like_heading(line: str) -> bool:
    """Tell whether a line is short and does not end like a sentence."""
    words = line.split(maxsplit=MAX_HEADING_WORDS)  # enough to tell
    return line[-1] not in _NON_HEADING_END and len(words) <= MAX_HEADING_WORDS


def dateline_length(line: str) -> int:
    """Return the length of a wire-style dateline opening ``line``, or 0 if there is none."""
    match = _DATELINE.match(line)
    if match is None:
        return 0
    city = match["city"]
    if not city.isupper() or sum(char.isalpha() for char in city) < 3:
        return 0
    dash = match["term"] not in (None, ".")
    dated_stop = match["date"] is not None and match[0].rstrip().endswith(".")
    return match.end() if match["agency"] or dash or dated_stop else 0
