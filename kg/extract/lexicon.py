"""Rules as data: reporting verbs, stance cues, claim nouns, reply patterns.

The extraction components read only these tables; to support a new construction, add a
word here rather than a branch in the code. ``data/cue_verbs.json`` (learned from PolNeAR
train by ``scripts/learn_cues.py``: lemma -> share of its verb uses that are attribution cues)
extends ``REPORTING_VERBS`` when present.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

# Cue lemma -> stance type. Everything not listed but found as a reporting verb asserts.
STANCE_OF_CUE = {
    # oppose: denial
    "deny": "Denies", "reject": "Denies", "dismiss": "Denies", "refute": "Denies",
    "rebut": "Denies", "debunk": "Denies", "contradict": "Denies", "disavow": "Denies",
    "repudiate": "Denies", "brush": "Denies", "denounce": "Denies", "slam": "Denies",
    "decry": "Denies",
    # oppose: dispute
    "dispute": "Disputes", "challenge": "Disputes", "contest": "Disputes", "doubt": "Disputes",
    "question": "Disputes", "push": "Disputes", "criticize": "Disputes", "criticise": "Disputes",
    "disagree": "Disputes", "object": "Disputes",
    # support: confirmation
    "confirm": "Confirms", "acknowledge": "Confirms", "admit": "Confirms", "concede": "Confirms",
    "verify": "Confirms", "corroborate": "Confirms", "agree": "Confirms", "affirm": "Confirms",
    # neutral
    "ask": "Questions", "wonder": "Questions", "inquire": "Questions", "decline": "Questions",
    "refuse": "Questions",
}

# A negated cue says less: "did not confirm" questions, "did not deny" questions.
NEGATED_CUE = {"Confirms": "Questions", "Denies": "Questions", "Asserts": "Questions",
               "Disputes": "Questions", "Questions": "Questions"}

# Verbs that introduce what someone said, believes or reports (lemmas).
REPORTING_VERBS = frozenset("""
say tell claim report write state add note explain argue insist announce declare assert
allege suggest warn predict reveal testify tweet post recall reply respond answer
acknowledge admit concede confirm deny reject dismiss dispute question challenge contest
doubt refute believe think feel fear hope expect estimate indicate show find
conclude learn reiterate repeat maintain contend charge accuse caution urge promise pledge
vow stress emphasize emphasise observe remark comment mention describe call criticize
criticise complain boast joke quip lament concur agree disagree propose recommend
announce disclose divulge leak inform notify assure reassure ask wonder inquire speculate
cite quote signal hint imply guess figure reckon recount relate narrate blast praise
slam decry denounce object counter retort shoot fire verify corroborate affirm decline
refuse
""".split())

# Verbs that count as cues only with a clausal complement (too common otherwise).
NEEDS_CLAUSE = frozenset("""think know feel fear hope expect find show learn believe
indicate figure guess reckon estimate add""".split())

# Nouns that name what someone said: "X's claim that …", "in a statement", "a report by X".
CLAIM_NOUNS = frozenset("""claim claims allegation allegations assertion accusation
accusations report reports reporting story stories suggestion statement statements
remark remarks comment comments charge charges contention argument insistence denial
rumor rumour rumors rumours theory assessment account announcement belief view warning
prediction promise pledge finding findings conclusion testimony admission""".split())

# Objects that make a verb a doubt: "cast doubt on", "raised questions about".
DOUBT_NOUNS = frozenset({"doubt", "doubts", "question", "questions", "suspicion", "skepticism", "scepticism"})

# Nouns naming a document or outlet that can "say" things.
SOURCE_DOC_NOUNS = frozenset("""book report study survey poll memo letter document
documents filing complaint indictment lawsuit article story paper newspaper email emails
statement analysis review audit record records transcript investigation""".split())

# Anaphoric contents that refer back to the claim under discussion.
ANAPHORA = frozenset("""this that it these those the report reports reporting story
stories claim claims allegation allegations account accounts book article matter issue
remarks comment comments request question""".split())

# What one declines or refuses to do when the refusal is a reply ("declined to comment").
REPLY_VERBS = frozenset("""comment answer respond reply elaborate discuss specify speak address
confirm deny say disclose explain""".split())

# Anaphoric objects naming a whole document or body of reporting ("denied the reporting").
DOCUMENT_REPLY_NOUNS = frozenset("""reporting report reports story stories book account
accounts allegation allegations claims article articles""".split())

# Bare replies: the whole content is a verdict on the claim under discussion.
DENIAL_REPLIES = [
    r"^(no|nope)\b", r"\bnot (the case|true|correct|accurate|so)\b", r"\b(is|'s|was) (a )?lie",
    r"\b(an? )?(outright |complete |total |absolute )?(lie|lies|falsehood|hoax|fiction|fabrication|nonsense|rubbish)\b",
    r"\bfake news\b", r"\b(pure|complete) fiction\b", r"\b(fabricated|made up|untrue|false|baseless|groundless)\b",
    r"\bnone of (this|these|it|that|the)\b.*\b(true|accurate|correct)\b", r"\bnever happened\b",
    r"\bno truth\b", r"\bdoes not correspond to reality\b",
]
CONFIRM_REPLIES = [r"^(yes|yeah|indeed)\b", r"\b(that|this|it)('s| is) (true|correct|right|accurate)\b"]

# Phrases in the cue region or content that turn an assertion into a dispute or a question.
DISPUTE_PHRASES = [r"\bnot aware of\b", r"\bcast(s|ing)? doubts? (on|over|about)\b", r"\braised? questions about\b", r"\bpushed back\b",
                   r"\bno evidence\b", r"\bunaware of\b"]
QUESTION_PHRASES = [r"\b(could|can|did) not (independently )?(verify|confirm)\b",
                    r"\bcouldn't (independently )?(verify|confirm)\b",
                    r"\bdeclined to (comment|confirm|say|discuss)\b",
                    r"\bdid not (immediately )?respond\b", r"\bdidn't (immediately )?respond\b",
                    r"\bno comment\b", r"\brefused to comment\b", r"\bunable to (verify|confirm)\b"]

# Modal verbs after which a negation states an intention, not a denial of a fact.
VOLITIONAL_MODALS = frozenset({"will", "would", "shall", "wo", "'ll", "should", "must"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})

# Role nouns: "Kremlin spokesman Dmitry Peskov" speaks for the Kremlin.
SPOKES_NOUNS = frozenset("""spokesman spokeswoman spokesperson representative official
officials aide aides adviser advisor advisers advisors press secretary secretary minister
ambassador envoy chairman chairwoman chair chief director president ceo head leader
lawyer attorney counsel spokespeople member""".split())

# Head nouns that make a proper-noun phrase an organisation ("the Russian embassy").
ORG_HEADS = frozenset("""embassy ministry department agency committee commission council
court police government administration campaign party kremlin pentagon parliament senate
congress army navy bureau office authority union university institute foundation
company firm bank corporation association federation league club""".split())
ORG_NAMES = frozenset({"kremlin", "white house", "pentagon", "congress", "senate",
                       "state department", "supreme court"})

# "the company", "the firm": generic names for the organisation a story is about.
GENERIC_ORG_NOUNS = frozenset("""company firm group organisation organization club
corporation startup business""".split())

# Unnamed holders: "a source", "officials", "aides" (head lemmas).
UNNAMED_HEADS = frozenset("""source sources official officials aide aides adviser advisers
advisor advisors spokesman spokeswoman spokesperson person people expert experts analyst
analysts observer observers critic critics supporter supporters opponent opponents
insider insiders staffer staffers member members lawmaker lawmakers voter voters resident
residents witness witnesses diplomat diplomats officer officers investigator investigators
researcher researchers scientist scientists team campaign operative operatives republicans
democrats leader leaders official""".split())

PRONOUNS = {"he": "Person", "she": "Person", "him": "Person", "her": "Person",
            "it": "Organization", "they": "Group", "we": "Group", "i": "Speaker", "you": "Speaker"}

# spaCy entity labels -> our entity types.
NER_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place",
             "FAC": "Place", "WORK_OF_ART": "CreativeWork"}
TITLES = frozenset("""mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. president
former senator governor representative secretary minister prime candidate nominee
republican democratic democrat rev rev. gen gen. lt col sir lady lord""".split())

# Words the small NER model tags as names but that are not entities of a story.
NOT_NAMES = frozenset("""covid covid-19 coronavirus twitter facebook instagram youtube
tiktok internet web god""".split())

# Irregular past tenses for restoring a positive claim from "did not <verb>".
IRREGULAR_PAST = dict(pair.split(":") for pair in """be:was have:had do:did say:said go:went
make:made take:took see:saw come:came know:knew get:got give:gave find:found think:thought
tell:told become:became show:showed leave:left feel:felt bring:brought begin:began keep:kept
hold:held write:wrote stand:stood hear:heard let:let mean:meant set:set meet:met run:ran
pay:paid sit:sat speak:spoke lie:lay lead:led read:read grow:grew lose:lost fall:fell
send:sent build:built understand:understood draw:drew break:broke spend:spent cut:cut
rise:rose drive:drove buy:bought wear:wore choose:chose seek:sought throw:threw catch:caught
deal:dealt win:won sell:sold fight:fought put:put teach:taught steal:stole hide:hid
forget:forgot shake:shook sing:sang ride:rode bite:bit fly:flew freeze:froze""".split())


def stance_of_cue(lemma: str) -> str:
    """Stance type a cue lemma expresses by itself."""
    return STANCE_OF_CUE.get(lemma.lower(), "Asserts")


def matches_any(patterns: list[str], text: str) -> bool:
    """Does any of the regular expressions ``patterns`` occur in ``text`` (lower-cased, curly
    apostrophes straightened)? The list is compiled once into one alternation: one scan of
    the text instead of one ``re.search`` per pattern."""
    return _alternation(tuple(patterns)).search(text.lower().replace("\u2019", "'")) is not None


@lru_cache(maxsize=32)
def _alternation(patterns: tuple[str, ...]) -> re.Pattern:
    """One pattern for "any of ``patterns``". Those that begin with a word boundary share it,
    ``\\b(?:A|B)`` for ``\\bA|\\bB``: the engine tries a pattern at every character, and a
    shared boundary fails once in the middle of a word instead of once per pattern (half the
    time on the reply lists). The same texts match; only the groups are numbered otherwise."""
    bounded = [p[2:] for p in patterns if _begins_with_boundary(p)]
    parts = [f"(?:{p})" for p in patterns if not _begins_with_boundary(p)]
    if bounded:
        parts.append("\\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")")
    return re.compile("|".join(parts))


def _begins_with_boundary(pattern: str) -> bool:
    """Does the whole of ``pattern`` begin with ``\\b``, not only its first alternative (as in
    ``\\bA|B``)? Told conservatively: no "|" outside parentheses (escapes skipped) and no
    character class (whose brackets could hold a "|" or a parenthesis)."""
    if not pattern.startswith("\\b") or "[" in pattern:
        return False
    depth = 0
    escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
    return True


# Learned cue rates below this do not make a verb a cue; at or above OBJECT_CUE_RATE a verb
# is a cue even with only an object for content ("called for new rules", "wants to …").
MIN_CUE_RATE = 0.25
OBJECT_CUE_RATE = 0.4


@lru_cache(maxsize=1)
def learned_cues() -> dict[str, dict[str, float]]:
    """Cue rates learned from PolNeAR train ({"verbs"|"nouns": {lemma: rate}}); empty when absent."""
    path = Path(__file__).with_name("data") / "cue_verbs.json"
    if not path.exists():
        return {"verbs": {}, "nouns": {}}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {pos: {k: float(v[0]) for k, v in table.items()} for pos, table in data.items()}


# These two are asked about every verb and noun of every article (the finder, the judge's
# features): kept per lemma, since the tables they read do not change.
@lru_cache(maxsize=1 << 16)
def cue_rate(lemma: str, pos: str = "verbs") -> float:
    return learned_cues().get(pos, {}).get(lemma.lower(), 0.0)


@lru_cache(maxsize=1 << 16)
def is_reporting_verb(lemma: str, *, min_rate: float = MIN_CUE_RATE) -> bool:
    lemma = lemma.lower()
    return lemma in REPORTING_VERBS or cue_rate(lemma) >= min_rate
