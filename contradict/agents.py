"""Acts with one responsible agent, and pairs of claims that give such an act to different agents.

News sources that agree an event happened often disagree on who did it: one side's aide says "the
U.S. side initiated the push for the top-level talks", the other side's press office that "the
Russians expressed their desire to meet". Each sentence alone is unremarkable and an NLI
cross-encoder reads the pair as two different statements more than a contradiction, yet both
cannot hold: a meeting has one initiator. This module finds, in a parsed claim, the acts that have
a single responsible agent, and says where two claims give the same act on the same kind of event
to agents that are not the same party.

An :class:`Act` is an *act class* done by an *agent* on an *event*:

- ``initiated``: X initiated / requested / proposed / sought / suggested / asked for / pushed for /
  invited to / started / launched talks (a meeting, call, summit, negotiations, a ceasefire, a
  deal); "at X's request", "at the request of X", "on X's initiative", "at the invitation of X",
  "X's proposal for talks", "the summit was X's idea", "X floated the idea of a summit", "X made
  requests for a meeting", "X expressed its desire to meet", "X is eager to meet", "X reached out"
  (an act on "contact", of the talks class); "the request / proposal / initiative / invitation came
  from X" (event unknown when not named: "the proposal had come from the U.S. administration"),
  "the idea for the summit came from / originated with X" ("originated in X" only where X names a
  side: "in Moscow", not "in a hotel bar"); "X, not Y, proposed the talks" and the cleft "it was
  X, not Y, that proposed the talks" give the act to X alone;
- ``mediated``: X mediated / brokered / arbitrated; "X's mediation", "mediation led by X", "Qatari
  mediation", "X acted as a mediator / go-between", "a Qatar-brokered truce";
- ``struck first``: X fired / shot / attacked / struck first, fired the first shots, was the first
  to open fire; X started / provoked / sparked / triggered a clash, war or fighting (a ``caused``
  act on such an event is read as this one: "X was responsible for the war");
- ``caused``: X caused / carried out / staged / launched / was behind / was responsible for / is
  to blame for a blast, attack, strike, fire, crash or killing; X set fire to / torched / burned
  something (a fire); X fired / launched / detonated a missile, drone or bomb (a strike).

Passive voice counts as active ("the talks were requested by Moscow", "the blast was caused by a
gas leak", "a ceasefire brokered by Qatar"), and an instrument stands for whoever used it ("a
missile fired by X", "a petrol bomb thrown by Y"). Events are folded into classes
(:data:`EVENT_CLASSES`: "talks", "meeting", "summit", "call" and "negotiations" are one class;
"blast", "explosion", "attack", "strike", "sabotage" and the weapons another); an act on a noun
outside every class gives no act (who proposed *a plan* or caused *damage* can have many answers).
An act whose event is a pronoun or not named ("the American side proposed it", "Qatar mediated")
keeps event ``""``: it matches any known event of its act class in the other claim (the pair is
about one story, and "it" is most often that story's event), but never another unknown one;
"struck first" with no event named is an act on "clash".

Agents are resolved to a side with a :class:`contradict.sources.SourceBook` (default: the built-in
one; known people, bodies, aliases and side cues: "Putin", "the Kremlin", "a Kremlin aide",
"Moscow" -> "Russia") and a small table of country names, demonyms and capitals
(:data:`COUNTRIES`: "the Russians", "the Americans", "Doha"); the first cue in the agent's noun
phrase wins. An agent with no side is kept as its lower-cased head noun phrase without
determiners ("opposition protesters"). Pronouns, vague heads ("the other side", "officials", "the
government") and bare weapons give no act.

Two claims conflict on an act when each gives it, on events of one class, to one agent, and the
agents differ after resolution ("Russia" against "Kremlin" is no conflict, nor is an agent whose
words are contained in the other's: "protesters" against "masked protesters", nor two unnamed
agents of one kind, :data:`AGENT_GROUPS`: "rioters" against "opposition demonstrators"). A claim that gives
the act to two agents, jointly ("Egypt and Jordan proposed a summit", "X together with Y", "X and Y
jointly") or in two places, is left out for that act; "X or Y" gives no act, and "X and Y agreed
to meet" names no initiator at all.

A negated or unasserted act gives no :class:`Act` (whether a negated claim contradicts the other is
the negation check's business, :mod:`contradict.detect`): a negation on the act, its event or a
clause above it ("Rome did not request the talks", "no request came", "carried out no strikes",
"I don't think X asked"; not the "not" of a contrast, "X, not Y, asked"); a denial above it
("denied that", "it is untrue that", "claims that ... are a lie"); an act inside a clause that
:func:`contradict.polarity.refuted_spans` reads as denied or refuted, the same reading the
negation check makes, whatever the parse ("the press secretary's assertion that the Russian
president had sought the meeting was untrue", which the parser hangs under the clause it
refutes); a report of someone's claim or suspicion ("accused X of", "X claims to be
responsible"); "if" and "whether"; and, except for initiation (where wanting to meet is the
act), a verb of intent ("offered to mediate", "tried to burn"). A clause after a semicolon is
read on its own ("It is untrue that X asked for it; Y proposed it" gives Y's act). The denial
verbs and false words are :mod:`contradict.polarity`'s lists, not a copy.

Known limits: a person not in the source book stays a person ("Lukashenko"), so against his own
country ("Belarus") the check reads two agents; a cause and a contributing factor ("pilot error",
"a faulty sensor"), or the one who ordered an attack and the one who carried it out ("Iran was
behind it", "the Houthis launched the drones"), read as two agents; a country word that is not
the agent's ("the envoy to Moscow asked for talks") is read as its side; an act told over two
sentences ("Moscow asked for it") keeps an unknown event, and so does a proposal or request whose
event is not named ("the proposal came from X" may be of a plan, not of talks); attribution is not
an act ("Russia blamed Ukraine for the attack" gives none: the claim extractor strips such frames);
"it was not X but Y that asked" is read as negated (no act).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .polarity import DENIAL_VERBS, FALSE_WORDS, refuted_spans
from .types import AgentConflict

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

    from .sources import SourceBook

INITIATED, MEDIATED, STRUCK_FIRST, CAUSED = "initiated", "mediated", "struck first", "caused"

#: Separator of the agents of a joint act in :attr:`Act.agent` ("Egypt + Jordan").
JOINT = " + "


@dataclass(frozen=True)
class Act:
    """One act of a claim: ``act`` class done by ``agent`` (resolved; the agents of a joint act
    joined by :data:`JOINT`) on ``event`` (normalised noun, ``""`` when unknown); ``text`` as written."""

    act: str
    event: str
    agent: str
    text: str

    @property
    def joint(self) -> bool:
        return JOINT in self.agent


def _forms(*groups: str) -> frozenset[str]:
    return frozenset(w for g in groups for w in g.split())


_BE = _forms("be is are was were been being 's 're am")


# -- events --------------------------------------------------------------------------------------

#: Event classes: class -> canonical noun -> the words that name it.
EVENT_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "talks": {"talks": ("talks", "talk"), "meeting": ("meeting", "meetings", "encounter"),
              "summit": ("summit", "summits"), "call": ("call", "calls", "phonecall"),
              "conversation": ("conversation", "conversations"),
              "negotiations": ("negotiations", "negotiation"), "dialogue": ("dialogue", "dialog"),
              "contact": ("contacts",)},
    "ceasefire": {"ceasefire": ("ceasefire", "cease-fire", "truce", "armistice")},
    "deal": {"deal": ("deal", "deals"), "agreement": ("agreement", "accord", "pact", "settlement"),
             "exchange": ("exchange", "swap"), "release": ("release",)},
    "dispute": {"dispute": ("dispute", "standoff", "stand-off", "crisis")},
    "attack": {"attack": ("attack", "attacks", "assault", "raid", "raids", "ambush"),
               "blast": ("blast", "blasts"), "explosion": ("explosion", "explosions"),
               "strike": ("strike", "strikes", "airstrike", "airstrikes", "shelling"),
               "bombing": ("bombing", "bombings"), "sabotage": ("sabotage",),
               "missile": ("missile", "missiles", "rocket", "rockets", "drone", "drones", "torpedo",
                           "bomb", "bombs")},
    "clash": {"clash": ("clash", "clashes", "skirmish", "skirmishes", "firefight", "confrontation",
                        "fighting", "hostilities", "battle", "violence"),
              "war": ("war", "conflict")},
    "fire": {"fire": ("fire", "blaze", "arson")},
    "crash": {"crash": ("crash", "downing", "sinking")},
    "killing": {"killing": ("killing", "killings", "murder", "assassination", "massacre", "shooting"),
                "death": ("death", "deaths"), "poisoning": ("poisoning",)},
}
_EVENT_WORDS = {w: noun for nouns in EVENT_CLASSES.values() for noun, ws in nouns.items() for w in ws}
_CLASS_OF = {noun: cls for cls, nouns in EVENT_CLASSES.items() for noun in nouns}

#: The event classes each act is read on ("" = event not named). A "caused" act on a clash is
#: read as "struck first".
_ALLOWED = {INITIATED: {"talks", "ceasefire", "deal", ""},
            MEDIATED: {"talks", "ceasefire", "deal", "dispute", "clash", ""},
            STRUCK_FIRST: {"clash"},
            CAUSED: {"attack", "fire", "crash", "killing"}}

#: Nouns that carry an event in a prepositional phrase ("the push for talks", "a round of talks").
_CARRIERS = _forms("push process effort efforts idea plan proposal request requests initiative bid move round",
                   "resumption holding start series format")
#: Verbs that name a meeting ("the desire to meet"); "" for those whose object names it ("hold talks").
_MEET_VERBS = {"meet": "meeting", "talk": "talks", "negotiate": "negotiations", "speak": "conversation",
               "hold": "", "have": "", "arrange": "", "organise": "", "organize": ""}
_PRONOUNS = _forms("it this that them these those which one")
_RELATIVE = _forms("who that which whom")


def event_class(event: str) -> str:
    """The class of a normalised event noun ("meeting" -> "talks"; "" for an unknown event)."""
    return _CLASS_OF.get(event, event)


def _event_of(tok: Token | None, depth: int = 0) -> str | None:
    """The normalised event a noun names, ``""`` for a pronoun, None for anything else."""
    if tok is None or depth > 2:
        return None
    word = tok.text.lower()
    if word in _RELATIVE and tok.head.dep_ == "relcl":  # "the talks, which Moscow requested"
        return _event_of(tok.head.head, depth + 1)
    if word in _PRONOUNS and tok.pos_ in ("PRON", "DET"):
        return ""
    if word in _EVENT_WORDS:
        noun = _EVENT_WORDS[word]
        if event_class(noun) == "deal" and any(
                c.dep_ == "compound" and _EVENT_WORDS.get(c.text.lower()) == "ceasefire" for c in tok.children):
            return "ceasefire"  # "a ceasefire agreement"
        return noun
    if word in _CARRIERS:
        for c in tok.children:
            if c.dep_ == "prep" and c.text.lower() in ("for", "of", "on", "to"):
                for p in c.children:
                    found = _event_of(p, depth + 1) if p.dep_ == "pobj" else None
                    if found:
                        return found
            if c.dep_ in ("acl", "relcl") and c.text.lower() in _MEET_VERBS:
                found = _event_of_verb(c, depth + 1)
                if found:
                    return found
            if c.dep_ == "compound" and c.text.lower() in _EVENT_WORDS:  # "a summit proposal"
                return _EVENT_WORDS[c.text.lower()]
    return None


def _event_of_verb(verb: Token, depth: int = 0) -> str | None:
    """The event a verb of meeting names: "to meet" -> meeting; "to hold talks" -> talks."""
    named = _MEET_VERBS.get(verb.text.lower())
    if named:
        return named
    if named == "":
        for c in verb.children:
            if c.dep_ == "dobj":
                return _event_of(c, depth + 1) or None
    return None


# -- agents --------------------------------------------------------------------------------------

#: A small table of country names, demonyms (singular and plural) and capitals, used with the
#: source book's side cues (the book wins where both name a word). Matched case-sensitively.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "United States": ("United States", "U.S.", "US", "USA", "America", "American", "Americans", "Washington"),
    "Russia": ("Russia", "Russian", "Russians", "Moscow", "Kremlin"),
    "Ukraine": ("Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev"),
    "China": ("China", "Chinese", "Beijing"),
    "United Kingdom": ("United Kingdom", "Britain", "British", "Briton", "Britons", "UK", "U.K.", "London"),
    "France": ("France", "French", "Paris"),
    "Germany": ("Germany", "German", "Germans", "Berlin"),
    "Italy": ("Italy", "Italian", "Italians", "Rome"),
    "Spain": ("Spain", "Spanish", "Madrid"),
    "Poland": ("Poland", "Polish", "Warsaw"),
    "Belarus": ("Belarus", "Belarusian", "Belarusians", "Minsk"),
    "Turkey": ("Turkey", "Turkish", "Turks", "Ankara", "Türkiye"),
    "Iran": ("Iran", "Iranian", "Iranians", "Tehran"),
    "Iraq": ("Iraq", "Iraqi", "Iraqis", "Baghdad"),
    "Syria": ("Syria", "Syrian", "Syrians", "Damascus"),
    "Israel": ("Israel", "Israeli", "Israelis", "Jerusalem"),
    "Palestinians": ("Palestinian", "Palestinians", "Ramallah"),
    "Egypt": ("Egypt", "Egyptian", "Egyptians", "Cairo"),
    "Jordan": ("Jordan", "Jordanian", "Jordanians", "Amman"),
    "Lebanon": ("Lebanon", "Lebanese", "Beirut"),
    "Saudi Arabia": ("Saudi Arabia", "Saudi", "Saudis", "Riyadh"),
    "United Arab Emirates": ("United Arab Emirates", "UAE", "U.A.E.", "Emirati", "Emiratis", "Abu Dhabi"),
    "Qatar": ("Qatar", "Qatari", "Qataris", "Doha"),
    "Yemen": ("Yemen", "Yemeni", "Yemenis", "Sanaa"),
    "Afghanistan": ("Afghanistan", "Afghan", "Afghans", "Kabul"),
    "Pakistan": ("Pakistan", "Pakistani", "Pakistanis", "Islamabad"),
    "India": ("India", "Indian", "Indians", "New Delhi", "Delhi"),
    "Japan": ("Japan", "Japanese", "Tokyo"),
    "North Korea": ("North Korea", "North Korean", "North Koreans", "Pyongyang", "DPRK"),
    "South Korea": ("South Korea", "South Korean", "South Koreans", "Seoul"),
    "Taiwan": ("Taiwan", "Taiwanese", "Taipei"),
    "Vietnam": ("Vietnam", "Vietnamese", "Hanoi"),
    "Canada": ("Canada", "Canadian", "Canadians", "Ottawa"),
    "Mexico": ("Mexico", "Mexican", "Mexicans", "Mexico City"),
    "Brazil": ("Brazil", "Brazilian", "Brazilians", "Brasilia"),
    "Venezuela": ("Venezuela", "Venezuelan", "Venezuelans", "Caracas"),
    "Colombia": ("Colombia", "Colombian", "Colombians", "Bogota"),
    "Ethiopia": ("Ethiopia", "Ethiopian", "Ethiopians", "Addis Ababa"),
    "Sudan": ("Sudan", "Sudanese", "Khartoum"),
    "Armenia": ("Armenia", "Armenian", "Armenians", "Yerevan"),
    "Azerbaijan": ("Azerbaijan", "Azerbaijani", "Azerbaijanis", "Azeri", "Baku"),
    "Georgia": ("Tbilisi", "Georgian government"),
    "Greece": ("Greece", "Greek", "Greeks", "Athens"),
    "Serbia": ("Serbia", "Serbian", "Serbs", "Belgrade"),
    "Kosovo": ("Kosovo", "Pristina"),
}
_COUNTRY_CUES = {cue: side for side, cues in COUNTRIES.items() for cue in cues}

#: Agents that say nothing about who: pronouns, and heads too vague to tell two agents apart
#: (weapons are instruments: "caused by a missile" does not say whose).
_PRONOUN_AGENTS = _forms("he she it they we i you who whom that which someone somebody anyone anybody nobody",
                         "everyone everybody one this these those what whoever none both neither either each all",
                         "others")
_VAGUE_MODIFIERS = _forms("other another same opposing rival both two one each either unnamed unknown relevant",
                          "certain some several various")
_VAGUE_HEADS = _forms("side sides party parties official officials country countries government governments state",
                      "states people person man woman men women group groups leader leaders authorities source",
                      "sources administration team nation nations other others one ones individual individuals",
                      "unit units forces actor actors perpetrator perpetrators culprit culprits someone",
                      "missile missiles rocket rockets drone drones torpedo bomb bombs shell shells projectile")


@lru_cache(maxsize=1)
def _default_book() -> SourceBook:
    from .sources import SourceBook

    return SourceBook.default()


class _Cues:
    """A book's aliases and side cues with :data:`COUNTRIES` as two regexes. Aliases match
    case-insensitively except acronyms ("UN" must not match "Kim Jong Un"); side cues match
    case-sensitively, the book's winning over the table."""

    def __init__(self, book: SourceBook) -> None:
        def alternation(words: Iterable[str], flags: int) -> re.Pattern[str] | None:
            words = sorted(set(words), key=len, reverse=True)
            if not words:
                return None
            return re.compile("|".join(r"(?<![\w-])" + r"\s+".join(map(re.escape, w.split())) + r"(?![\w-])"
                                      for w in words), flags)

        self.alias_side: dict[str, str] = {}
        for entry in book.entries:
            for alias in (entry.name, *entry.aliases):
                self.alias_side.setdefault(" ".join(alias.casefold().split()), entry.side)
        aliases = [a for e in book.entries for a in (e.name, *e.aliases) if a.strip()]
        self.acronyms = alternation([a for a in aliases if a == a.upper()], 0)
        self.names = alternation([a for a in aliases if a != a.upper()], re.IGNORECASE)
        self.sides = {**_COUNTRY_CUES, **book.sides}
        self.side_re = alternation(self.sides, 0)

    def alias(self, text: str) -> str | None:
        best = None
        for pattern in (self.names, self.acronyms):
            for m in pattern.finditer(text) if pattern is not None else ():
                if best is None or len(m.group()) > len(best.group()):
                    best = m
        return None if best is None else self.alias_side.get(" ".join(best.group().casefold().split()))

    def side(self, text: str) -> str | None:
        m = self.side_re.search(text) if self.side_re is not None else None
        return None if m is None else self.sides[" ".join(m.group().split())]


_cues: weakref.WeakKeyDictionary[Any, _Cues] = weakref.WeakKeyDictionary()


def _cues_of(book: SourceBook) -> _Cues:
    cues = _cues.get(book)
    if cues is None:
        cues = _cues[book] = _Cues(book)
    return cues


def resolve_agent(text: str, book: SourceBook | None = None) -> str | None:
    """The side an agent phrase names, or None: a known person ("Putin"), a body ("the Kremlin"), an
    alias ("a Kremlin aide"), a side cue or country word ("the Russian side", "Moscow", "the Russians")."""
    book = book if book is not None else _default_book()
    text = " ".join(text.split())
    if not text:
        return None
    known = book.known_speaker(text)
    if known is not None:
        return known[0].side
    body = book.body(text)
    if body is not None:
        return body.side
    cues = _cues_of(book)
    side = cues.alias(text) or cues.side(text)
    if side is not None:
        return side
    for word in re.findall(r"\b[A-Z][\w'-]+", text):  # a known surname in a longer phrase ("President Trump")
        known = book.known_speaker(word)
        if known is not None:
            return known[0].side
    return None


def _phrase(tok: Token) -> list[Token]:
    """The tokens of the noun phrase headed by ``tok``, less relative clauses, conjuncts and negated
    appositions ("Germany, not Russia")."""
    skip: set[int] = set()
    for t in tok.subtree:
        if t.i == tok.i or t.i in skip:
            continue
        if t.head.i == tok.i and (t.dep_ in ("relcl", "conj", "cc", "preconj", "neg")
                              or (t.dep_ == "prep" and t.text.lower() == "with"
                                  and any(g.text.lower() in ("together", "along") for g in t.children))
                              or (t.dep_ == "appos" and any(c.dep_ == "neg" for c in (*t.children, *tok.children)))):
            skip.update(x.i for x in t.subtree)
    return [t for t in tok.subtree if t.i not in skip]


def _key(tok: Token) -> str:
    """An unresolved agent: its head noun with the modifiers before it, lower-cased, no determiner."""
    left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "poss", "npadvmod")]
    start = min([tok.i] + [t.i for c in left for t in c.subtree])
    words = [t for t in tok.doc[start:tok.i + 1] if t.dep_ not in ("det", "predet", "punct") or t.text == "-"]
    return " ".join(t.text.lower() for t in words).replace(" - ", "-").replace(" 's", "'s").replace(" '", "'")


def _agent_of(tok: Token, book: SourceBook) -> str | None:
    """The resolved agent of one noun (no conjuncts): a side, or its lower-cased head phrase; None for
    pronouns and vague heads."""
    text = "".join(t.text_with_ws for t in _phrase(tok)).strip()
    side = resolve_agent(re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE), book)
    if side is not None:
        return side
    word = tok.text.lower()
    if word in _PRONOUN_AGENTS or tok.pos_ == "PRON":
        return None
    key = _key(tok)
    if word in _VAGUE_HEADS and (word in _WEAPONS or set(key.split()[:-1]) <= _VAGUE_MODIFIERS):
        return None
    return key or None


def _unrelativise(tok: Token) -> Token | None:
    """The noun a relative pronoun stands for: "the country that asked" -> country; "it was Moscow
    that asked" -> Moscow; "Putin was the one who asked" -> Putin. Other nouns are returned as they are."""
    if tok.text.lower() not in _RELATIVE:
        return tok
    clause = tok.head
    if clause.dep_ == "relcl":
        noun = clause.head
        if noun.text.lower() in ("one", "first", "party", "side", "country") and noun.dep_ == "attr":
            return _subject(noun.head)
        return noun
    if clause.dep_ == "ccomp":  # cleft: "it was Moscow that asked"
        return next((c for c in clause.head.children if c.dep_ == "attr"), None)
    return None


def _agent(tok: Token | None, trigger: Token, book: SourceBook) -> str | None:
    """The resolved agent of an act: the sides of all its agents joined by :data:`JOINT` ("Egypt and
    Jordan", "Egypt, together with Qatar"; "jointly" adds an unnamed one); None when not known or
    when the agents are a choice ("X or Y")."""
    tok = _unrelativise(tok) if tok is not None else None
    if tok is None:
        return None
    for c in tok.children:  # an instrument: "a missile fired by X", "a petrol bomb thrown by Y" -> X, Y
        if c.dep_ == "acl" and c.tag_ == "VBN" and _by_agent(c) is not None:
            tok = _by_agent(c)
            break
    nouns, stack, unnamed = [], [tok], False
    while stack:  # the noun and its conjuncts
        noun = stack.pop()
        nouns.append(noun)
        for c in noun.children:
            if c.dep_ == "cc" and c.text.lower() in ("or", "nor"):
                return None
            if c.dep_ == "conj" and not any(g.dep_ == "neg" for g in c.children):
                stack.append(c)
    for c in (*tok.children, *trigger.children):
        word = c.text.lower()
        if word in ("jointly", "together", "along") or (c.dep_ == "prep" and word == "with" and any(
                g.text.lower() in ("together", "along") for g in c.children)):
            partners = [p for g in (c, *c.children) if g.text.lower() == "with"
                        for p in g.children if p.dep_ == "pobj"]
            nouns.extend(partners)
            unnamed = unnamed or not partners
    agents = [_agent_of(n, book) for n in nouns]
    if any(a is None for a in agents):
        return None
    unique = sorted(set(agents))
    return JOINT.join(unique + (["others"] if unnamed and len(nouns) == 1 else []))


_HELD = _forms("held considered deemed")


def _subject(verb: Token) -> Token | None:
    """The active subject of a verb, inherited from the verb it is a complement or conjunct of."""
    for _ in range(4):
        for c in verb.children:
            if c.dep_ == "nsubj":
                return c
        if verb.dep_ == "xcomp" and verb.head.text.lower() in _BE:
            return None  # "the job was to reach out": the subject of "be" is not the doer
        if verb.dep_ in ("xcomp", "conj", "acomp", "attr") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
            verb = verb.head
        else:
            return None
    return None


def _by_agent(verb: Token) -> Token | None:
    """The "by" agent of a passive verb."""
    for c in verb.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.text.lower() == "by"):
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def _passive(verb: Token) -> bool:
    """Passive voice, or a participle that modifies its patient ("the talks requested by X"); not a
    perfect the parser hangs as a modifier ("the assertion that the president had sought the meeting")."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "amod", "advcl") and not any(
            c.dep_ == "nsubj" or (c.dep_ == "aux" and c.text.lower() in ("has", "have", "had", "having"))
            for c in verb.children))


# -- negation and assertion ----------------------------------------------------------------------

#: Words above an act that say it did not happen or is not asserted ("denied that", "it is untrue
#: that", "claims that ... are a lie", "refused to mediate"): the denial verbs and false words of
#: :mod:`contradict.polarity` (one list, kept there) and a few of refusal and doubt.
_DENIALS = DENIAL_VERBS | FALSE_WORDS | _forms(
    "absurd ridiculous impossible doubt doubts doubted unlikely refused refuses refuse declined declines decline",
    "fail failed fails")
_UNASSERTED_MARKS = _forms("if whether unless")
_QUESTION_HEADS = _forms("whether question asked asks ask wondered wonder unclear unknown")
#: Words that report an act as someone's claim or suspicion ("X claims to be responsible", "X was
#: accused of carrying out"): the claim is not the claimant's act.
_REPORTED = _forms("claim claims claimed claiming allege alleges alleged alleging accuse accuses accused accusing",
                   "accusation accusations allegation allegations suspect suspects suspected suspicion suspicions",
                   "rumour rumours rumor rumors rumoured rumored")
#: Verbs and adjectives of intent: "X offered to mediate", "X planned to attack" do not say it was done
#: (for an initiation the intent is the act: "X sought to meet").
_INTENT_HEADS = _forms("offer offers offered offering want wants wanted hope hopes hoped try tries tried attempt",
                       "attempts attempted intend intends intended plan plans planned aim aims aimed threaten threatens",
                       "threatened expect expects expected seek seeks sought propose proposes proposed promise promised",
                       "promises vow vowed vows pledge pledged pledges agree agreed agrees ready willing prepared",
                       "able eager keen set going")


def _contrastive(neg: Token) -> bool:
    """True for the "not" of a contrast on a noun ("Washington, not Moscow, proposed"; "it was
    Washington, not Moscow, that proposed"): it negates the apposition or conjunct after it, not the act."""
    noun = neg.head
    nxt = neg.i + 1
    return noun.pos_ in ("NOUN", "PROPN") and nxt < len(neg.doc) and any(
        c.dep_ in ("appos", "conj") and c.i > neg.i and c.left_edge.i <= nxt <= c.right_edge.i
        for c in noun.children)


def _negated(tok: Token, intent: bool = True) -> bool:
    """True when ``tok``'s act is negated or not asserted: a negation ("not", "never", "no") on it or
    on a clause above it (not through a conjunct with its own subject), a denial above it, an "if" /
    "whether" clause, or (with ``intent``) a verb of intent it complements."""
    node, child = tok, None
    for _ in range(12):
        affirmed = node.text.lower() in ("doubt", "question") and any(
            c.text.lower() == "no" for c in node.children)  # "there is no doubt that ..."
        carries = child is None or child.dep_ != "conj" or not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
        for c in node.children:
            if child is not None and c.i == child.i:
                continue
            word = c.text.lower()
            if carries and not affirmed and ((c.dep_ == "neg" and not _contrastive(c))
                                             or (c.dep_ == "det" and word in ("no", "neither"))):
                return True
            if c.dep_ == "mark" and word in _UNASSERTED_MARKS and (child is None or child.dep_ != "conj"):
                return True
            if child is not None and c.dep_ in ("acomp", "attr") and word in _DENIALS:
                return True
        if child is not None and not affirmed and node.text.lower() in _DENIALS and not (
                node.pos_ == "NOUN" and node.text.lower() in _EVENT_WORDS):  # "the dispute that ...": an event
            return True
        if child is not None and child.dep_ in ("ccomp", "xcomp") and node.text.lower() in _QUESTION_HEADS:
            return True
        if intent and child is not None and child.dep_ in ("xcomp", "acl") and node.text.lower() in _INTENT_HEADS:
            return True
        if child is not None and node.text.lower() in _REPORTED:
            return True
        if node.head.i == node.i:
            return False
        lo, hi = sorted((node.i, node.head.i))
        if any(t.text == ";" for t in node.doc[lo:hi]):
            return False  # a clause after a semicolon stands on its own, whatever the parser hung it on
        node, child = node.head, node
    return False


# -- triggers ------------------------------------------------------------------------------------

_INITIATE_VERBS = _forms("initiate initiates initiated initiating request requests requested requesting propose",
                         "proposes proposed proposing seek seeks sought seeking suggest suggests suggested",
                         "suggesting invite invites invited inviting")
_ASK_VERBS = _forms("ask asks asked asking push pushes pushed pushing press presses pressed pressing")
_REACH_VERBS = _forms("reach reaches reached reaching")
_START_VERBS = _forms("start starts started starting begin begins began begun beginning launch launches launched",
                      "launching initiate initiates initiated initiating")
_PROVOKE_VERBS = _forms("provoke provokes provoked provoking spark sparks sparked sparking instigate instigates",
                        "instigated instigating unleash unleashes unleashed unleashing")
_TRIGGER_VERBS = _forms("trigger triggers triggered triggering ignite ignites ignited igniting")
_MEDIATE_VERBS = _forms("mediate mediates mediated mediating broker brokers brokered brokering arbitrate",
                        "arbitrates arbitrated arbitrating")
_OPEN = _forms("open opens opened opening")
_FIRE_VERBS = _forms("fire fires fired firing shoot shoots shot shooting attack attacks attacked attacking",
                     "strike strikes struck striking shell shells shelled shelling launch launches launched",
                     "launching") | _OPEN
_LAUNCH_VERBS = _forms("fire fires fired firing shoot shoots shot launch launches launched launching",
                       "detonate detonates detonated detonating plant planted plants")
_CAUSE_VERBS = _forms("cause causes caused causing perpetrate perpetrates perpetrated perpetrating orchestrate",
                      "orchestrates orchestrated orchestrating stage stages staged staging commit commits committed",
                      "committing conduct conducts conducted conducting mount mounts mounted mounting")
_CARRY_VERBS = _forms("carry carries carried carrying")
_BURN_VERBS = _forms("burn burns burned burnt burning torch torches torched torching")
_SET_VERBS = _forms("set sets setting")
_INITIATE_NOUNS = _forms("request requests initiative proposal proposals invitation invitations suggestion",
                         "behest urging bid insistence idea")
#: Nouns of initiation that name the story's event even when it is not said: "the proposal came from
#: Washington" (an idea or a bid that came from X may be of anything).
_PROPOSAL_NOUNS = _forms("request requests initiative proposal proposals invitation invitations")
_ORIGIN_VERBS = _forms("come came comes coming originate originates originated originating stem stems stemmed")
_DESIRE_NOUNS = _forms("desire wish eagerness")
_EAGER = _forms("eager keen anxious")
_MEDIATE_NOUNS = _forms("mediation mediator mediators intermediary intermediaries go-between broker brokers",
                        "arbitration arbitrator")
#: Verbs whose object noun is the act ("made a request", "expressed the desire", "led the mediation").
_LIGHT_VERBS = _forms("make makes made making submit submits submitted send sends sent issue issues issued",
                      "extend extends extended put puts present presents presented table tabled express expresses",
                      "expressed voice voiced convey conveyed signal signals signaled signalled repeat repeated",
                      "renew renewed reiterate reiterated lead leads led conduct conducted provide provided",
                      "float floats floated")
_FIRST_SHOTS = _forms("shot shots salvo bullet bullets strike attack volley")
_WEAPONS = _forms("missile missiles rocket rockets drone drones torpedo bomb bombs")
_HYPHENATED = re.compile(r"^(.+?)-(brokered|mediated)$", re.IGNORECASE)


class _Finder:
    """The acts of one parsed claim."""

    def __init__(self, doc: Doc, book: SourceBook) -> None:
        self.doc, self.book = doc, book
        self.found: list[Act] = []
        self.refuted = refuted_spans(doc)  # clauses a denial or refutation says are false

    def add(self, act: str, event: str | None, who: Token | str | None, trigger: Token,
            extra: Iterable[Token | None] = ()) -> None:
        """Keep an act when its event is one it is read on, it is asserted, and its agent is known
        (``who`` is the agent's noun or, for "U.S.-brokered", its resolved name)."""
        if event is None or who is None:
            return
        if act == CAUSED and event_class(event) == "clash":
            act = STRUCK_FIRST
        if event_class(event) not in _ALLOWED[act] or _negated(trigger, intent=act != INITIATED) or any(
                start <= trigger.i < end for start, end in self.refuted):
            return
        if any(t is not None and any(c.dep_ in ("det", "neg") and c.text.lower() in ("no", "not", "neither")
                                     for c in t.children) for t in extra):
            return  # "carried out no strikes"
        if isinstance(who, str):
            agent, tokens = who, [trigger]
        else:
            agent = _agent(who, trigger, self.book)
            noun = _unrelativise(who) or who
            tokens = [who, trigger, *_phrase(noun)]
        if agent is None:
            return
        tokens += [t for t in extra if t is not None]
        start, end = min(t.i for t in tokens), max(t.i for t in tokens)
        self.found.append(Act(act=act, event=event, agent=agent, text=self.doc[start:end + 1].text))

    def run(self) -> list[Act]:
        for tok in self.doc:
            word = tok.text.lower()
            if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                self.verb(tok, word)
            if word in _INITIATE_NOUNS | _DESIRE_NOUNS and tok.pos_ in ("NOUN", "PROPN"):
                self.noun(INITIATED, tok, word)
            elif word in _MEDIATE_NOUNS or (word == "between" and any(c.text.lower() == "go" for c in tok.children)):
                self.noun(MEDIATED, tok, word)
            if word in ("behind", "responsible", "responsibility") or (word == "blame" and tok.dep_ == "xcomp"):
                self.blame(tok, word)
            if word in _EAGER and tok.dep_ == "acomp":  # "X is eager to meet"
                for c in tok.children:
                    if c.dep_ == "xcomp" and c.text.lower() in _MEET_VERBS:
                        self.add(INITIATED, _event_of_verb(c), _subject(tok.head), tok, (c,))
            if word == "first" and tok.head.text.lower() in _BE:  # "X was the first to open fire"
                for c in tok.children:
                    if c.dep_ in ("relcl", "acl", "xcomp") and c.text.lower() in _FIRE_VERBS and (
                            c.text.lower() not in _OPEN or any(g.text.lower() == "fire" for g in c.children)):
                        self.add(STRUCK_FIRST, "clash", _subject(tok.head), c, (tok, *c.children))
            m = _HYPHENATED.match(tok.text)
            if m and tok.dep_ == "amod":  # "a U.S.-brokered ceasefire" (one token)
                self.add(MEDIATED, _event_of(tok.head), resolve_agent(m.group(1), self.book) or m.group(1).lower(),
                         tok, (tok.head,))
        return list(dict.fromkeys(self.found))

    # -- verbs

    def obj_event(self, verb: Token, preps: Iterable[str] = (), meet: bool = False,
                  objects: bool = True) -> tuple[str | None, Token | None]:
        """The event of a verb: the passive subject (or the noun a participle modifies), else the
        object, a prepositional object (``preps``), or with ``meet`` a verb of meeting under it
        ("sought to meet"; "began to talk" is no act)."""
        if _passive(verb):
            subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if subj is None and verb.dep_ in ("acl", "amod"):
                subj = verb.head
            return _event_of(subj), subj
        for c in verb.children:
            if objects and c.dep_ in ("dobj", "attr"):
                found = _event_of(c)
                if found is not None:
                    return found, c
        for c in verb.children:
            if c.dep_ in ("prep", "dative") and c.text.lower() in preps:
                for p in c.children:
                    if p.dep_ == "pobj" and _event_of(p) is not None:
                        return _event_of(p), p
            if meet and c.dep_ in ("xcomp", "ccomp", "advcl") and c.text.lower() in _MEET_VERBS:
                found = _event_of_verb(c)
                if found:
                    return found, c
        return None, None

    def doer(self, verb: Token) -> Token | None:
        return _by_agent(verb) if _passive(verb) else _subject(verb)

    def hyphen_agent(self, tok: Token) -> Token | None:
        """The agent of a participle written with a hyphen over two tokens ("Qatar - brokered")."""
        if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].pos_ in ("PROPN", "ADJ"):
            return tok.doc[tok.i - 2]
        return None

    def verb(self, tok: Token, word: str) -> None:
        dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        first = any(c.text.lower() == "first" and c.dep_ in ("advmod", "npadvmod", "amod", "oprd")
                    for c in tok.children)
        opens_fire = word in _OPEN and dobj is not None and dobj.text.lower() == "fire"
        if word in _MEDIATE_VERBS:
            by_hyphen = self.hyphen_agent(tok)
            if by_hyphen is not None:
                self.add(MEDIATED, _event_of(tok.head) if tok.dep_ == "amod" else None, by_hyphen, tok, (tok.head,))
                return
            event, ev = self.obj_event(tok, ("in", "on", "for", "of"))
            if event is None and not _passive(tok) and dobj is None:
                event = ""  # "Qatar mediated (between them)"
            self.add(MEDIATED, event, self.doer(tok), tok, (ev,))
        elif word in _FIRE_VERBS and first and (word not in _OPEN or opens_fire):  # "X fired first"
            event, ev = self.obj_event(tok, ("in", "during"))
            self.add(STRUCK_FIRST, event if event and event_class(event) == "clash" else "clash",
                     self.doer(tok), tok, (ev, *(c for c in tok.children if c.text.lower() == "first")))
        elif word in _FIRE_VERBS and dobj is not None and dobj.text.lower() in _FIRST_SHOTS and any(
                g.text.lower() == "first" for g in dobj.children):  # "X fired the first shots"
            self.add(STRUCK_FIRST, "clash", self.doer(tok), tok, (dobj,))
        elif opens_fire:
            return  # opening fire, not first, says nothing of who started
        elif word in _LAUNCH_VERBS and self.weapon(tok) is not None:  # "X fired the missile"
            self.add(CAUSED, "missile", self.hyphen_agent(tok) or self.doer(tok), tok, (self.weapon(tok),))
        elif word in _START_VERBS | _PROVOKE_VERBS | _TRIGGER_VERBS and self.obj_event(tok)[0]:
            event, ev = self.obj_event(tok)
            cls = event_class(event)
            if cls == "clash":
                act = STRUCK_FIRST
            elif word in _START_VERBS and cls in ("talks", "ceasefire", "deal"):
                act = INITIATED
            elif word in _START_VERBS | _TRIGGER_VERBS and cls in ("attack", "fire"):
                act = CAUSED
            else:
                return
            self.add(act, event, self.doer(tok), tok, (ev,))
        elif word in _INITIATE_VERBS or (word in _ASK_VERBS and not _passive(tok)):
            asks = word in _ASK_VERBS
            event, ev = self.obj_event(tok, ("for",) if asks else ("for", "to"), meet=True,
                                       objects=not asks and not word.startswith("inv"))  # invited *them* to
            if event is None and not asks and not word.startswith("inv") and dobj is not None \
                    and _event_of(dobj) == "":
                event, ev = "", dobj  # "the American side proposed it"
            self.add(INITIATED, event, self.doer(tok), tok, (ev,))
        elif word in _REACH_VERBS and any(c.dep_ == "prt" and c.text.lower() == "out" for c in tok.children):
            self.add(INITIATED, "contact", self.doer(tok), tok, (c for c in tok.children if c.dep_ == "prt"))
        elif word in _BURN_VERBS and (dobj is not None or _by_agent(tok) is not None):  # "X torched the truck"
            self.add(CAUSED, "fire", self.doer(tok), tok, (dobj,))
        elif word in _SET_VERBS and self.sets_fire(tok):  # "X set fire to", "set it on fire / alight"
            self.add(CAUSED, "fire", self.doer(tok), tok,
                     (dobj, *(t for c in tok.children if c.dep_ == "prep" and c.text.lower() == "on" for t in c.subtree)))
        elif word in _CAUSE_VERBS or (word in _CARRY_VERBS and any(
                c.dep_ == "prt" and c.text.lower() == "out" for c in tok.children)):
            event, ev = self.obj_event(tok)
            self.add(CAUSED, event, self.hyphen_agent(tok) or self.doer(tok), tok, (ev,))

    def sets_fire(self, verb: Token) -> bool:
        for c in verb.children:
            word = c.text.lower()
            if word in ("alight", "ablaze") or (c.dep_ == "dobj" and word == "fire") or (
                    c.dep_ == "prep" and word == "on" and any(p.text.lower() == "fire" for p in c.children)):
                return True
            if c.dep_ == "dobj" and any(g.text.lower() in ("alight", "ablaze") for g in c.children):
                return True
        return False

    def weapon(self, verb: Token) -> Token | None:
        if _passive(verb):
            noun = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            if noun is None and verb.dep_ in ("acl", "amod"):
                noun = verb.head
        else:
            noun = next((c for c in verb.children if c.dep_ == "dobj"), None)
        return noun if noun is not None and noun.text.lower() in _WEAPONS else None

    # -- nouns

    def noun(self, act: str, tok: Token, word: str) -> None:
        """Acts named by a noun: "at X's request", "the request of X", "X's proposal for talks", "X made
        requests for a meeting", "X expressed its desire to meet", "Qatari mediation", "X acted as
        mediator", "mediation led by X"."""
        agent: Token | None = None
        event: str | None = None
        ev: Token | None = None
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ != "PRON":  # "their desire": the subject of "expressed" says whose
                agent = c
        for c in tok.children:
            if agent is None and c.dep_ in ("amod", "compound", "nmod") and c.i < tok.i \
                    and resolve_agent(c.text, self.book):
                agent = c  # "a Russian request", "Qatari mediation"
            elif c.dep_ == "prep":
                prep = c.text.lower()
                for p in (p for p in c.children if p.dep_ == "pobj"):
                    found = _event_of(p)
                    if found and prep in ("for", "to", "in", "on", "of"):
                        event, ev = found, p
                    elif agent is None and (prep in ("by", "from") or (prep == "of" and found is None)):
                        agent = p
            elif c.dep_ in ("acl", "relcl") and c.text.lower() in _MEET_VERBS:
                event, ev = _event_of_verb(c), c
            elif agent is None and c.dep_ == "acl" and c.tag_ == "VBN":  # "mediation led by X"
                agent = _by_agent(c)
        if event is None and word in _DESIRE_NOUNS:
            return  # a wish for something other than a meeting
        head, trigger = tok.head, tok
        if tok.dep_ == "pobj" and head.text.lower() in ("at", "on", "upon", "through", "with", "under", "after",
                                                         "following", "via", "by"):
            if event is None:  # "the call was made at Berlin's request": the event is what the clause says
                event, ev = self.clause_event(head.head)
        elif tok.dep_ == "dobj" and head.text.lower() in _LIGHT_VERBS:
            agent, trigger = agent or self.doer(head), head
        elif tok.dep_ == "nsubjpass" and head.text.lower() in _LIGHT_VERBS:
            agent, trigger = agent or _by_agent(head), head  # "requests were made by X"
        elif tok.dep_ == "pobj" and head.text.lower() == "as" and head.head.pos_ in ("VERB", "AUX"):
            agent = agent or _subject(head.head)  # "X acted as a mediator"
        elif tok.dep_ == "attr" and head.text.lower() in _BE:
            if agent is None and act == MEDIATED:
                agent = _subject(head)  # "X was the mediator"
            elif event is None:
                event, ev = self.clause_event(head)  # "the meeting was Moscow's initiative"
        elif tok.dep_ == "nsubj" and head.text.lower() in _ORIGIN_VERBS and agent is None:
            agent = self.origin(head)  # "the request came from X", "the idea originated in Moscow"
            if event is None and agent is not None and word in _PROPOSAL_NOUNS:
                event = ""  # "the proposal came from Washington": the story's event
        if event is None and act == MEDIATED:
            event = ""
        if event is not None:
            self.add(act, event, agent, trigger, (tok, ev))

    def origin(self, verb: Token) -> Token | None:
        """Where a verb of origin says something came from: "came from X", "originated with X"; "in X"
        only for a place that names a side ("originated in Moscow", not "in a hotel bar")."""
        for c in verb.children:
            prep = c.text.lower()
            if c.dep_ != "prep" or prep not in ("from", "with", "in"):
                continue
            for p in c.children:
                if p.dep_ == "pobj" and (prep != "in" or resolve_agent(p.text, self.book)):
                    return p
        return None

    def clause_event(self, head: Token) -> tuple[str | None, Token | None]:
        """The event of the clause or noun a phrase such as "at X's request" modifies."""
        if head.pos_ in ("NOUN", "PROPN"):
            return _event_of(head), head
        if _MEET_VERBS.get(head.text.lower()):  # "Obama will meet Putin at Putin's request"
            return _MEET_VERBS[head.text.lower()], head
        for dep in ("nsubjpass", "nsubj", "dobj", "attr"):
            for c in head.children:
                if c.dep_ == dep and _event_of(c):
                    return _event_of(c), c
        return None, None

    # -- blame

    def blame(self, tok: Token, word: str) -> None:
        """X was behind / is responsible for / is to blame for / bears responsibility for an event."""
        if word == "behind":
            if tok.dep_ != "prep" or tok.head.text.lower() not in _BE | _forms("stand stands stood"):
                return
            pobj = next((p for p in tok.children if p.dep_ == "pobj"), None)
            event = _event_of(pobj)
            if not event:  # "Iran was behind the drone strikes" parsed with "strikes" as attr
                attr = next((c for c in tok.head.children if c.dep_ == "attr"), None)
                event, pobj = (_event_of(attr), attr) if attr is not None else (None, pobj)
            self.add(CAUSED, event or None, _subject(tok.head), tok, (pobj,))
            return
        target = next((p for c in tok.children if c.dep_ == "prep" and c.text.lower() == "for"
                       for p in c.children if p.dep_ == "pobj"), None)
        event = _event_of(target)
        if not event:
            return
        head = tok.head
        if word == "responsibility":
            if tok.dep_ == "dobj" and head.text.lower() in _forms("bear bears bore borne take takes took taken"):
                self.add(CAUSED, event, _subject(head), head, (tok, target))
        elif head.text.lower() in _HELD and tok.dep_ in ("oprd", "acomp", "xcomp"):
            self.add(CAUSED, event, next((c for c in head.children if c.dep_ == "nsubjpass"), None), tok, (target,))
        elif tok.dep_ in ("acomp", "xcomp", "attr") and head.text.lower() in _BE:
            self.add(CAUSED, event, _subject(head), tok, (target,))


def acts(doc: Doc, book: SourceBook | None = None) -> list[Act]:
    """The one-agent acts of a parsed claim, in text order of their trigger, each once; agents resolved
    with ``book`` (default: the built-in :meth:`contradict.sources.SourceBook.default`)."""
    return _Finder(doc, book if book is not None else _default_book()).run()


# -- conflicts -----------------------------------------------------------------------------------

#: Common nouns that name one kind of agent: two unresolved agents with heads of one group may be
#: the same people under two words ("anti-government protesters", "opposition demonstrators").
AGENT_GROUPS: dict[str, tuple[str, ...]] = {
    "protesters": ("protester", "protesters", "protestor", "protestors", "demonstrator", "demonstrators",
                   "rioter", "rioters", "activist", "activists", "crowd", "mob"),
    "soldiers": ("soldier", "soldiers", "troops", "army", "military", "servicemen", "serviceman", "personnel"),
    "police": ("police", "policeman", "policemen", "officer", "officers", "cops", "gendarmes"),
    "militants": ("militant", "militants", "fighter", "fighters", "insurgent", "insurgents", "rebel", "rebels",
                  "gunman", "gunmen", "militia", "militiamen", "guerrillas", "jihadists", "attacker", "attackers",
                  "terrorist", "terrorists"),
}
_GROUP_OF = {w: group for group, words in AGENT_GROUPS.items() for w in words}


def _words(agent: str) -> set[str]:
    return set(re.findall(r"[\w.-]+", agent.lower().replace("'s", "")))


def same_agent(x: str, y: str) -> bool:
    """True when two resolved agents may be one: equal, the words of one contained in the other's
    ("protesters" and "opposition protesters"), or two unresolved agents whose heads are of one
    group of :data:`AGENT_GROUPS` ("rioters" and "anti-government demonstrators")."""
    if x.lower() == y.lower():
        return True
    wx, wy = _words(x), _words(y)
    if wx and wy and (wx <= wy or wy <= wx):
        return True
    hx, hy = x.split()[-1], y.split()[-1]
    return x == x.lower() and y == y.lower() and hx in _GROUP_OF and _GROUP_OF[hx] == _GROUP_OF.get(hy)


def _events_match(x: str, y: str) -> bool:
    """One event class; an unknown event matches a known one, never another unknown one."""
    if not x or not y:
        return bool(x) != bool(y)
    return event_class(x) == event_class(y)


def _several(claim: Sequence[Act], act: Act) -> bool:
    """True when a claim gives ``act`` to more than one agent: jointly, or in two places."""
    return act.joint or any(
        o.act == act.act and (not o.event or not act.event or event_class(o.event) == event_class(act.event))
        and (o.joint or not same_agent(o.agent, act.agent)) for o in claim)


def conflicts(a: Sequence[Act], b: Sequence[Act]) -> tuple[AgentConflict, ...]:
    """The acts both claims give, on events of one class, each to a single agent, and to different
    agents; in ``a``'s order, one conflict per act, event class and pair of agents."""
    found: dict[tuple[str, str, str, str], AgentConflict] = {}
    for x in a:
        if _several(a, x):
            continue
        for y in b:
            if x.act != y.act or not _events_match(x.event, y.event) or _several(b, y) \
                    or same_agent(x.agent, y.agent):
                continue
            key = (x.act, event_class(x.event or y.event), x.agent.lower(), y.agent.lower())
            found.setdefault(key, AgentConflict(act=x.act, event=x.event or y.event, agent_a=x.agent,
                                                agent_b=y.agent, a=x.text, b=y.text))
    return tuple(found.values())
