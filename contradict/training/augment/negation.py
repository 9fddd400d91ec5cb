"""Polarity rules: ``negate_verb`` and ``antonym_swap`` (contradiction)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .base import RuleContext, _auxes, _has, _put_word, _quantified, _render, _root, _subject
from .words import DOWNWARD, REPORT_VERBS, WEAK_MODALS, _TAG_FORM, _inflect

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


#: Words under which a statement and its antonymous twin can both hold.
NEGATIVE_CONTEXT = DOWNWARD - frozenset("few fewer less only every all each any".split())

#: Words that already make a clause negative.
NEGATIVE_WORDS = frozenset("no none nothing nobody neither nor never without".split())

#: Adverbs that already negate a verb.
NEGATIVE_ADVERBS = frozenset("never hardly barely scarcely rarely seldom".split())

#: Adverbs that make "not" ambiguous or odd ("has not long been", "does not usually").
SCOPE_ADVERBS = frozenset(
    "long already still just even only ever yet always usually often sometimes mostly largely "
    "generally typically reportedly allegedly apparently probably possibly perhaps".split()
)


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
