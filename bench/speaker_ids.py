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
}  # fmt: skip
# Dropped before a person's name: "Democrat Hillary Clinton".
MODIFIERS = {"democrat", "republican", "democratic", "gop", "libertarian", "presidential",
             "nonpartisan", "longtime", "former", "rival"}  # fmt: skip
OPENERS = {"as", "when", "while", "unlike", "but", "if", "after", "what", "how", "why"}
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
    first = re.split(r",|\band\b| — | – |\(", source)[0]
    head = words(first)[-1:] if words(first) else []
    name = derived_name(source)
    if not name or all(w.casefold() in MODIFIERS for w in name.split()):
        return "nominal"  # "The Republican", "At least one Democrat"
    if head and not head[0][0].isupper() and head[0].casefold() not in HEADS:
        return "nominal"
    return "named"


def derived_name(source: str) -> str:
    """Return the name inside a named source's span (the bench's own rule): in the first part
    (before a comma, "and" or a dash) that has capitalised words, the last run of them after
    titles, with "of" / "for" / "and" inside a name and an organization's head word after it
    ("the Clinton campaign" -> "Clinton campaign")."""
    text = re.sub(r"\([^)]*\)", " ", source)
    for part in re.split(r",|\band\b| — | – ", text):
        found = words(part)
        runs: list[list[str]] = []
        current: list[str] = []
        for n, word in enumerate(found):
            bare = word.casefold().rstrip(".")
            if len(bare) == 1 and word[0].isupper():
                bare = word  # an initial ("Julie A. Diaz"), not the article "a"
            possessive = bare.endswith(("’s", "'s"))
            bare = bare.removesuffix("’s").removesuffix("'s")
            inside = (
                bare in JOINERS and current and n + 1 < len(found) and found[n + 1][0].isupper()
            )
            if word[0].isupper() and bare not in TITLE_WORDS and bare not in DETERMINERS:
                current.append(re.sub(r"[’']s$", "", word))
                if possessive:
                    runs.append(current)
                    current = []
            elif inside:
                current.append(word)
            else:
                if bare in HEADS and (
                    current or runs and runs[-1][-1] == found[n - 1].rstrip("’s")
                ):
                    owner = current or runs.pop()
                    current = [owner[-1], word]  # "Donald Trump’s campaign" -> "Trump campaign"
                if current:
                    runs.append(current)
                current = []
        if current:
            runs.append(current)
        if runs:
            run = runs[-1]
            while len(run) > 2 and run[0].casefold() in MODIFIERS | OPENERS:
                run = run[1:]
            if len(run) > 1 and run[0].casefold() in OPENERS:
                run = run[1:]
            return " ".join(run)
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


def without_initials(name: str) -> str:
    return " ".join(w for w in fold(name).split() if len(w) > 1)


def title_gender(source: str) -> str:
    first = source.split()[0].casefold().rstrip(".") if source.split() else ""
    return {"mr": "m", "mrs": "f", "ms": "f"}.get(first, "")


class SpeakerIds:
    """Derives the speakers of a project's articles one article after another: a last name
    alone is the full name its article gives it, else the one full name the project knows."""

    def __init__(self):
        self.by_last: dict[str, set[str]] = defaultdict(set)  # last name -> full names
        self.derived: dict[str, list[str]] = defaultdict(list)  # samples to check by hand

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

        full = {}
        for n, source in sources.items():
            if category(source) == "named":
                name = derived_name(source)
                if name and not name_problem(name):
                    named[n] = name
                    if len(name.split()) > 1:
                        full.setdefault(fold(name.split()[-1]), name)
        canonical = {}
        for n, name in named.items():
            if len(name.split()) == 1:
                last = fold(name)
                known = self.by_last.get(last, set())
                in_text = full_name_in(text, name, title_gender(sources[n]))
                name = full.get(last) or in_text or (next(iter(known)) if len(known) == 1 else name)
            canonical[n] = name
        for n, name in canonical.items():
            # "Donald J. Trump" is the Donald Trump the project knows.
            known = self.by_last.get(fold(name.split()[-1]), set())
            same = [k for k in known if without_initials(k) == without_initials(name)]
            if same:
                canonical[n] = name = same[0]
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
