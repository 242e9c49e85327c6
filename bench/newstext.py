"""Generate news-like articles for the import benchmarks (deterministic for a seed).

Headlines, wire datelines, paragraphs of three or four sentences, direct and indirect quotes,
abbreviations ("U.S.", "Mr.", "Jan."), decimals and percentages, curly and straight quotes: the
things the sentence splitter has rules for, in proportions like those of wire copy.
"""

import random

PEOPLE = [
    "Sergey Lavrov", "Juan Guaido", "Nicolas Maduro", "Mr. Lavrov", "Dr. Maria Lopez",
    "the foreign minister", "a government spokesman", "the opposition leader", "Gen. Padrino",
    "the U.S. envoy", "Prime Minister Erna Solberg", "the central bank governor",
]  # fmt: skip
CUES = ["said", "told reporters", "noted", "stressed", "added", "said on Wednesday", "warned"]
CITIES = ["MOSCOW", "CARACAS", "OSLO", "WASHINGTON", "BOGOTA", "BRUSSELS", "HAVANA"]
AGENCIES = ["/TASS/", "(Reuters)", "(AP)", "(AFP)"]
MONTHS = ["January", "February", "March", "Jan.", "Feb.", "Sept."]
NOUNS = [
    "talks", "government", "opposition", "dialogue", "sanctions", "oil exports", "economy",
    "crisis", "mediation", "agreement", "parliament", "election", "inflation", "the currency",
    "humanitarian aid", "the border", "the delegation", "negotiators", "the ministry",
    "the contact group", "the National Assembly", "the Supreme Court", "the U.N. Security Council",
]  # fmt: skip
VERBS = [
    "would resume", "was ready to support", "had rejected", "could facilitate", "will discuss",
    "has been reluctant to launch", "must involve", "welcomed", "called for", "warned against",
    "is expected to review", "did not comment on",
]  # fmt: skip
MODIFIERS = [
    "next week", "in Oslo", "on Thursday", "after months of deadlock", "by the end of the year",
    "according to officials", "despite the protests", "for the first time since 2017",
    "with China and the European Union", "under the new proposal",
]  # fmt: skip


def upper_first(text: str) -> str:
    return text[0].upper() + text[1:]


def clause(rng: random.Random) -> str:
    """Return a clause as it would stand mid-sentence (names keep their capitals)."""
    words = [rng.choice(NOUNS), rng.choice(VERBS), rng.choice(NOUNS)]
    words.extend(rng.sample(MODIFIERS, rng.randint(1, 3)))
    if rng.random() < 0.3:
        words.append(f"{rng.randint(2, 98)}.{rng.randint(1, 9)} percent")
    return " ".join(words)


def sentence(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.25:
        quote = upper_first(clause(rng))
        marks = rng.choice([("“", "”"), ('"', '"')])
        return f"{marks[0]}{quote},{marks[1]} {rng.choice(PEOPLE)} {rng.choice(CUES)}."
    if shape < 0.45:
        return f"{upper_first(rng.choice(PEOPLE))} {rng.choice(CUES)} that {clause(rng)}."
    if shape < 0.55:
        return f"According to {rng.choice(PEOPLE)}, {clause(rng)}."
    if shape < 0.6:
        return f"Why {clause(rng)}?"
    return f"{upper_first(clause(rng))}."


def article(rng: random.Random, number: int, sentences: int = 30) -> str:
    headline = f"{upper_first(clause(rng))} ({number})"
    lines = [headline, ""]
    first = sentence(rng)
    if rng.random() < 0.5:
        dateline = f"{rng.choice(CITIES)}, {rng.choice(MONTHS)} {rng.randint(1, 28)}."
        first = f"{dateline} {rng.choice(AGENCIES)}. {first}"
    paragraph = [first]
    for _ in range(sentences - 1):
        if len(paragraph) >= rng.randint(2, 4):
            lines += [" ".join(paragraph), ""]
            paragraph = []
        paragraph.append(sentence(rng))
    lines.append(" ".join(paragraph))
    return "\n".join(lines)


def articles(count: int, *, seed: int = 7, sentences: int = 30) -> list[str]:
    """Return `count` distinct articles of about `sentences` sentences each."""
    rng = random.Random(seed)
    return [article(rng, n, sentences) for n in range(count)]
