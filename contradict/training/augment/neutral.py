"""Hard neutral pairs: ``same_article``, ``add_detail`` and ``add_manner``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    RuleContext,
    _auxes,
    _final_punct,
    _fit_name,
    _has_downward,
    _pick_entity,
    _render,
    _root,
    _same,
    _subject,
    _text,
    _tidy,
)
from .words import REPORT_VERBS, WEEKDAYS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


#: Common nouns for people and institutions that act.
AGENT_NOUNS = frozenset(
    "official government minister president leader police company court council committee "
    "parliament lawmaker legislator congress senate board army military spokesman spokeswoman "
    "spokesperson authority agency ministry administration party group team club union firm "
    "prosecutor judge officer regulator coalition rebel militant protester activist".split()
)

#: Verbs of states rather than events: a day, place or manner added to them reads oddly.
STATIVE_VERBS = frozenset(
    "be have believe know think seem appear remain belong contain consist own want need like "
    "love hate mean include".split()
)

TIME_WORDS = frozenset(
    "yesterday today tonight tomorrow earlier later recently now currently morning afternoon "
    "evening night week weekend month year day days weeks months years ago".split()
)

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
