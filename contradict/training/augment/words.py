"""Word lists and verb inflection shared by several rule families."""

from __future__ import annotations


#: Verbs whose clausal complement is the reported claim.
REPORT_VERBS = frozenset(
    "say tell report announce state add confirm note explain reveal write acknowledge admit".split()
)

#: Words that reverse or block upward entailment: dropping or adding a modifier under
#: them can flip the label ("He did not resign after the vote" does not entail
#: "He did not resign").
DOWNWARD = frozenset(
    "not n't no never none nobody nothing neither nor without few fewer less only hardly rarely "
    "seldom unless if whether deny denied denies refuse refused refuses fail failed fails doubt "
    "doubted reject rejected prevent prevented ban banned stop stopped avoid avoided unlikely "
    "impossible every all each any".split()
)

#: Modals under which "may X" and "may not X" are compatible.
WEAK_MODALS = frozenset("may might could".split())

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
     "eighty": 80, "ninety": 90}

# Verb forms: lemma -> (base, 3rd singular, past, past participle, gerund), for irregular
# verbs and for the regular ones the spelling rules of _verb_forms cannot settle.
_LISTED_VERBS = {
    "be": ("be", "is", "was", "been", "being"), "have": ("have", "has", "had", "had", "having"),
    "do": ("do", "does", "did", "done", "doing"), "say": ("say", "says", "said", "said", "saying"),
    "go": ("go", "goes", "went", "gone", "going"), "get": ("get", "gets", "got", "got", "getting"),
    "make": ("make", "makes", "made", "made", "making"),
    "know": ("know", "knows", "knew", "known", "knowing"),
    "take": ("take", "takes", "took", "taken", "taking"),
    "see": ("see", "sees", "saw", "seen", "seeing"), "come": ("come", "comes", "came", "come", "coming"),
    "give": ("give", "gives", "gave", "given", "giving"),
    "find": ("find", "finds", "found", "found", "finding"),
    "tell": ("tell", "tells", "told", "told", "telling"),
    "think": ("think", "thinks", "thought", "thought", "thinking"),
    "leave": ("leave", "leaves", "left", "left", "leaving"),
    "keep": ("keep", "keeps", "kept", "kept", "keeping"),
    "begin": ("begin", "begins", "began", "begun", "beginning"),
    "bring": ("bring", "brings", "brought", "brought", "bringing"),
    "hold": ("hold", "holds", "held", "held", "holding"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "stand": ("stand", "stands", "stood", "stood", "standing"),
    "hear": ("hear", "hears", "heard", "heard", "hearing"),
    "meet": ("meet", "meets", "met", "met", "meeting"), "run": ("run", "runs", "ran", "run", "running"),
    "pay": ("pay", "pays", "paid", "paid", "paying"), "sit": ("sit", "sits", "sat", "sat", "sitting"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
    "lead": ("lead", "leads", "led", "led", "leading"),
    "grow": ("grow", "grows", "grew", "grown", "growing"),
    "lose": ("lose", "loses", "lost", "lost", "losing"), "win": ("win", "wins", "won", "won", "winning"),
    "fall": ("fall", "falls", "fell", "fallen", "falling"),
    "rise": ("rise", "rises", "rose", "risen", "rising"),
    "send": ("send", "sends", "sent", "sent", "sending"),
    "build": ("build", "builds", "built", "built", "building"),
    "spend": ("spend", "spends", "spent", "spent", "spending"),
    "sell": ("sell", "sells", "sold", "sold", "selling"),
    "buy": ("buy", "buys", "bought", "bought", "buying"),
    "fight": ("fight", "fights", "fought", "fought", "fighting"),
    "seek": ("seek", "seeks", "sought", "sought", "seeking"),
    "teach": ("teach", "teaches", "taught", "taught", "teaching"),
    "catch": ("catch", "catches", "caught", "caught", "catching"),
    "feel": ("feel", "feels", "felt", "felt", "feeling"),
    "break": ("break", "breaks", "broke", "broken", "breaking"),
    "choose": ("choose", "chooses", "chose", "chosen", "choosing"),
    "drive": ("drive", "drives", "drove", "driven", "driving"),
    "eat": ("eat", "eats", "ate", "eaten", "eating"), "drink": ("drink", "drinks", "drank", "drunk", "drinking"),
    "fly": ("fly", "flies", "flew", "flown", "flying"),
    "forget": ("forget", "forgets", "forgot", "forgotten", "forgetting"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "shoot": ("shoot", "shoots", "shot", "shot", "shooting"),
    "steal": ("steal", "steals", "stole", "stolen", "stealing"),
    "strike": ("strike", "strikes", "struck", "struck", "striking"),
    "understand": ("understand", "understands", "understood", "understood", "understanding"),
    "put": ("put", "puts", "put", "put", "putting"), "set": ("set", "sets", "set", "set", "setting"),
    "let": ("let", "lets", "let", "let", "letting"), "cut": ("cut", "cuts", "cut", "cut", "cutting"),
    "hit": ("hit", "hits", "hit", "hit", "hitting"), "hurt": ("hurt", "hurts", "hurt", "hurt", "hurting"),
    "quit": ("quit", "quits", "quit", "quit", "quitting"),
    "read": ("read", "reads", "read", "read", "reading"),
    "mean": ("mean", "means", "meant", "meant", "meaning"),
    "flee": ("flee", "flees", "fled", "fled", "fleeing"),
    "wear": ("wear", "wears", "wore", "worn", "wearing"),
    "throw": ("throw", "throws", "threw", "thrown", "throwing"),
    "draw": ("draw", "draws", "drew", "drawn", "drawing"),
    "sleep": ("sleep", "sleeps", "slept", "slept", "sleeping"),
    "stop": ("stop", "stops", "stopped", "stopped", "stopping"),
    "plan": ("plan", "plans", "planned", "planned", "planning"),
    "ban": ("ban", "bans", "banned", "banned", "banning"),
    "admit": ("admit", "admits", "admitted", "admitted", "admitting"),
    "commit": ("commit", "commits", "committed", "committed", "committing"),
    "submit": ("submit", "submits", "submitted", "submitted", "submitting"),
    "step": ("step", "steps", "stepped", "stepped", "stepping"),
    "die": ("die", "dies", "died", "died", "dying"),
    "lie": ("lie", "lies", "lied", "lied", "lying"),
    "strengthen": ("strengthen", "strengthens", "strengthened", "strengthened", "strengthening"),
    "weaken": ("weaken", "weakens", "weakened", "weakened", "weakening"),
    "agree": ("agree", "agrees", "agreed", "agreed", "agreeing"),
    "visit": ("visit", "visits", "visited", "visited", "visiting"),
    "open": ("open", "opens", "opened", "opened", "opening"),
    "happen": ("happen", "happens", "happened", "happened", "happening"),
    "threaten": ("threaten", "threatens", "threatened", "threatened", "threatening"),
    "listen": ("listen", "listens", "listened", "listened", "listening"),
    "offer": ("offer", "offers", "offered", "offered", "offering"),
    "enter": ("enter", "enters", "entered", "entered", "entering"),
    "order": ("order", "orders", "ordered", "ordered", "ordering"),
    "consider": ("consider", "considers", "considered", "considered", "considering"),
    "deliver": ("deliver", "delivers", "delivered", "delivered", "delivering"),
    "cover": ("cover", "covers", "covered", "covered", "covering"),
    "suffer": ("suffer", "suffers", "suffered", "suffered", "suffering"),
    "answer": ("answer", "answers", "answered", "answered", "answering"),
    "gather": ("gather", "gathers", "gathered", "gathered", "gathering"),
    "recover": ("recover", "recovers", "recovered", "recovered", "recovering"),
    "edit": ("edit", "edits", "edited", "edited", "editing"),
    "limit": ("limit", "limits", "limited", "limited", "limiting"),
    "exhibit": ("exhibit", "exhibits", "exhibited", "exhibited", "exhibiting"),
    "target": ("target", "targets", "targeted", "targeted", "targeting"),
    "permit": ("permit", "permits", "permitted", "permitted", "permitting"),
    "talk about": ("talk about", "talks about", "talked about", "talked about", "talking about"),
    "step down": ("step down", "steps down", "stepped down", "stepped down", "stepping down"),
}

_TAG_FORM = {"VB": 0, "VBP": 0, "VBZ": 1, "VBD": 2, "VBN": 3, "VBG": 4}

_VOWELS = set("aeiou")


def _verb_forms(lemma: str) -> tuple[str, str, str, str, str] | None:
    """The five forms of a verb, or None where regular spelling rules are unsure.

    Verbs ending consonant-vowel-consonant are refused unless listed, since
    whether they double the consonant ("stopped" but "visited") depends on stress.
    """
    lemma = lemma.lower()
    if lemma in _LISTED_VERBS:
        return _LISTED_VERBS[lemma]
    if not lemma.isalpha() or len(lemma) < 2:
        return None
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        stem = lemma[:-1]
        return lemma, lemma + "s", stem + "ed", stem + "ed", stem + "ing"
    if lemma.endswith("y") and lemma[-2] not in _VOWELS:
        stem = lemma[:-1]
        return lemma, stem + "ies", stem + "ied", stem + "ied", lemma + "ing"
    third = lemma + "es" if lemma.endswith(("s", "x", "z", "ch", "sh", "o")) else lemma + "s"
    if (
        len(lemma) >= 3
        and lemma[-1] not in _VOWELS | set("wxy")
        and lemma[-2] in _VOWELS
        and lemma[-3] not in _VOWELS
    ):
        return None
    return lemma, third, lemma + "ed", lemma + "ed", lemma + "ing"


def _inflect(lemma: str, tag: str) -> str | None:
    forms = _verb_forms(lemma)
    if forms is None or tag not in _TAG_FORM:
        return None
    return forms[_TAG_FORM[tag]]
