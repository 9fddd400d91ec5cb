"""Reporting frames: ``deny_frame`` (contradiction), ``drop_report_frame`` and ``add_report_frame`` (entailment)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import RuleContext, _auxes, _final_punct, _fit_name, _negated, _pick_entity, _root, _subject, _text, _tidy
from .words import REPORT_VERBS, WEAK_MODALS

if TYPE_CHECKING:
    from spacy.tokens import Doc


#: Sentence-initial connectives without content of their own, dropped before embedding.
DISCOURSE_ADVERBS = frozenset("meanwhile however additionally furthermore moreover separately also".split())

TITLES = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Sir Dame Lord Lady St St.".split())

GENERIC_SPEAKERS = ("Officials", "A spokesperson", "Authorities", "The government")


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
