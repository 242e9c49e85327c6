"""The word lists behind the attribution rules (claims.nlp.attribution_rules), lower case."""

CUE_WORDS = {
    "said", "says", "say", "saying", "noted", "noting", "stressed", "stresses",
    "stressing", "added", "adds", "adding", "told", "tells", "explained", "explains", "stated",
    "declared", "declares", "announced", "announces", "warned", "warns",
    "claimed", "argued", "argues", "insisted", "insists", "reported", "confirmed",
    "confirms", "denied", "denies", "concluded", "urged", "urges", "welcomed", "welcomes",
    "expressed", "voiced", "blasted", "criticized", "criticised", "praised", "acknowledged",
    "admitted", "asserted", "emphasized", "emphasised", "underlined", "suggested", "wrote",
    "tweeted", "replied", "responded", "recalled", "promised", "pledged", "vowed", "threatened",
    "demanded", "accused", "condemned", "believes", "believed", "thinks", "estimated",
    "predicted", "observed", "remarked", "commented", "specified", "clarified", "reiterated",
}  # fmt: skip
# Nouns as often as verbs ("claims", "notes", "states", "warning") are left out on purpose.
CUE_PHRASES = (
    ("according", "to"),
    ("went", "on", "to", "say"),
    ("goes", "on", "to", "say"),
    ("pointed", "out"),
    ("points", "out"),
    ("called", "on"),
    ("called", "for"),
    ("calls", "on"),
    ("calls", "for"),
    ("calling", "on"),
    ("calling", "for"),
    ("call", "on"),
    ("call", "for"),
)
POSSESSIVES = {"his", "her", "their", "its", "our", "my"}
SUBJECT_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you"}
OBJECT_PRONOUNS = {"him", "her", "them", "it", "us", "me", "you"}
REFLEXIVES = {"himself", "herself", "itself", "themselves"}
DETERMINERS = {"the", "a", "an", "this", "these", "those"} | POSSESSIVES
# Words allowed between a source and its cue ("Guaido also welcomed", "Russia has expressed").
BETWEEN = {
    "also", "further", "later", "then", "again", "quickly", "reportedly", "had", "has",
    "have", "was", "is", "already", "once", "repeatedly", "earlier", "recently",
}  # fmt: skip
# Capitalised words that open a clause rather than name someone.
CONNECTIVES = {
    "meanwhile", "however", "moreover", "furthermore", "also", "still", "yet", "instead",
    "then", "now", "today", "yesterday", "earlier", "later", "separately", "additionally",
    "nevertheless", "nonetheless", "therefore", "thus", "indeed", "besides", "but", "and",
    "in", "at", "on", "while", "when", "after", "before", "if", "as", "so", "since",
}  # fmt: skip
# Words that cannot be inside a "the Russian top diplomat"-style phrase.
FUNCTION_WORDS = {
    "and", "or", "but", "by", "with", "to", "from", "for", "in", "on", "at", "of", "as", "that",
    "which", "who", "whom", "whose", "is", "are", "was", "were", "be", "been", "has", "have",
    "had", "will", "would", "not", "than", "into", "about", "after", "before", "over",
}  # fmt: skip
# Words inside a name ("Ministry of Foreign Affairs", "Russia's Ministry").
NAME_JOINERS = {"of", "’s", "'s", "-", "de", "del", "al", "bin", "van", "von"}
# The conjunctions and participles that continue the previous source ("... and said").
CONTINUATIONS = {"and", "but", "or", ","}
# Conjunctions that join two reports ("blasted the move ... and said he was ...").
COORDINATORS = {"and", "but", "while", "whereas", "or"}
# Words after a cue that end the report: "..., Lavrov said at a press conference".
REPORT_TAIL_WORDS = {
    "at", "on", "in", "during", "after", "before", "following", "when", "while", "today",
    "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "earlier", "later", "last", "this", "late", "as",
}  # fmt: skip
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
MAX_DETERMINER_PHRASE = 6
TRAILING_PUNCT = " \t,.;:"
