"""Counted quantities in claims, and pairs of claims whose counts cannot both be right.

NLI cross-encoders of this size are weak on numbers: "40 prisoners will be exchanged" against
"the exchange will cover 25 prisoners" reads to them as a different sentence more than a
contradiction. Numeric mismatch is one of the commonest kinds of contradiction in news
(de Marneffe, Rafferty and Manning, "Finding Contradictions in Text", ACL 2008, count it among
the main types), and it can be checked directly: this module finds the quantities of a claim and
says where two claims give the same quantity values that cannot both hold.

A quantity is a *value range* for a *unit*. The number phrase is read from the words (so that
ranges and hedges do not depend on the parse) and its unit from spaCy's parse around it:

- a counted noun ("25 political prisoners" -> "political prisoner", plural folded; a past
  participle that restricts it is kept: "cars sold in the US" -> "car sell"), with the currency
  in front for money ("$5 billion deal" -> "$ deal"; "$", "US$", "dollars", "USD" are one
  currency; an amount with no noun is read by its verb: "lost $2bn" -> "$ lose");
- a count of people under its usual wordings: killed / died / dead / death toll / fatalities /
  lives lost -> "dead"; injured / wounded / hurt -> "injured"; arrested / detained ->
  "arrested"; attended / marched / took part / protesters / crowd / turnout -> "participants".
  The number may be the subject ("14 died", "12 were killed"), the object ("killing 12"), count
  a noun ("12 people were killed", "eight protesters killed") or be the value of a predicate
  ("the toll stood at 14", "the toll is 14", "a toll of 14", "the number of people killed is
  14"). A count of plain people (people, victims, lives) is the unit itself, a count of a kind of
  them a part of it ("dead soldier"); "nobody died" / "no one was hurt" is a count of 0;
- a share: "42%", "42 percent", "42 per cent", "a third of", "half of", "two-thirds of" (a
  fraction is read +- 20%), by what it is a share of or describes: "% of voter back plan" (verb
  and object kept: shares of one group for different things are different units), "% turnout"
  ("turnout of 61%", "61 percent turnout", "turnout was 61%", "61% of voters took part"; a place
  after it stays: "% turnout in sevastopol"), "% fall deportation" ("deportations fell 31
  percent"), "% rise" ("a 5% rise"); "percentage points" are a unit of their own;
- a year that ends something: "extended the agreement until 2033", "a ban until 2030", "cut
  emissions by 2030" -> "agreement extend until", "ban until", "emission cut by". Only years
  after until / till / through / by (and "to" after extend), with a noun that holds the
  deadline; any other year is a time, not a quantity.

The value: "42,000", "1.5 million", "1.5m", "$2bn", "twenty-five", "half a million", "a dozen"
(10..14), "dozens of" (24..99), "tens of" (20..99), "hundreds of" (200..999), "thousands /
millions of" (2..99.99 thousand / million: "thousands" is used for tens of thousands too),
"several hundred" (200..999), "a handful" (2..10); a range "between 100 and 300", "100 to 300",
"100-300", "a 100-to-300 range", "two or three" is [low, high]. Hedges widen it: "about / around
/ some / an estimated X" is X +- 20% (:data:`APPROX`), "nearly / almost X" is [80% X, X], "at
least / more than / over X" and "X or more" are [X, inf), "up to / fewer than / under / as many
as X" are [0, X]. A value is only as exact as it is written (``Quantity.slack``): "1.5 million"
may be 1.45..1.55 million, "83 percent" 82.5..83.5, "$2bn" +- 10%; and values closer than
:data:`MARGIN` (1%) are the same ("1,300" and "1,301").

Two claims conflict on a unit when each gives it once and the two ranges are apart, or when a
plain count of people ("the death toll is 20", "nobody died") is below a count of a kind of them
in the other claim ("25 soldiers were killed", "eight protesters killed"). Left out, as not one
quantity of one moment:

- numbers that are not quantities: dates, times, ages ("a 45-year-old", "a man, 45,", "aged
  45", "he was 45"), ordinals, years as times ("in 2019", "the 2019 election"), names ("Boeing
  737", "Article 5": a number after its noun), hyphenated modifiers ("a 15-member team"), a
  number "of" others ("40 of them children", "12 of the prisoners"), increments ("30 more",
  "another 30"), distributives ("90 prisoners each"), changes "from 12 to 20", arithmetic
  ("10 minus 4"), negated predicates ("were not killed", "no billions"), disjunctions ("killed or
  missing"), the value of a plain noun with no count behind it ("the population was 7,861": of
  what?);
- a unit a claim gives more than once, or whose noun also appears with "other" / "another"
  ("one man ... the other two men": parts of a whole); a count of one against a claim that
  speaks of parts ("two workers, one is bent over");
- a pair whose sentences carry different time markers: a count that changes ("rose to",
  "climbed", "so far", "later", "initially", "at first", "now"; "reached" for counts of people)
  on either side; different rates ("a day", "every week", "annually" = "each year"); a
  hypothetical ("would", "could", "may") on one side only; explicit dates on both sides neither
  of which contains the other ("October 1" vs "October 20"; "2010" and "January 2010" agree);
  places on both sides with none in common (GPE / LOC / FAC / NORP entities, matched on their
  first five letters so that "Crimea" and "Crimean" agree).

Known limits: one count under two different nouns ("6,200 people attended" vs "12,000 people went
through the detectors", "earthquake survivors" vs "quake survivors") is not compared; a part
against its whole for other nouns ("40 prisoners, 25 of them soldiers" split over two claims)
reads as two units and is not checked; two counts of the same noun in the same wording for
different things (jobs cut this year vs jobs added, with no date in one claim; "11 troops were
treated" vs "100 troops were diagnosed") still read as a conflict, and so does a toll given at
two moments with no time marker on either side ("the toll stands at 14" vs "nine people died").
The pipeline shows the numbers as evidence and lets the NLI model veto a pair it reads as
entailment (:mod:`contradict.pipeline`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .types import NumberConflict

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

#: Relative half-width of the range of an approximate count ("about 30,000").
APPROX = 0.2
#: Relative gap below which two values are read as the same ("1,300" and "1,301").
MARGIN = 0.01

# -- the words of a number -------------------------------------------------------------------------

_APPROX_WORDS = ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated", "close to",
                 "circa", "more or less", "an average of", "on average")
_NEAR_WORDS = ("nearly", "almost", "just under", "just shy of", "not quite")
_AT_LEAST = ("at least", "at the very least", "more than", "over", "above", "upwards of", "upward of", "in excess of",
             "no fewer than", "no less than", "well over", "just over", "well above", "exceeding", "a minimum of")
_AT_MOST = ("up to", "at most", "at the most", "at the very most", "fewer than", "less than", "under", "below",
            "no more than", "not more than", "as many as", "a maximum of", "well under", "well below", "as much as")
_EXACT_WORDS = ("only", "just", "exactly", "precisely", "a total of", "total of", "a mere", "merely")
_INCREMENT_WORDS = ("another", "an additional", "a further", "additional", "further", "extra", "other")
_HEDGES = sorted([(w, kind) for words, kind in ((_AT_LEAST, "low"), (_AT_MOST, "high"), (_NEAR_WORDS, "near"),
                                                (_APPROX_WORDS, "approx"), (_EXACT_WORDS, "exact"),
                                                (_INCREMENT_WORDS, "skip")) for w in words],
                 key=lambda pair: -len(pair[0]))

_WORD_VALUES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORD_VALUES.update(thirty=30, forty=40, fifty=50, sixty=60, seventy=70, eighty=80, ninety=90, dozen=12)
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
           "dec"}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12,
           "k": 1e3, "m": 1e6, "bn": 1e9}
_BIG_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12}
_FUSED = re.compile(r"(\d[\d,]*(?:\.\d+)?)(k|m|mn|mln|bn|bln|tn|trn)")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
#: "dozens of", "hundreds of": the range each plural stands for, as multiples of its scale.
_PLURALS = {"dozens": (24, 99), "tens": (20, 99), "scores": (40, 99), "hundreds": (200, 999),
            "thousands": (2e3, 99_999), "millions": (2e6, 99.999e6), "billions": (2e9, 99.999e9)}
_FRACTIONS = {"half": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0, "quarters": 25.0,
              "fifth": 20.0, "fifths": 20.0, "tenth": 10.0, "tenths": 10.0}

_IRREGULAR_PLURALS = {"people": "person", "men": "man", "women": "woman", "children": "child", "feet": "foot",
                      "teeth": "tooth", "mice": "mouse", "geese": "goose", "police": "police", "staff": "staff",
                      "lives": "life", "casualties": "casualty"}
#: Currency words and signs, folded to one sign each.
_CURRENCY = {"$": "$", "us$": "$", "usd": "$", "dollars": "$", "dollar": "$", "\u00a3": "\u00a3", "gbp": "\u00a3",
             "\u20ac": "\u20ac", "eur": "\u20ac", "euros": "\u20ac", "euro": "\u20ac", "\u00a5": "\u00a5",
             "yen": "\u00a5", "yuan": "yuan", "rupees": "\u20b9", "\u20b9": "\u20b9", "rs": "\u20b9",
             "inr": "\u20b9", "rubles": "\u20bd", "roubles": "\u20bd", "\u20bd": "\u20bd"}
_CURRENCY_AFTER = {"dollars", "dollar", "euros", "euro", "yen", "yuan", "rupees", "rubles", "roubles", "usd",
                   "eur", "gbp"}
_PERCENT = {"%", "percent", "pct"}
_SKIP_ENTITIES = {"DATE", "TIME", "ORDINAL"}
_TIME_WORDS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute",
               "minutes", "second", "seconds", "decade", "decades", "century", "centuries", "old", "ago", "am", "pm",
               "a.m.", "p.m.", "night", "nights", "morning", "evening", "afternoon", "o'clock", "aged", "age",
               "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
               "sunday", "today", "yesterday", "tomorrow", "spring", "summer", "autumn", "fall", "winter"}

# -- the words of a count of people ----------------------------------------------------------------

#: Verbs whose object (or passive subject) is the counted people, by the unit they count.
_DONE_TO = {"dead": {"kill", "killed", "kills", "killing", "slain", "slay", "slew", "massacred", "executed"},
            "injured": {"injure", "injured", "injures", "injuring", "wound", "wounded", "wounds", "wounding", "hurt",
                        "hurts", "hurting", "maimed"},
            "arrested": {"arrest", "arrested", "arrests", "arresting", "detain", "detained", "detains",
                         "detaining"}}
#: Verbs whose subject is the counted people.
_DOING = {"dead": {"die", "died", "dies", "dying", "perish", "perished", "perishes"},
          "participants": {"attend", "attended", "attends", "attending", "march", "marched", "marches", "marching",
                           "rally", "rallied", "rallies", "rallying", "participate", "participated", "participating",
                           "gather", "gathered", "gathering", "demonstrated", "protested", "protesting"}}
#: Nouns that are a count of one unit themselves ("12 deaths", "a toll of 12", "10,000 protesters").
_UNIT_NOUNS = {"death": "dead", "fatality": "dead", "dead": "dead", "toll": "dead", "injured": "injured",
               "wounded": "injured", "arrest": "arrested", "protester": "participants", "protestor": "participants",
               "demonstrator": "participants", "marcher": "participants", "participant": "participants",
               "attendee": "participants", "crowd": "participants", "turnout": "participants",
               "attendance": "participants"}
_CATEGORIES = {"dead", "injured", "arrested", "participants"}
_STATE_WORDS = {"dead": "dead", "injured": "injured", "wounded": "injured", "hurt": "injured"}
#: Nouns that add nothing to a count of people: "12 people were killed" is the unit "dead".
_OTHER_TOLLS = {"economic", "financial", "psychological", "emotional", "political", "environmental", "mental",
                "road", "bridge", "highway", "motorway", "tunnel", "heavy", "human", "physical"}
#: Participles that describe what is counted rather than pick out a part of it ("two women dressed in white").
_DESCRIPTIVE = {"dressed", "clad", "seated", "covered", "surrounded", "named", "called", "known", "aged",
                "pictured", "shown", "seen", "gathered", "lined", "packed", "crammed", "dubbed"}
_PLAIN_NOUNS = {"person", "people", "individual", "victim", "life", "human", "soul"}
_PERSON_NOUNS = _PLAIN_NOUNS | {"man", "woman", "child", "boy", "girl", "baby", "son", "daughter", "he", "she",
                                "mother", "father", "wife", "husband", "brother", "sister"}
_COUNT_NOUNS = {"number", "total", "tally", "count", "figure"}  # "the number of people killed is 14"
_COPULAS = {"is", "are", "was", "were", "be", "been", "being", "'s", "remains", "remained", "stands", "stood", "stand"}
_VALUE_VERBS = {"stood", "stands", "stand", "rose", "risen", "rise", "rises", "climbed", "climbs", "increased",
                "increases", "jumped", "grew", "mounted", "soared", "fell", "fallen", "falls", "dropped", "declined",
                "decreased", "revised", "put", "puts", "reached", "reaches", "hit", "hits", "topped", "passed",
                "exceeded", "surpassed", "totalled", "totaled", "totals", "numbered"}
_CHANGE_VERBS = {"rose", "risen", "rise", "rises", "climbed", "climbs", "increased", "increases", "jumped", "grew",
                 "mounted", "soared", "revised", "doubled", "tripled"}
_PUT_VERBS = {"put", "puts", "putting", "placed", "places", "estimated", "estimates", "estimate", "set", "sets"}
_TOTAL_VERBS = {"totalled", "totaled", "totals", "numbered", "numbers"}
_REACH_VERBS = {"reached", "reaches", "hit", "hits", "topped", "passed", "exceeded", "surpassed"}
_RISE_WORDS = {"rose": "rise", "risen": "rise", "rise": "rise", "rises": "rise", "rising": "rise", "climbed": "rise",
               "increased": "rise", "increase": "rise", "jumped": "rise", "grew": "rise", "grown": "rise",
               "soared": "rise", "up": "rise", "gained": "rise", "fell": "fall", "fallen": "fall", "falls": "fall",
               "dropped": "fall", "declined": "fall", "decreased": "fall", "shrank": "fall", "down": "fall",
               "slumped": "fall", "plunged": "fall", "lost": "fall"}
_VOTER_NOUNS = {"voter", "electorate", "elector", "eligible voter", "registered voter"}

# -- the words around a claim ----------------------------------------------------------------------

_SNAPSHOT = re.compile(r"\b(so far|later|initially|initial|at first|first reported|first hours?|first days?|"
                       r"earlier|preliminary|now|updated|revised|by then|at that time|latest|provisional|rose|"
                       r"risen|climbed|increased|jumped|mounted|soared|has grown|have grown|grew)\b")
_RATE = re.compile(r"\b(?:a|an|per|every|each)\s+(day|week|month|year|hour|minute|night)\b|"
                   r"\b(daily|weekly|monthly|yearly|annually|annual|hourly|nightly)\b")
_MODALS = {"would", "could", "might", "may", "should"}
_PER = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "annually": "year", "annual": "year",
        "hourly": "hour", "nightly": "night"}
_PLACE_ENTITIES = {"GPE", "LOC", "FAC", "NORP"}
_DEADLINE_PREPS = {"until": "until", "till": "until", "untill": "until", "through": "until", "thru": "until",
                   "by": "by"}
_EXTEND_VERBS = {"extend", "extended", "extends", "extending", "prolong", "prolonged", "prolongs"}
_IRREGULAR_VERBS = {"went": "go", "gone": "go", "took": "take", "taken": "take", "ran": "run", "lost": "lose",
                    "left": "leave", "held": "hold", "paid": "pay", "made": "make", "won": "win", "kept": "keep",
                    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "grew": "grow",
                    "grown": "grow", "gave": "give", "given": "give", "got": "get", "brought": "bring",
                    "bought": "buy", "sold": "sell", "spent": "spend", "sent": "send", "drew": "draw", "saw": "see",
                    "seen": "see", "met": "meet", "led": "lead", "said": "say", "told": "tell", "found": "find",
                    "thought": "think", "became": "become", "began": "begin", "begun": "begin", "set": "set",
                    "cut": "cut", "put": "put", "hit": "hit", "shut": "shut"}


@dataclass(frozen=True)
class Quantity:
    """One quantity of a claim: ``unit`` counted (``noun`` with its qualifiers, or a count of
    people such as "dead", or a share "% ...", or a deadline "... until"), ``low``..``high`` its
    value, ``text`` as written. ``noun`` is what a claim may give only once; ``context`` holds the
    time and place markers of its sentence ("date:...", "place:...", "mark:...") and ``partial``
    says the noun is also counted as "other" / "another" in the claim."""

    unit: str
    low: float
    high: float
    text: str
    noun: str = ""
    kind: str = "count"  # count | money | percent | year
    context: tuple[str, ...] = ()
    partial: bool = False
    slack: float = 0.0  # rounding as written: "1.5 million" may be 1.45..1.55 million


    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high


def number_value(words: Sequence[str]) -> float | None:
    """The value of a number phrase's words ("1.5", "million"; "twenty", "five"; "42,000"), or None."""
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        word = raw.lower().replace(",", "")
        if word in ("and", "a", "an"):
            continue
        fused = _FUSED.fullmatch(word)
        if re.fullmatch(r"\d+(\.\d+)?", word):
            current += float(word)
        elif fused:
            current += float(fused.group(1)) * _SHORT_SCALES[fused.group(2)]
            total, current = total + current, 0.0
        elif word in _WORD_VALUES and word != "dozen":
            current += _WORD_VALUES[word]
        elif word in _SCALES or word in _SHORT_SCALES:
            scale = _SCALES.get(word) or _SHORT_SCALES[word]
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


def _stem(word: str) -> str:
    """A crude stem of a verb, the same for its forms ("extended", "extends", "extend" -> "extend")."""
    word = word.lower()
    if word in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[word]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[:-len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


# -- reading number phrases ------------------------------------------------------------------------

@dataclass
class _Mention:
    """A number phrase: tokens [start, end) with its hedge words, the number's own tokens
    [core_start, core_end), its value range and what kind of value it is."""

    start: int
    end: int
    core_start: int
    core_end: int
    low: float
    high: float
    kind: str = "count"  # count | money | percent | points
    currency: str = ""
    bound: str = "exact"
    vague: bool = False  # "hundreds", "a handful": needs "of NOUN" or a noun after it
    fraction: bool = False
    value: float | None = None  # the number as written, where it is one number
    slack: float = 0.0  # half the last digit written, for rounding: 0.05 million for "1.5 million"


def _low(doc: Doc, i: int) -> str:
    return doc[i].text.lower() if 0 <= i < len(doc) else ""


def _read_value(doc: Doc, i: int) -> tuple[float, float, int, float] | None:
    """The number phrase starting at token ``i``: (value, rounding half-width, end token, scale)."""
    n, j = len(doc), i
    word = _low(doc, i)
    value, decimals, scale = None, 0, 1.0
    fused = _FUSED.fullmatch(word)
    if _DIGITS.fullmatch(word) or fused:
        digits = fused.group(1) if fused else word
        value = float(digits.replace(",", ""))
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        if fused:
            scale = _SHORT_SCALES[fused.group(2)]
        j = i + 1
    else:
        words = []
        while j < n:
            w = _low(doc, j)
            is_word = w in _WORD_VALUES or (w != "dozen" and w in _BIG_SCALES) or \
                ("-" in w and all(part in _WORD_VALUES for part in w.split("-")))
            if w in ("a", "an") and not words and _low(doc, j + 1) in {*_BIG_SCALES, "dozen"}:
                words.append(w)
            elif w == "half" and not words and _low(doc, j + 1) in ("a", "an") and _low(doc, j + 2) in _BIG_SCALES:
                words += ["0.5"]  # "half a million"
                j += 1
            elif w in ("-", "\u2013") and words and words[-1] in _TENS and \
                    0 < _WORD_VALUES.get(_low(doc, j + 1), 0) < 10:
                pass  # "Forty - five", as spaCy splits it
            elif is_word:
                words.append(w)
            elif w == "and" and words and _low(doc, j + 1) in _WORD_VALUES:
                words.append(w)
            else:
                break
            j += 1
        if not words or words[-1] in ("a", "an", "and"):
            return None
        value = number_value(words)
        if value is None:
            return None
        if words[-1] == "dozen":
            return value, 2.0 if words[0] in ("a", "an") else 0.0, j, 12.0
        if words[-1] in _BIG_SCALES and _BIG_SCALES[words[-1]] >= 1e3:
            return value, 0.1 * value, j, _BIG_SCALES[words[-1]]
        return value, 0.0, j, 1.0
    # scale words after digits: "1.5 million", "1.5m residents", "3 bn"
    while j < n:
        w = _low(doc, j)
        if w in _BIG_SCALES:
            scale *= _BIG_SCALES[w]
        elif w in _SHORT_SCALES and w != "m":
            scale *= _SHORT_SCALES[w]
        elif w == "m" and (decimals or _currency_before(doc, i) or (j + 1 < n and doc[j + 1].tag_ in ("NNS", "NNPS"))):
            scale *= 1e6
        else:
            break
        j += 1
    # rounded as written: "1.5 million" is 1.45..1.55 million; "2bn" is read +- 10%
    half = 0.5 * 10 ** -decimals * scale if decimals else 0.1 * value * scale if scale > 1 else 0.0
    return value * scale, half, j, scale


def _currency_before(doc: Doc, i: int) -> str:
    sign = _CURRENCY.get(_low(doc, i - 1), "") if _low(doc, i - 1) not in _CURRENCY_AFTER else ""
    if sign and _low(doc, i - 2) == "us":
        return "$"
    return sign


def _hedge(doc: Doc, start: int) -> tuple[str, int]:
    """What the words before token ``start`` make of the number: "low" (at least), "high" (at most),
    "near" (almost), "approx" (about), "exact" or "skip" (an increment: "another 30"); and the
    token where those words start."""
    before = " ".join(t.text.lower() for t in doc[max(0, start - 4):start])
    for w, kind in _HEDGES:
        if re.search(rf"(^|\s){re.escape(w)}$", before):
            return kind, start - len(w.split())
    return "exact", start


def _fraction_at(doc: Doc, i: int) -> tuple[float, int] | None:
    """A fraction of something starting at ``i`` ("a third of", "half the", "two-thirds of"):
    its value in percent and its end token."""
    w = _low(doc, i)
    count, j = 1.0, i
    if w in ("a", "one"):
        j += 1
    elif w in _WORD_VALUES and 1 < _WORD_VALUES[w] < 10 and _low(doc, i + 1).endswith("s"):
        count, j = float(_WORD_VALUES[w]), i + 1
    elif w in _WORD_VALUES and _low(doc, i + 1) == "-" and _low(doc, i + 2) in _FRACTIONS:  # "three - quarters"
        if _low(doc, i + 3) not in ("of", "the", "its", "their", "all"):
            return None
        return _WORD_VALUES[w] * _FRACTIONS[_low(doc, i + 2)], i + 3
    elif "-" in w and w.split("-")[0] in _WORD_VALUES and w.split("-")[1] in _FRACTIONS:
        count, frac = float(_WORD_VALUES[w.split("-")[0]]), w.split("-")[1]
        if _low(doc, i + 1) not in ("of", "the", "its", "their", "all"):
            return None
        return count * _FRACTIONS[frac], i + 1
    frac = _low(doc, j)
    if frac not in _FRACTIONS or (frac != "half" and j == i):
        return None
    if frac == "half" and j == i and _low(doc, i - 1) in ("first", "second", "the", "a", "one", "and"):
        return None
    if doc[j].ent_type_ in ("DATE", "TIME"):  # "half an hour", "the first half of 2017"
        return None
    if _low(doc, j + 1) not in ("of", "the", "its", "their", "all", "his", "her"):
        return None
    return count * _FRACTIONS[frac], j + 1


def _vague_at(doc: Doc, i: int) -> tuple[float, float, int] | None:
    """A number in words that names a range ("dozens", "hundreds of thousands", "several hundred",
    "a few dozen", "a handful") starting at token ``i``: its range and end token."""
    w, nxt = _low(doc, i), _low(doc, i + 1)
    if w in _PLURALS:
        lo, hi = _PLURALS[w]
        if w in ("tens", "hundreds", "dozens") and nxt == "of" and _low(doc, i + 2) in ("thousands", "millions",
                                                                                     "billions"):
            big = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}[_low(doc, i + 2)]
            lo, hi = {"tens": (20, 99.999), "hundreds": (200, 999.999), "dozens": (24, 99.999)}[w]
            return lo * big, hi * big, i + 3
        return float(lo), float(hi), i + 1
    if w == "a" and nxt == "handful":
        return 2.0, 10.0, i + 2
    j = i + 1 if w == "several" else i + 2 if (w, nxt) == ("a", "few") else None
    if j is None:
        return None
    scale = _low(doc, j)
    if scale == "dozen":
        return 24.0, 99.0, j + 1
    if scale in _BIG_SCALES:
        return 2 * _BIG_SCALES[scale], 9.999 * _BIG_SCALES[scale], j + 1
    return None


def _mention_at(doc: Doc, i: int) -> _Mention | None:
    """The number phrase that starts (its number) at token ``i``, with its hedge, currency, percent
    sign and range end, or None."""
    n = len(doc)
    currency = _currency_before(doc, i)
    core_start = i - 1 if currency else i
    vague = fraction = False
    scale = 1.0
    # "dozens", "hundreds of thousands", "several hundred", "a few dozen", "a handful"
    vague_range = _vague_at(doc, i)
    if vague_range is not None:
        lo, hi, j = vague_range
        if j < n and _low(doc, j) == "of" and _low(doc, j + 1) in _CURRENCY_AFTER:
            currency = _CURRENCY[_low(doc, j + 1)]
            j += 2
        vague = True
        m = _Mention(i, j, core_start, j, lo, hi, currency=currency, vague=True)
        m.kind = "money" if currency else "count"
    else:
        frac = _fraction_at(doc, i)
        if frac is not None:
            value, j = frac
            fraction = True
            m = _Mention(i, j, i, j, value * (1 - APPROX), value * (1 + APPROX), kind="percent", fraction=True,
                         value=value)
        else:
            first = _read_value(doc, i)
            if first is None:
                return None
            value, half, j, scale = first
            lo, hi, slack = value, value, half
            before = _low(doc, i - 1) if not currency else _low(doc, i - 2)
            if before == "from" and _low(doc, j) == "to":  # "rose from 12 to 20": a change, not a range
                second = _read_value(doc, j + 1)
                return _Mention(i, second[2] if second else j, i, j, math.nan, math.nan, kind="skip")
            sep = _low(doc, j)
            joined = re.fullmatch(r"to-(.+)", sep)
            if sep == "-" and re.fullmatch(r"to-(.+)", _low(doc, j + 1)):
                j += 1
                sep, joined = _low(doc, j), re.fullmatch(r"to-(.+)", _low(doc, j))
            second = None
            if sep in ("to", "-", "\u2013", "\u2014", "or") or (sep == "and" and before == "between"):
                if sep == "-" and _low(doc, j + 1) == "to":
                    j += 1
                if _currency_before(doc, j + 2) and _low(doc, j + 1) in _CURRENCY:
                    j += 1
                second = _read_value(doc, j + 1)
                offset = j + 1
            elif joined and _DIGITS.fullmatch(joined.group(1)):
                second = (float(joined.group(1).replace(",", "")), 0.0, j + 1, 1.0)
                offset = j
            if second is not None and (sep != "or" or (value < 100 and second[0] < 100)):
                value2, half2, end2, scale2 = second
                if scale == 1.0 and scale2 > 1.0:  # "1.5 to 2 million"
                    value, half = value * scale2, half * scale2
                if value < value2:
                    lo, hi, j, slack = value, value2, end2, max(half, half2)
                elif offset and sep in ("-", "\u2013"):
                    return _Mention(i, end2, i, end2, math.nan, math.nan, kind="skip")  # a score, "3-1"
            m = _Mention(i, j, core_start, j, lo, hi, currency=currency, kind="money" if currency else "count",
                         value=value if lo == hi else None, slack=slack)
            if before == "between" and second is not None:
                m.start -= 1
    j = m.end
    # what follows the number: a percent sign, a currency word, "or more"
    if not fraction and m.kind != "skip":
        w = _low(doc, j)
        if w in _PERCENT or (w == "per" and _low(doc, j + 1) == "cent"):
            m.kind, j = "percent", j + (2 if w == "per" else 1)
            if not vague:  # "83 percent" may be 82.5 rounded up
                digits = doc[m.core_end - 1].text
                places = len(digits.split(".")[1]) if "." in digits else 0
                m.slack = max(m.slack, 0.5 * 10 ** -places)
        elif w == "percentage" and _low(doc, j + 1) in ("point", "points"):
            m.kind, j = "points", j + 2
        elif w in _CURRENCY_AFTER and not currency:
            m.kind, m.currency, j = "money", _CURRENCY[w], j + 1
        m.end = m.core_end = j
    # the hedge before it
    kind, shown = _hedge(doc, m.core_start if not (m.start < m.core_start) else m.start)
    if m.start < m.core_start:  # "between" already read
        shown = m.start
        kind = "exact"
    m.bound, m.start = kind, min(m.start, shown)
    after = " ".join(t.text.lower() for t in doc[m.end:m.end + 2])
    after_noun = " ".join(t.text.lower() for t in doc[m.end + 1:m.end + 3])
    if after in ("or more", "and more", "or over", "or above"):
        m.bound, m.end = "low", m.end + 2
    elif after_noun in ("or more", "and more") and doc[m.end:m.end + 1].text[:1].isalpha():
        m.bound = "low"  # "200 houses or more"
    elif after == "or so":
        m.bound, m.end = "approx", m.end + 2
    elif _low(doc, m.end) in ("more", "others") and m.kind == "count":
        m.kind = "skip"  # "30 more": an increment
    lo, hi = (m.value, m.value) if m.value is not None and m.bound != "exact" else (m.low, m.high)
    if m.bound == "low":
        m.low, m.high = lo, math.inf
    elif m.bound == "high":
        m.low, m.high = 0.0, hi
    elif m.bound == "near":
        m.low, m.high = lo * (1 - APPROX), hi
    elif m.bound == "approx" and not fraction:
        m.low, m.high = lo * (1 - APPROX), hi * (1 + APPROX)
    elif m.bound == "skip":
        m.kind = "skip"
    return m


def _mentions(doc: Doc) -> list[_Mention]:
    found, i = [], 0
    while i < len(doc):
        m = _mention_at(doc, i)
        if m is None:
            i += 1
            continue
        found.append(m)
        i = max(m.end, i + 1)
    return found


# -- what a number counts --------------------------------------------------------------------------

def _is_noun(tok: Token | None) -> bool:
    return tok is not None and tok.pos_ in ("NOUN", "PROPN")


def _qualifiers(noun: Token) -> list[str]:
    return [c.text.lower() for c in noun.children
            if c.dep_ in ("amod", "compound") and c.i < noun.i and not (c.like_num or c.text.lower() in _SCALES)
            and c.text.lower() not in _CURRENCY and c.text.lower() not in ("per", "cent", "percent", "%")
            and not any(ch.isdigit() for ch in c.text)]


def _noun_unit(noun: Token, restrictive: bool = True) -> str:
    """The unit a noun names: its adjectives and nouns before it, its singular, and a verb that
    restricts it ("workers employed on ..." -> "worker employ")."""
    words = [*_qualifiers(noun), singular(noun)]
    for c in noun.children:
        if c.dep_ == "prep" and c.text.lower() == "per" and c.i > noun.i:  # "40 milligrams per kilogram"
            words += ["per", *(singular(p) for p in c.children if p.dep_ == "pobj")]
    if noun.dep_ in ("compound", "amod", "nmod") and _is_noun(noun.head) and noun.head.i > noun.i:
        words.append(singular(noun.head))  # "a 60 kg person" measures the person
    if restrictive:
        words += [_stem(c.text) for c in noun.children  # past participles only: "cars sold in the US"
                  if c.dep_ == "acl" and c.tag_ == "VBN" and c.i > noun.i and c.text.lower() not in _DESCRIPTIVE and
                  any(True for _ in c.children) and _category_of_verb(c.text.lower(), True) is None]
    return " ".join(words)


def _category_of_verb(verb: str, done_to: bool) -> str | None:
    for cat, words in (_DONE_TO if done_to else _DOING).items():
        if verb in words:
            return cat
    return None


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, through a conjunction ("was signed ... and runs until 2033")."""
    while True:
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
        if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
        else:
            return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" or c.text.lower() in ("never", "not", "n't") for c in tok.children)


def _predicate_category(role: Token) -> tuple[str | None, Token | None]:
    """The unit a count of people gets from the verb it is the subject or object of ("12 were
    killed", "killing 12", "14 died", "took part"), and the verb."""
    while role.dep_ == "conj" and role.head.i != role.i and _is_noun(role.head):
        role = role.head
    dep, verb = role.dep_, role.head
    agent = dep == "pobj" and verb.dep_ == "agent"
    if agent:  # "attended by 6,200 people"
        dep, verb = "nsubj", verb.head
    if verb.i == role.i or verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None, None
    word = verb.text.lower()
    if any(c.dep_ == "cc" and c.text.lower() in ("or", "nor") for c in verb.children):
        return None, None  # "killed or missing": not one count
    passive = any(c.dep_ == "auxpass" for c in verb.children) and not agent
    has_object = any(c.dep_ == "dobj" for c in verb.children)
    if dep in ("nsubjpass", "dobj") or (dep == "nsubj" and (passive or (verb.tag_ == "VBN" and not has_object))):
        cat = _category_of_verb(word, True)
        if cat:
            return cat, verb
        if dep == "dobj" and word in ("left", "leaves", "leaving", "leave"):  # "left 12 people dead"
            for c in [*verb.children, *role.children]:
                if c.text.lower() in _STATE_WORDS and c.dep_ in ("oprd", "acomp", "amod", "ccomp", "xcomp"):
                    return _STATE_WORDS[c.text.lower()], verb
    if dep == "nsubj" and not passive:
        cat = _category_of_verb(word, False)
        if cat:
            return cat, verb
        children = {c.text.lower(): c for c in verb.children}
        if word in ("took", "take", "takes", "taking") and "part" in children:
            return "participants", verb
        if word in ("turned", "turn", "turns") and "out" in children:
            return "participants", verb
        if word in ("lost", "lose") and any(c.text.lower() in ("lives", "life") for c in verb.children):
            return "dead", verb
        if word in _COPULAS:  # "one sailor is dead"
            state = next((c for c in verb.children if c.dep_ in ("acomp", "attr") and c.text.lower() in _STATE_WORDS),
                         None)
            if state is not None and not any(c.dep_ == "cc" for c in state.children):
                return _STATE_WORDS[state.text.lower()], verb
    return None, None


def _noun_category(noun: Token) -> str | None:
    """The unit a noun is a count of by itself or by its modifiers ("deaths", "protesters",
    "protesters killed", "people dead")."""
    for c in noun.children:
        word = c.text.lower()
        if c.dep_ == "acl" and c.i > noun.i:
            cat = _category_of_verb(word, c.tag_ == "VBN")
            if cat:
                return cat
        if c.dep_ in ("amod", "acomp") and c.i > noun.i and word in _STATE_WORDS:
            return _STATE_WORDS[word]
    word = singular(noun)
    if word == "toll":  # "the (Kanjuruhan) (death) toll"; not "the economic toll", "a road toll"
        return None if set(_qualifiers(noun)) & _OTHER_TOLLS else "dead"
    if word in ("life", "lives") and noun.head.text.lower() in ("lost", "claimed"):
        return "dead"
    return _UNIT_NOUNS.get(word) or _UNIT_NOUNS.get(noun.text.lower())


def _people_unit(cat: str, noun: Token | None) -> str:
    """"dead" for a plain count of people, "dead soldier" for a count of a kind of them."""
    if noun is None:
        return cat
    word = singular(noun)
    quals = [q for q in _qualifiers(noun) if q != "death"]
    if (word in _PLAIN_NOUNS or _UNIT_NOUNS.get(word) == cat) and not quals or word == "toll":
        return cat
    return f"{cat} {_noun_unit(noun)}"


def _resolve_count_noun(noun: Token) -> Token:
    """"the number of people killed" -> "people"."""
    if noun.text.lower() in _COUNT_NOUNS:
        for c in noun.children:
            if c.dep_ == "prep" and c.text.lower() == "of":
                for p in c.children:
                    if p.dep_ == "pobj" and (_is_noun(p) or p.text.lower() in _STATE_WORDS):
                        return p
    return noun


def _of_noun(tok: Token) -> Token | None:
    """The noun in "TOK of NOUN" ("hundreds of protesters"), or None."""
    for c in tok.children:
        if c.dep_ == "prep" and c.text.lower() == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _anchor(doc: Doc, m: _Mention) -> Token:
    """The token that attaches the number phrase to the rest of the sentence."""
    inside = range(m.core_start, m.core_end)
    heads = [doc[k] for k in inside if doc[k].head.i not in inside or doc[k].head.i == k]
    return heads[-1] if heads else doc[m.core_end - 1]


def _value_subject(anchor: Token) -> tuple[Token | None, str]:
    """The noun a number is the value of ("the toll is 14", "the toll stood at 14", "a toll of 14",
    "turnout reached 61%"), and the verb that gives it."""
    dep, head = anchor.dep_, anchor.head
    if dep == "pobj" and head.text.lower() == "of" and _is_noun(head.head) and head.head.i < anchor.i:
        # "a toll of 14", not "a cent of the 1.9 billion euros"
        return (head.head, "") if not any(c.dep_ in ("det", "poss") for c in anchor.children) else (None, "")
    if dep == "pobj" and head.text.lower() == "at" and head.head.text.lower() in _PUT_VERBS:
        obj = next((c for c in head.head.children if c.dep_ in ("dobj", "nsubjpass")), None)
        return obj, head.head.text.lower()  # "put the number of users at 50 million"
    if dep in ("attr", "acomp") and head.text.lower() in _COPULAS:
        return _subject(head), head.text.lower()
    if dep == "pobj" and head.text.lower() in ("at", "to") and head.head.text.lower() in _VALUE_VERBS - _PUT_VERBS:
        return _subject(head.head), head.head.text.lower()
    if dep in ("dobj", "npadvmod", "attr") and head.text.lower() in _REACH_VERBS | _TOTAL_VERBS:
        return _subject(head), head.text.lower()
    return None, ""


def _with_prep(noun: Token) -> str:
    """A noun's unit and the place or group it is of ("turnout in Sevastopol", "support for the plan")."""
    words = [_noun_unit(noun, restrictive=False)]
    for c in noun.children:
        if c.dep_ == "prep" and c.text.lower() in ("in", "of", "for", "among", "at") and c.i > noun.i:
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is None or pobj.ent_type_ in _SKIP_ENTITIES or pobj.ent_type_ in (
                    "PERCENT", "CARDINAL", "MONEY", "QUANTITY") or pobj.like_num:
                continue
            if c.text.lower() in ("in", "at") and pobj.pos_ != "PROPN":
                continue  # "turnout in Sevastopol" is its own unit, "turnout in the referendum" is not
            words.append(f"{c.text.lower()} {singular(pobj)}")
    return " ".join(words)


def _verb_part(verb: Token) -> str:
    """A verb's stem and its object ("backed the plan" -> "back plan")."""
    words = [_stem(verb.text)]
    for c in verb.children:
        if c.dep_ in ("dobj", "prt", "xcomp", "attr") and c.i > verb.i:
            words.append(_noun_unit(c, restrictive=False) if _is_noun(c) else _stem(c.text))
            break
        if c.dep_ == "prep" and c.i > verb.i:  # "comes from transport costs"
            pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
            if pobj is not None and _is_noun(pobj):
                words.append(f"{c.text.lower()} {_noun_unit(pobj, restrictive=False)}")
                break
    return " ".join(words)


def _percent_unit(anchor: Token, m: _Mention) -> tuple[str, list[Token]] | None:
    """The unit of a share and the words that name it."""
    sign = "percentage point" if m.kind == "points" else "%"
    of = _of_noun(anchor)
    dep, head = anchor.dep_, anchor.head
    if of is not None:
        if of.pos_ == "PRON":
            return None
        group = _noun_unit(of, restrictive=False)
        if dep in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            if _negated(head):
                return None
            if head.text.lower() in _COPULAS:
                return f"{sign} of {group}", [of]
            cat, _ = _predicate_category(anchor)
            if (cat == "participants" or head.text.lower() in ("voted", "vote", "cast")) and \
                    singular(of) in _VOTER_NOUNS | {"electorate"}:
                return f"{sign} turnout", [of, head]
            return f"{sign} of {group} {_verb_part(head)}", [of, head]
        if dep == "dobj" and head.pos_ == "VERB":
            subject = _subject(head)
            if subject is None or _negated(head):
                return None
            return f"{subject.text.lower()} {_stem(head.text)} {sign} of {group}", [subject, head, of]
        return None
    if dep in ("compound", "nmod", "nummod", "amod") and _is_noun(head) and head.i > anchor.i:
        return f"{sign} {_with_prep(head)}", [head]
    subject, _verb = _value_subject(anchor)
    if subject is not None and (_is_noun(subject) or subject.text.lower() in _UNIT_NOUNS) and \
            singular(subject) not in _PERSON_NOUNS:
        return f"{sign} {_with_prep(_resolve_count_noun(subject))}", [subject]
    if dep in ("npadvmod", "dobj") and head.text.lower() in _RISE_WORDS or \
            dep == "pobj" and head.text.lower() == "by" and head.head.text.lower() in _RISE_WORDS:
        verb_tok = head if dep != "pobj" else head.head
        subject = _subject(verb_tok)
        if subject is not None and _is_noun(subject) and not _negated(verb_tok):
            return f"{sign} {_RISE_WORDS[verb_tok.text.lower()]} {_with_prep(subject)}", [subject, verb_tok]
    return None


def _count_unit(doc: Doc, anchor: Token, m: _Mention) -> tuple[str, str, list[Token], bool] | None:
    """The unit of a count, the word that says what once-per-claim is about, the tokens that name
    it, and whether the value comes from a changing count ("the toll has reached 20")."""
    money = m.currency
    prefix = f"{money} " if money else ""
    dep, head = anchor.dep_, anchor.head
    noun = role = None
    if dep in ("nummod", "compound", "quantmod", "nmod", "amod") and _is_noun(head) and head.i > anchor.i:
        if _of_noun(anchor) is not None:
            return None  # "51 people, 40 of them children"
        noun = role = head
    elif dep in ("pobj", "advmod", "quantmod") and m.start <= head.i < m.core_start:
        # "over a thousand suspected terrorists": the parse hangs the number on the hedge
        nxt = [t for t in doc[m.end:m.end + 3] if _is_noun(t)]
        if nxt and nxt[0].tag_ in ("NNS", "NNPS") and all(t.dep_ in ("amod", "compound") or t.i == nxt[0].i
                                                          for t in doc[m.end:nxt[0].i + 1]):
            noun = role = nxt[0]
        else:
            return None
    elif m.vague:
        of = _of_noun(anchor)
        while of is not None and of.i < m.core_end:  # "hundreds of thousands of people"
            of = _of_noun(of)
        if of is not None:
            if of.pos_ == "PRON" or any(c.like_num for c in of.children):
                return None
            noun, role = of, anchor
        elif dep in ("nsubj", "nsubjpass", "dobj"):
            role = anchor
        else:
            return None
    elif _of_noun(anchor) is not None:
        return None  # "12 of the prisoners", "five of them": a part of something counted elsewhere
    elif dep in ("nsubj", "nsubjpass", "dobj"):
        role = anchor
    if noun is not None and (noun.ent_type_ in _SKIP_ENTITIES or noun.text.lower() in _TIME_WORDS):
        return None
    if noun is not None and (noun.text.lower() in ("more", "others", "other") or
                             _low(doc, noun.i + 1) in ("each", "apiece")):
        return None  # "30 more", "90 prisoners each"
    changing = False
    if role is not None:
        if _negated(role.head):
            return None
        cat, verb = _predicate_category(role)
        if cat is None and noun is not None:
            cat = _noun_category(noun)
            verb = None
        if cat is not None and not money:
            if verb is not None and verb.text.lower() in _REACH_VERBS:
                changing = True
            unit = _people_unit(cat, noun)
            return unit, cat, [t for t in (noun, verb) if t is not None], changing
        if noun is not None:
            unit = _noun_unit(noun)
            return prefix + unit, prefix + singular(noun), [noun], False
        if money and role.head.pos_ == "VERB":
            return f"{money} {_stem(role.head.text)}", money, [role.head], False
        return None
    subject, verb = _value_subject(anchor)
    if subject is None or not (_is_noun(subject) or subject.text.lower() in _STATE_WORDS or
                               subject.text.lower() in _UNIT_NOUNS):
        return None
    if verb and _negated(anchor.head):
        return None
    counted = _resolve_count_noun(subject)
    cat = _noun_category(counted) or _STATE_WORDS.get(counted.text.lower())
    changing = verb in _CHANGE_VERBS or (cat is not None and verb in _REACH_VERBS)
    if cat is not None and not money:
        return _people_unit(cat, counted if counted.text.lower() not in _STATE_WORDS else None), cat, [subject], \
            changing
    if counted.i == subject.i or counted.pos_ == "PROPN" or singular(counted) in _PERSON_NOUNS:
        # "the population was 7,861" (of what?), "Messi is 35", "he was 45": not read
        return None
    return prefix + _noun_unit(counted), prefix + singular(counted), [subject], changing


def _skipped(doc: Doc, m: _Mention) -> bool:
    """Whether a number phrase is a date, a time, an age, an ordinal or a year, not a quantity."""
    if m.kind == "skip":
        return True
    core = doc[m.core_start:m.core_end]
    if core.text.lower() == "one" and (_low(doc, m.core_start - 1) in ("no", "any", "every", "each", "the", "this",
                                                                       "that", "which", "some")
                                       or _low(doc, m.core_end) in ("another", "other")):
        return True  # "no one", "the one on the left", "one another"
    for t in core:
        if t.ent_type_ == "ORDINAL" and not m.fraction:
            return True
        if re.fullmatch(r"(1[89]|20|21)\d\d", t.text) and m.kind == "count":
            return True  # a year
        if t.ent_type_ in ("DATE", "TIME") and m.kind in ("count", "money"):
            ent = next((e for e in doc.ents if e.start <= t.i < e.end), None)
            words = {w.text.lower().strip(".") for w in ent} if ent is not None else set()
            noun_after = any(_is_noun(w) and w.text.lower() not in _TIME_WORDS for w in doc[m.end:m.end + 2])
            if words & _TIME_WORDS or not noun_after:  # spaCy also tags some counts as dates
                return True
    if not m.fraction and (_low(doc, m.end) in ("-", "\u2013") or _low(doc, m.core_start - 1) in ("-", "\u2013")):
        return True  # "a 15-member team", "a 60-kilogram person", "sub-zero"
    first = doc[m.core_start]
    if m.core_start > 0 and doc[m.core_start - 1].pos_ == "PROPN" and m.start == m.core_start and not m.currency \
            and not doc[m.core_start - 1].text.lower() in _CURRENCY:
        return True  # "Boeing 737", "Flight 302": a name
    if _low(doc, m.core_start - 1) in _MONTHS or _low(doc, m.end) in _MONTHS and first.like_num:
        return True  # "August 4", "4 August"
    if _low(doc, m.start - 1) in ("no", "not", "never", "nor", "zero", "minus", "plus", "times", "x") or \
            _low(doc, m.end) in ("minus", "plus", "times", "x"):
        return True  # "hid no billions of dollars"
    # "a 45-year-old man", "aged 45"
    after = " ".join(t.text.lower() for t in doc[m.end:m.end + 3])
    return bool(re.match(r"(-\s*)?(year|yr)s?(\s*-\s*|\s+)old", after)) or _low(doc, m.start - 1) in ("aged", "age")


def _context(doc: Doc, tok: Token, skip: range) -> tuple[str, ...]:
    """The time and place markers of the sentence a quantity is in."""
    sent = tok.sent
    out = set()
    for ent in doc.ents:
        if ent.start < sent.start or ent.end > sent.end or (ent.start < skip.stop and ent.end > skip.start):
            continue
        if ent.label_ in ("DATE", "TIME") and not _RATE.search(ent.text.lower()):  # rates are marks below
            words = [w.text.lower() for w in ent if w.text.lower() not in ("the", "of", ",", "on", "in", "a", "an")]
            if words:
                out.add("date:" + " ".join(words))
        elif ent.label_ in _PLACE_ENTITIES:
            for w in ent:
                if w.is_alpha and len(w.text) >= 4:
                    out.add("place:" + w.text.lower()[:5])
    text = sent.text.lower()
    for found in _SNAPSHOT.finditer(text):
        out.add("mark:changing")
        break
    for found in _RATE.finditer(text):
        out.add("mark:per " + (found.group(1) or _PER[found.group(2)]))
    if any(t.tag_ == "MD" and t.text.lower() in _MODALS for t in sent):
        out.add("mark:hypothetical")
    return tuple(sorted(out))


def _partial_nouns(doc: Doc) -> set[str]:
    """Nouns the claim also names as "other" / "another" ("one man ... the other man")."""
    out = set()
    for tok in doc:
        if tok.text.lower() in ("other", "another", "others") and tok.dep_ in ("amod", "det") and _is_noun(tok.head):
            out.add(singular(tok.head))
            if singular(tok.head) in _PERSON_NOUNS:  # "two children ... while another boy watches"
                out |= _PERSON_NOUNS
    if any(t.text.lower() in ("another", "other", "others") for t in doc):
        out.add("#one")
    return out


def _names_parts(doc: Doc) -> bool:
    """Whether a claim speaks of parts of what it counts ("two workers, one is bent over",
    "one wearing orange and one wearing white"): a count of one in the other claim may be a part."""
    return any(t.text.lower() == "one" and t.dep_ != "nummod" for t in doc) or \
        any(t.text.lower() in ("another", "other", "others", "rest") for t in doc)


def _deadlines(doc: Doc) -> list[Quantity]:
    """Years that end something: "extended the agreement until 2033", "a ban until 2030"."""
    found = []
    for tok in doc:
        if not re.fullmatch(r"(19|20|21)\d\d", tok.text) or tok.dep_ != "pobj":
            continue
        prep = tok.head
        if prep.text.lower() == "of" and prep.head.text.lower() in ("end", "start", "beginning", "middle", "close") \
                and prep.head.dep_ == "pobj":
            prep = prep.head.head
        word = prep.text.lower()
        holder = prep.head
        if word == "to" and holder.text.lower() in _EXTEND_VERBS:
            kind = "until"
        elif word in _DEADLINE_PREPS:
            kind = _DEADLINE_PREPS[word]
        else:
            continue
        if any(t.text.lower() in ("from", "since", "between") for t in doc[max(0, prep.i - 4):prep.i]):
            continue  # "from 2020 until 2033", a span of time
        if _is_noun(holder) and holder.pos_ == "NOUN":
            unit = f"{_noun_unit(holder, restrictive=False)} {kind}"
        elif holder.pos_ in ("VERB", "AUX") and not _negated(holder):
            noun = next((c for c in holder.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "NUM")), None) or \
                _subject(holder)
            if noun is None or noun.pos_ not in ("NOUN", "NUM"):
                continue
            verb = "" if holder.text.lower() in _COPULAS else f" {_stem(holder.text)}"
            unit = f"{_noun_unit(noun, restrictive=False)}{verb} {kind}"
        else:
            continue
        year = float(tok.text)
        text = doc[prep.i:tok.i + 1].text
        context = tuple(c for c in _context(doc, tok, range(prep.i, tok.i + 1)) if not c.startswith("mark:"))
        found.append(Quantity(unit=unit, low=year, high=year, text=text, noun=unit, kind="year", context=context))
    return found


def _zeros(doc: Doc) -> list[Quantity]:
    """Counts of nobody: "nobody died", "no one was hurt", "no deaths were reported"."""
    found = []
    for tok in doc:
        word = tok.text.lower()
        zero = word in ("nobody", "none") or (word == "one" and _low(doc, tok.i - 1) == "no")
        noun = None
        if not zero and _is_noun(tok) and any(c.dep_ == "det" and c.text.lower() == "no" for c in tok.children):
            zero, noun = True, tok
        if not zero or _of_noun(tok) is not None or _negated(tok.head):
            continue
        cat, verb = _predicate_category(tok)
        if cat is None and noun is not None:
            cat = _noun_category(noun)
        if cat is None or (noun is not None and singular(noun) not in _PLAIN_NOUNS and _UNIT_NOUNS.get(
                singular(noun)) != cat):
            continue
        start = tok.i - 1 if word == "one" or noun is not None else tok.i
        end = max(tok.i, verb.i if verb is not None and abs(verb.i - tok.i) <= 4 else tok.i) + 1
        found.append(Quantity(unit=cat, low=0.0, high=0.0, text=doc[start:end].text, noun=cat,
                              context=_context(doc, tok, range(start, end))))
    return found


def _shown(m: _Mention, named: list[Token]) -> tuple[int, int]:
    """The tokens that show a quantity in the claim's text: the number phrase and the nearby words
    that name what it counts ("the death toll rose to 14", "12 people were killed")."""
    start, end = m.start, m.end
    for tok in named:
        if not (m.start - 10 <= tok.i < m.end + 6):
            continue
        first = min([tok.i] + [c.i for c in tok.children if c.dep_ in ("compound", "amod", "det") and c.i < tok.i])
        start, end = min(start, first if first >= m.start - 6 else tok.i), max(end, tok.i + 1)
    return start, end


def quantities(doc: Doc) -> list[Quantity]:
    """The quantities of a parsed claim, in text order."""
    partial = _partial_nouns(doc)
    parts = ("has:parts",) if _names_parts(doc) else ()
    found = []
    for m in _mentions(doc):
        if _skipped(doc, m):
            continue
        anchor = _anchor(doc, m)
        changing = False
        if m.kind in ("percent", "points"):
            read = _percent_unit(anchor, m)
            if read is None:
                continue
            unit, named = read
            words = unit.split()  # once per claim: "% increase", "% of voter", whatever follows
            key, kind = " ".join(words[:3] if len(words) > 2 and words[1] == "of" else words[:2]), "percent"
        else:
            read = _count_unit(doc, anchor, m)
            if read is None:
                continue
            unit, key, named, changing = read
            kind = "money" if m.currency else "count"
        start, end = _shown(m, named)
        context = _context(doc, anchor, range(m.start, m.end)) + parts
        if changing:
            context = tuple(sorted({*context, "mark:changing"}))
        is_partial = key in partial or key.split()[-1] in partial or (m.low == m.high == 1 and ("#one" in partial
                                                                                               or bool(parts)))
        found.append(Quantity(unit=unit, low=m.low, high=m.high, text=doc[start:end].text, noun=key, kind=kind,
                              context=context, partial=is_partial, slack=m.slack))
    found += _zeros(doc)
    found += _deadlines(doc)
    return sorted(found, key=lambda q: doc.text.find(q.text))


# -- conflicts -------------------------------------------------------------------------------------

def _apart(x: Quantity, y: Quantity) -> bool:
    """Whether two value ranges cannot both hold (with :data:`MARGIN` of slack except for years)."""
    margin = 0.0 if x.kind == "year" else MARGIN
    slack = x.slack + y.slack
    return x.high * (1 + margin) + slack < y.low or y.high * (1 + margin) + slack < x.low


def _dates_agree(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return True
    return any(set(x.split()) <= set(y.split()) or set(y.split()) <= set(x.split()) for x in a for y in b)


def same_moment(x: Quantity, y: Quantity) -> bool:
    """Whether two quantities may be of the same moment and place (see the module's rules)."""
    def part(q: Quantity, prefix: str) -> set[str]:
        return {c[len(prefix):] for c in q.context if c.startswith(prefix)}

    if "changing" in part(x, "mark:") or "changing" in part(y, "mark:"):
        return False
    if part(x, "mark:") != part(y, "mark:"):
        return False
    if not _dates_agree(part(x, "date:"), part(y, "date:")):
        return False
    places_x, places_y = part(x, "place:"), part(y, "place:")
    return not (places_x and places_y and not places_x & places_y)


def conflicts(a: Iterable[Quantity], b: Iterable[Quantity]) -> tuple[NumberConflict, ...]:
    """Units both claims give once each, with value ranges apart, in ``a``'s order; and plain counts
    of people below a part of them in the other claim ("the toll is 20" vs "25 soldiers were killed").

    A noun a claim counts more than once, whatever its qualifiers ("one man ... the other two men"),
    is left out: its counts may be parts of a whole that the other claim counts.
    """
    def once(quantities: Iterable[Quantity]) -> dict[str, Quantity]:
        quantities = list(quantities)
        nouns = Counter(q.noun or q.unit for q in quantities)
        return {q.unit: q for q in quantities if nouns[q.noun or q.unit] == 1 and not q.partial}

    def one_of_parts(x: Quantity, y: Quantity) -> bool:
        return x.low == x.high == 1 and "has:parts" in y.context or y.low == y.high == 1 and "has:parts" in x.context

    in_a, in_b = once(a), once(b)
    found = []
    for unit, x in in_a.items():
        y = in_b.get(unit)
        if y is not None and x.kind == y.kind and _apart(x, y) and same_moment(x, y) and not one_of_parts(x, y):
            found.append(NumberConflict(unit=unit, a=x.text, b=y.text))
            continue
        # a whole below its part: "dead" in one claim, "dead soldier" in the other
        for other, y in in_b.items():
            whole, part = (x, y) if unit in _CATEGORIES and other.startswith(unit + " ") else \
                (y, x) if other in _CATEGORIES and unit.startswith(other + " ") else (None, None)
            if whole is not None and part.low - part.slack > whole.high * (1 + MARGIN) + whole.slack and \
                    same_moment(x, y):
                found.append(NumberConflict(unit=whole.unit, a=x.text, b=y.text))
                break
    return tuple(found)
