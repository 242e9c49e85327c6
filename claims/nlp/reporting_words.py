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

# Feature version 3 (claims.nlp.training.features): attributions of thought and attitude as
# well as speech, as news attribution corpora annotate them (a belief, a wish, a feeling has a
# source and a content like a statement). From Levin's classes of perception (30), of
# psychological state (31), of desire (32), of judgement (33) and of characterisation and
# conjecture (29), and the verbs of "showing" evidence; written from those classes, not from
# any corpus. Versions 1 and 2 read the lists above alone, so a model keeps its inputs.
_MORE_VERBS = """
see hear notice sense witness perceive feel know understand recognize recognise remember
forget learn discover find presume reckon judge deem regard view imagine suppose trust bet
gather infer interpret conceive want desire crave need prefer intend plan aim seek long yearn
like love hate dislike detest loathe despise resent respect value cherish treasure appreciate
enjoy tolerate distrust envy regret admire adore mind concern bother trouble upset anger
frustrate alarm disturb surprise shock offend horrify outrage please delight disappoint
dismay impress scare infuriate annoy irritate encourage reassure marvel matter commend
congratulate fault castigate censure compliment honor honour ridicule deride slam
characterize characterise depict portray label brand dub term liken compare frame paint
tell speak talk discuss chat disclose divulge preach lobby champion embrace favor favour
resist veto push retweet echo show demonstrate prove document detail underscore underline
illustrate debunk appear seem complain grumble grouse gripe whine fume rage bristle agonize
acknowledge concur dissent reassert allege predict project insist
"""
_MORE_IRREGULAR = """
saw seen heard felt found knew known understood forgot forgotten sought thought meant
spoke spoken shown proven
"""
_MORE_NOUNS = """
stance stances position positions support opposition endorsement endorsements insistence
willingness unwillingness reluctance intent intention intentions desire desires wish wishes
hope hopes fear fears doubt doubts worry worries assessment assessments conclusion
conclusions finding findings estimate estimates forecast forecasts prediction predictions
projection projections charge charges critique critiques rebuke praise admission admissions
denial denials vow vows threat threats demand demands plea pleas scorn disdain contempt
outrage anger frustration skepticism scepticism confidence consensus agreement objection
objections grievance grievances rhetoric account accounts version narrative rumor rumors
speculation question questions attack attacks broadside criticisms reversal reversals
"""
# Adjectives of knowing, feeling and judging ("aware that", "furious about", "eager to").
_ADJECTIVES = """
aware unaware certain sure confident convinced doubtful skeptical sceptical optimistic
pessimistic hopeful eager willing unwilling reluctant determined intent keen afraid worried
concerned anxious nervous angry furious upset frustrated happy glad pleased displeased
disappointed proud ashamed sorry surprised shocked horrified outraged critical supportive
opposed adamant insistent fond wary suspicious interested uninterested unhappy grateful
thankful dismissive
"""

REPORTING_VERBS_3 = (
    REPORTING_VERBS
    | {form for verb in _MORE_VERBS.split() for form in inflections(verb)}
    | set(_MORE_IRREGULAR.split())
)
REPORTING_NOUNS_3 = REPORTING_NOUNS | set(_MORE_NOUNS.split())
ATTITUDE_ADJECTIVES = frozenset(_ADJECTIVES.split())
