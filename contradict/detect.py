"""The detector's decision: the model's calibrated probability and three checks that give it the structure it lacks.

A cross-encoder of MiniLM's size reads two positive statements that say the same thing well, and
reads a negation, a count or "who did it" badly. The detector therefore decides each scored pair with:

``model``
    The model's calibrated contradiction probability (the higher of the two directions) reaches
    the decision threshold, and the entailment gate (if the model's decision has one) lets it pass.
    Claims are read as written. A claim that extraction found denied ("X denied that P": the claim
    text is P, ``Claim.negated``) is not its speaker's assertion, so the model alone never flags a
    pair that holds one; the negation check does.

``negation``
    Exactly one claim is negated (:mod:`contradict.polarity`: "X did not call Y", "X denied that P",
    "reports that P are false"; for an extraction denial, P is the claim text). The other claim, as
    premise, is scored against the positive form P as hypothesis (only that way round: P entailing the
    other claim says nothing of "not P"), and also against the negated clause of P
    alone where P keeps other clauses of the claim ("..., and the plane did not veer off course" ->
    "The plane did veer off course"); where it entails one of them with probability at least
    :data:`NEGATION_ENTAILMENT`, it contradicts the negated claim. This is the old "denial flip"
    (swap the entailment and contradiction columns of a denial) made one rule for every kind of
    negation. The fixed level, rather than the model's contradiction threshold, is used because that
    threshold was fitted for contradictions as written, not for entailments of a rewritten claim;
    the pair's probability is the entailment calibrated as the model's contradiction probability is.

``numbers``
    The two claims count one thing with values that cannot both hold (:mod:`contradict.numbers`).

``agents``
    The two claims give one act that has a single responsible agent (initiated, mediated, struck
    first, caused) on one event to different agents (:mod:`contradict.agents`).

The number check stays silent where either claim is a denial or a refutation (a denial of "40 were
freed" does not say how many were; a plain negation such as "nobody died" it reads itself); the agent
check reads negations, denials and refutations in the text itself (a denied act is no act) and stays
silent only for an extraction denial, whose text has lost its frame. Both stay silent where the
model reads the pair as entailment in either direction with probability at least :data:`CHECK_VETO`:
the rules read a clause, the model the whole claim.

A flagged pair's probability is the higher of the model's and the negation check's calibrated
probabilities; a pair flagged by the number or agent check alone keeps it, though it may lie below
the threshold (it is not the rule's confidence).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .decide import ContradictionDecider
from .errors import ConfigError
from .progress import progress
from .types import (CONTRADICTION, ENTAILMENT, FLAGGERS, AgentConflict, Claim, NegationEvidence, NumberConflict,
                    PairScore, Polarity)

#: The checks the detector can add to the model, in the order they are added.
CHECKS: tuple[str, ...] = FLAGGERS[1:]
#: The number and agent checks do not flag a pair the model reads as entailment with at least this probability.
CHECK_VETO = 0.5
#: The negation check flags a pair where the other claim entails the negated claim's positive form with at
#: least this probability: the model finds entailment at least as likely as neutral and contradiction together.
NEGATION_ENTAILMENT = 0.5


@dataclass(frozen=True)
class Decision:
    """The detector's decision on one scored pair.

    ``fired`` holds, for each of :data:`contradict.types.FLAGGERS`, whether that part alone would
    flag the pair; ``flagged_by`` those that fired among the parts that ran. ``p_contradiction`` is
    calibrated (see the module notes).
    """

    score: PairScore
    p_contradiction: float
    threshold: float
    fired: dict[str, bool]
    flagged_by: tuple[str, ...]
    negation: NegationEvidence | None = None
    number_conflicts: tuple[NumberConflict, ...] = ()
    agent_conflicts: tuple[AgentConflict, ...] = ()
    ran: tuple[str, ...] = ()  # the checks that ran besides the model

    @property
    def flagged(self) -> bool:
        return bool(self.flagged_by)


def parse_checks(checks: Iterable[str] | str | None) -> tuple[str, ...]:
    """The checks named (a comma-separated string or a list; "none" or empty for the model alone), in
    :data:`CHECKS` order. Raises ConfigError for an unknown name."""
    if checks is None:
        return CHECKS
    names = [c.strip().lower() for c in (checks.split(",") if isinstance(checks, str) else checks) if c.strip()]
    names = [n for n in names if n != "none"]
    unknown = sorted(set(names) - set(CHECKS))
    if unknown:
        raise ConfigError(f"unknown check {', '.join(unknown)}; expected some of {', '.join(CHECKS)} (or none)")
    return tuple(c for c in CHECKS if c in names)


@functools.lru_cache(maxsize=1)
def default_nlp() -> Any:
    """The spaCy pipeline the checks parse with when none is given (the extractor's model, no lemmatizer)."""
    from .extract import load_spacy

    return load_spacy()


def parse(nlp: Any, texts: Sequence[str], show_progress: bool = False) -> Iterable[tuple[str, Any]]:
    """``(text, doc)`` for each text parsed with ``nlp``, with a progress bar of texts; each doc without its
    tok2vec tensor (about 400 bytes a token that no check reads), so that many parsed claims stay small."""
    with progress(show_progress, len(texts), "parsing claims") as advance:
        for text, doc in zip(texts, nlp.pipe(texts)):
            doc.tensor = np.zeros((0, doc.tensor.shape[-1] if doc.tensor.ndim == 2 else 0), dtype=np.float32)
            yield text, doc
            advance(1)


def claim_polarity(claim: Claim, doc: Any) -> Polarity:
    """A claim's polarity: an extraction denial's positive form is its text; other claims are parsed."""
    if claim.negated:
        return Polarity(kind="denial", positive=claim.text, cue="denied", removed="")
    from .polarity import polarity

    return polarity(doc)


def _key(claim: Claim) -> tuple[str, bool]:
    """What a claim's polarity depends on: its text, and whether extraction found it denied."""
    return claim.text, claim.negated


def _entailed(score: PairScore) -> bool:
    """True when the model reads the pair as entailment in either direction (the checks' veto)."""
    rows = [score.probs_ab] + ([score.probs_ba] if score.probs_ba is not None else [])
    return max(r[ENTAILMENT] for r in rows) >= CHECK_VETO


def decide(scores: Sequence[PairScore], *, scorer: Any, decider: ContradictionDecider,
           checks: Iterable[str] | str | None = CHECKS, nlp: Any = None, book: Any = None,
           docs: dict[str, Any] | None = None, acts_of: dict[str, list[Any]] | None = None,
           show_progress: bool = False, tally: dict[str, int] | None = None) -> list[Decision]:
    """The detector's decision for each scored pair (module notes), in order.

    ``scorer`` scores the negated claims' positive forms (one batched call); ``decider`` is the
    model's decision (:func:`contradict.pipeline.decider_for`); ``nlp`` is a spaCy pipeline with a
    parser and NER (default: :func:`default_nlp`); ``book`` a :class:`contradict.sources.SourceBook`
    for naming the agents' sides (default: the built-in one); ``docs`` claim texts already parsed with it, and
    ``acts_of`` their acts already read with that book (:func:`contradict.agents.acts`).
    ``tally``, when given, gains the negation check's own scoring: ``scored`` (distinct pairs sent to the
    scorer), ``truncated`` and ``cache_hits`` (as the scorer counts them).
    """
    checks = parse_checks(checks)
    if not scores:
        return []
    pairs = [s.pair for s in scores]
    docs = dict(docs or {})
    if checks:
        missing = sorted({c.text for p in pairs for c in (p.a, p.b)} - set(docs))
        if missing:
            nlp = nlp if nlp is not None else default_nlp()
            docs.update(parse(nlp, missing, show_progress))
        docs = {c.text: docs[c.text] for p in pairs for c in (p.a, p.b)}

    raw = np.array([s.p_contradiction for s in scores])
    entail = np.array([s.probs[ENTAILMENT] for s in scores])
    readable = np.array([not (p.a.negated or p.b.negated) for p in pairs])
    by_model = decider.predict(raw, entail) & readable
    cut = decider.decision_threshold()
    p_model = np.where(readable, decider.calibrate(raw), 0.0)

    polarities: dict[tuple[str, bool], Polarity] = {}
    if checks:
        polarities = {_key(c): claim_polarity(c, docs[c.text]) for p in pairs for c in (p.a, p.b)}
    # a claim that speaks of another's claim (a denial, a refutation) says nothing of the counts or agents in it;
    # a plain negation ("nobody died", "X did not ask for talks") is read by the number and agent rules themselves
    framed = np.array([any(c.negated or polarities.get(_key(c), Polarity()).kind in ("denial", "refutation")
                           for c in (p.a, p.b)) for p in pairs])

    negation = _negation(scores, polarities, scorer, show_progress, tally) if "negation" in checks \
        else [None] * len(scores)
    numbers: list[tuple[NumberConflict, ...]] = [()] * len(scores)
    agents: list[tuple[AgentConflict, ...]] = [()] * len(scores)
    if "numbers" in checks:
        from .numbers import conflicts, quantities

        counted = {t: quantities(d) for t, d in docs.items()}
    if "agents" in checks:
        from .agents import acts, conflicts as agent_conflicts
        from .sources import SourceBook

        book = book if book is not None else SourceBook.default()
        known = acts_of or {}
        done = {t: known[t] if t in known else acts(d, book) for t, d in docs.items()}
    with progress(show_progress and bool({"numbers", "agents"} & set(checks)), len(pairs), "checking pairs") as advance:
        for i, (p, skip) in enumerate(zip(pairs, framed)):
            if "numbers" in checks and not skip:
                numbers[i] = conflicts(counted[p.a.text], counted[p.b.text])
            # the agent rules read negations, denials and refutations in the text themselves (no act for a denied one)
            if "agents" in checks and not (p.a.negated or p.b.negated):
                agents[i] = agent_conflicts(done[p.a.text], done[p.b.text])
            advance(1)

    decisions = []
    for i, s in enumerate(scores):
        evidence, negation_fires = negation[i] or (None, False)
        # where the negation check fires: the positive form's entailment, calibrated as the model's contradiction
        # probability is
        p_neg = float(decider.calibrate(np.array([evidence.p_entailment]))[0]) if negation_fires else 0.0
        vetoed = _entailed(s)
        fired = {"model": bool(by_model[i]),
                 "negation": negation_fires,
                 "numbers": bool(numbers[i]) and not vetoed,
                 "agents": bool(agents[i]) and not vetoed}
        ran = ("model", *checks)
        decisions.append(Decision(
            score=s, p_contradiction=float(max(p_model[i], p_neg)), threshold=cut, fired=fired,
            flagged_by=tuple(name for name in FLAGGERS if name in ran and fired[name]),
            negation=evidence, number_conflicts=numbers[i], agent_conflicts=agents[i], ran=checks))
    return decisions


def _negation(scores: Sequence[PairScore], polarities: dict[tuple[str, bool], Polarity], scorer: Any,
              show_progress: bool, tally: dict[str, int] | None = None) -> list[tuple[NegationEvidence, bool] | None]:
    """For each pair with exactly one negated claim that has a positive form: how strongly the other claim
    (as premise) entails that form, or the negated clause of it alone
    (:func:`contradict.polarity.changed_clauses`); the more entailed of the two is kept. Only this
    direction: "not P" and Q cannot both hold when Q entails P, while P entailing Q says nothing of
    "not P" ("it was not rape" and "they had sex" both follow from one account). All are scored in one
    batch; pairs already scored are looked up. Each is the evidence and whether it fires (entailment at least
    :data:`NEGATION_ENTAILMENT`)."""
    from .polarity import changed_clauses

    wanted: list[tuple[int, str, Polarity, str, list[str]]] = []
    for i, s in enumerate(scores):
        pa, pb = polarities.get(_key(s.pair.a), Polarity()), polarities.get(_key(s.pair.b), Polarity())
        if pa.negated == pb.negated:
            continue
        which, pol, negated, other = ("a", pa, s.pair.a, s.pair.b.text) if pa.negated else ("b", pb, s.pair.b, s.pair.a.text)
        if pol.positive:
            clause = None if negated.negated else changed_clauses(negated.text, pol.positive)
            wanted.append((i, which, pol, other, [pol.positive] + ([clause] if clause else [])))
    known: dict[tuple[str, str], tuple[float, ...]] = {}
    for s in scores:
        known[(s.pair.a.text, s.pair.b.text)] = s.probs_ab
        if s.probs_ba is not None:
            known[(s.pair.b.text, s.pair.a.text)] = s.probs_ba
    todo = sorted({(other, form) for *_, other, forms in wanted for form in forms if (other, form) not in known})
    if todo:
        known.update(zip(todo, map(tuple, np.asarray(scorer.score(todo, show_progress=show_progress)))))
        if tally is not None:
            tally["scored"] = tally.get("scored", 0) + len(todo)
            for key in ("truncated", "cache_hits"):
                tally[key] = tally.get(key, 0) + int(getattr(scorer, key, 0) or 0)
    out: list[tuple[NegationEvidence, bool] | None] = [None] * len(scores)
    for i, which, pol, other, forms in wanted:
        entailment, form, row = max(((known[(other, f)][ENTAILMENT], f, known[(other, f)]) for f in forms),
                                    key=lambda x: x[0])
        evidence = NegationEvidence(claim=which, kind=pol.kind, cue=pol.cue, removed=pol.removed, positive=form,
                                    p_entailment=float(entailment), p_contradiction=float(row[CONTRADICTION]))
        out[i] = (evidence, bool(entailment >= NEGATION_ENTAILMENT))
    return out
