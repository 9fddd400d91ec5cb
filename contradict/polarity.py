"""Negated claims and their positive forms.

A claim and its negation are the plainest contradiction there is, yet NLI cross-encoders of this
size read "Xi did not call Trump" against "Xi spoke with Trump by phone" less surely than they read
two positive claims, and denials ("Moscow denied that its jets struck the market") or refutations
("reports that the minister resigned are false") are worse: the model has to find the claim inside
the frame first. This module finds how a parsed claim is negated and writes its *positive form*
P, the claim with the negation undone and everything else kept as written, so that a caller can ask
the model whether P agrees with the other claim (P entailed by the other claim means the two
contradict).

The kinds (:class:`~contradict.types.Polarity`):

- **negation**: the clause that carries the assertion (the sentence root and the verbs conjoined
  to it; for "P, X said" the clause P; for "images show (that) P" or "investigators found that P",
  verbs of evidence, also P) has a ``neg`` child ("not", "n't", "never"), "no longer",
  a subject or object with the determiner "no", or is "nobody", "no one", "none" or "nothing".
  P drops "not"/"never"/"no longer" ("did not call" -> "did call", "won't" -> "will", "cannot"
  -> "can"), turns "no request" into "a request" ("no evidence", "no casualties" into "evidence",
  "casualties": mass nouns and plurals take no article), "nobody"/"no one" into "someone", "none"
  into "some" and "nothing" into "something". Negative-polarity words in the negated clause are
  made positive as well ("any rockets" -> "some rockets", "anyone" -> "someone", "not yet" ->
  "", "at all" -> "").
- **denial**: the assertion verb is deny / reject / dismiss / refute / dispute with a claim for
  its object: a clause ("denied (that) P"), a report noun with one ("rejected claims that P"), a
  gerund ("denied sending troops" -> "Moscow sent troops", the past tense spelled from the
  "-ing" form and a table of irregular verbs) or one of a few nouns of taking part ("denied
  involvement in the blast" -> "The army was involved in the blast"). A subject pronoun of P that
  can only be the denier ("Moscow denied that it ...") is replaced by the denier. Where no readable
  P can be made ("denied the allegations") the kind is still "denial" and ``positive`` is None;
  "rejected the proposal" or "denied him entry" is no denial of a claim and is left alone.
- **refutation**: a report declared false: "reports/claims that P are false / untrue / baseless /
  fabricated / a lie", "X's claim / the press secretary's assertion that P was untrue" (read from
  the words whatever the parse, with up to ten words of determiner, adjectives and possessor before
  the report noun, and a trailing attribution allowed: "..., the Kremlin said"), "it is untrue /
  not true / false that P", "there is no truth to reports that P" (P is the reported clause), or a
  report without its clause ("the figure is completely untrue" -> "the figure is true"); "X
  called the reports baseless" is a refutation with no P. A semicolon ends P ("it is untrue that
  P; Q" refutes P alone).

:func:`refuted_spans` gives the token range of each sentence's denied or refuted clause P, so that
another check (:mod:`contradict.agents`) reads nothing in P as asserted; :data:`DENIAL_VERBS` and
:data:`FALSE_WORDS` are the word lists it shares.

Left alone, on purpose: negation inside a subordinate or relative clause or in the complement of a
speech verb that leads the sentence ("He said the army would not retreat": the claim extractor has
already cut such frames off when the content is the claim), "not" on a word other than the verb
("soldiers, not separatists, fired"), and the idioms that assert rather than deny: "not only / just /
merely", "not least", "not until", "no doubt / question / secret / wonder / coincidence", "nothing
but / less than / short of", "none other than", "no more / fewer / less than" (a bound on a count,
left to :mod:`contradict.numbers`). Double negation ("not impossible") is read as a negation of the
main clause. Every main-clause negation of the chosen sentence is undone ("the vote was not fair
and did not follow the law" -> "the vote was fair and did follow the law"); ``cue`` and
``removed`` name the first. "There was no P" is a negation here (kind "negation", P "there was a
P"), not a refutation: it denies the event, not a report of it.

Known limits: only the first sentence that carries a negation, denial or refutation is changed;
the other sentences of the claim are kept as written (a second negated sentence stays negated).
P of a denial or refutation replaces its whole sentence, so adjuncts of the frame ("on Monday")
are lost. "did not call" becomes "did call" (no lemmatizer to write "called"); inverted negation
("Never has he ...", "No longer can ...") and "neither ... nor" are not read; implicit negation
("failed to", "refused to", "without", "impossible") is not negation here; "no" inside a phrase
("with no hat", "for no reason", "at no point") is left alone. The parser's mistakes carry over:
where it attaches "not" to the wrong word the claim reads as positive. Two frames the parser often
misreads are also read from the words: a sentence-long subject ("Claims that P were fabricated")
and a denial verb it takes for an adjective ("The general refuted claims that P").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .types import Polarity

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Span, Token

_NEG_WORDS = {"not", "n't", "n\u2019t", "nt", "never"}
#: Contracted auxiliaries whose written form changes when "n't" goes: "won't" -> "will".
_CONTRACTED = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
#: "not X" that asserts rather than denies.
_NOT_IDIOMS = {"only", "just", "merely", "least", "simply"}
#: Nouns that "no" does not negate the claim with: "there is no doubt that P" asserts P.
_NO_IDIOMS = {"doubt", "question", "secret", "wonder", "coincidence", "surprise", "matter", "exception",
              "stranger", "accident", "longer", "more", "less", "fewer", "end"}
#: Nouns read without an article once "no" goes ("no evidence" -> "evidence"); count nouns take "a"/"an".
_MASS = {"involvement", "fraud", "mediation", "wrongdoing", "responsibility", "control", "evidence",
         "information", "damage", "harm", "progress", "truth", "proof", "support", "help", "violence", "news",
         "advice", "money", "time", "contact", "confirmation", "comment", "word", "access", "water", "food",
         "fuel", "power", "electricity", "aid", "assistance", "knowledge", "fighting", "funding", "equipment",
         "intelligence", "data", "research", "traffic", "resistance", "opposition", "justification", "basis",
         "substance", "foundation", "trace", "room", "interest", "mention", "response", "movement", "activity",
         "authority", "permission", "consent"}
_PRONOUN_NEGATIVES = {"nobody": "someone", "none": "some", "nothing": "something", "no-one": "someone"}
#: What follows "nothing" / "none" when it asserts: "nothing but lies", "none other than".
_PRONOUN_IDIOMS = {"but", "less", "short", "other", "more", "else"}

_CORE_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "oprd", "csubj"}
_SPEECH = {"said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "insisted", "insists",
           "claimed", "claims", "noted", "notes", "explained", "wrote", "writes", "reported", "reports",
           "announced", "argued", "argues", "suggested", "warned", "confirmed", "confirms", "believes",
           "believed", "according", "maintained", "maintains", "alleged", "alleges", "asserted", "asserts"}

#: Participles that continue the frame of a denial, not its content: "..., saying ...".
_FRAME_PARTICIPLES = {"saying", "adding", "calling", "insisting", "citing", "arguing", "noting", "stressing",
                      "describing", "accusing", "blaming", "claiming", "dismissing", "denying", "branding",
                      "telling", "urging", "pointing", "explaining", "asserting", "suggesting", "labelling",
                      "labeling", "terming"}
#: Verbs of evidence: their complement is what the claim asserts.
_EVIDENCE = {"show", "shows", "showed", "shown", "prove", "proves", "proved", "proven", "confirm", "confirms",
             "confirmed", "reveal", "reveals", "revealed", "demonstrate", "demonstrates", "demonstrated", "find",
             "finds", "found", "conclude", "concludes", "concluded", "establish", "establishes", "established"}
_DENY = {"deny", "denies", "denied", "denying"}
_REJECT = {"reject", "rejects", "rejected", "rejecting", "dismiss", "dismisses", "dismissed", "dismissing",
           "refute", "refutes", "refuted", "refuting", "dispute", "disputes", "disputed", "disputing",
           "rebut", "rebuts", "rebutted", "repudiate", "repudiates", "repudiated"}
_CALL = {"call", "calls", "called", "describe", "describes", "described", "brand", "brands", "branded",
         "label", "labels", "labelled", "labeled", "term", "terms", "termed"}
_REPORT_NOUNS = {"report", "claim", "allegation", "accusation", "suggestion", "assertion", "rumour", "rumor",
                 "speculation", "story", "statement", "charge", "insinuation", "notion", "idea", "contention",
                 "account", "version", "finding", "conclusion", "news", "information", "figure", "theory",
                 "narrative", "assessment", "suspicion", "belief", "assumption", "impression", "reporting",
                 "reports", "claims", "allegations", "accusations", "suggestions", "assertions", "rumours",
                 "rumors", "stories", "statements", "charges", "insinuations", "accounts", "findings",
                 "conclusions", "figures", "theories", "narratives", "suspicions", "speculations"}
_FALSE_ADJECTIVES = {"false", "untrue", "baseless", "groundless", "unfounded", "fabricated", "fake", "wrong",
                     "incorrect", "inaccurate", "fictitious", "bogus", "erroneous", "invented"}
_FALSE_NOUNS = {"fabrication", "fabrications", "lie", "lies", "fiction", "falsehood", "falsehoods", "nonsense",
                "rubbish", "myth", "hoax", "disinformation", "fantasy", "invention", "propaganda", "slander",
                "misinformation"}
_FALSE_WORDS = _FALSE_ADJECTIVES | _FALSE_NOUNS
#: Shared with :mod:`contradict.agents` (one list in one place): the verbs that deny or reject a
#: claim, and the words that call one false.
DENIAL_VERBS = frozenset(_DENY | _REJECT)
FALSE_WORDS = frozenset(_FALSE_WORDS)
#: Predicates that "not" turns into a refutation: "is not true".
_LIE_MODIFIERS = {"a", "an", "the", "pure", "complete", "total", "outright", "blatant", "absolute", "utter",
                  "malicious", "deliberate", "big", "of"}
_TRUE_WORDS = {"true", "correct", "accurate", "right", "the truth", "truth"}
#: "it is false to say that P".
_SAY_VERBS = {"say", "claim", "suggest", "assert", "argue", "state", "allege"}
#: "there is no truth to reports that P".
_TRUTH_NOUNS = {"truth", "basis", "substance", "foundation"}
_INTENSIFIERS = {"completely", "totally", "absolutely", "entirely", "utterly", "simply", "patently", "clearly",
                 "categorically", "plainly", "just", "wholly", "obviously", "blatantly", "manifestly", "all"}
_BE = {"is", "are", "was", "were", "be", "been", "being", "'s", "'re", "am"}

#: Denied nouns of taking part, and the predicate each becomes: "denied involvement in X" -> "was involved in X".
_INVOLVEMENT = {"involvement": "{be} involved", "responsibility": "{be} responsible", "role": "played a role",
                "part": "took part", "participation": "took part", "complicity": "{be} complicit",
                "presence": "{be} present", "link": "had a link", "links": "had links", "ties": "had ties",
                "connection": "had a connection", "connections": "had connections", "contact": "had contact",
                "contacts": "had contacts", "knowledge": "had knowledge", "wrongdoing": "committed wrongdoing"}

#: Past tense of irregular verbs, by their "-ing" form (regular ones: "-ing" -> "-ed").
_IRREGULAR_PAST = {
    "being": "{be}", "having": "had", "doing": "did", "going": "went", "making": "made", "sending": "sent",
    "giving": "gave", "taking": "took", "seeing": "saw", "meeting": "met", "holding": "held", "leaving": "left",
    "shooting": "shot", "hitting": "hit", "selling": "sold", "paying": "paid", "telling": "told", "saying": "said",
    "bringing": "brought", "buying": "bought", "building": "built", "fighting": "fought", "running": "ran",
    "winning": "won", "hiding": "hid", "stealing": "stole", "breaking": "broke", "speaking": "spoke",
    "writing": "wrote", "driving": "drove", "striking": "struck", "spending": "spent", "lending": "lent",
    "putting": "put", "setting": "set", "letting": "let", "cutting": "cut", "getting": "got", "coming": "came",
    "knowing": "knew", "keeping": "kept", "leading": "led", "feeding": "fed", "throwing": "threw",
    "flying": "flew", "drawing": "drew", "blowing": "blew", "growing": "grew", "finding": "found",
    "losing": "lost", "sitting": "sat", "standing": "stood", "understanding": "understood", "thinking": "thought",
    "teaching": "taught", "catching": "caught", "seeking": "sought", "forgetting": "forgot", "choosing": "chose",
    "falling": "fell", "feeling": "felt", "dealing": "dealt", "meaning": "meant", "beginning": "began",
    "becoming": "became", "rising": "rose", "riding": "rode", "wearing": "wore", "tearing": "tore",
    "sleeping": "slept", "sticking": "stuck", "hanging": "hung", "digging": "dug", "shaking": "shook",
    "hearing": "heard", "reading": "read", "binding": "bound", "bending": "bent", "overseeing": "oversaw",
    "undertaking": "undertook", "withdrawing": "withdrew", "withholding": "withheld", "upholding": "upheld",
    "misleading": "misled", "shutting": "shut", "quitting": "quit", "spreading": "spread", "casting": "cast",
    "bursting": "burst", "costing": "cost", "hurting": "hurt", "splitting": "split", "betting": "bet",
    "lighting": "lit", "sliding": "slid", "fleeing": "fled", "laying": "laid", "sinking": "sank",
    "swearing": "swore", "eating": "ate", "drinking": "drank", "singing": "sang",
    "beating": "beat", "biting": "bit", "forbidding": "forbade", "freezing": "froze", "forgiving": "forgave",
    "overtaking": "overtook", "overrunning": "overran", "outrunning": "outran", "waking": "woke",
    "swimming": "swam", "spinning": "spun", "sweeping": "swept", "weeping": "wept", "creeping": "crept",
    "dreaming": "dreamt", "sneaking": "sneaked", "shining": "shone", "thrusting": "thrust", "wringing": "wrung",
}


#: What a sentence finder returns: (kind, positive sentence, cue, removed, the token range
#: ``[start, end)`` of the clause P that a denial or refutation says is false, or None).
_Found = tuple[str, "str | None", str, str, "tuple[int, int] | None"]


def polarity(doc: Doc) -> Polarity:
    """The polarity of a parsed claim and its positive form (see the module docstring)."""
    for sent in doc.sents:
        found = _sentence(sent)
        if found is None:
            continue
        kind, new, cue, removed, _ = found
        if new is None:
            return Polarity(kind=kind, positive=None, cue=cue, removed=removed)
        text = doc.text
        positive = (text[:sent.start_char] + new.rstrip() + text[sent.end_char:]).strip()
        return Polarity(kind=kind, positive=positive or None, cue=cue, removed=removed)
    return Polarity()


def refuted_spans(doc: Doc) -> list[tuple[int, int]]:
    """The token ranges ``[start, end)`` of the clauses that a denial or refutation of ``doc`` says are
    false or did not happen, in every sentence (one per sentence): the P of "X denied that P",
    "reports that P are false", "X's assertion that P was untrue", "it is untrue that P". What is
    said in them is not asserted by the claim (:mod:`contradict.agents` reads no act there). A range
    ends at a semicolon: the clause after it stands on its own."""
    spans = []
    for sent in doc.sents:
        found = _sentence(sent)
        if found is not None and found[0] in ("denial", "refutation") and found[4] is not None:
            spans.append(found[4])
    return spans


def _extent(tokens: Iterable[Token]) -> tuple[int, int] | None:
    """The range ``[start, end)`` of ``tokens`` (a leading "that" left out), cut at a semicolon."""
    ordered = sorted(tokens, key=lambda t: t.i)
    if ordered and ordered[0].text.lower() == "that":
        ordered = ordered[1:]
    if not ordered:
        return None
    start, end = ordered[0].i, ordered[-1].i + 1
    semi = next((t.i for t in ordered[0].doc[start:end] if t.text == ";"), None)
    return (start, semi if semi is not None else end)


def _to_semicolon(tokens: list[Token]) -> list[Token]:
    """``tokens`` up to a semicolon: "it is untrue that P; Q" refutes P alone."""
    cut = next((k for k, t in enumerate(tokens) if t.text == ";"), None)
    return tokens if cut is None else tokens[:cut]


#: Where a claim breaks into clauses for :func:`changed_clauses`: a semicolon, ", and" / ", but" /
#: ", while" / ", whereas", or a sentence end.
_CLAUSE_BREAK = re.compile(r"\s*;\s*|,\s+(?:and|but|while|whereas)\s+|(?<=[.!?])\s+(?=[A-Z\"'\u201c])")


def _clauses(text: str) -> list[str]:
    return [c.strip(" ,.;") for c in _CLAUSE_BREAK.split(text) if c.strip(" ,.;")]


def changed_clauses(text: str, positive: str) -> str | None:
    """The clauses of ``positive`` that are not in ``text`` as written, as one sentence; None when every clause
    changed (``positive`` is already that) or none did.

    A positive form keeps the rest of its claim ("The crew followed the instructions, and the plane did
    veer off course"); the clause that was negated, alone ("The plane did veer off course"), is what
    the other claim has to entail, and the kept clauses only dilute it for the model.
    """
    written = {c.casefold() for c in _clauses(text)}
    pieces = _clauses(positive)
    changed = [c for c in pieces if c.casefold() not in written]
    if not changed or len(changed) == len(pieces):
        return None
    sentence = "; ".join(changed)
    return sentence[0].upper() + sentence[1:] + "."


def polarities(texts: Iterable[str], nlp: Any) -> dict[str, Polarity]:
    """The polarity of each distinct text, each parsed once with spaCy ``nlp``."""
    distinct = list(dict.fromkeys(texts))
    return {text: polarity(doc) for text, doc in zip(distinct, nlp.pipe(distinct))}


# -- one sentence ----------------------------------------------------------------------------------

def _sentence(sent: Span) -> _Found | None:
    """(kind, positive sentence, cue, removed) for a sentence that is negated, else None."""
    heads = _assertion_heads(sent)
    for head in heads:
        found = _denial(head, sent)
        if found is not None:
            return found
    for finder in (_refutation_surface, _refutation_parsed, _denial_surface):
        found = finder(sent, heads)
        if found is not None:
            return found
    return _negation(sent, heads)


def _assertion_heads(sent: Span) -> list[Token]:
    """The verbs of the clause that carries the assertion: the root and the verbs conjoined to it;
    for a trailing attribution ("P, the minister said") the clause P instead; a clause before a
    semicolon that the parser hangs under the root ("P; Q"); and the complement of a verb of
    evidence ("images show (that) P", "investigators found that P"), whose content is asserted."""
    root = sent.root
    starts = [root]
    before = [c for c in root.children if c.dep_ in ("ccomp", "parataxis") and c.i < root.i]
    if root.text.lower() in _SPEECH and before:
        starts = [before[0]]
    elif before and any(t.text in (";", ":") for t in sent.doc[before[0].i:root.i]):
        starts.append(before[0])
    heads, todo = [], list(starts)
    while todo:
        tok = todo.pop()
        heads.append(tok)
        todo.extend(c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"))
        if tok.text.lower() in _EVIDENCE and not _negated(tok):
            todo.extend(c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i and c.pos_ in ("VERB", "AUX"))
    return sorted(set(heads), key=lambda t: t.i)


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


# -- denials ---------------------------------------------------------------------------------------

def _denial(head: Token, sent: Span) -> _Found | None:
    word = head.text.lower()
    deny = word in _DENY
    if not (deny or word in _REJECT) or _negated(head) or head.tag_ == "VBN" and \
            any(c.dep_ == "auxpass" for c in head.children):
        return None
    if any(c.dep_ == "dative" for c in head.children):  # "denied him entry"
        return None
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    clause = next((c for c in head.children if c.dep_ == "ccomp" and c.i > head.i), None)
    obj = next((c for c in head.children if c.dep_ == "dobj"), None)
    if obj is not None and obj.text.lower() in _REPORT_NOUNS:
        clause = _report_clause(obj) or clause
        removed = sent.doc[head.i:(clause.i if clause is not None else obj.i + 1)]
        if clause is not None:
            removed = sent.doc[head.i:_clause_start(clause)]
        return "denial", _clause_sentence(clause, subject, sent, strip_as=not deny), head.text, \
            removed.text.strip(), _extent(clause.subtree) if clause is not None else None
    if clause is not None:
        return "denial", _clause_sentence(clause, subject, sent), head.text, \
            sent.doc[head.i:_clause_start(clause)].text.strip(), _extent(clause.subtree)
    if not deny:
        return None
    gerund = next((c for c in head.children if c.dep_ in ("xcomp", "pcomp", "ccomp")
                   and c.tag_ in ("VBG", "VBN") and c.i > head.i), None)
    if gerund is not None:
        return "denial", _gerund_sentence(gerund, subject, sent), head.text, head.text, _extent(gerund.subtree)
    if obj is not None and obj.text.lower() in _INVOLVEMENT:
        return "denial", _involvement_sentence(obj, subject, sent), head.text, head.text, _extent(obj.subtree)
    if obj is not None and obj.text.lower() in ("it", "this", "that", "them"):
        return "denial", None, head.text, head.text, None
    return None


def _report_clause(noun: Token) -> Token | None:
    """The clause of a report noun: "reports that P" (an acl, or the parser's relative clause
    whose "that" is no argument of its own)."""
    for c in noun.children:
        if c.i <= noun.i:
            continue
        if c.dep_ in ("acl", "ccomp") and c.pos_ in ("VERB", "AUX") and any(
                m.dep_ == "mark" and m.text.lower() == "that" for m in c.children):
            return c
        if c.dep_ == "relcl":
            first = _first(c)
            subjects = [s for s in c.children if s.dep_ in ("nsubj", "nsubjpass", "expl")]
            if first.text.lower() == "that" and first.i == noun.i + 1 and any(s.i > first.i for s in subjects):
                return c
    return None


def _first(tok: Token) -> Token:
    """The first token of ``tok``'s phrase."""
    return min(tok.subtree, key=lambda t: t.i)


def _clause_start(clause: Token) -> int:
    """Where P starts: after its "that"."""
    first = _first(clause)
    return first.i + 1 if first.text.lower() == "that" else first.i


def _clause_sentence(clause: Token | None, denier: Token | None, sent: Span, *,
                     strip_as: bool = False) -> str | None:
    """The clause P of "X denied that P" as a sentence of its own."""
    if clause is None:
        return None
    tokens = sorted(clause.subtree, key=lambda t: t.i)
    if tokens and tokens[0].text.lower() == "that":  # the mark, or the parser's relative "that"
        tokens = tokens[1:]
    if strip_as:  # "dismissed reports that P as propaganda"
        tail = [c for c in clause.children if c.dep_ == "prep" and c.text.lower() == "as"]
        if tail and max(t.i for t in tail[-1].subtree) == max(t.i for t in tokens):
            cut = tail[-1].i
            tokens = [t for t in tokens if t.i < cut]
    tokens = _without_frame_tail(tokens)
    edits = _npi_edits(tokens, start=-1)
    edits.update(_pronoun_edits(clause, denier))
    return _as_sentence(_render(tokens, edits), sent)


def _without_frame_tail(tokens: list[Token]) -> list[Token]:
    """P without a trailing ", saying ..." that the parser hung on P but that belongs to the frame:
    "denied that the ship was hit, saying it sank in a storm"."""
    for k, t in enumerate(tokens):
        if t.text.lower() in _FRAME_PARTICIPLES and k > 0 and tokens[k - 1].text == ",":
            return tokens[:k - 1]
    return tokens


def _denial_surface(sent: Span, heads: list[Token]) -> _Found | None:
    """A denial the parser missed: "The general refuted claims that P", read from the words: a
    deny / reject verb after a subject (no verb before it but an auxiliary), then "that" or a
    report noun (with a few words before it) and "that"."""
    toks = [t for t in sent if not t.is_space]
    for k, t in enumerate(toks):
        word = t.text.lower()
        if word in _NEG_WORDS:  # "did not deny"
            return None
        if t.tag_.startswith(("VB", "MD")) and word not in _DENY | _REJECT and \
                word not in ("has", "have", "had", "will", "would", "did", "does", "do"):
            return None
        if word not in _DENY | _REJECT or k == 0:
            continue
        j = k + 1
        if j < len(toks) and toks[j].text.lower() != "that":
            while j < len(toks) and j - k <= 5 and toks[j].text.lower() not in _REPORT_NOUNS and \
                    toks[j].tag_ in ("DT", "PRP$", "JJ", "NN", "NNP", "IN", "POS", "RB"):
                j += 1
            if j >= len(toks) or toks[j].text.lower() not in _REPORT_NOUNS:
                return None
            j += 1
        if j >= len(toks) or toks[j].text.lower() != "that":
            return None
        rest = _without_frame_tail(_to_semicolon(toks[j + 1:]))
        if not rest:
            return None
        p = _as_sentence(_render(rest, _npi_edits(rest, start=-1)), sent)
        return "denial", p, t.text, sent.doc[t.i:toks[j].i + 1].text, _extent(rest)
    return None


def _pronoun_edits(clause: Token, denier: Token | None) -> dict[int, str]:
    """Put the denier for a subject pronoun of P that can only be it: "Moscow denied that it ..."."""
    if denier is None or denier.pos_ == "PRON":
        return {}
    person = denier.ent_type_ == "PERSON"
    name = " ".join(t.text for t in sorted(denier.subtree, key=lambda t: t.i))
    plural = denier.tag_ in ("NNS", "NNPS")
    for c in clause.children:
        if c.dep_ not in ("nsubj", "nsubjpass"):
            continue
        word = c.text.lower()
        if word in ("he", "she") and person or word == "it" and not person and not plural \
                or word == "they" and not person and plural:
            return {c.i: name}
        for p in c.children:
            if p.dep_ == "poss" and p.text.lower() in ("its", "their") and not person:
                return {p.i: name + "'s"}
    return {}


def _be(subject: Token | None) -> str:
    if subject is not None and (subject.tag_ in ("NNS", "NNPS") or subject.text.lower() in ("they", "we", "you")):
        return "were"
    return "was"


def _past(gerund: str) -> str:
    word = gerund.lower()
    if word in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[word]
    stem = word[:-3]
    if stem.endswith("ee"):
        return stem + "d"
    if stem.endswith("y") and len(stem) > 1 and stem[-2] not in "aeiou":
        return stem[:-1] + "ied"
    if stem.endswith("e"):
        return stem + "d"
    return stem + "ed"


def _subject_text(subject: Token | None) -> str | None:
    if subject is None:
        return None
    return "".join(t.text_with_ws for t in sorted(subject.subtree, key=lambda t: t.i)).strip()


def _gerund_sentence(gerund: Token, subject: Token | None, sent: Span) -> str | None:
    """"Moscow denied sending troops" -> "Moscow sent troops"."""
    who = _subject_text(subject)
    if who is None:
        return None
    be = _be(subject)
    tokens = sorted(gerund.subtree, key=lambda t: t.i)
    edits = _npi_edits(tokens, start=-1)
    auxes = [c for c in gerund.children if c.dep_ in ("aux", "auxpass") and c.i < gerund.i]
    if gerund.tag_ == "VBN":
        if not auxes:
            return None
        for aux in auxes:
            word = aux.text.lower()
            if word not in ("having", "being"):
                return None
            # "having carried out" -> "had carried out"; "being involved" -> "was involved";
            # "having been" -> "had been"
            edits[aux.i] = "had" if word == "having" else be
    elif gerund.tag_ == "VBG":
        if any(a.text.lower() not in ("having", "being") for a in auxes):
            return None
        edits[gerund.i] = _past(gerund.text).format(be=be)
        for aux in auxes:
            edits[aux.i] = "had" if aux.text.lower() == "having" else be
    else:
        return None
    for t in tokens:  # "denied ever having met"
        if t.dep_ == "advmod" and t.text.lower() == "ever" and t.head == gerund:
            edits[t.i] = ""
    return _as_sentence(who + " " + _render(tokens, edits), sent)


def _involvement_sentence(noun: Token, subject: Token | None, sent: Span) -> str | None:
    """"The army denied involvement in the blast" -> "The army was involved in the blast"."""
    who = _subject_text(subject)
    if who is None:
        return None
    predicate = _INVOLVEMENT[noun.text.lower()].format(be=_be(subject))
    after = [t for t in noun.subtree if t.i > noun.i]
    rest = _render(after, _npi_edits(after, start=-1)) if after else ""
    return _as_sentence(f"{who} {predicate} {rest}".strip(), sent)


# -- refutations -----------------------------------------------------------------------------------

def _false_predicate(tokens: list[Token]) -> bool:
    """Whether ``tokens`` (what follows the copula, to the end of the sentence) say "false":
    "false", "completely untrue", "not true", "a lie", "pure fiction", "fake news"."""
    words = [t.text.lower() for t in tokens]
    while words and (tokens[len(words) - 1].is_punct or words[-1] in ('"', "'")):
        words.pop()
    i, negated = 0, False
    while i < len(words) and (words[i] in _INTENSIFIERS or words[i] in ("not", "n't", "nothing", "but")):
        negated = negated or words[i] in ("not", "n't")
        i += 1
    rest = words[i:]
    if not rest:
        return False
    if negated:
        return " ".join(rest) in _TRUE_WORDS
    if len(rest) == 1 and rest[0] in _FALSE_WORDS:
        return True
    # "a lie", "a complete fabrication", "pure fiction", "fake news", "nothing but lies"
    if rest[-1] in _FALSE_NOUNS or rest[-2:] == ["fake", "news"]:
        inner = rest[:-1] if rest[-1] in _FALSE_NOUNS else rest[:-2]
        return all(w in _LIE_MODIFIERS or w in _INTENSIFIERS for w in inner)
    return False


def _cue(predicate: list[Token]) -> str:
    """The word of a false predicate that refutes: "not" in "not true", else its last word ("lie")."""
    words = [t for t in predicate if not t.is_punct]
    neg = next((t for t in words if t.text.lower() in ("not", "n't", "n\u2019t")), None)
    return (neg or words[-1]).text


def _refutation_surface(sent: Span, heads: list[Token]) -> _Found | None:
    """"Reports that P are false", "It is untrue that P", "It is false to say that P", read from
    the words (the parser often misreads a sentence-long subject)."""
    toks = [t for t in sent]
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks = toks[1:]
    words = [t.text.lower() for t in toks]
    # It is (completely) untrue / not true / false (to say) that P
    if len(words) > 4 and words[0] == "it" and words[1] in _BE:
        k = next((i for i in range(2, len(words)) if words[i] in ("that", "to")), None)
        if k is None or k == 2 or not _false_predicate(toks[2:k]):
            return None
        cue, refuting = toks[k - 1], _cue(toks[2:k])
        if words[k] == "to":  # "it is false to say that P"
            if k + 1 >= len(words) or words[k + 1] not in _SAY_VERBS:
                return None
            k += 2 if k + 2 < len(words) and words[k + 2] == "that" else 1
        elif cue.text.lower() == "wrong":  # "it is wrong that children go hungry" judges, not refutes
            return None
        rest = _to_semicolon(toks[k + 1:])
        if not rest:
            return None
        p = _as_sentence(_render(rest, _npi_edits(rest, start=-1)), sent)
        return "refutation", p, refuting, sent.doc[toks[0].i:toks[k].i + 1].text, _extent(rest)
    # (The) reports that P are false; X's claim / the press secretary's assertion that P was untrue
    # (whatever the parse: it often makes the report noun the root and hangs "was untrue" on P),
    # optionally followed by an attribution (", the Kremlin said").
    for n in range(min(_NP_PREFIX + 1, len(toks) - 2)):
        if words[n] in _REPORT_NOUNS and words[n + 1] == "that" and all(t.tag_ in _NP_TAGS for t in toks[:n]):
            for last, c in ((last, c) for last in dict.fromkeys((len(toks), _before_attribution(toks)))
                            for c in range(last - 1, n + 2, -1)):
                if words[c] in _BE and _false_predicate(toks[c + 1:last]) and \
                        not (words[c] == "been" and c > 0 and words[c - 1] not in ("have", "has", "had")):
                    cut = c - 1 if words[c] == "been" else c
                    p_tokens = toks[n + 2:cut]
                    while p_tokens and p_tokens[-1].is_punct:
                        p_tokens = p_tokens[:-1]
                    if not p_tokens:
                        return None
                    end = [t for t in toks[c + 1:last] if not t.is_punct]
                    p = _as_sentence(_render(p_tokens, _npi_edits(p_tokens, start=-1)), sent)
                    removed = sent.doc[toks[cut].i:end[-1].i + 1].text
                    return "refutation", p, _cue(end), removed, _extent(p_tokens)
            return None
    return None


#: How many words may come before the report noun of "(the) reports that P are false" (its
#: determiner, adjectives and possessor: "White House press secretary Josh Earnest's assertion"), and
#: the tags they may have.
_NP_PREFIX = 10
_NP_TAGS = {"DT", "PRP$", "JJ", "NNP", "NNPS", "POS", "NN", "NNS", "VBN", "HYPH", "CD"}


def _before_attribution(toks: list[Token]) -> int:
    """Where a trailing attribution starts (", the Kremlin said", ", according to X"), else the length
    of ``toks``: the false predicate may end there."""
    for k in range(len(toks) - 2, 0, -1):
        if toks[k].text == "," and len(toks) - k <= 10:
            tail = [t.text.lower() for t in toks[k + 1:]]
            if any(w in _SPEECH for w in tail):
                return k
    return len(toks)


def _refutation_parsed(sent: Span, heads: list[Token]) -> _Found | None:
    """Refutations read from the parse: "That P is a lie", "The figure is completely untrue",
    "There is no truth to reports that P", "X called the reports baseless"."""
    for head in heads:
        word = head.text.lower()
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        # There is no truth to reports that P
        if word in _BE and any(c.dep_ == "expl" for c in head.children):
            for attr in (c for c in head.children if c.dep_ == "attr" and c.text.lower() in _TRUTH_NOUNS):
                if not any(d.dep_ == "det" and d.text.lower() == "no" for d in attr.children):
                    continue
                for prep in (c for c in attr.children if c.dep_ == "prep"):
                    for noun in (c for c in prep.children if c.dep_ == "pobj" and c.text.lower() in _REPORT_NOUNS):
                        clause = _report_clause(noun)
                        if clause is not None:
                            return "refutation", _clause_sentence(clause, None, sent), "no", \
                                sent.doc[sent[0].i:_clause_start(clause)].text.strip(), _extent(clause.subtree)
        # X called the reports baseless / described the claims as fabricated
        if word in _CALL:
            obj = next((c for c in head.children if c.dep_ == "dobj" and c.text.lower() in _REPORT_NOUNS), None)
            pred = [c for c in head.children if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and c.i > head.i]
            pred += [p for c in head.children if c.dep_ == "prep" and c.text.lower() == "as"
                     for p in c.children if p.dep_ in ("pobj", "amod", "acomp")]
            if obj is not None and any(p.text.lower() in _FALSE_WORDS for p in pred):
                clause = _report_clause(obj)
                cue = next(p for p in pred if p.text.lower() in _FALSE_WORDS)
                end = cue.i + 1 if clause is None else _clause_start(clause)
                return "refutation", _clause_sentence(clause, None, sent), cue.text, sent.doc[head.i:end].text, \
                    _extent(clause.subtree) if clause is not None else None
        if subject is None:
            continue
        if word in _BE or head.pos_ == "AUX":
            preds = [c for c in head.children if c.dep_ in ("acomp", "attr") and c.i > head.i]
        elif head.text.lower() in _FALSE_WORDS and any(c.dep_ == "auxpass" for c in head.children):
            preds = [head]  # "the reports were fabricated"
        else:
            continue
        for pred in preds:
            left = [t for t in pred.subtree if t.i <= pred.i]
            negs = [c for c in head.children if c.dep_ == "neg" and c.i < pred.i]
            span = sorted(negs + [c for c in head.children if c.dep_ == "advmod" and c.i < pred.i
                                  and c.text.lower() in _INTENSIFIERS and c.i > head.i] + left, key=lambda t: t.i)
            if pred is head:
                span = sorted(negs + [pred], key=lambda t: t.i)
            if not _false_predicate(span):
                continue
            cue = _cue(span)
            frame = min([head.i] + [c.i for c in head.children if c.i > subject.i and c.i < head.i
                                    and (c.dep_ in ("aux", "neg") or c.text.lower() in _INTENSIFIERS)])
            if subject.dep_ == "csubj" and any(m.dep_ == "mark" and m.text.lower() == "that"
                                               for m in subject.children):  # That P is a lie.
                return "refutation", _clause_sentence(subject, None, sent), cue, \
                    sent.doc[frame:pred.i + 1].text, _extent(subject.subtree)
            if subject.text.lower() in _REPORT_NOUNS or subject.text.lower() in ("this", "that"):
                clause = _report_clause(subject)
                if clause is not None:
                    return "refutation", _clause_sentence(clause, None, sent), cue, \
                        sent.doc[frame:pred.i + 1].text, _extent(clause.subtree)
                # "The figure is completely untrue" -> "The figure is true"
                edits = {t.i: "" for t in span}
                edits[span[-1].i] = "true"
                if negs and pred.text.lower() in _TRUE_WORDS:  # "was not accurate" -> "was accurate"
                    edits = {t.i: "" for t in span if t.i < pred.i and not any(a.i == pred.i for a in t.ancestors)}
                    removed = " ".join(t.text for t in span if t.i in edits)
                else:
                    removed = sent.doc[span[0].i:span[-1].i + 1].text
                if pred is head:  # "were fabricated": the verb is the predicate
                    edits[pred.i] = "true"
                    aux = [c for c in head.children if c.dep_ == "auxpass"]
                    edits.update({a.i: a.text for a in aux})
                return "refutation", _render(list(sent), edits), cue, removed, None
    return None


# -- main-clause negation --------------------------------------------------------------------------

def _negation(sent: Span, heads: list[Token]) -> _Found | None:
    edits: dict[int, str] = {}
    cues: list[tuple[int, str, str]] = []  # (token index, cue, removed)
    npi_scopes: list[tuple[Token, int]] = []
    doc = sent.doc
    for head in heads:
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
        for c in head.children:
            word = c.text.lower()
            if c.dep_ in ("neg", "advmod") and subject is not None and c.i < subject.i:
                continue  # inverted: "Never has he ...", "No longer can grantees ..."
            nxt = doc[c.i + 1].text.lower() if c.i + 1 < len(doc) else ""
            if c.dep_ == "neg" and word in _NEG_WORDS:
                if nxt in _NOT_IDIOMS or _not_until(head, c):
                    continue
                edits[c.i] = ""
                if word in ("n't", "n\u2019t", "nt") and c.i > 0:
                    aux = doc[c.i - 1]
                    if aux.text.lower() in _CONTRACTED:
                        edits[aux.i] = _CONTRACTED[aux.text.lower()]
                    cues.append((c.i, c.text, c.text))
                else:
                    cues.append((c.i, c.text, c.text))
                npi_scopes.append((head, c.i))
            elif c.dep_ == "advmod" and c.i < head.i and any(  # "has not so far accepted"
                    g.dep_ == "neg" and g.text.lower() in _NEG_WORDS and a.i < g.i
                    for g in c.children for a in head.children if a.dep_ in ("aux", "auxpass")):
                g = next(g for g in c.children if g.dep_ == "neg")
                edits[g.i] = ""
                cues.append((g.i, g.text, g.text))
                npi_scopes.append((head, g.i))
            elif c.dep_ == "advmod" and word in ("longer", "more") and any(
                    g.text.lower() == "no" and g.i == c.i - 1 for g in c.children):  # no longer
                edits[c.i - 1] = edits[c.i] = ""
                cues.append((c.i - 1, doc[c.i - 1].text, doc[c.i - 1:c.i + 1].text))
                npi_scopes.append((head, c.i))
            elif c.dep_ in _CORE_DEPS or c.dep_ in ("ccomp", "xcomp") \
                    and c.pos_ not in ("VERB", "AUX"):
                if c.dep_ in ("ccomp", "xcomp"):  # "found no fraud large enough": the small clause's subject
                    c = next((s for s in c.children if s.dep_ == "nsubj"), c)
                found = _negative_argument(c)
                if found is not None:
                    arg_edits, cue, removed, at = found
                    edits.update(arg_edits)
                    cues.append((at, cue, removed))
                    npi_scopes.append((head, at))
    if not cues:
        return None
    for head, at in npi_scopes:
        scope = [t for t in head.subtree if t.i > at and t.i not in edits]
        edits.update(_npi_edits(scope, start=at))
    _, cue, removed = min(cues)
    return "negation", _render(list(sent), edits), cue, removed, None


def _not_until(head: Token, neg: Token) -> bool:
    """"did not start until Monday" says that it started on Monday."""
    return any(c.dep_ in ("prep", "mark", "advcl") and c.text.lower() == "until" and c.i > neg.i
               for c in head.children) or any(
        m.text.lower() == "until" for c in head.children if c.dep_ == "advcl" for m in c.children)


def _negative_argument(arg: Token) -> tuple[dict[int, str], str, str, int] | None:
    """Edits undoing a negative subject or object: "no agreement" -> "an agreement", "nobody" ->
    "someone", "nothing" -> "something", "not a single soldier" -> "a single soldier"."""
    doc = arg.doc
    word = arg.text.lower()
    nxt = doc[arg.i + 1].text.lower() if arg.i + 1 < len(doc) else ""
    if word in _PRONOUN_NEGATIVES:
        if nxt in _PRONOUN_IDIOMS or any(c.text.lower() in _PRONOUN_IDIOMS for c in arg.children):
            return None
        return {arg.i: _PRONOUN_NEGATIVES[word]}, arg.text, arg.text, arg.i
    for c in arg.children:
        if c.i > arg.i:
            break
        if c.dep_ == "det" and c.text.lower() == "no" and word not in _NO_IDIOMS:
            if word == "one" and c.i == arg.i - 1:  # no one
                return {c.i: "", arg.i: "someone"}, c.text, doc[c.i:arg.i + 1].text, c.i
            if any(m.dep_ in ("nummod", "quantmod") for m in arg.children if m.i < arg.i):
                return None  # "no 20 people": not a phrase this reads
            return {c.i: _article(arg, c)}, c.text, c.text, c.i
        if c.dep_ == "neg" and c.text.lower() == "not" and c.i == _first(arg).i and \
                nxt not in _NOT_IDIOMS and doc[c.i + 1].text.lower() not in _NOT_IDIOMS:
            return {c.i: ""}, c.text, c.text, c.i  # "Not a single soldier was hurt"
    return None


def _article(noun: Token, det: Token) -> str:
    """What replaces the determiner "no"/"any" before ``noun``: "a"/"an" for a singular count noun,
    nothing for a plural or mass noun."""
    word = noun.text.lower()
    if noun.tag_ in ("NNS", "NNPS") or word in _MASS or noun.tag_ == "NN" and word.endswith("ing"):
        return ""
    nxt = noun.doc[det.i + 1]
    return _a_or_an(nxt.text)


def _a_or_an(word: str) -> str:
    w = word.lower()
    if word.isupper() and len(word) > 1:  # an acronym, read letter by letter
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    if w.startswith(("uni", "use", "usu", "eu", "one", "once", "ukr", "uran", "u.")):
        return "a"
    if w.startswith(("hour", "honest", "honor", "honour", "heir")):
        return "an"
    return "an" if w[:1] in set("aeiou") else "a"


def _npi_edits(tokens: list[Token], start: int) -> dict[int, str]:
    """Make the negative-polarity words among ``tokens`` (after index ``start``) positive."""
    edits: dict[int, str] = {}
    doc = tokens[0].doc if tokens else None
    for t in tokens:
        if t.i <= start:
            continue
        word = t.text.lower()
        nxt = doc[t.i + 1].text.lower() if t.i + 1 < len(doc) else ""
        if word == "any" and t.dep_ == "det":  # "some", not "a": "any exercise" may be a mass noun
            edits[t.i] = "some"
        elif word == "any" and nxt == "of":
            edits[t.i] = "some"
        elif word in ("anything", "anyone", "anybody", "anywhere"):
            edits[t.i] = "some" + word[3:]
        elif word in ("anymore", "whatsoever") or t.dep_ == "advmod" and (
                word == "ever" or word == "yet" and any(c.dep_ == "neg" for c in t.head.children)):
            edits[t.i] = ""
        elif word == "at" and nxt == "all" and t.i + 1 < len(doc):
            edits[t.i] = edits[t.i + 1] = ""
        elif word == "any" and nxt == "longer":
            edits[t.i] = edits[t.i + 1] = ""
    return edits


# -- writing ---------------------------------------------------------------------------------------

def _render(tokens: list[Token], edits: dict[int, str]) -> str:
    """The tokens as written, with ``edits`` (token index -> replacement; "" deletes) applied.

    A deleted token hands its trailing space to the word before it ("did n't call" -> "did call",
    "something at all." -> "something."); a deleted first word capitalises the next one."""
    pieces: list[list[str]] = []  # [text, whitespace]
    first = next((t.i for t in tokens if t.is_alpha), None)
    capital = False
    for t in tokens:
        text = edits.get(t.i, t.text)
        if not text:
            if t.i == first and t.text[:1].isupper():
                capital = True
            if pieces:
                pieces[-1][1] = t.whitespace_
            continue
        if t.i in edits and t.text[:1].isupper() or capital and not t.is_punct:
            text = text[0].upper() + text[1:]
            capital = capital and t.is_punct
        pieces.append([text, t.whitespace_])
    return "".join(text + ws for text, ws in pieces)


def _as_sentence(text: str, sent: Span) -> str | None:
    """``text`` as a sentence of its own: capitalised, with the sentence's closing punctuation."""
    text = text.strip().rstrip(",;:-\u2014").strip()
    if not text:
        return None
    text = text[0].upper() + text[1:]
    end = sent[-1].text if sent[-1].is_punct and sent[-1].text in ".!" else "."
    if text[-1] not in ".!?":
        text += end
    return text
