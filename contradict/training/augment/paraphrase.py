"""Rewordings that keep the claim: ``trim_clause`` and ``paraphrase_light`` (entailment)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .base import RuleContext, _final_punct, _has, _has_downward, _put_word, _render, _root, _subject, _text, _tidy
from .numbers import _exact_number
from .words import NUMBER_WORDS, REPORT_VERBS, _TAG_FORM, _inflect

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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

#: Verbs whose place or time phrase is what they say ("was born in", "is based in").
PLACE_VERBS = frozenset("bear base locate situate live reside stay lie sit stand".split())


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
