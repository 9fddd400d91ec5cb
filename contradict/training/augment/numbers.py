"""Number and date rules: ``change_number`` and ``change_date`` (contradiction), ``vague_number`` (entailment)."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from .base import RuleContext, _entity_of, _has_downward, _render, _root
from .words import NUMBER_WORDS, REPORT_VERBS, WEEKDAYS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


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

MONTHS = (
    "January February March April May June July August September October November December".split()
)


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
