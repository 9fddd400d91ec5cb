"""The typed hand-offs between pipeline stages.

    Document -> Claim -> ClaimPair -> PairScore -> Finding -> Report
    (read)     (extract) (pair)      (score)     (decide)   (render)

Every stage takes plain data and returns plain data; all of these are frozen
dataclasses so that a stage cannot quietly change what an earlier stage made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Column order of every probability array the scorer returns.
LABELS: tuple[str, str, str] = ("entailment", "neutral", "contradiction")
ENTAILMENT, NEUTRAL, CONTRADICTION = 0, 1, 2


@dataclass(frozen=True)
class Document:
    """One input document and the outlet that published it."""

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None  # file it came from, for error messages and reports
    line: int | None = None  # 1-based line (JSONL) or row (CSV) within that file


@dataclass(frozen=True)
class Skipped:
    """An input record that was not processed, and why."""

    path: str
    line: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.field:
            where += f" (field '{self.field}')"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Claim:
    """A statement found in a document, with who made it and for whom.

    ``text`` is the content without the attribution frame ("Ushakov said that");
    ``span`` is the character span of ``text``'s sentence(s) in the document.
    ``source`` is the body or outlet the speaker speaks for ("Kremlin") and
    ``side`` the wider party ("Russia"); for unattributed sentences both are
    the document's outlet.
    """

    id: str
    doc_id: str
    text: str
    speaker: str | None
    speaker_canonical: str | None
    source: str
    side: str
    span: tuple[int, int]
    outlet: str
    attribution: str = "none"  # quote | said | according_to | told | statement | denied | pronoun | none
    negated: bool = False  # True for denials: the speaker asserts that ``text`` is false
    speaker_pronoun: str | None = None  # "he" where the text named the speaker by a pronoun (``speaker`` is who)

    @property
    def attributed(self) -> bool:
        return self.attribution != "none"

    def key(self, by: str) -> str:
        """The grouping key for ``--by side|speaker|outlet``."""
        if by == "side":
            return self.side
        if by == "speaker":
            return self.speaker_canonical or self.source
        if by == "outlet":
            return self.outlet
        raise ValueError(f"unknown grouping {by!r}; expected side, speaker or outlet")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True)
class ClaimPair:
    """Two claims from different sources that may speak of the same matter."""

    a: Claim
    b: Claim
    similarity: float
    shared_entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairScore:
    """NLI probabilities for a pair, both directions and their reduction.

    ``probs`` is the reduced [entailment, neutral, contradiction] row;
    ``direction`` names the direction the reduction took it from
    ("a->b", "b->a" or "both").
    """

    pair: ClaimPair
    probs: tuple[float, float, float]
    probs_ab: tuple[float, float, float]
    probs_ba: tuple[float, float, float] | None
    direction: str
    model_id: str

    @property
    def p_contradiction(self) -> float:
        return self.probs[CONTRADICTION]


@dataclass(frozen=True)
class NumberConflict:
    """Two claims count ``unit`` with values that cannot both hold; ``a`` and ``b`` as written."""

    unit: str
    a: str
    b: str

    def __str__(self) -> str:
        return f"{self.a} vs. {self.b}"


@dataclass(frozen=True)
class AgentConflict:
    """Two claims give one act with a single responsible agent (``act``: "initiated", "mediated",
    "struck first", "caused") on one ``event`` ("talks", "blast") to different agents: ``agent_a`` and
    ``agent_b`` as resolved (a side such as "Russia" where one is known), ``a`` and ``b`` as written."""

    act: str
    event: str
    agent_a: str
    agent_b: str
    a: str
    b: str

    def __str__(self) -> str:
        return f"{self.act} {self.event}: {self.agent_a} vs. {self.agent_b}"


@dataclass(frozen=True)
class Polarity:
    """Whether a claim is negated and, if so, its positive form.

    ``kind`` is "negation" (main-clause not / never / no / nobody / no longer, "there was no P"),
    "denial" ("X denied that P"), "refutation" ("reports that P are false", "it is untrue that P") or "none". ``positive``
    is the claim with the negation undone (P), ``cue`` the word that negated it and ``removed`` the
    span taken out or replaced, as written.
    """

    kind: str = "none"
    positive: str | None = None
    cue: str = ""
    removed: str = ""

    @property
    def negated(self) -> bool:
        return self.kind != "none"


@dataclass(frozen=True)
class NegationEvidence:
    """One claim of a pair is negated (``claim``: "a" or "b"); the other claim, as premise, entails its positive
    form ``positive`` (or the negated clause alone, whichever it entails more) with probability
    ``p_entailment``; ``p_contradiction`` is that scoring's contradiction probability. ``kind``, ``cue`` and
    ``removed`` as in :class:`Polarity`."""

    claim: str
    kind: str
    cue: str
    removed: str
    positive: str
    p_entailment: float
    p_contradiction: float

    def __str__(self) -> str:
        return f"claim {self.claim.upper()} negates \"{self.positive}\" (entailed by the other, p = {self.p_entailment:.2f})"


#: What can flag a pair, in the order the detector adds them.
FLAGGERS: tuple[str, ...] = ("model", "negation", "numbers", "agents")


@dataclass(frozen=True)
class Finding:
    """A flagged pair and what flagged it (``flagged_by``, a subset of :data:`FLAGGERS` in that order):
    the model's calibrated probability passed the threshold ("model"); the other claim entails the
    positive form of a negated claim ("negation"); the two count one thing with values that cannot both
    hold ("numbers"); or they give one single-agent act to different agents ("agents"). Each check's
    evidence is kept whether or not it flagged the pair."""

    score: PairScore
    p_contradiction: float  # calibrated where a calibrator is known, else raw
    threshold: float
    label: str = "contradiction"
    flagged_by: tuple[str, ...] = ("model",)
    number_conflicts: tuple[NumberConflict, ...] = ()
    negation: NegationEvidence | None = None
    agent_conflicts: tuple[AgentConflict, ...] = ()

    @property
    def band(self) -> str:
        """How far to trust the finding: "strong" or "possible" (:mod:`contradict.bands`)."""
        from .bands import band

        return band(self.p_contradiction, self.flagged_by)


@dataclass
class Stats:
    documents_read: int = 0
    documents_skipped: list[Skipped] = field(default_factory=list)
    claims: int = 0
    claims_attributed: int = 0
    claims_used: int = 0
    pairs_considered: int = 0
    pairs_candidates: int = 0
    pairs_scored: int = 0
    pairs_reverse_skipped: int = 0
    pairs_truncated: int = 0
    cache_hits: int = 0
    findings: int = 0
    findings_numbers_only: int = 0  # flagged by the number check where the model's probability was below threshold
    #: Findings by what flagged them (a finding flagged by two counts under both).
    findings_by: dict[str, int] = field(default_factory=dict)
    #: Findings reported, by confidence band (:mod:`contradict.bands`).
    findings_by_band: dict[str, int] = field(default_factory=dict)
    #: Findings left out of the report because their band is below ``--min-band``.
    findings_below_min_band: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Report:
    findings: list[Finding]
    stats: Stats
    run: dict[str, Any]
    documents: list[Document] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    #: Every pair scored, flagged or not: the "scored" side of the
    #: source-by-source summary (``contradict.report.source_summary``).
    scores: list[PairScore] = field(default_factory=list)
