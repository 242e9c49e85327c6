"""A broad lexicon of English words that can report or attribute: a feature for the tagger.

The rules' cue lexicon (claims.nlp.lexicon.CUE_WORDS) is kept narrow because each of its words
makes a rule fire. This one is wide on purpose: verbs of communication, of belief and attitude
and of proposal (after Levin's verb classes 29, 31 and 37), and nouns that name a statement, in
every inflection. A word here tells the tagger "this may be a cue"; the tagger learns how far
to trust that, which helps with the cue words training never saw as cues.
"""

from __future__ import annotations

# Base forms. Inflections are generated (``inflections``); irregular past forms are listed.
_VERBS = """
accept accuse acknowledge add address admit advise advocate affirm agree allege announce
answer anticipate apologize appeal applaud argue articulate ask assert assess assume assure
attack attest back bash bemoan beg believe berate blame blast boast brag brief broadcast call
campaign caution challenge charge chastise cheer chide cite claim clarify comment complain
concede conclude condemn confess confide confirm consider contend contest contradict counter
credit criticize criticise cry debate decide declare decry defend demand denounce deny
deplore describe dismiss dispute doubt downplay emphasize emphasise endorse estimate exclaim
expect explain express fear figure forecast guarantee guess hail highlight hint hope imply
indicate inform insinuate insist instruct interject interrupt invoke joke knock lament lash
laud lecture maintain mention mock moan mourn muse mutter note notify object observe oppose
order outline pledge plead point post posit praise predict press proclaim promise propose
protest question quip quote rail rant react reaffirm realize realise reason rebuke rebut
recall recommend recount refer reflect refuse refute reiterate reject remark remind repeat
reply report reprimand request respond retort reveal rip scoff scold shout sigh signal slam
sneer speculate spell state stress suggest summarize support surmise suspect swear tease
testify thank think threaten tout trumpet tweet urge vent voice vouch vow warn welcome whisper
wish wonder worry write yell
"""
_IRREGULAR = """
said told wrote written thought swore sworn spoke spoken felt knew known meant understood
foresaw foreseen
"""
# Nouns that name what someone says ("in a statement", "his remarks", "the poll").
_NOUNS = """
statement statements remark remarks comment comments interview interviews speech speeches
tweet tweets letter letters memo memos report reports release op-ed editorial column
announcement assertion assertions claim claims testimony testimonies poll polls survey
surveys study studies analysis accusation accusations allegation allegations criticism
warning warnings promise promises pledge pledges argument arguments view views opinion
opinions belief beliefs words message messages post posts answer answers response responses
reply replies request requests appeal appeals call calls complaint complaints concern concerns
explanation suggestion proposal plan filing filings lawsuit ruling verdict transcript
"""


# Verbs whose last consonant doubles before -ed and -ing.
_DOUBLING = frozenset({"admit", "quip", "rip", "slam", "rebut", "refer", "plan", "chat", "jab"})


def inflections(verb: str) -> set[str]:
    """Return a regular verb's forms: base, -s, -ed, -ing (spelling rules of English)."""
    forms = {verb}
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        forms.add(verb + "es")
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms.add(verb[:-1] + "ies")
    else:
        forms.add(verb + "s")
    if verb.endswith("ee"):
        forms |= {verb + "d", verb + "ing"}
    elif verb.endswith("e"):
        forms |= {verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        forms |= {verb[:-1] + "ied", verb + "ing"}
    else:
        forms |= {verb + "ed", verb + "ing"}
        if verb in _DOUBLING:  # "quip" -> "quipped", "admit" -> "admitted"
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


REPORTING_VERBS = frozenset(
    {form for verb in _VERBS.split() for form in inflections(verb)} | set(_IRREGULAR.split())
)
REPORTING_NOUNS = frozenset(_NOUNS.split())
