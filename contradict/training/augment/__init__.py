"""News-domain NLI training pairs made by rule from real news sentences.

Each rule is a small function ``rule(doc, ctx) -> str | None`` that rewrites one
parsed sentence into a hypothesis whose relation to the sentence is known: a
changed number, date or agent, a negated main verb or a swapped antonym gives a
contradiction; a sentence trimmed to its main clause, stripped of its
reporting frame, made vaguer about a number or lightly paraphrased gives an
entailment; another sentence of the same article or an added, unsupported
detail gives a neutral pair. A rule returns ``None`` whenever it cannot make
its change cleanly: no pair is better than a pair with a wrong label.

Labels assume the usual NLI reading that premise and hypothesis describe the
same event (so "Russia initiated the talks" and "The United States initiated
the talks" contradict), and the news reading that a reporting frame is not part
of the claim ("Officials said that X" entails "X"; "Officials denied that X"
contradicts "X").

``augment_sentences`` parses the sentences with a spaCy pipeline, runs every
rule on every sentence and keeps ``per_sentence`` pairs per sentence, chosen so
that the three labels and the rules stay balanced. Everything random goes
through ``random.Random`` objects derived from the seed: the same sentences,
seed and pipeline give the same pairs.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from contradict.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "RULES",
    "Rule",
    "RuleContext",
    "augment_sentences",
    "compose_entailed",
    "describe_rules",
    "news_sentences",
    "news_sentences_by_text",
]

ENTAILMENT, NEUTRAL, CONTRADICTION = "entailment", "neutral", "contradiction"

# --------------------------------------------------------------------------- word lists

#: Verbs whose clausal complement is the reported claim.
REPORT_VERBS = frozenset(
    "say tell report announce state add confirm note explain reveal write acknowledge admit".split()
)
#: Verbs of speaking, thinking and joint action: changing their agent or date does
#: not make a contradiction ("Russia said X" and "the U.S. said X" can both hold).
NON_EXCLUSIVE_VERBS = REPORT_VERBS | frozenset(
    "believe think claim allege suggest warn fear hope expect predict estimate deny insist argue "
    "attend join participate meet visit support back welcome praise criticize criticise condemn "
    "call urge ask want need plan try seek share receive get see watch hear know feel appear seem "
    "be have become remain include".split()
)
#: Words that say the action was shared ("Russia also initiated ...", "A and B initiated ...").
SHARED_ACTION = frozenset("also too both and along together jointly".split())
#: Group names that contain or overlap others ("British" is "Western"): never swapped.
BROAD_GROUPS = frozenset(
    "Western Eastern Northern Southern European Asian African Arab Arabic Latin Muslim Muslims "
    "Christian Christians Jewish Jews Catholic Catholics Islamic Islamist Sunni Shia Shiite "
    "Republican Republicans Democrat Democrats Democratic Conservative Liberal".split()
)
#: Verbs that are symmetric in their two participants ("A met B" = "B met A").
SYMMETRIC_VERBS = frozenset(
    "meet talk speak chat negotiate marry divorce date kiss hug embrace fight clash play face "
    "compete collaborate cooperate partner trade exchange border resemble match tie draw split "
    "share debate differ agree unite merge".split()
)
#: Words after which a number is not an exact count ("about 40", "more than 40", "up to 40",
#: "the top 40", "the last 10 years").
APPROXIMATORS = frozenset(
    "about around nearly almost over under some approximately roughly than least most up to as "
    "estimated between and or - – just below above within beyond top first last next past".split()
)
SCALE_WORDS = frozenset("hundred thousand million billion trillion".split())
#: Currency signs, which spaCy splits off the number they belong to.
CURRENCY = frozenset({"$", "€", "£", "US$", "¥"})
#: Words before a number that make it a definite description ("the two sides"), not a count.
DEFINITES = frozenset("the these those both all its their his her our my your".split())
#: Words that reverse or block upward entailment: dropping or adding a modifier under
#: them can flip the label ("He did not resign after the vote" does not entail
#: "He did not resign").
DOWNWARD = frozenset(
    "not n't no never none nobody nothing neither nor without few fewer less only hardly rarely "
    "seldom unless if whether deny denied denies refuse refused refuses fail failed fails doubt "
    "doubted reject rejected prevent prevented ban banned stop stopped avoid avoided unlikely "
    "impossible every all each any".split()
)
#: Words under which a statement and its antonymous twin can both hold.
NEGATIVE_CONTEXT = DOWNWARD - frozenset("few fewer less only every all each any".split())
#: Subject words for which negation is not a contradiction ("Some attended" / "Some did not").
QUANTIFIERS = frozenset(
    "some many most several few all both each every any no none another other others half "
    "someone somebody anyone anybody everyone everybody nobody".split()
)
#: Words that already make a clause negative.
NEGATIVE_WORDS = frozenset("no none nothing nobody neither nor never without".split())
#: Adverbs that already negate a verb.
NEGATIVE_ADVERBS = frozenset("never hardly barely scarcely rarely seldom".split())
#: Adverbs that make "not" ambiguous or odd ("has not long been", "does not usually").
SCOPE_ADVERBS = frozenset(
    "long already still just even only ever yet always usually often sometimes mostly largely "
    "generally typically reportedly allegedly apparently probably possibly perhaps".split()
)
#: Modals under which "may X" and "may not X" are compatible.
WEAK_MODALS = frozenset("may might could".split())
#: Prepositions that open a leading or trailing phrase that can be dropped safely.
ADJUNCT_PREPS = frozenset(
    "in on at during after amid despite following near since throughout across before under "
    "over within".split()
)
#: Subordinators whose clause can be dropped from a positive sentence.
SAFE_MARKS = frozenset("after when as while although though since because before".split())
#: Sentence-initial adverbs that can be dropped (hedges like "reportedly" cannot).
SAFE_LEADING_ADVERBS = frozenset(
    "meanwhile however also earlier later separately today yesterday now still additionally "
    "furthermore moreover then recently".split()
)
#: Sentence-initial connectives without content of their own, dropped before embedding.
DISCOURSE_ADVERBS = frozenset("meanwhile however additionally furthermore moreover separately also".split())
#: Common nouns for people and institutions that act.
AGENT_NOUNS = frozenset(
    "official government minister president leader police company court council committee "
    "parliament lawmaker legislator congress senate board army military spokesman spokeswoman "
    "spokesperson authority agency ministry administration party group team club union firm "
    "prosecutor judge officer regulator coalition rebel militant protester activist".split()
)
#: Verbs whose place or time phrase is what they say ("was born in", "is based in").
PLACE_VERBS = frozenset("bear base locate situate live reside stay lie sit stand".split())
#: Verbs of states rather than events: a day, place or manner added to them reads oddly.
STATIVE_VERBS = frozenset(
    "be have believe know think seem appear remain belong contain consist own want need like "
    "love hate mean include".split()
)
TIME_WORDS = frozenset(
    "yesterday today tonight tomorrow earlier later recently now currently morning afternoon "
    "evening night week weekend month year day days weeks months years ago".split()
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January February March April May June July August September October November December".split()
)
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
     "eighty": 80, "ninety": 90}
TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lord Lady St St.".split())
GENERIC_SPEAKERS = ("Officials", "A spokesperson", "Authorities", "The government")
DETAIL_PLACES = ("in Geneva", "in Brussels", "in Vienna", "in Istanbul", "in Nairobi", "in Oslo")
DETAIL_CIRCUMSTANCES = (
    "after a long meeting",
    "despite strong opposition",
    "behind closed doors",
    "in a surprise move",
    "for the first time",
)
#: Words that say an event happened before (no "for the first time" then).
REPEAT_WORDS = frozenset("again first second another previously before once".split())

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


# --------------------------------------------------------------------------- rule plumbing


@dataclass(frozen=True)
class Entity:
    """A named entity seen in some sentence, as a candidate replacement."""

    text: str
    label: str
    tag: str  # fine-grained tag of its head word (NNP, NNPS, JJ): keeps agreement
    role: str  # "agent" (a whole subject), "modifier" (of a noun: "U.S. officials") or "other"


@dataclass
class RuleContext:
    """What a rule may use besides the sentence itself.

    ``neighbours`` are the other parsed sentences of the same article (the
    sentence itself may be among them and is skipped); ``local_entities`` are
    entities from that article and ``global_entities`` from all sentences.
    """

    rng: random.Random
    neighbours: Sequence[Doc] = ()
    local_entities: Sequence[Entity] = ()
    global_entities: Sequence[Entity] = ()


RuleFn = Callable[["Doc", RuleContext], "str | None"]


@dataclass(frozen=True)
class Rule:
    """A named rewrite and the labels it gives.

    ``label`` is the label of (sentence, rewrite); ``swapped_label`` that of
    (rewrite, sentence), or None where that direction has no safe label. An
    ``opt_in`` rule runs only where a recipe names it, so that adding one does
    not change the pairs of recipes written before it.
    """

    name: str
    label: str | None
    swapped_label: str | None
    description: str
    apply: RuleFn
    opt_in: bool = False


@dataclass(frozen=True)
class _Candidate:
    rule: Rule
    swapped: bool
    label: str
    premise: str
    hypothesis: str


# --------------------------------------------------------------------------- text helpers


def _tidy(text: str) -> str:
    """Collapse spaces, remove spaces before punctuation, capitalise the first letter."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" +([,.;:!?%])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r",\s*\.$", ".", text)
    return text[:1].upper() + text[1:]


def _render(doc: Doc, edits: Mapping[int, str]) -> str:
    """The sentence with token i replaced by ``edits[i]`` ('' deletes it)."""
    return _tidy("".join(edits.get(t.i, t.text) + t.whitespace_ for t in doc))


def _text(tokens: Sequence[Token] | Span) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


def _final_punct(doc: Doc) -> str:
    return doc[-1].text if doc[-1].text in {".", "!", "?"} else ""


def _body_lowered(doc: Doc) -> str | None:
    """The sentence ready to embed after "that": no final punctuation, no leading
    "Meanwhile,"-style adverb, first word lowercased unless it is a name or title."""
    if not _final_punct(doc) or len(doc) < 4:
        return None
    start = 0
    if doc[0].lower_ in DISCOURSE_ADVERBS and doc[1].text == ",":
        start = 2
    first = doc[start]
    head = first.text
    keep = first.pos_ == "PROPN" or first.ent_type_ or head in TITLES or (head.isupper() and len(head) > 1)
    if first.lower_ == "the" or not keep:
        head = head[:1].lower() + head[1:]
    return (head + first.whitespace_ + _text(doc[start + 1 : -1])).strip()


def _put_word(doc: Doc, token: Token, new: str, edits: dict[int, str]) -> None:
    """Record ``new`` in place of ``token``, keeping its capital and fixing "a"/"an" before it."""
    if token.text[:1].isupper():
        new = new[:1].upper() + new[1:]
    edits[token.i] = new
    if token.i > 0 and doc[token.i - 1].lower_ in {"a", "an"}:
        article = "an" if new[:1].lower() in _VOWELS else "a"
        prev = doc[token.i - 1].text
        edits[token.i - 1] = article.capitalize() if prev[:1].isupper() else article


def _same(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s.lower()).strip()  # noqa: E731
    return norm(a) == norm(b)


def _fit_name(text: str, at_start: bool) -> str:
    """An entity's text fitted to its new position ("The United States" -> "the ...")."""
    if at_start:
        return text[:1].upper() + text[1:]
    return "the" + text[3:] if text.startswith("The ") else text


# --------------------------------------------------------------------------- parse helpers


def _root(doc: Doc) -> Token | None:
    """The main verb of a one-sentence, subject-first declarative doc, else None."""
    if len(doc) < 3 or not doc.has_annotation("DEP"):
        return None
    sents = list(doc.sents)
    if len(sents) != 1:
        return None
    root = sents[0].root
    return root if _finite_clause(root) else None


def _finite_clause(verb: Token) -> bool:
    """True for a verb with a tense (its own or its auxiliary's) and a subject before it."""
    if verb.pos_ not in {"VERB", "AUX"}:
        return False
    finite = {"VBD", "VBZ", "VBP", "MD"}
    if verb.tag_ not in finite and not any(a.tag_ in finite for a in _auxes(verb)):
        return False  # "Their jobs creating programs."
    subj = _subject(verb)
    return subj is not None and subj.i < verb.i


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return child
    return None


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def _has_downward(tokens: Sequence[Token] | Span) -> bool:
    return any(t.lower_ in DOWNWARD or t.dep_ == "neg" for t in tokens)


def _quantified(subj: Token) -> bool:
    words = [subj] + [c for c in subj.children if c.dep_ in {"det", "amod", "nummod", "quantmod"}]
    return any(w.lower_ in QUANTIFIERS or w.like_num for w in words)


def _auxes(verb: Token) -> list[Token]:
    return sorted(
        (c for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.i < verb.i),
        key=lambda t: t.i,
    )


def _clean_np(ent: Span) -> bool:
    """True when an entity is a whole noun phrase: nothing but 'the' outside it."""
    inside = set(range(ent.start, ent.end))
    return all(t.i in inside or (t.dep_ == "det" and t.lower_ == "the") for t in ent.root.subtree)


def _name_start(ent: Span) -> int:
    """Where a name's noun phrase starts: at a "the" that belongs to it ("the OGD"), else the name."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].lower_ == "the" and doc[ent.start - 1].head == ent.root:
        return ent.start - 1
    return ent.start


def _entity_of(token: Token) -> Span | None:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _good_name(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        bool(letters)
        and text[:1].isupper()
        and not any(c.isdigit() for c in text)
        and not (text.isupper() and len(letters) > 5)
        and len(text) <= 40
        and not re.search(r"[\"“”‘’:;()]", text)
    )


def _names_overlap(a: str, b: str) -> bool:
    words = lambda s: {w for w in re.findall(r"\w+", s.lower()) if w != "the"}  # noqa: E731
    return bool(words(a) & words(b))


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", text) if w[0].isupper())


def _is_subsequence(short: str, long: str) -> bool:
    rest = iter(long)
    return all(c in rest for c in short)


def _maybe_alias(a: str, b: str) -> bool:
    """True when one name may abbreviate the other: "SPCA" and "the Scottish Society for the
    Prevention of Cruelty to Animals", "ISIS" and "Islamic State"."""
    for short, long in ((a, b), (b, a)):
        letters = short.removeprefix("the ").replace(".", "")
        if letters.isupper() and 2 <= len(letters) <= 6:
            initials = _initials(long)
            if len(initials) >= 2 and (_is_subsequence(letters, initials) or _is_subsequence(initials, letters)):
                return True
    return False


def _entities(doc: Doc) -> list[Entity]:
    """The person, organisation, place and group names of a sentence, with their roles."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "NORP"} or not _good_name(ent.text):
            continue
        if ent.root.dep_ in {"nsubj", "nsubjpass"} and _clean_np(ent):
            role = "agent"
        elif ent.root.dep_ in {"compound", "amod"} and ent.root.head.pos_ == "NOUN":
            role = "modifier"
        else:
            role = "other"
        text = _text(doc[_name_start(ent) : ent.end])
        found.append(Entity(text, ent.label_, ent.root.tag_, role))
    return found


def _pick_entity(
    ctx: RuleContext, doc: Doc, labels: set[str], tag: str | None = None, role: str | None = None
) -> Entity | None:
    """An entity of one of ``labels`` from the article (else anywhere) not named in ``doc``.

    ``tag`` and ``role`` restrict it to names seen with that head tag and in that role.
    """
    for pool in (ctx.local_entities, ctx.global_entities):
        options = sorted(
            {
                e
                for e in pool
                if e.label in labels
                and (tag is None or e.tag == tag)
                and (role is None or e.role == role)
                and not _names_overlap(e.text, doc.text)
            },
            key=lambda e: (e.text, e.label, e.tag, e.role),
        )
        if options:
            return ctx.rng.choice(options)
    return None


# --------------------------------------------------------------------------- numbers


def _parse_number(text: str) -> tuple[float, str] | None:
    """A number's value and its written style: 'int', 'comma', 'dec<k>' or 'word'."""
    low = text.lower()
    if low in NUMBER_WORDS:
        return float(NUMBER_WORDS[low]), "word"
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return float(text.replace(",", "")), "comma"
    if re.fullmatch(r"\d+", text):
        return float(text), "int"
    match = re.fullmatch(r"\d+\.(\d+)", text)
    if match:
        return float(text), f"dec{len(match.group(1))}"
    return None


def _format_number(value: float, style: str, capital: bool) -> str:
    if style == "word":
        words = {v: w for w, v in NUMBER_WORDS.items()}
        if int(value) in words:
            word = words[int(value)]
            return word.capitalize() if capital else word
        style = "int"
    if style.startswith("dec"):
        return f"{value:.{int(style[3:])}f}"
    if style == "comma" or value >= 10000:
        return f"{int(value):,}"
    return str(int(value))


def _other_value(value: float, style: str, rng: random.Random, cap: float | None) -> float | None:
    """A plausible value clearly different from ``value`` and written the same way."""
    if style.startswith("dec"):
        places = int(style[3:])
        for _ in range(10):
            new = round(value * rng.choice((0.5, 0.6, 0.75, 1.5, 2.0, 3.0)), places)
            if new > 0 and new != value and (cap is None or new <= cap):
                return new
        return None
    n = int(value)
    if n <= 12:
        options = [v for v in range(2, max(2 * n, n + 5) + 1) if v != n]
    else:
        digits = str(n)
        step = 10 ** (len(digits) - len(digits.rstrip("0"))) if n % 10 == 0 else 1
        options = sorted(
            {
                int(round(n * f / step) * step)
                for f in (0.4, 0.5, 0.6, 0.75, 1.25, 1.5, 2.0, 2.5, 3.0)
            }
            - {n}
        )
        options = [v for v in options if v >= 2]
    if cap is not None:
        options = [v for v in options if v <= cap]
    return float(rng.choice(options)) if options else None


def _prev_word(token: Token) -> Token | None:
    """The word before a number, skipping currency signs."""
    i = token.i - 1
    while i >= 0 and token.doc[i].text in CURRENCY:
        i -= 1
    return token.doc[i] if i >= 0 else None


def _is_age(token: Token) -> bool:
    doc = token.doc
    return (
        token.i + 2 < len(doc)
        and doc[token.i + 1].text == "-"
        and doc[token.i + 2].lower_ in {"year", "years"}
    )


def _exact_number(token: Token) -> tuple[float, str] | None:
    """The value of a number token that states an exact amount, else None."""
    parsed = _parse_number(token.text)
    if parsed is None or parsed[0] < 2:
        return None
    if token.ent_type_ not in {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"} and not (
        token.ent_type_ == "DATE" and _is_age(token)
    ):
        return None
    if token.ent_type_ == "CARDINAL" and parsed[1] == "int" and 1900 <= parsed[0] <= 2100:
        return None  # most likely a year the tagger missed
    prev = _prev_word(token)
    if prev is not None and (prev.lower_ in APPROXIMATORS or prev.like_num):
        return None
    if prev is not None and (prev.lower_ in DEFINITES or prev.tag_ in {"POS", "PRP$"}) and not _is_age(token):
        return None
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if nxt is not None and nxt.like_num and nxt.lower_ not in SCALE_WORDS:
        return None  # "40 50" or a number split over tokens
    if nxt is not None and nxt.text in {"+", "or", "to", "-", "–"} and not _is_age(token):
        return None
    if token.dep_ in {"compound", "appos"} and token.head.tag_ == "NNP":
        return None
    if token.head.tag_ == "NNP" and token.dep_ == "nummod":
        return None
    return parsed


def _is_percent(token: Token) -> bool:
    doc = token.doc
    return token.i + 1 < len(doc) and doc[token.i + 1].lower_ in {"%", "percent", "per"}


# --------------------------------------------------------------------------- contradiction rules


def change_number(doc: Doc, ctx: RuleContext) -> str | None:
    """Replace an exact cardinal, amount of money, percentage or age with a different value."""
    if _root(doc) is None:
        return None
    targets = [t for t in doc if _exact_number(t) is not None]
    if not targets:
        return None
    token = ctx.rng.choice(targets)
    value, style = _exact_number(token)  # type: ignore[misc]
    cap = 100.0 if _is_percent(token) else None
    new = _other_value(value, style, ctx.rng, cap)
    if new is None:
        return None
    edits = {
        t.i: _format_number(new, style, capital=t.i == 0) for t in targets if t.lower_ == token.lower_
    }
    return _render(doc, edits)


def _date_governor(token: Token) -> Token | None:
    for anc in token.ancestors:
        if anc.pos_ in {"VERB", "AUX"}:
            return anc
    return None


#: Words that make a date a period, a bound or a repetition rather than a point in time.
_RANGE_WORDS = frozenset("since until till through from between every each".split())


def _changeable_date(token: Token) -> str | None:
    """Which kind of date word a token is ('weekday', 'month', 'year', 'day'), if safe to change."""
    if token.ent_type_ != "DATE":
        return None
    doc = token.doc
    ent = _entity_of(token)
    if ent is None:
        return None
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    if before in _RANGE_WORDS | {"by", "before", "after"}:
        return None
    if any(t.lower_ in _RANGE_WORDS | {"to", "-", "–", "and", "or"} for t in ent):
        return None
    if ent.end < len(doc) and doc[ent.end].text in {"-", "–", "to"}:
        return None
    governor = _date_governor(token)
    if governor is not None and governor.lemma_ in REPORT_VERBS | {"deny", "claim", "insist"}:
        return None  # "said on Tuesday" vs "said on Wednesday" need not contradict
    if token.text in WEEKDAYS:
        return "weekday"
    if token.text in MONTHS and token.pos_ == "PROPN":
        return "month"
    if re.fullmatch(r"(19[5-9]\d|20[0-3]\d)", token.text):
        nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if nxt is not None and nxt.pos_ == "PROPN" and nxt.ent_type_ != "DATE":
            return None  # part of an event name ("the 2014 World Cup")
        return "year"
    if re.fullmatch(r"\d{1,2}", token.text) and token.i > 0 and doc[token.i - 1].text in MONTHS:
        return "day"
    return None


def change_date(doc: Doc, ctx: RuleContext) -> str | None:
    """Move an event to another weekday, month, day of the month or year."""
    if _root(doc) is None:
        return None
    targets = [(t, kind) for t in doc if (kind := _changeable_date(t)) is not None]
    if not targets:
        return None
    token, kind = ctx.rng.choice(targets)
    if kind == "weekday":
        new = ctx.rng.choice([d for d in WEEKDAYS if d != token.text])
    elif kind == "month":
        new = ctx.rng.choice([m for m in MONTHS if m != token.text and m != "May"])
    elif kind == "year":
        new = str(int(token.text) + ctx.rng.choice((-3, -2, -1, 1, 2, 3)))
    else:
        new = str(ctx.rng.choice([d for d in range(1, 29) if d != int(token.text)]))
    return _render(doc, {token.i: new})


#: Prepositions that mark the other party of a directed action ("sent to", "fought against").
_DIRECTED_PREPS = frozenset("to against from by on at over".split())


def _participants(verb: Token) -> list[Token]:
    """Heads of the verb's object and of its non-symmetric prepositional arguments."""
    found = []
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"}:
            found.append(child)
        elif child.dep_ in {"prep", "agent"} and child.lower_ in _DIRECTED_PREPS:
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def swap_entities(doc: Doc, ctx: RuleContext) -> str | None:
    """Swap the subject and object names of one verb ("A accused B" -> "B accused A")."""
    if _root(doc) is None:
        return None
    options = []
    for verb in (t for t in doc if t.pos_ == "VERB" and t.lemma_ not in SYMMETRIC_VERBS):
        subj = _subject(verb)
        if subj is None or _negated(verb) or any(c.dep_ == "conj" for c in subj.children):
            continue
        a = _entity_of(subj)
        if a is None or a.root != subj or not _clean_np(a):
            continue
        for obj in _participants(verb):
            b = _entity_of(obj)
            if (
                b is not None
                and b.root == obj
                and b.label_ == a.label_
                and a.label_ in {"PERSON", "ORG", "GPE", "NORP"}
                and a.root.tag_ == b.root.tag_
                and _clean_np(b)
                and not _names_overlap(a.text, b.text)
                and not any(c.dep_ == "conj" for c in obj.children)
            ):
                options.append((a, b))
    if not options:
        return None
    a, b = ctx.rng.choice(options)
    a_start, b_start = _name_start(a), _name_start(b)
    edits = {i: "" for i in [*range(a_start, a.end), *range(b_start, b.end)]}
    edits[a_start] = _fit_name(_text(doc[b_start : b.end]), a_start == 0)
    edits[b_start] = _fit_name(_text(doc[a_start : a.end]), b_start == 0)
    return _render(doc, edits)


#: What an action verb needs besides its subject for its agent to be worth replacing.
_ACTION_COMPLEMENTS = frozenset({"dobj", "dative", "prep", "prt", "xcomp"})


def _action_verb(doc: Doc) -> Token | None:
    """The exclusive action a sentence reports: its main verb, or the verb a reporting frame
    carries ("Officials said Russia launched the strike" -> "launched")."""
    root = _root(doc)
    if root is None or _negated(root):
        return None
    verb = root
    if root.lemma_ in REPORT_VERBS:
        claims = [c for c in root.children if c.dep_ == "ccomp" and _finite_clause(c)]
        if len(claims) != 1:
            return None
        verb = claims[0]
    if verb.pos_ != "VERB" or verb.lemma_ in NON_EXCLUSIVE_VERBS | SYMMETRIC_VERBS or _negated(verb):
        return None
    if not any(c.dep_ in _ACTION_COMPLEMENTS for c in verb.children):
        return None
    return verb


def replace_agent(doc: Doc, ctx: RuleContext) -> str | None:
    """Give the action to another party of the same kind seen in another sentence.

    Works on a named subject ("Russia initiated ...") or a place or group name
    modifying it ("The U.S. side initiated ..."), for an action verb in the
    active voice with an object or complement, as the main verb or as the claim
    of a reporting frame ("Officials said Russia initiated ..."). People and
    organisations come from the same article only (any name of the same kind
    there); countries and nationalities may come from any. Verbs of speaking,
    thinking and joining in are skipped: there, two agents can both be right.
    """
    verb = _action_verb(doc)
    if verb is None or any(t.lower_ in SHARED_ACTION for t in doc[: verb.i]):
        return None
    subj = _subject(verb)
    if subj is None or subj.dep_ != "nsubj" or _quantified(subj):
        return None
    ent = _entity_of(subj)
    role: str | None = "agent"
    if ent is None or ent.root != subj or not _clean_np(ent):
        modifiers = [c for c in subj.children if c.dep_ in {"compound", "amod"} and c.ent_type_]
        ent = _entity_of(modifiers[0]) if len(modifiers) == 1 else None
        if ent is None or ent.root not in modifiers or ent.end > subj.i:
            return None
        role = "modifier"
    allowed = {"GPE", "NORP"} if role == "modifier" else {"PERSON", "ORG", "GPE", "NORP"}
    if ent.label_ not in allowed or ent.text in BROAD_GROUPS:
        return None
    if ent.label_ in {"PERSON", "ORG"}:  # people and bodies from other articles make nonsense agents
        ctx = RuleContext(ctx.rng, local_entities=ctx.local_entities)
        role = None  # a name of the article in any role reads well as the subject
    other = _pick_entity(ctx, doc, {ent.label_}, tag=ent.root.tag_, role=role)
    if other is None or other.text in BROAD_GROUPS or _maybe_alias(other.text, ent.text):
        return None
    start = _name_start(ent) if role != "modifier" else ent.start
    edits = {i: "" for i in range(start, ent.end)}
    edits[start] = _fit_name(other.text, start == 0)
    return _render(doc, edits)


def _remove_negation(doc: Doc, verb: Token, neg: Token) -> str | None:
    edits = {neg.i: ""}
    host = doc[neg.i - 1] if neg.i > 0 else None
    if neg.lower_ == "n't" and host is not None:
        edits[host.i] = {"wo": "will", "ca": "can", "sha": "shall"}.get(host.lower_, host.text)
    if doc[neg.i + 1 : neg.i + 2].text.lower() == "only":
        return None
    auxes = _auxes(verb)
    if len(auxes) == 1 and auxes[0].lemma_ == "do" and verb.tag_ == "VB":
        tag = {"did": "VBD", "does": "VBZ", "do": "VBP"}.get(auxes[0].lower_)
        form = _inflect(verb.lemma_, tag) if tag else None
        if form is None:
            return None
        edits[auxes[0].i] = ""
        edits[verb.i] = form
    return _render(doc, edits)


def _negate(doc: Doc, verb: Token) -> str | None:
    subj = _subject(verb)
    if subj is None or subj.i > verb.i or _quantified(subj):
        return None
    if any(c.lower_ in NEGATIVE_ADVERBS | SCOPE_ADVERBS for c in verb.children):
        return None
    if any(c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"} for c in verb.children):
        return None
    negs = [c for c in verb.children if c.dep_ == "neg"]
    if negs:
        return _remove_negation(doc, verb, negs[0])
    if any(t.lower_ in NEGATIVE_WORDS for t in verb.subtree):
        return None  # "is no stranger" -> "is not no stranger"
    auxes = _auxes(verb)
    if auxes:
        first = auxes[0]
        if first.lower_ == "to" or first.text.startswith("'") or first.lower_ in WEAK_MODALS:
            return None
        return _render(doc, {first.i: first.text + " not"})
    if verb.text.startswith("'"):
        return None
    if verb.lemma_ == "be":
        return _render(doc, {verb.i: verb.text + " not"})
    do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
    if do is None or verb.pos_ != "VERB" or not verb.lemma_.isalpha():
        return None
    return _render(doc, {verb.i: f"{do} not {verb.lemma_.lower()}"})


def negate_verb(doc: Doc, ctx: RuleContext) -> str | None:
    """Negate the main verb ("said" -> "did not say", "will attend" -> "will not attend"),
    or remove its negation where it has one.

    Under a reporting verb the reported claim's verb is negated instead, always
    when the frame follows the claim ("X, officials said") and mostly otherwise.
    """
    root = _root(doc)
    if root is None:
        return None
    targets = [root]
    if root.lemma_ in REPORT_VERBS:
        comps = [c for c in root.children if c.dep_ == "ccomp"]
        if any(c.i < root.i for c in comps):
            # "X, officials said": "officials did not say" after the claim reads wrongly
            targets = [comps[0]] if len(comps) == 1 and comps[0].pos_ in {"VERB", "AUX"} else []
        elif len(comps) == 1 and comps[0].pos_ in {"VERB", "AUX"} and ctx.rng.random() < 0.7:
            targets = [comps[0], root]
    for verb in targets:
        hypothesis = _negate(doc, verb)
        if hypothesis is not None:
            return hypothesis
    return None


def _has(verb: Token, *deps: str) -> bool:
    """True when the verb has a dependent with one of these relations."""
    return any(c.dep_ in deps for c in verb.children)


def _objects(verb: Token) -> set[str]:
    return {c.lemma_.lower() for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}}


def _has_number(verb: Token) -> bool:
    return any(t.like_num or t.ent_type_ in {"PERCENT", "MONEY"} for t in verb.subtree)


_CLAIM_NOUNS = frozenset("report allegation claim rumor rumour story accusation charge".split())
_CONTEST = frozenset(
    "election race match game vote seat case battle war title championship bid contest final "
    "lawsuit appeal primary referendum tournament cup".split()
)

#: Antonymous verbs: lemma -> (antonym lemma, condition on the verb token).
_VERB_ANTONYMS: dict[str, tuple[str, Callable[[Token], bool]]] = {
    "rise": ("fall", _has_number),
    "fall": ("rise", _has_number),
    "increase": ("decrease", lambda v: True),
    "decrease": ("increase", lambda v: True),
    "win": ("lose", lambda v: not (_objects(v) & {"praise", "plaudit", "applause", "approval"})),
    "lose": ("win", lambda v: bool(_objects(v) & _CONTEST)),
    "gain": ("lose", lambda v: True),
    "accept": ("reject", lambda v: True),
    "reject": ("accept", lambda v: True),
    "approve": ("reject", lambda v: True),
    "confirm": ("deny", lambda v: not _has(v, "auxpass")),
    "deny": (
        "confirm",
        lambda v: not _has(v, "auxpass", "dative")
        and (
            _has(v, "ccomp")
            or bool(_objects(v) & _CLAIM_NOUNS)
        ),
    ),
    "agree": ("refuse", lambda v: _has(v, "xcomp")),
    "refuse": ("agree", lambda v: _has(v, "xcomp")),
    "support": ("oppose", lambda v: True),
    "oppose": ("support", lambda v: True),
    "strengthen": ("weaken", lambda v: True),
    "weaken": ("strengthen", lambda v: True),
    "fail": ("manage", lambda v: _has(v, "xcomp")),
    "manage": ("fail", lambda v: _has(v, "xcomp")),
}

#: Antonymous words of other parts of speech: word -> (antonym, allowed dependency labels).
_WORD_ANTONYMS: dict[str, tuple[str, frozenset[str] | None]] = {
    "before": ("after", frozenset({"prep", "mark"})),
    "after": ("before", frozenset({"prep", "mark"})),
    "higher": ("lower", frozenset({"acomp", "advmod", "oprd", "attr", "npadvmod"})),
    "lower": ("higher", frozenset({"acomp", "advmod", "oprd", "attr", "npadvmod"})),
    "largest": ("smallest", None),
    "biggest": ("smallest", None),
    "smallest": ("largest", None),
    "highest": ("lowest", None),
    "lowest": ("highest", None),
    "best": ("worst", frozenset({"amod", "attr", "acomp"})),
    "worst": ("best", frozenset({"amod", "attr", "acomp"})),
    "true": ("false", frozenset({"acomp", "oprd", "attr"})),
    "false": ("true", frozenset({"acomp", "oprd", "attr"})),
    "alive": ("dead", frozenset({"acomp", "oprd"})),
    "dead": ("alive", frozenset({"acomp", "oprd"})),
    "legal": ("illegal", frozenset({"acomp", "oprd"})),
    "illegal": ("legal", frozenset({"acomp", "oprd"})),
    "positive": ("negative", frozenset({"acomp", "oprd"})),
    "negative": ("positive", frozenset({"acomp", "oprd"})),
    "victory": ("defeat", None),
    "defeat": ("victory", frozenset({"dobj", "attr", "pobj", "nsubj"})),
    "success": ("failure", frozenset({"attr", "acomp"})),
    "failure": ("success", frozenset({"attr", "acomp"})),
    "majority": ("minority", None),
    "more": ("fewer", None),
    "fewer": ("more", None),
    "above": ("below", None),
    "below": ("above", None),
}
_AFTER_HEADS = frozenset("name look take ask seek chase".split())


def _antonym_for(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in _VERB_ANTONYMS and token.tag_ in _TAG_FORM:
        if token.dep_ in {"amod", "compound", "acl"} and token.tag_ in {"VBG", "VBN"}:
            return None  # a modifier ("award winning writer"), not a claim about winning
        other, condition = _VERB_ANTONYMS[lemma]
        if not condition(token):
            return None
        return _inflect(other, token.tag_)
    low = token.lower_
    if low not in _WORD_ANTONYMS:
        return None
    other, deps = _WORD_ANTONYMS[low]
    doc = token.doc
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if low in {"more", "fewer"}:
        # only "more/fewer than <number>"
        if not (nxt is not None and nxt.lower_ == "than" and token.i + 2 < len(doc) and doc[token.i + 2].like_num):
            return None
    elif low in {"above", "below"}:
        if not (nxt is not None and (nxt.like_num or nxt.text in {"$", "€", "£"})):
            return None
    elif low in {"before", "after"}:
        if token.head.lemma_ in _AFTER_HEADS or token.pos_ not in {"ADP", "SCONJ"}:
            return None
        prev = doc[token.i - 1] if token.i > 0 else None
        if nxt is None or nxt.lower_ == "all" or (prev is not None and prev.lower_ == nxt.lower_):
            return None  # "after all", "year after year"
    elif low in {"victory", "defeat", "success", "failure", "majority"}:
        if token.pos_ != "NOUN":
            return None
    elif low in {"higher", "lower"} and nxt is not None and nxt.lower_ == "than":
        return other  # "higher than" is a comparison whatever its parse
    if deps is not None and token.dep_ not in deps:
        return None
    return other


def antonym_swap(doc: Doc, ctx: RuleContext) -> str | None:
    """Swap a word for its antonym from a curated list (rose/fell, won/lost, before/after, ...).

    Not under negation, denial or condition: "did not rise" and "did not fall" can both hold.
    """
    if _root(doc) is None or any(t.lower_ in NEGATIVE_CONTEXT or t.dep_ == "neg" for t in doc):
        return None
    options = [(t, a) for t in doc if (a := _antonym_for(t)) is not None]
    if not options:
        return None
    token, new = ctx.rng.choice(options)
    edits: dict[int, str] = {}
    _put_word(doc, token, new, edits)
    return _render(doc, edits)


_DENIALS = ("{x} denied that {s}.", "{x} denied reports that {s}.", "{x} dismissed claims that {s}.")


def _speaker(doc: Doc, ctx: RuleContext) -> str:
    """Someone to put a frame in the mouth of: a person or body from the article, else a generic one."""
    local = RuleContext(ctx.rng, local_entities=ctx.local_entities)
    entity = _pick_entity(local, doc, {"PERSON", "ORG"}, role="agent")
    if entity is not None and entity.tag in {"NNP", "NNPS"} and ctx.rng.random() < 0.6:
        return _fit_name(entity.text, at_start=True)
    return ctx.rng.choice(GENERIC_SPEAKERS)


def deny_frame(doc: Doc, ctx: RuleContext) -> str | None:
    """Put the sentence under a denial ("Officials denied that <sentence>")."""
    root = _root(doc)
    if root is None or any(t.lemma_ in {"deny", "dismiss"} for t in doc):
        return None
    if root.lemma_ in REPORT_VERBS and any(c.dep_ == "ccomp" and c.i < root.i for c in root.children):
        return None  # "denied that X, police said" embeds the frame awkwardly
    body = _body_lowered(doc)
    if body is None or _final_punct(doc) != ".":
        return None
    return _tidy(ctx.rng.choice(_DENIALS).format(x=_speaker(doc, ctx), s=body))


# --------------------------------------------------------------------------- entailment rules


def _leading_cut(doc: Doc, root: Token) -> int | None:
    """Index of the first kept token after a droppable leading phrase and its comma."""
    first = doc[0]
    top = first
    while top.head != root and top.head != top:
        top = top.head
    if top.head != root or top == root:
        return None
    end = max(t.i for t in top.subtree)
    if end + 1 >= len(doc) or doc[end + 1].text != "," or end + 1 >= root.i:
        return None
    if top.dep_ == "prep":
        if top.lower_ in {"according", "without", "unless", "except", "instead", "like", "if"}:
            return None
    elif top.dep_ == "advcl":
        marks = [c.lower_ for c in top.children if c.dep_ == "mark"]
        if marks and marks[0] not in SAFE_MARKS:
            return None
        if not marks and top.tag_ not in {"VBG", "VBN"}:
            return None
    elif top.dep_ == "npadvmod":
        if top.ent_type_ != "DATE":
            return None
    elif top.dep_ == "advmod":
        if end != 0 or top.lower_ not in SAFE_LEADING_ADVERBS:
            return None
    else:
        return None
    return end + 2


def _trailing_cut(doc: Doc, root: Token) -> int | None:
    """Index where a droppable trailing phrase starts (its comma included)."""
    last = len(doc) - 1 if _final_punct(doc) else len(doc)
    if last <= root.i + 1:
        return None
    # a comma-separated trailing modifier: ", killing 40 people", ", who ...", ", after ..."
    comma = max((t.i for t in doc[root.i + 1 : last] if t.text == ","), default=None)
    if comma is not None and comma + 1 < last:
        head = doc[comma + 1]
        while head.head.i > comma and head.head != head:
            head = head.head
        span_ok = all(comma < t.i < last for t in head.subtree) and max(t.i for t in head.subtree) == last - 1
        if span_ok and head.dep_ in {"advcl", "relcl", "acl", "appos", "npadvmod"}:
            marks = [c.lower_ for c in head.children if c.dep_ == "mark"]
            if not marks or marks[0] in SAFE_MARKS:
                if head.dep_ != "relcl" or doc[comma + 1].lower_ in {"who", "which"}:
                    return comma
        if span_ok and head.dep_ == "prep" and head.lower_ in ADJUNCT_PREPS:
            return comma
        second_clause = head.dep_ == "conj" and head.pos_ in {"VERB", "AUX"} and _subject(head) is not None
        if doc[comma + 1].lower_ in {"and", "but"} and second_clause:
            return comma
    # an adjunct phrase attached to the main verb, ending the sentence
    children = [c for c in root.children if c.i > root.i and c.dep_ != "punct"]
    if not children:
        return None
    tail = max(children, key=lambda c: c.i)
    if max(t.i for t in tail.subtree) != last - 1:
        return None
    core = {c.dep_ for c in root.children}
    has_core = bool(core & {"dobj", "attr", "acomp", "ccomp", "xcomp", "auxpass", "prt", "oprd"})
    if tail.dep_ == "prep" and tail.lower_ in ADJUNCT_PREPS and has_core:
        return tail.left_edge.i
    if tail.dep_ == "advcl":
        marks = [c.lower_ for c in tail.children if c.dep_ == "mark"]
        if marks and marks[0] in SAFE_MARKS and tail.left_edge.lower_ == marks[0]:
            return tail.left_edge.i
    return None


def trim_clause(doc: Doc, ctx: RuleContext) -> str | None:
    """Keep the main clause: drop a leading adverbial or a trailing modifier phrase."""
    root = _root(doc)
    if root is None or _has_downward(doc) or root.lemma_ in REPORT_VERBS | PLACE_VERBS:
        return None
    cuts = []
    start = _leading_cut(doc, root)
    if start is not None:
        cuts.append((start, len(doc)))
    end = _trailing_cut(doc, root)
    if end is not None:
        cuts.append((0, end))
    if not cuts:
        return None
    start, end = ctx.rng.choice(cuts)
    kept = doc[start:end] if end < len(doc) else doc[start : len(doc) - (1 if _final_punct(doc) else 0)]
    if end - start < 5 or not any(t == root for t in kept) or kept[-1].dep_ in {"cc", "prep", "mark"}:
        return None
    if len(kept) > len(doc) - 3:
        return None
    return _tidy(_text(kept) + (_final_punct(doc) or "."))


def drop_report_frame(doc: Doc, ctx: RuleContext) -> str | None:
    """Strip the reporting frame ("Officials said that X", "X, police said", "According to Y, X")."""
    root = _root(doc)
    if root is None:
        return None
    punct = _final_punct(doc) or "."
    # "According to police, X." / "X, according to police."
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ == "according"):
        span = sorted(t.i for t in prep.subtree)
        lo, hi = span[0], span[-1]
        if lo == 0 and hi + 1 < len(doc) and doc[hi + 1].text == ",":
            return _tidy(_text(doc[hi + 2 :]))
        if lo > 0 and doc[lo - 1].text == "," and hi == len(doc) - 2:
            return _tidy(_text(doc[: lo - 1]) + punct)
        return None
    if root.lemma_ not in REPORT_VERBS or _negated(root):
        return None
    if any(a.lower_ in WEAK_MODALS | {"would", "should", "will", "must"} for a in _auxes(root)):
        return None
    comps = [c for c in root.children if c.dep_ == "ccomp"]
    if len(comps) != 1:
        return None
    comp = comps[0]
    if _subject(comp) is None or comp.tag_ not in {"VBD", "VBZ", "VBP"} and not _auxes(comp):
        return None
    idx = sorted(t.i for t in comp.subtree)
    lo, hi = idx[0], idx[-1]
    if idx != list(range(lo, hi + 1)):
        return None
    if comp.i > root.i:
        # everything between the verb and the claim must belong to the frame ("told reporters that")
        if any(comp in t.ancestors for t in doc[root.i + 1 : lo]):
            return None
    elif hi + 1 >= len(doc) or doc[hi + 1].text != ",":
        return None  # "X, officials said": the claim must end at the comma
    tokens = list(doc[lo : hi + 1])
    if tokens and tokens[0].lower_ == "that" and tokens[0].dep_ == "mark":
        tokens = tokens[1:]
    if len(tokens) < 3 or not tokens[0].text[:1].isalnum():
        return None
    return _tidy(_text(tokens) + punct)


_FRAMES = ("{x} said that {s}.", "{S}, {x_low} said.", "According to {x_low}, {s}.")


def add_report_frame(doc: Doc, ctx: RuleContext) -> str | None:
    """Wrap the sentence in a reporting frame; the framed sentence entails the bare one."""
    root = _root(doc)
    if root is None or root.lemma_ in REPORT_VERBS | {"deny", "claim"}:
        return None
    if any(t.lower_ == "according" for t in doc):
        return None
    body = _body_lowered(doc)
    if body is None or _final_punct(doc) != ".":
        return None
    speaker = _speaker(doc, ctx)
    if speaker in GENERIC_SPEAKERS:
        low = speaker[:1].lower() + speaker[1:]
    else:
        low = _fit_name(speaker, at_start=False)
    template = ctx.rng.choice(_FRAMES)
    return _tidy(template.format(x=speaker, x_low=low, s=body, S=body[:1].upper() + body[1:]))


def _lower_bound(value: float) -> int | None:
    """A round number below ``value`` ("40" -> 30, "1,250" -> 1,000, "100" -> 90), or None."""
    n = int(value)
    if n < 3:
        return None
    magnitude = 10 ** (len(str(n)) - 1)
    bound = (n // magnitude) * magnitude
    if bound == n:
        bound = n - max(magnitude // 10, 1) if n >= 100 else n - magnitude if n >= 20 else n - 1
    return bound if 2 <= bound < value else None


def _boundable(token: Token) -> bool:
    """An exact count written in digits that a lower bound can replace ("1 in 40" cannot)."""
    parsed = _exact_number(token)
    if parsed is None or parsed[1] == "word" or _is_age(token):
        return False
    prev = _prev_word(token)
    return prev is None or prev.lower_ not in {"in", "of", "out", "per", "by"} or _is_percent(token)


def vague_number(doc: Doc, ctx: RuleContext) -> str | None:
    """Turn an exact number into a lower bound it implies ("40 prisoners" -> "more than 30 prisoners")."""
    root = _root(doc)
    if root is None or _has_downward(doc):
        return None
    targets = [t for t in doc if _boundable(t)]
    if not targets:
        return None
    token = ctx.rng.choice(targets)
    value, style = _exact_number(token)  # type: ignore[misc]
    bound = _lower_bound(value)
    if bound is None:
        return None
    start = token.i
    while start > 0 and doc[start - 1].text in CURRENCY:
        start -= 1
    prev = doc[start - 1] if start > 0 else None
    if prev is not None and (prev.lower_ in DEFINITES | {"a", "an", "another"} or prev.tag_ == "POS"):
        return None
    phrase = ctx.rng.choice(("more than", "over", "at least"))
    if phrase == "at least":
        new = token.text
    else:
        new = _format_number(float(bound), "comma" if style == "comma" else "int", capital=False)
    edits = {token.i: new}
    edits[start] = f"{phrase} {edits.get(start, doc[start].text)}"
    return _render(doc, edits)


#: Synonymous verbs: lemma -> (synonym lemma, condition).
_VERB_SYNONYMS: dict[str, tuple[str, Callable[[Token], bool]]] = {
    "begin": ("start", lambda v: True),
    "start": ("begin", lambda v: not _has(v, "dobj")),
    "buy": ("purchase", lambda v: _has(v, "dobj")),
    "purchase": ("buy", lambda v: True),
    "try": ("attempt", lambda v: _has(v, "xcomp")),
    "attempt": ("try", lambda v: _has(v, "xcomp")),
    "say": ("state", lambda v: _has(v, "ccomp") and not _has(v, "auxpass", "dobj", "dative")),
    "receive": ("get", lambda v: _has(v, "dobj") and not _has(v, "auxpass")),
    "reveal": ("disclose", lambda v: _has(v, "dobj", "ccomp")),
    "allow": ("permit", lambda v: True),
    "arrest": ("detain", lambda v: True),
    "help": ("assist", lambda v: _has(v, "dobj") and not _has(v, "xcomp", "ccomp")),
    "discuss": ("talk about", lambda v: _has(v, "dobj") and not _has(v, "auxpass")),
    "resign": ("step down", lambda v: not _has(v, "dobj")),
}
#: Synonymous words: lowercase word -> (synonym, parts of speech it may have).
_WORD_SYNONYMS: dict[str, tuple[str, frozenset[str]]] = {
    "nearly": ("almost", frozenset({"ADV"})),
    "almost": ("nearly", frozenset({"ADV"})),
    "approximately": ("about", frozenset({"ADV"})),
    "roughly": ("about", frozenset({"ADV"})),
    "protesters": ("demonstrators", frozenset({"NOUN"})),
    "demonstrators": ("protesters", frozenset({"NOUN"})),
    "lawmakers": ("legislators", frozenset({"NOUN"})),
    "legislators": ("lawmakers", frozenset({"NOUN"})),
    "troops": ("soldiers", frozenset({"NOUN"})),
    "kids": ("children", frozenset({"NOUN"})),
    "youngsters": ("young people", frozenset({"NOUN"})),
    "percent": ("%", frozenset({"NOUN"})),
    "following": ("after", frozenset({"VERB", "ADP"})),
    "huge": ("enormous", frozenset({"ADJ"})),
    "enormous": ("huge", frozenset({"ADJ"})),
    "big": ("large", frozenset({"ADJ"})),
    "large": ("big", frozenset({"ADJ"})),
    "UN": ("United Nations", frozenset({"PROPN"})),
    "U.N.": ("United Nations", frozenset({"PROPN"})),
}
_DIGIT_WORDS = {str(v): w for w, v in NUMBER_WORDS.items() if 2 <= v <= 10}


def _synonym_for(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in _VERB_SYNONYMS and token.tag_ in _TAG_FORM:
        other, condition = _VERB_SYNONYMS[lemma]
        return _inflect(other, token.tag_) if condition(token) else None
    key = token.text if token.text in {"UN", "U.N."} else token.lower_
    if key in _WORD_SYNONYMS:
        other, pos = _WORD_SYNONYMS[key]
        if token.pos_ not in pos:
            return None
        if key == "following" and token.dep_ != "prep":
            return None
        if key in {"approximately", "roughly"} and not token.head.like_num:
            return None
        if key == "percent" and not (token.i > 0 and token.doc[token.i - 1].like_num):
            return None
        if key == "large" and token.i > 0 and token.doc[token.i - 1].lower_ == "at":
            return None
        return other
    if token.text in _DIGIT_WORDS and token.ent_type_ == "CARDINAL" and _exact_number(token) is not None:
        return _DIGIT_WORDS[token.text]
    after_the = token.i > 0 and token.doc[token.i - 1].lower_ == "the"
    if token.text == "U.S." and after_the and token.dep_ != "compound":
        return "United States"
    return None


def paraphrase_light(doc: Doc, ctx: RuleContext) -> str | None:
    """Swap one or two words for close synonyms ("began" -> "started", "troops" -> "soldiers")."""
    if _root(doc) is None:
        return None
    options = [(t, s) for t in doc if (s := _synonym_for(t)) is not None]
    if not options:
        return None
    chosen = ctx.rng.sample(options, k=min(len(options), ctx.rng.choice((1, 2))))
    edits: dict[int, str] = {}
    for token, new in sorted(chosen, key=lambda pair: pair[0].i):
        if new == "%":
            edits[token.i - 1] = doc[token.i - 1].text + "%"
            edits[token.i] = ""
        else:
            _put_word(doc, token, new, edits)
    return _render(doc, edits)


# --------------------------------------------------------------------------- neutral rules


def _content(doc: Doc) -> set[str]:
    content = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
    return {t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and t.pos_ in content}


def same_article(doc: Doc, ctx: RuleContext) -> str | None:
    """Another sentence of the same article that says something else."""
    pool = ctx.neighbours
    if len(pool) > 21:  # a large article (or no articles given): look at a sample
        pool = ctx.rng.sample(list(pool), 21)
    others = [n for n in pool if n is not doc and not _same(n.text, doc.text)]
    if not others:
        return None
    mine = _content(doc)
    if not mine:
        return None
    names = {e.text.lower() for e in doc.ents}
    scored = []
    for other in others:
        theirs = _content(other)
        if not theirs:
            continue
        overlap = len(mine & theirs) / len(mine | theirs)
        if overlap < 0.2:
            shares_name = bool(names & {e.text.lower() for e in other.ents})
            scored.append((not shares_name, other.text))
    if not scored:
        return None
    best = min(s for s, _ in scored)
    return ctx.rng.choice(sorted(text for s, text in scored if s == best))


def _event_verb(root: Token) -> Token:
    """The verb of the reported event: the claim's verb under "X said ...", else the main verb."""
    if root.lemma_ in REPORT_VERBS:
        comps = [c for c in root.children if c.dep_ == "ccomp" and c.i > root.i]
        if len(comps) == 1:
            return comps[0]
    return root


def _ends_in_clause_of(doc: Doc, verb: Token) -> bool:
    """True when the sentence's last word hangs off ``verb`` through phrases, not clauses.

    A phrase appended after such a word modifies ``verb``'s event, not a
    relative clause, list or apposition that happens to come last.
    """
    last = doc[-2] if _final_punct(doc) else doc[-1]
    node = last
    while node != verb:
        if node.dep_ in {"relcl", "acl", "advcl", "conj", "appos", "pcomp", "ccomp", "csubj", "parataxis", "cc"}:
            return False
        if node.head == node:
            return False
        node = node.head
    return True


def _agentive(verb: Token) -> bool:
    """True when the verb's subject is a person, group or institution (who can meet, decide, oppose)."""
    subj = _subject(verb)
    if subj is None or subj.dep_ != "nsubj":
        return False
    return subj.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or subj.lemma_.lower() in AGENT_NOUNS


def add_detail(doc: Doc, ctx: RuleContext) -> str | None:
    """Append a detail the sentence does not support: a day, a place or a circumstance.

    Only for positive sentences about a past, perfect or future event whose
    last phrase belongs to that event, so that the detail attaches to it.
    """
    root = _root(doc)
    if root is None or _has_downward(doc) or _final_punct(doc) != "." or len(doc) > 32:
        return None
    event = _event_verb(root)
    if event.lemma_ in REPORT_VERBS or not _ends_in_clause_of(doc, event):
        return None
    options: list[str] = []
    eventive = event.lemma_ not in STATIVE_VERBS and (
        event.tag_ == "VBD" or any(a.lower_ in {"will", "has", "have", "had"} for a in _auxes(event))
    )
    if not eventive:
        return None
    if not any(t.ent_type_ in {"DATE", "TIME"} or t.lower_ in TIME_WORDS for t in doc):
        options.append("on " + ctx.rng.choice(WEEKDAYS))
    if not any(t.ent_type_ in {"GPE", "LOC", "FAC"} for t in doc):
        local = RuleContext(ctx.rng, local_entities=ctx.local_entities)
        place = _pick_entity(local, doc, {"GPE"}, tag="NNP", role="agent")
        if place is None or "." in place.text:
            options.append(ctx.rng.choice(DETAIL_PLACES))
        else:
            options.append("in " + _fit_name(place.text, False))
    words = {t.lower_ for t in doc}
    circumstances = [
        c
        for c in DETAIL_CIRCUMSTANCES
        if (c == "for the first time" or _agentive(event))
        and not (c == "for the first time" and words & REPEAT_WORDS)
        and not (c == "in a surprise move" and words & {"expected", "surprise", "surprising", "surprisingly"})
        and not (c == "despite strong opposition" and words & {"despite", "opposition", "unanimously"})
        and not (c == "after a long meeting" and words & {"meeting", "after", "talks"})
    ]
    if circumstances:
        options.append(ctx.rng.choice(circumstances))
    if not options:
        return None
    return _tidy(_text(doc[:-1]) + " " + ctx.rng.choice(options) + ".")


#: Manner adverbs and the words whose presence would support or deny each.
MANNER_ADVERBS: dict[str, frozenset[str]] = {
    "secretly": frozenset("public publicly openly announced announce statement secret secretly press".split()),
    "reluctantly": frozenset("eager eagerly happily gladly willing willingly reluctant reluctantly".split()),
    "repeatedly": frozenset("once first single repeatedly again twice several many".split()),
    "quietly": frozenset("loud loudly publicly openly announced announce quiet quietly".split()),
    "deliberately": frozenset(
        "accident accidentally accidental mistake mistakenly deliberately intentionally".split()
    ),
}


def add_manner(doc: Doc, ctx: RuleContext) -> str | None:
    """Put an unsupported manner adverb on the event verb ("Russia secretly initiated the talks")."""
    root = _root(doc)
    if root is None or _has_downward(doc):
        return None
    verb = _event_verb(root)
    if verb.lemma_ in STATIVE_VERBS | REPORT_VERBS or verb.pos_ != "VERB" or not _agentive(verb):
        return None
    if any(c.dep_ == "advmod" and abs(c.i - verb.i) <= 2 for c in verb.children):
        return None
    words = {t.lower_ for t in doc}
    adverbs = sorted(a for a, clash in MANNER_ADVERBS.items() if not words & clash)
    if any(t.ent_type_ in {"DATE", "TIME"} for t in doc):
        adverbs = [a for a in adverbs if a != "repeatedly"]  # one dated occasion
    if not adverbs:
        return None
    adverb = ctx.rng.choice(adverbs)
    auxes = _auxes(verb)
    if auxes:
        if auxes[0].lower_ == "to" or auxes[0].text.startswith("'"):
            return None
        return _render(doc, {auxes[0].i: f"{auxes[0].text} {adverb}"})
    if verb.tag_ not in {"VBD", "VBZ", "VBP"}:
        return None
    return _render(doc, {verb.i: f"{adverb} {verb.text}"})


#: Agent nouns and a more general word for the same people (singular, plural).
GENERAL_AGENTS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("president", "premier", "chancellor"), ("leader", "leaders")),
    **dict.fromkeys(("minister", "prosecutor", "governor", "mayor", "diplomat"), ("official", "officials")),
    **dict.fromkeys(("spokesman", "spokeswoman", "spokesperson"), ("representative", "representatives")),
    **dict.fromkeys(("ambassador", "envoy"), ("diplomat", "diplomats")),
    **dict.fromkeys(("lawmaker", "legislator", "senator", "congressman", "congresswoman"),
                    ("politician", "politicians")),
    **dict.fromkeys(("rebel", "militant", "insurgent"), ("fighter", "fighters")),
    "police": ("authorities", "authorities"),
}


def generalize_agent(doc: Doc, ctx: RuleContext) -> str | None:
    """Name the subject more generally: "The Russian and U.S. presidents would meet" -> "The two
    leaders would meet", "President Vladimir Putin signed" -> "The president signed".

    The subject of the main verb, or of the claim under a reporting verb, is an agent noun with a
    more general word (:data:`GENERAL_AGENTS`), or a name with such a title. Its whole noun phrase
    is replaced, keeping its number; in a sentence with any negative or downward word the rewrite
    might not follow, so those are skipped. The rewrite is entailed; the other way round it adds
    who exactly, which is neutral. The rules that give the action to another agent teach the
    model that a changed agent contradicts; this one teaches that a vaguer name for the same one
    does not.
    """
    root = _root(doc)
    if root is None or _has_downward(doc):
        return None
    verbs = [root]
    if root.lemma_ in REPORT_VERBS:
        verbs += [c for c in root.children if c.dep_ == "ccomp" and _finite_clause(c)]
    options = []
    for verb in verbs:
        subj = _subject(verb)
        if subj is None or _quantified(subj) and not any(c.dep_ == "nummod" for c in subj.children):
            continue
        span = sorted(t.i for t in subj.subtree)
        if span != list(range(span[0], span[-1] + 1)) or span[-1] >= verb.i:
            continue
        titles = [c for c in subj.children if c.dep_ == "compound" and c.lower_ in GENERAL_AGENTS]
        if subj.ent_type_ == "PERSON" and subj.tag_ == "NNP" and len(titles) == 1:
            phrase = f"the {titles[0].lower_}"
        elif subj.lemma_.lower() in GENERAL_AGENTS and subj.tag_ in {"NN", "NNS"}:
            singular, plural = GENERAL_AGENTS[subj.lemma_.lower()]
            the = any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children)
            numbers = [c for c in subj.children if c.dep_ == "nummod"]
            joined = [m for m in subj.children if m.dep_ in {"amod", "compound"}
                      and any(c.dep_ == "conj" for c in m.children)]
            if subj.tag_ == "NN" and subj.lemma_.lower() != "police":
                phrase = ("an " if singular[0] in "aeiou" else "a ") + singular
            elif numbers:
                phrase = ("the " if the else "") + f"{numbers[0].text} {plural}"
            elif len(joined) == 1:
                count = 1 + sum(1 for c in joined[0].subtree if c.dep_ == "conj")
                words = {n: w for w, n in NUMBER_WORDS.items()}
                if count not in words:
                    continue
                phrase = f"the {words[count]} {plural}"
            else:
                phrase = ("the " if the else "") + plural
        else:
            continue
        options.append((span, phrase))
    if not options:
        return None
    span, phrase = ctx.rng.choice(options)
    edits = {i: "" for i in span}
    edits[span[0]] = _fit_name(phrase, span[0] == 0)
    return _render(doc, edits)


# --------------------------------------------------------------------------- registry

RULES: tuple[Rule, ...] = (
    Rule("change_number", CONTRADICTION, CONTRADICTION,
         "an exact cardinal, sum of money, percentage or age replaced by a clearly different value",
         change_number),
    Rule("change_date", CONTRADICTION, CONTRADICTION,
         "the weekday, month, day or year of an event changed (not dates of speaking or ranges)",
         change_date),
    Rule("swap_entities", CONTRADICTION, CONTRADICTION,
         "subject and object names of one non-symmetric verb swapped: 'A accused B' -> 'B accused A'",
         swap_entities),
    Rule("replace_agent", CONTRADICTION, CONTRADICTION,
         "the named agent of the main action replaced by a same-type name from another sentence",
         replace_agent),
    Rule("negate_verb", CONTRADICTION, CONTRADICTION,
         "main verb negated ('said' -> 'did not say', 'is' -> 'is not') or its negation removed",
         negate_verb),
    Rule("antonym_swap", CONTRADICTION, CONTRADICTION,
         "one word replaced by its antonym from a curated list (rose/fell, won/lost, before/after)",
         antonym_swap),
    Rule("deny_frame", CONTRADICTION, CONTRADICTION,
         "the sentence embedded under a denial: 'Officials denied that <sentence>'",
         deny_frame),
    Rule("trim_clause", ENTAILMENT, NEUTRAL,
         "a leading adverbial or trailing modifier dropped from a positive sentence "
         "(reversed: the hypothesis adds it, neutral)",
         trim_clause),
    Rule("drop_report_frame", ENTAILMENT, None,
         "the reporting frame removed: 'Officials said that X' -> 'X'",
         drop_report_frame),
    Rule("add_report_frame", None, ENTAILMENT,
         "a reporting frame added to the premise: 'Officials said that X' entails 'X' "
         "(only in this direction)",
         add_report_frame),
    Rule("vague_number", ENTAILMENT, NEUTRAL,
         "an exact number turned into a lower bound it implies: '40' -> 'more than 30' "
         "(reversed: neutral)",
         vague_number),
    Rule("paraphrase_light", ENTAILMENT, ENTAILMENT,
         "one or two words swapped for close synonyms (began/started, troops/soldiers, 5/five)",
         paraphrase_light),
    Rule("same_article", NEUTRAL, NEUTRAL,
         "another sentence of the same article with little word overlap, preferably naming "
         "the same entity",
         same_article),
    Rule("add_detail", NEUTRAL, ENTAILMENT,
         "an unsupported day, place or circumstance appended to a positive eventive sentence "
         "(reversed: the premise has it and the hypothesis drops it, entailment)",
         add_detail),
    Rule("add_manner", NEUTRAL, ENTAILMENT,
         "an unsupported manner adverb (secretly, reluctantly, repeatedly, ...) put on the "
         "action of a person or body (reversed: entailment)",
         add_manner),
    Rule("generalize_agent", ENTAILMENT, NEUTRAL,
         "the subject named more generally: 'the Russian and U.S. presidents' -> 'the two leaders', "
         "'President X' -> 'the president' (reversed: neutral); only where a recipe names it",
         generalize_agent, opt_in=True),
)


def describe_rules() -> list[tuple[str, str, str]]:
    """(name, label, description) of every rule, for the model card.

    The label is the one of (sentence, rewrite), or of (rewrite, sentence) for
    rules used only that way; the description says what the reverse gives.
    """
    return [(r.name, r.label or r.swapped_label or "", r.description) for r in RULES]


# --------------------------------------------------------------------------- generation


def _check_nlp(nlp: Language) -> None:
    """Fail early when the pipeline lacks what the rules read: tags, parse, lemmas, entities.

    A pipeline loaded with ``disable=["lemmatizer"]`` would otherwise give
    empty lemmas and quietly make most rules never apply.
    """
    probe = nlp("Officials in Moscow said the talks failed.")
    said = probe[3]
    if not (said.tag_ and said.dep_ and said.lemma_ == "say" and probe.ents):
        hint = " (its lemmas are empty: was it loaded with disable=['lemmatizer']?)" if not said.lemma_ else ""
        raise ModelError(
            "augmentation needs a spaCy pipeline with a tagger, parser, lemmatizer and NER "
            f"(an English one such as en_core_web_sm); this one runs {nlp.pipe_names}{hint}"
        )


def _select(
    candidates: list[_Candidate],
    k: int,
    label_counts: Counter[str],
    rule_counts: Counter[str],
    rng: random.Random,
    swap_rate: float,
) -> list[_Candidate]:
    """Pick up to k candidates of different rules, evening out labels then rules.

    The label chosen is the one least used so far among those this sentence
    offers (labels not yet used for this sentence first); within it the least
    used rule; where a rule gives the same label both ways, the reversed pair
    is taken with probability ``swap_rate``.
    """
    picks: list[_Candidate] = []
    remaining = list(candidates)
    while remaining and len(picks) < k:
        used = {p.label for p in picks}
        labels = sorted({c.label for c in remaining})
        fresh = [lab for lab in labels if lab not in used] or labels
        low = min(label_counts[lab] for lab in fresh)
        label = rng.choice([lab for lab in fresh if label_counts[lab] == low])
        pool = [c for c in remaining if c.label == label]
        low_rule = min(rule_counts[c.rule.name] for c in pool)
        name = rng.choice(sorted({c.rule.name for c in pool if rule_counts[c.rule.name] == low_rule}))
        options = sorted((c for c in pool if c.rule.name == name), key=lambda c: c.swapped)
        chosen = options[-1] if len(options) > 1 and rng.random() < swap_rate else options[0]
        picks.append(chosen)
        label_counts[label] += 1
        rule_counts[name] += 1
        remaining = [c for c in remaining if c.rule.name != name]
    return picks


def augment_sentences(
    sentences: Sequence[str],
    *,
    seed: int,
    nlp: Language,
    per_sentence: int = 2,
    groups: Sequence[Hashable] | None = None,
    rules: Sequence[str] | None = None,
    swap_rate: float = 0.3,
    reverse: bool = True,
) -> list[dict[str, Any]]:
    """Make labelled NLI pairs from news sentences.

    Returns dicts with ``premise``, ``hypothesis``, ``label`` (entailment,
    neutral or contradiction), ``kind`` (the rule's name), ``origin`` (index of
    the source sentence) and ``swapped`` (True where the rewrite is the
    premise). At most ``per_sentence`` pairs come from one sentence, each from a
    different rule; labels are kept about equally frequent overall.

    ``groups`` gives each sentence's article (any hashable id); sentences of
    one article supply the neutral "other sentence" pairs and the replacement
    agents and speakers. Without it, all sentences count as one article.
    ``rules`` limits generation to the named rules (the default: every rule but the
    opt-in ones); ``reverse=False`` keeps only
    (sentence, rewrite) pairs. The same inputs and seed give the same output.
    """
    if per_sentence < 1:
        raise ValueError(f"per_sentence must be at least 1, got {per_sentence}")
    if not 0.0 <= swap_rate <= 1.0:
        raise ValueError(f"swap_rate must be within [0, 1], got {swap_rate}")
    if groups is not None and len(groups) != len(sentences):
        raise ValueError(f"groups has {len(groups)} entries for {len(sentences)} sentences")
    known = {r.name: r for r in RULES}
    if rules is not None:
        unknown = sorted(set(rules) - set(known))
        if unknown:
            raise ValueError(f"unknown rules {unknown}; known: {sorted(known)}")
    active = [r for r in RULES if (not r.opt_in if rules is None else r.name in rules)]
    if not sentences:
        return []
    _check_nlp(nlp)

    docs = list(nlp.pipe((re.sub(r"\s+", " ", s).strip() for s in sentences), batch_size=64))
    group_of = list(groups) if groups is not None else [0] * len(docs)
    members: dict[Hashable, list[Doc]] = defaultdict(list)
    local: dict[Hashable, list[Entity]] = defaultdict(list)
    everywhere: list[Entity] = []
    for doc, group in zip(docs, group_of):
        members[group].append(doc)
        ents = _entities(doc)
        local[group].extend(ents)
        everywhere.extend(ents)
    everywhere = sorted(set(everywhere), key=lambda e: (e.text, e.label, e.tag, e.role))

    picker = random.Random(seed)
    label_counts: Counter[str] = Counter()
    rule_counts: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    pairs: list[dict[str, Any]] = []
    for index, (doc, group) in enumerate(zip(docs, group_of)):
        ctx = RuleContext(
            rng=random.Random(f"{seed}/{index}"),
            neighbours=members[group],
            local_entities=local[group],
            global_entities=everywhere,
        )
        candidates = []
        for rule in active:
            hypothesis = rule.apply(doc, ctx)
            if hypothesis is None or _same(hypothesis, doc.text):
                continue
            if rule.label is not None:
                candidates.append(_Candidate(rule, False, rule.label, doc.text, hypothesis))
            if rule.swapped_label is not None and reverse:
                candidates.append(_Candidate(rule, True, rule.swapped_label, hypothesis, doc.text))
        candidates = [c for c in candidates if (c.premise, c.hypothesis) not in seen]
        for pick in _select(candidates, per_sentence, label_counts, rule_counts, picker, swap_rate):
            seen.add((pick.premise, pick.hypothesis))
            pairs.append(
                {
                    "premise": pick.premise,
                    "hypothesis": pick.hypothesis,
                    "label": pick.label,
                    "kind": pick.rule.name,
                    "origin": index,
                    "swapped": pick.swapped,
                }
            )
    return pairs


#: Rules whose (sentence, rewrite) label carries over from an entailed hypothesis to its premise.
COMPOSABLE = tuple(r.name for r in RULES if r.label in (CONTRADICTION, ENTAILMENT))
#: The composable rules used where a recipe names none.
DEFAULT_COMPOSABLE = tuple(r.name for r in RULES if r.name in COMPOSABLE and not r.opt_in)


def compose_entailed(
    premises: Sequence[str],
    hypotheses: Sequence[str],
    *,
    seed: int,
    nlp: Language,
    rules: Sequence[str] | None = None,
    swap_rate: float = 0.3,
    max_swap_words: int = 40,
) -> list[dict[str, Any]]:
    """Pairs (P, H') from human-labelled entailment pairs (P, H), where H' is a rule's rewrite of H.

    The rewrite's label against H carries over to P: P entails H and H' contradicts H, so
    P contradicts H' (both read as the same event); P entails H and H entails H', so P entails
    H'. Rules that make neutral pairs are not used (P may well entail an unsupported detail
    of H). Where the premise is human-written and the hypothesis keeps the human wording
    around the edit, the model sees a contradiction across a paraphrase ("40 prisoners will
    be exchanged" against "the exchange will cover 25 prisoners"), which rewriting one
    sentence never shows it.

    Contradiction is symmetric, so a contradiction pair is also taken the other way round,
    (H', P), with probability ``swap_rate`` when P has at most ``max_swap_words`` words.
    One pair per entailment pair at most; labels and rules are evened out as in
    :func:`augment_sentences`. Returns dicts with ``premise``, ``hypothesis``, ``label``,
    ``kind`` (the rule), ``origin`` (index of the entailment pair) and ``swapped``.
    """
    if len(premises) != len(hypotheses):
        raise ValueError(f"{len(premises)} premises for {len(hypotheses)} hypotheses")
    chosen = list(DEFAULT_COMPOSABLE if rules is None else rules)
    wrong = sorted(set(chosen) - set(COMPOSABLE))
    if wrong:
        raise ValueError(f"rules {wrong} cannot be composed; composable: {list(COMPOSABLE)}")
    rewrites = augment_sentences(hypotheses, seed=seed, nlp=nlp, per_sentence=1, rules=chosen, reverse=False)
    rng = random.Random(f"{seed}/compose")
    out = []
    for r in rewrites:
        premise, hypothesis = premises[r["origin"]], r["hypothesis"]
        swapped = (r["label"] == CONTRADICTION and len(premise.split()) <= max_swap_words
                   and rng.random() < swap_rate)
        if swapped:
            premise, hypothesis = hypothesis, premise
        out.append({"premise": premise, "hypothesis": hypothesis, "label": r["label"], "kind": r["kind"],
                    "origin": r["origin"], "swapped": swapped})
    return out


# --------------------------------------------------------------------------- sentence picking

_BAD_CHARS = re.compile(r"[\"“”‘«»:;|()\[\]{}<>*•_=~^/\\@#]|https?|www\.|\.com\b|\.\.\.")
#: First words of sentences that lean on the previous one or are not plain statements.
_BAD_OPENERS = frozenset("but and or so yet if of then also however".split())
_PERSONAL = frozenset("i me my mine we our ours you your yours".split())


def _normalise(text: str) -> str:
    text = re.sub(r"(?<=\w)[’‘`](?=\w)", "'", text)
    return re.sub(r"\s+", " ", text).strip()


def _clean_sentence(sent: Span) -> str | None:
    """The sentence's text if it is a clean, self-contained declarative sentence, else None."""
    text = sent.text.strip()
    words = [t for t in sent if not t.is_punct and not t.is_space]
    if not 8 <= len(words) <= 40:
        return None
    if not text[:1].isupper() or not text.endswith(".") or "?" in text or "!" in text:
        return None
    if sent[0].lower_ in _BAD_OPENERS or re.search(r"\s[-–—]+\s|—", text):
        return None
    if _BAD_CHARS.search(text) or "’" in text:
        return None
    if re.search(r"(^|\s)'|'(\s|$|[.,])", text.replace("s' ", "s ")):
        return None  # a single quotation mark (a plural possessive "soldiers' " is fine)
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) > 0.3 * len(letters):
        return None
    if any(t.is_alpha and t.is_upper and len(t) >= 5 for t in sent):
        return None
    if any(t.lower_ in _PERSONAL and not (t.lower_ == "us" and t.text == "US") for t in sent):
        return None
    return text if _finite_clause(sent.root) else None


def news_sentences_by_text(
    texts: Sequence[str],
    nlp: Language,
    *,
    max_sentences: int,
    seed: int,
    per_text: int = 6,
) -> list[tuple[int, str]]:
    """Pick clean declarative sentences from articles, with the index of the text each came from.

    Texts are visited in a seeded random order and up to ``per_text`` sentences
    are kept from each (several per article, so that ``augment_sentences`` can
    pair sentences of one article), until ``max_sentences`` are found. A kept
    sentence has 8-40 words, a verb with a subject before it, ends with a full
    stop, and has no quotation marks, brackets, colons, URLs, handles, shouting
    capitals or first/second person pronouns (quote fragments). Curly
    apostrophes inside words become straight ones; runs of spaces become one.
    Duplicates are dropped.
    """
    if max_sentences < 0 or per_text < 1:
        raise ValueError("max_sentences must be >= 0 and per_text >= 1")
    if max_sentences == 0 or not texts:
        return []
    _check_nlp(nlp)
    rng = random.Random(seed)
    order = list(range(len(texts)))
    rng.shuffle(order)
    picked: list[tuple[int, str]] = []
    seen: set[str] = set()
    # picking needs only the parse: entities and lemmas would cost a third of the time
    unused = [name for name in ("ner", "lemmatizer") if name in nlp.pipe_names]
    with nlp.select_pipes(disable=unused):
        stream: Iterator[tuple[Doc, int]] = nlp.pipe(
            ((_normalise(texts[i]), i) for i in order), as_tuples=True, batch_size=16
        )
        for doc, i in stream:
            found = []
            for sent in doc.sents:
                text = _clean_sentence(sent)
                if text is not None and text not in seen:
                    seen.add(text)
                    found.append(text)
            if len(found) > per_text:
                keep = sorted(rng.sample(range(len(found)), per_text))
                found = [found[j] for j in keep]
            for text in found:
                picked.append((i, text))
                if len(picked) >= max_sentences:
                    return picked
    return picked


def news_sentences(
    texts: Sequence[str], nlp: Language, *, max_sentences: int, seed: int, per_text: int = 6
) -> list[str]:
    """The sentences of ``news_sentences_by_text`` without their text indices."""
    picked = news_sentences_by_text(texts, nlp, max_sentences=max_sentences, seed=seed, per_text=per_text)
    return [text for _, text in picked]
