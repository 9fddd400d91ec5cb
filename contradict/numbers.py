"""Counted quantities in claims, and pairs of claims whose counts cannot both be right.

NLI cross-encoders of this size are weak on numbers: "40 prisoners will be exchanged" against
"the exchange will cover 25 prisoners" reads to them as a different sentence more than a
contradiction. Numeric mismatch is one of the commonest kinds of contradiction in news
(de Marneffe, Rafferty and Manning, "Finding Contradictions in Text", ACL 2008, count it among
the main types), and it can be checked directly: this module finds the counted quantities of a
claim (a number modifying a noun, as spaCy's parser marks it) and says where two claims count
the same thing with values that cannot both hold.

A quantity is a *value range* for a *unit*:

- the unit is the counted noun with the adjectives and nouns before it, plural folded
  ("25 political prisoners" -> "political prisoner", a different unit from "prisoner": the one
  may be part of the other), with the currency sign in front for money ("$ deal");
- the value is the number phrase ("42,000", "1.5 million", "twelve") read as a float;
- a hedge before it widens the range: "about/around/nearly/some X" is X +- 20% (:data:`APPROX`),
  "at least/more than/over X" is [X, inf), "up to/fewer than/under X" is [0, X]; a range
  ("20 to 30", "between 20 and 30") is read as unknown and never conflicts.

Two claims conflict on a unit when each counts it once and the two ranges do not overlap (a
noun counted twice in one claim, "one man ... the other two men", may be parts of a whole). Dates and times (spaCy's DATE and TIME entities: "March 14", "three days") are left out:
whether two dates can both be right depends on the event far more than counts do.

Known limits: a part against its whole ("40 prisoners, 25 of them soldiers" split over two
claims) or two different counts of the same noun (jobs cut this year vs jobs added last year)
read as a conflict; the pipeline shows the numbers as evidence and lets the NLI model veto a
pair it reads as entailment (:mod:`contradict.pipeline`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .types import ClaimPair, NumberConflict

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

#: Relative half-width of the range of an approximate count ("about 30,000").
APPROX = 0.2

_APPROX_WORDS = ("about", "around", "approximately", "roughly", "nearly", "almost", "some", "an estimated",
                 "estimated", "close to", "circa", "more or less")
_AT_LEAST = ("at least", "more than", "over", "above", "upwards of", "in excess of", "no fewer than",
             "no less than", "as many as")
_AT_MOST = ("up to", "at most", "fewer than", "less than", "under", "below", "no more than", "not more than")

_WORD_VALUES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORD_VALUES.update(thirty=30, forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90, dozen=12)
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12,
           "k": 1e3, "m": 1e6, "bn": 1e9}
_IRREGULAR_PLURALS = {"people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot",
                      "teeth": "tooth", "mice": "mouse", "geese": "goose", "police": "police", "staff": "staff"}
_CURRENCY = {"$", "\u00a3", "\u20ac", "\u00a5", "usd", "eur", "gbp", "dollars", "euros", "pounds"}
_SKIP_ENTITIES = {"DATE", "TIME", "ORDINAL"}


@dataclass(frozen=True)
class Quantity:
    """One counted quantity of a claim: ``unit`` counted (``noun`` with its qualifiers), ``low``..``high``
    its value, ``text`` as written."""

    unit: str
    low: float
    high: float
    text: str
    noun: str = ""

    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high


def number_value(words: Sequence[str]) -> float | None:
    """The value of a number phrase's words ("1.5", "million"; "twenty", "five"; "42,000"), or None."""
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        word = raw.lower().replace(",", "")
        if word in ("and", "a"):
            continue
        if re.fullmatch(r"\d+(\.\d+)?", word):
            current += float(word)
        elif word in _WORD_VALUES and word != "dozen":
            current += _WORD_VALUES[word]
        elif word in _SCALES:
            scale = _SCALES[word]
            current = (current or 1.0) * scale
            if scale >= 1e3:
                total, current = total + current, 0.0
        elif "-" in word and all(part in _WORD_VALUES for part in word.split("-")):
            current += sum(_WORD_VALUES[part] for part in word.split("-"))  # "twenty-five"
        else:
            return None
        seen = True
    return total + current if seen else None


def singular(noun: Token) -> str:
    """The counted noun's lower-cased singular (plural folded by spelling; no lemmatizer needed)."""
    word = noun.text.lower()
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if noun.tag_ not in ("NNS", "NNPS") or len(word) < 4:
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _numeric(tok: Token) -> bool:
    return tok.like_num or tok.text.lower() in _SCALES


def _number_phrase(num: Token) -> tuple[list[Token], bool]:
    """The number phrase headed by ``num`` (itself and its numeric compounds: "1.5 million",
    "twenty-five"), and whether it is one end of a range ("20 to 30", "20-30", "between 20 and 30")."""
    parts, is_range = [num], False
    for child in num.children:
        if _numeric(child):
            if child.dep_ == "compound":
                parts.append(child)
            else:
                is_range = True
    return sorted(parts, key=lambda t: t.i), is_range


def _bound(doc: Doc, start: int) -> tuple[str, int]:
    """What the words before token ``start`` make of the number: "low" (at least), "high" (at most),
    "approx" (about) or "exact"; and the token where those words start."""
    before = " ".join(t.text.lower() for t in doc[max(0, start - 3):start])
    for words, kind in ((_AT_LEAST, "low"), (_AT_MOST, "high"), (_APPROX_WORDS, "approx")):
        for w in words:
            if re.search(rf"(^|\s){re.escape(w)}$", before):
                return kind, start - len(w.split())
    return "exact", start


def quantities(doc: Doc) -> list[Quantity]:
    """The counted quantities of a parsed claim, in text order."""
    found = []
    for tok in doc:
        if tok.dep_ != "nummod" or not _numeric(tok) or tok.ent_type_ in _SKIP_ENTITIES:
            continue
        noun = tok.head
        if noun.pos_ not in ("NOUN", "PROPN") or noun.ent_type_ in _SKIP_ENTITIES:
            continue
        parts, is_range = _number_phrase(tok)
        value = None if is_range else number_value([t.text for t in parts])
        if value is None:
            continue
        start, end = parts[0].i, parts[-1].i + 1
        currency = [t for t in doc[max(0, start - 1):start] if t.text.lower() in _CURRENCY] + \
                   [c for c in tok.children if c.text.lower() in _CURRENCY]
        if currency:
            start = min(start, currency[0].i)
        kind, shown = _bound(doc, start)
        low, high = {"exact": (value, value), "low": (value, math.inf), "high": (0.0, value),
                     "approx": (value * (1 - APPROX), value * (1 + APPROX))}[kind]
        qualifiers = [c.text.lower() for c in noun.children
                      if c.dep_ in ("amod", "compound") and c.i < noun.i and not _numeric(c)]
        unit = " ".join([*qualifiers, singular(noun)])
        if currency:
            unit = f"{currency[0].text.lower()} {unit}"
        text = doc[min(shown, noun.i):max(end, noun.i + 1)].text
        found.append(Quantity(unit=unit, low=low, high=high, text=text, noun=singular(noun)))
    return found


def conflicts(a: Iterable[Quantity], b: Iterable[Quantity]) -> tuple[NumberConflict, ...]:
    """Units both claims count once each, with value ranges that do not overlap, in ``a``'s order.

    A noun a claim counts more than once, whatever its qualifiers ("one man ... the other two men"),
    is left out: its counts may be parts of a whole that the other claim counts.
    """
    def once(quantities: Iterable[Quantity]) -> dict[str, Quantity]:
        quantities = list(quantities)
        nouns = Counter(q.noun for q in quantities)
        return {q.unit: q for q in quantities if nouns[q.noun] == 1}

    in_b = once(b)
    return tuple(NumberConflict(unit=unit, a=x.text, b=in_b[unit].text)
                 for unit, x in once(a).items() if unit in in_b and not x.overlaps(in_b[unit]))


def pair_conflicts(pairs: Sequence[ClaimPair], nlp: Any) -> list[tuple[NumberConflict, ...]]:
    """The number conflicts of each pair, parsing each distinct claim text once with spaCy ``nlp``.

    A pair with a denial on either side gets none: "X denied that 40 prisoners would be freed" does
    not say how many will be.
    """
    wanted = [p for p in pairs if not (p.a.negated or p.b.negated)]
    texts = sorted({c.text for p in wanted for c in (p.a, p.b)})
    found = {t: quantities(d) for t, d in zip(texts, nlp.pipe(texts))}
    return [() if p.a.negated or p.b.negated else conflicts(found[p.a.text], found[p.b.text]) for p in pairs]
