"""Who did it: ``swap_entities`` and ``replace_agent`` (contradiction), ``generalize_agent`` (entailment, opt-in)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .base import (
    RuleContext,
    _clean_np,
    _entity_of,
    _finite_clause,
    _fit_name,
    _has_downward,
    _name_start,
    _names_overlap,
    _negated,
    _pick_entity,
    _quantified,
    _render,
    _root,
    _subject,
    _text,
)
from .words import NUMBER_WORDS, REPORT_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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
