"""Speaker ids for PolNeAR, which has none: the bench's own rules (bench/speakers.py says
which). Independent of the tool's resolution but for its lexicons' kinds and first names."""

import re
from collections import Counter, defaultdict

TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "sen", "sens", "rep", "gov", "lt", "gen", "president", "senator",
    "secretary", "director", "chairman", "chairwoman", "spokesman", "spokeswoman", "minister",
    "attorney", "general", "speaker", "leader", "governor", "mayor", "judge", "chief", "nominee",
    "candidate", "ceo", "commissioner", "ambassador", "adviser", "aide", "manager", "host",
    "justice", "rev", "prime", "vice", "former", "rival", "activist", "pollster", "strategist",
    "chair", "sheriff", "representative", "congressman", "congresswoman", "professor",
    "senators", "retired",
}  # fmt: skip
# Dropped before a person's name: "Democrat Hillary Clinton".
MODIFIERS = {"democrat", "republican", "democratic", "gop", "libertarian", "presidential",
             "nonpartisan", "longtime", "former", "rival", "interim", "retired"}  # fmt: skip
OPENERS = {"as", "when", "while", "unlike", "but", "if", "after", "what", "how", "why", "even"}
# Capitalised, never a name: "Stone on Wednesday".
NOT_NAMES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
             "january", "february", "march", "april", "june", "july", "august", "september",
             "october", "november", "december"}  # fmt: skip
# A source opening with these is a group ("Many African-Americans", "31 Latinos").
QUANTIFIERS = {"many", "some", "several", "most", "few", "all", "both", "two", "three", "four"}
JOINERS = {"of", "for", "on", "and", "de", "van", "von", "bin", "al"}
HEADS = {"campaign", "administration", "team", "committee", "department", "ministry", "party"}
PRONOUNS = {"he": "m", "she": "f"}
OTHER_PRONOUNS = {"they", "it", "who", "which", "i", "we", "you", "his", "her", "them", "that"}
DETERMINERS = {"the", "a", "an", "this", "these", "those", "some", "many", "several", "one",
               "another", "other", "two", "three", "most", "few", "both", "all"}  # fmt: skip
WORD = re.compile(r"[^\W_](?:[^\W_]|[.'’\-](?=[^\W_]))*\.?")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def fold(text: str) -> str:
    """Return a name as compared: case, periods, possessives and a leading "the" ignored."""
    folded = [w.casefold().replace(".", "").removesuffix("’s").removesuffix("'s")
              for w in words(text)]  # fmt: skip
    return " ".join(folded[1:] if folded[:1] == ["the"] else folded)


def category(source: str) -> str:
    """Return "he/she", "other pronoun", "named" (a name is the source's head: "FBI Director
    James Comey", "the Clinton campaign") or "nominal" ("the newspaper", "The Republican
    nominee", "Clinton supporters": a common noun is the head)."""
    found = words(source)
    lowered = [w.casefold() for w in found]
    if len(found) == 1 and lowered[0] in PRONOUNS:
        return "he/she"
    if len(found) <= 2 and all(w in OTHER_PRONOUNS for w in lowered):
        return "other pronoun"
    opening = lowered[0] if lowered else ""
    if opening in QUANTIFIERS or opening.isdigit():
        return "nominal"
    if common_noun_first(found):
        return "nominal"  # "Police", "Experts on Norway": capitalised as the first word
    # The head comes before a place: "Seasoned observers in Ohio".
    first = re.split(r",|\band\b| — | – |\(|\b(?:in|around|across)\b", source)[0]
    head = words(first)[-1:] if words(first) else []
    name = derived_name(source)
    if not name or all(w.casefold() in MODIFIERS for w in name.split()):
        return "nominal"  # "The Republican", "At least one Liberal"
    if head and not head[0][0].isupper() and head[0].casefold() not in HEADS:
        return "nominal"
    return "named"


def common_noun_first(found: list[str]) -> bool:
    """Tell whether the source opens with a common noun capitalised as the first word (the
    tool's nominal heads), a lowercase word or nothing after it."""
    from claims.speakers.lexicon import lexicon

    opening, following = [w.casefold() for w in found[:1]], found[1:2]
    return (
        tuple(opening) in lexicon().nominals and opening[0] not in TITLE_WORDS
        and (not following or following[0] not in ("of", "for", "and") and following[0].islower())
    )  # fmt: skip


def organization_named(run: list[str]) -> bool:
    from claims.speakers.lexicon import lexicon

    return any(w.casefold().rstrip(".") in lexicon().organization_words for w in run)


def parts_of(text: str) -> list[str]:
    """Split at commas, dashes and "and", but not inside an organization's name ("the House
    Housing and Urban Growth Committee")."""
    parts = []
    for piece in re.split(r",| — | – ", text):
        chunks = re.split(r"\band\b", piece)
        current = chunks[0]
        for chunk in chunks[1:]:
            before, after = words(current)[-1:], words(chunk)
            run = []
            for word in after:
                if not (word[0].isupper() or word.casefold() in JOINERS):
                    break
                run.append(word)
            trailing = []
            for word in reversed(words(current)):
                if not word[0].isupper():
                    break
                trailing.append(word)
            # Two organizations are two: "the Harbor Institute and Lakeside Foundation".
            inside = (before and before[0][0].isupper() and run and organization_named(run)
                      and not organization_named(trailing))  # fmt: skip
            if inside:
                current = f"{current}and{chunk}"
            else:
                parts.append(current)
                current = chunk
        parts.append(current)
    return parts


def trimmed(run: list[str]) -> list[str]:
    """Return a run without the openers, modifiers and titles of departments before a
    person's name ("State Diane P. Holt" -> "Diane P. Holt"), and without a place after it
    ("Arthur T. Hale of Ohio")."""
    from claims.speakers.lexicon import lexicon

    genders = lexicon().genders
    if not organization_named(run):
        while len(run) > 2 and run[0].casefold() in MODIFIERS | OPENERS:
            run = run[1:]
        given = [i for i, w in enumerate(run) if w.casefold() in genders]
        if given and 0 < given[0] < len(run) - 1:
            run = run[given[0] :]
        if "of" in run and run[0].casefold() in genders and run.index("of") >= 2:
            run = run[: run.index("of")]
    if len(run) > 1 and run[0].casefold() in OPENERS:
        run = run[1:]
    return run


def derived_name(source: str) -> str:
    """Return the name inside a named source's span (the bench's own rule): in the first part
    (before a comma, "and" or a dash) that has capitalised words, the last run of them after
    titles, with "of" / "for" / "and" inside a name and an organization's head word after it
    ("the Clinton campaign" -> "Clinton campaign")."""
    text = re.sub(r"\([^)]*\)", " ", source)
    text = re.sub(r"(?<=[^\W\d_]s)['’](?=\s)", "’s", text)  # "City News' Dana Frost"
    for part in parts_of(text):
        found = words(part)
        runs: list[list[str]] = []
        current: list[str] = []
        owner_end = -1  # where the last possessive run ended: "Trump’s presidential campaign"
        for n, word in enumerate(found):
            bare = word.casefold().rstrip(".")
            if len(bare) == 1 and word[0].isupper():
                bare = word  # an initial ("Gloria M. Lind"), not the article "a"
            possessive = bare.endswith(("’s", "'s"))
            bare = bare.removesuffix("’s").removesuffix("'s")
            inside = (
                bare in JOINERS and current and n + 1 < len(found) and found[n + 1][0].isupper()
                and found[n + 1].casefold() not in NOT_NAMES
            )  # fmt: skip
            # A title word ending a name is part of it: "Citizens for Fair Housing".
            ends = (
                bare in TITLE_WORDS
                and current
                and not (n + 1 < len(found) and found[n + 1][0].isupper())
            )
            name_word = bare not in TITLE_WORDS | DETERMINERS | NOT_NAMES or ends
            if word[0].isupper() and name_word:
                current.append(re.sub(r"[’']s$", "", word))
                if possessive:
                    runs.append(current)
                    current, owner_end = [], n
            elif inside:
                current.append(word)
            else:
                adjectives = all(w[0].islower() for w in found[owner_end + 1 : n])
                if bare in HEADS and (current or runs and owner_end >= 0 and adjectives):
                    owner = current or runs.pop()
                    current = [owner[-1], word]  # "Donald Trump’s campaign" -> "Trump campaign"
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        if runs:
            return " ".join(trimmed(runs[-1]))
    return ""


def full_name_in(text: str, last_name: str, gender: str) -> str:
    """Return the full name the article's text gives most often to a person's last name (of
    the gender a title tells), or ""."""
    from claims.speakers.lexicon import lexicon

    genders = lexicon().genders
    pattern = r"((?:[A-Z][\w'’-]*\.?\s+){1,3})" + re.escape(last_name) + r"\b"
    names = Counter()
    for match in re.finditer(pattern, text):
        name = derived_name(re.split(r"(?<=\w{3}\.)\s+", match.group())[-1])
        first = name.split()[0].casefold() if name else ""
        fits = first not in genders or genders[first] in (gender or genders[first],)
        if len(name.split()) > 1 and name.split()[-1] == last_name and fits:
            names[name] += 1
    return names.most_common(1)[0][0] if names else ""


def person(name: str) -> bool:
    from claims.speakers.names import read_source

    guess = read_source(name).name
    return guess is not None and guess.kind == "person"


def fits_gender(name: str, gender: str) -> bool:
    from claims.speakers.lexicon import lexicon

    known = lexicon().genders.get(fold(name.split()[0]), "")
    return not gender or not known or known == gender


def without_initials(name: str) -> str:
    return " ".join(w for w in fold(name).split() if len(w) > 1)


def title_gender(source: str) -> str:
    """Return the gender the last "Mr." / "Mrs." / "Ms." of the source tells ("advisers to
    Mr. Obama"), or ""."""
    found = re.findall(r"\b(Mr|Mrs|Ms)\b\.?\s+[A-Z]", source)
    return {"Mr": "m", "Mrs": "f", "Ms": "f"}.get(found[-1], "") if found else ""


def acronym(name: str) -> str:
    return "".join(w[0] for w in words(name) if w[0].isupper() and w.casefold() not in JOINERS)


class SpeakerIds:
    """Derives the speakers of a project's articles one article after another: a last name
    alone is the full name its article gives it, else the one full name the project knows."""

    def __init__(self):
        self.by_last: dict[str, set[str]] = defaultdict(set)  # last name -> full names
        self.derived: dict[str, list[str]] = defaultdict(list)  # samples to check by hand
        self.names: set[str] = set()  # every speaker derived so far

    @staticmethod
    def only(names) -> str:
        found = set(names)
        return next(iter(found)) if len(found) == 1 else ""

    def article_speakers(self, text: str, attributions: list[dict]) -> dict[int, dict]:
        """Return the derived speaker of each attribution with a source, by its number:
        {"name", "category", "source"} (name "" when it cannot be derived)."""
        from claims.speakers.lexicon import lexicon
        from claims.speakers.names import read_source

        named: dict[int, str] = {}
        sources: dict[int, str] = {}
        for n, attribution in enumerate(attributions):
            parts = attribution.get("source") or []
            if parts:
                sources[n] = " ".join(text[s:e] for s, e in parts)
        from claims.services.speakers import name_problem

        full: dict[str, list[str]] = defaultdict(list)
        for n, source in sources.items():
            if category(source) == "named":
                name = derived_name(source)
                if name and not name_problem(name):
                    named[n] = name
                    if len(name.split()) > 1:
                        full[fold(name.split()[-1])].append(name)
        # Full names are not looked for in the headline, whose words are all capitalised.
        headline = text.split("\n\n", 1)[0]
        body = text[len(headline) :] if len(headline) < 200 else text
        canonical = {}
        for n, name in named.items():
            if name.isupper() and len(name) > 4 and person(name.title()):
                name = name.title()  # a transcript's "PENCE"
            if len(name.split()) == 1 and person(name):
                last, gender = fold(name), title_gender(sources[n])
                known = self.by_last.get(last, set())
                in_article = [f for f in full.get(last, ()) if fits_gender(f, gender)][:1]
                # "Ban" for "Ban Ki-moon": a name given family name first.
                first_word = {f for fs in full.values() for f in fs if fold(f.split()[0]) == last}
                name = (
                    (in_article and in_article[0]) or full_name_in(body, name, gender)
                    or (next(iter(first_word)) if len(first_word) == 1 else "")
                    or self.only(k for k in known if fits_gender(k, gender)) or name
                )  # fmt: skip
            canonical[n] = name
        # A last name left alone is the one full name the article's other sources gave it.
        given: dict[str, set[str]] = defaultdict(set)
        for name in canonical.values():
            if len(name.split()) > 1:
                given[fold(name.split()[-1])].add(name)
        for n, name in canonical.items():
            if len(name.split()) == 1 and len(given.get(fold(name), ())) == 1:
                canonical[n] = next(iter(given[fold(name)]))
        for n, name in canonical.items():
            # "Donald J. Trump" is the Donald Trump the project knows.
            known = self.by_last.get(fold(name.split()[-1]), set())
            same = [k for k in known if without_initials(k) == without_initials(name)]
            # "Bin Laden" is Osama bin Laden; "The U.N." the United Nations.
            tail = [k for k in known if fold(k).endswith(" " + fold(name)) and " " in name]
            short = fold(name).replace(" ", "").upper()
            spelt = [k for k in self.names if len(short) > 1 and name.replace(".", "").isupper()
                     and len(k.split()) > 2 and acronym(k) == short]  # fmt: skip
            found = (same[0] if same else "") or self.only(tail) or self.only(spelt)
            if found:
                canonical[n] = name = found
            self.names.add(name)
            if len(name.split()) > 1:
                self.by_last[fold(name.split()[-1])].add(name)
        people = {name: read_source(name).name for name in set(canonical.values())}
        mentions = self.mentions(text, people)
        result: dict[int, dict] = {}
        lex = lexicon()
        for n, source in sources.items():
            kind = category(source)
            start = attributions[n]["source"][0][0]
            if kind == "named":
                result[n] = {"name": canonical.get(n, ""), "category": kind, "source": source}
            elif kind == "he/she":
                gender = PRONOUNS[source.strip().casefold()]
                name = self.antecedent(
                    mentions, people, start,
                    lambda g, gender=gender: g.kind == "person" and g.gender in ("", gender),
                )  # fmt: skip
                result[n] = {"name": name, "category": kind, "source": source}
                self.derived[kind].append(f"{text[max(0, start - 160) : start + 30]!r} -> {name}")
            elif kind == "nominal":
                head = tuple(w.casefold() for w in words(source)[-2:])
                kinds = lex.nominals.get(head) or lex.nominals.get(head[-1:]) or frozenset()
                if kinds == {"unnamed"}:
                    name = "Unnamed source"
                else:
                    name = self.antecedent(mentions, people, start,
                                           lambda g, kinds=kinds: g.kind in kinds)  # fmt: skip
                result[n] = {"name": name, "category": kind, "source": source}
                self.derived[kind].append(f"{text[max(0, start - 160) : start + 30]!r} -> {name}")
            else:
                result[n] = {"name": "", "category": kind, "source": source}
        return result

    @staticmethod
    def mentions(text: str, people: dict) -> list[tuple[int, str]]:
        """Return where the article's text names each named source (full or last name)."""
        found = []
        for name in people:
            forms = {name}
            if people[name] is not None and people[name].kind == "person":
                forms.add(name.split()[-1])
            for form in forms:
                for match in re.finditer(r"\b" + re.escape(form) + r"\b", text):
                    found.append((match.start(), name))
        return sorted(found)

    @staticmethod
    def antecedent(mentions, people, start: int, fits) -> str:
        for at, name in reversed(mentions):
            if at < start and people[name] is not None and fits(people[name]):
                return name
        return ""
