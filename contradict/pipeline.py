"""`compare`: documents in, a contradiction report out.

    read -> extract claims -> pair across sources -> score both directions -> decide -> Report

Direction reduction (documented in the README): each pair is scored a->b and b->a.
Where exactly one of the two claims is a denial ("X denied that P": the claim text is
P, the speaker asserts not-P), that direction's entailment and contradiction columns
are swapped, since asserting P and denying P conflict exactly when P entails P. The
pair's row is then the direction with the higher contradiction probability
(contradiction is symmetric; a model often sees it only one way round).

Reverse-direction rule (``directions``):

* ``"both"`` (the default) scores b->a for every pair. The only scoring skipped is
  exact repetition: a text pair that occurs more than once in a run (including a
  pair's b->a when it equals another pair's a->b, or a->b when the two claims are the
  same text) is scored once, which cannot change any number.
* ``"auto"`` scores a->b for every pair, then b->a only for the pairs that a->b alone
  does not flag. This cannot change which pairs are flagged: the reduction takes the
  maximum contradiction probability of the two directions, and the calibrator is
  non-decreasing (isotonic always, Platt when its slope is positive; with any other
  calibrator "auto" falls back to "both"), and the scorer gives a pair the same scores
  whatever other pairs it is batched with (torch and ONNX fp32 do; ONNX int8 does not, as it
  quantises activations with one scale per batch, so with int8 "auto" falls back to "both"),
  so a pair whose a->b reaches the threshold
  is flagged whatever b->a says, and a pair whose a->b does not is scored both ways as
  in "both". What can change is what is reported for the skipped pairs: their
  probability is that of a->b, a lower bound of the full run's, so their confidence
  and rank among findings may be lower; such a score has ``probs_ba`` null and
  ``stats.pairs_reverse_skipped`` counts them. The saving is the share of pairs a->b
  flags: small where contradictions are rare.
* ``"one"`` scores a->b only (faster still, but misses contradictions the model sees
  only one way round).

Number check (``check_numbers``, on by default): a pair whose claims count the same thing with
values that cannot both hold ("40 prisoners" vs "25 prisoners", see :mod:`contradict.numbers`) is
flagged even where the model's probability is below the threshold, unless either claim is a denial
or the model reads the pair as entailment in either direction (p >= :data:`NUMBER_VETO`). Such a
finding keeps the model's probability (it is not a calibrated number-check confidence) and says
``flagged_by = ("numbers",)``; every finding carries the conflicts found as evidence.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .decide import ContradictionDecider
from .runinfo import run_info
from .types import (CONTRADICTION, ENTAILMENT, Claim, ClaimPair, Document, Finding, NumberConflict, PairScore, Report,
                    Skipped, Stats)


def reduce_directions(ab: np.ndarray, ba: np.ndarray | None, negated: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The max-contradiction reduction of the two directions' rows, after denial polarity flips."""
    ab = _flip(ab, negated)
    if ba is None:
        return ab, ["a->b"] * len(ab)
    ba = _flip(ba, negated)
    take_ba = ba[:, CONTRADICTION] > ab[:, CONTRADICTION]  # False where b->a was skipped (NaN)
    return np.where(take_ba[:, None], ba, ab), ["b->a" if t else "a->b" for t in take_ba]


def _flip(probs: np.ndarray, negated: np.ndarray) -> np.ndarray:
    out = probs.copy()
    out[negated, ENTAILMENT], out[negated, CONTRADICTION] = probs[negated, CONTRADICTION], probs[negated, ENTAILMENT]
    return out


def decider_for(scorer: Any, threshold: float | None) -> ContradictionDecider:
    """The model's own decision (calibration and threshold fitted on dev), or the user's threshold."""
    saved = getattr(scorer, "metadata", {}).get("decision")
    decider = ContradictionDecider.from_dict(saved) if saved else ContradictionDecider(calibration="none")
    if threshold is not None:
        decider.threshold = threshold
        if decider.fitted:
            decider.threshold_ = float(threshold)
    return decider


DIRECTIONS = ("both", "auto", "one")
#: The number check does not flag a pair the model reads as entailment with at least this probability.
NUMBER_VETO = 0.5


def _monotonic(decider: ContradictionDecider) -> bool:
    """True when the decider's calibration never lowers a higher probability's rank."""
    calibrator = getattr(decider, "calibrator_", None)
    return calibrator is None or getattr(calibrator, "coef", 1.0) > 0


def score_pairs(pairs: Sequence[ClaimPair], scorer: Any, *, directions: str = "both",
                decider: ContradictionDecider | None = None, show_progress: bool = False,
                tally: dict[str, int] | None = None) -> list[PairScore]:
    """NLI scores for candidate pairs, batched over the whole run (``directions``: see the module notes;
    ``"auto"`` needs the ``decider`` that will flag the pairs).

    ``tally``, when given, receives the scorer's ``truncated`` and ``cache_hits`` summed over its calls
    (``"auto"`` calls it twice; the scorer counts per call).
    """
    counts = tally if tally is not None else {}
    counts.update(truncated=0, cache_hits=0)

    def score(texts: list[tuple[str, str]]) -> np.ndarray:
        probs = scorer.score(texts, show_progress=show_progress)
        for key in counts:
            counts[key] += int(getattr(scorer, key, 0))
        return probs

    if directions not in DIRECTIONS:
        raise ValueError(f"directions must be one of {', '.join(DIRECTIONS)}, not {directions!r}")
    if not pairs:
        return []
    n = len(pairs)
    forward = [(p.a.text, p.b.text) for p in pairs]
    reverse = [(p.b.text, p.a.text) for p in pairs]
    negated = np.array([p.a.negated != p.b.negated for p in pairs])
    if directions == "auto" and (decider is None or not _monotonic(decider) or decider.gate != "none"
                                 or not getattr(scorer, "batch_invariant", True)):
        directions = "both"  # without these the skip could change a finding (a gate reads the kept direction's entailment)
    if directions == "both":
        probs = score(forward + reverse)
        ab, ba = probs[:n], probs[n:]
        need = np.arange(n)
    else:
        ab = score(forward)
        ba = None
        need = np.arange(0)
        if directions == "auto":
            flagged = decider.predict(_flip(ab, negated)[:, CONTRADICTION])
            need = np.flatnonzero(~flagged)
            known = dict(zip(forward, ab))  # a b->a equal to another pair's a->b is not scored again
            todo = sorted({reverse[i] for i in need if reverse[i] not in known})
            if todo:
                known.update(zip(todo, score(todo)))
            ba = np.full_like(ab, np.nan)
            for i in need:
                ba[i] = known[reverse[i]]
    reduced, directions_taken = reduce_directions(ab, ba, negated)
    has_ba = np.zeros(n, dtype=bool)
    has_ba[need] = True
    model_id = getattr(scorer, "model_id", "unknown")
    return [PairScore(pair=p, probs=tuple(map(float, reduced[i])), probs_ab=tuple(map(float, ab[i])),
                      probs_ba=tuple(map(float, ba[i])) if has_ba[i] else None, direction=directions_taken[i],
                      model_id=model_id)
            for i, p in enumerate(pairs)]


def _entailed(score: PairScore) -> bool:
    """True when the model reads the pair as entailment in either direction (the number check's veto)."""
    rows = [score.probs_ab] + ([score.probs_ba] if score.probs_ba is not None else [])
    return max(r[ENTAILMENT] for r in rows) >= NUMBER_VETO


def number_conflicts(scores: Sequence[PairScore], extractor: Any) -> list[tuple[NumberConflict, ...]]:
    """The number check's conflicts for each scored pair, parsed with the extractor's spaCy pipeline
    (or the default one when the extractor has none)."""
    from .numbers import pair_conflicts

    if not scores:
        return []
    pipeline = getattr(extractor, "_pipeline", None)
    return pair_conflicts([s.pair for s in scores], pipeline() if pipeline is not None else _default_nlp())


@functools.lru_cache(maxsize=1)
def _default_nlp() -> Any:
    import spacy

    from .extract import DEFAULT_MODEL

    return spacy.load(DEFAULT_MODEL, exclude=["lemmatizer"])


def compare(
    documents: Sequence[Document],
    *,
    scorer: Any,
    extractor: Any = None,
    embedder: Any = None,
    by: str = "side",
    threshold: float | None = None,
    include_unattributed: bool = False,
    top_k: int = 5,
    min_similarity: float = 0.4,
    directions: str = "both",
    check_numbers: bool = True,
    skipped: Sequence[Skipped] = (),
    show_progress: bool = False,
) -> Report:
    """Find pairs of claims from different sources that contradict each other.

    ``scorer`` is an :class:`~contradict.scorer.NLIScorer` (or anything with its ``score``);
    ``extractor`` and ``embedder`` default to the spaCy extractor and MiniLM embedder.
    ``threshold`` overrides the model's own (on the calibrated probability); ``check_numbers``
    adds the number check (module notes).
    """
    from .pair import Pairer, cross_group_pairs

    if by not in ("side", "speaker", "outlet"):
        raise ValueError(f"--by must be side, speaker or outlet, not {by!r}")
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    if extractor is None:
        from .extract import ClaimExtractor

        extractor = ClaimExtractor(include_unattributed=include_unattributed)
    claims: list[Claim] = extractor.extract(documents)
    used = [c for c in claims if include_unattributed or c.attributed]
    lap("extract")

    if embedder is None and len(used) > 1:
        from .embed import Embedder

        embedder = Embedder()
    embeddings = embedder.encode([c.text for c in used]) if len(used) > 1 else np.zeros((len(used), 1))
    pairs = Pairer(by=by, top_k=top_k, min_similarity=min_similarity).pair(used, embeddings)
    lap("pair")

    decider = decider_for(scorer, threshold)
    tally: dict[str, int] = {}
    scores = score_pairs(pairs, scorer, directions=directions, decider=decider, show_progress=show_progress,
                         tally=tally)
    lap("score")

    raw = np.array([s.p_contradiction for s in scores])
    calibrated = decider.calibrate(raw) if len(raw) else raw
    cut = decider.decision_threshold()
    by_model = decider.predict(raw, np.array([s.probs[ENTAILMENT] for s in scores]))
    numbers = number_conflicts(scores, extractor) if check_numbers else [()] * len(scores)
    findings = []
    for s, p, model_flag, found in zip(scores, calibrated, by_model, numbers):
        flagged_by = ("model",) * bool(model_flag) + ("numbers",) * bool(found and not _entailed(s))
        if flagged_by:
            findings.append(Finding(score=s, p_contradiction=float(p), threshold=cut, flagged_by=flagged_by,
                                    number_conflicts=found))
    findings.sort(key=lambda f: -f.p_contradiction)
    lap("decide")
    seconds["total"] = round(sum(seconds.values()), 3)

    stats = Stats(
        documents_read=len(documents),
        documents_skipped=list(skipped),
        claims=len(claims),
        claims_attributed=sum(c.attributed for c in claims),
        claims_used=len(used),
        pairs_considered=cross_group_pairs([c.key(by) for c in used]),
        pairs_candidates=len(pairs),
        pairs_scored=sum(1 + (s.probs_ba is not None) for s in scores),
        pairs_reverse_skipped=sum(s.probs_ba is None for s in scores) if directions == "auto" else 0,
        pairs_truncated=tally.get("truncated", 0),
        cache_hits=tally.get("cache_hits", 0),
        findings=len(findings),
        findings_numbers_only=sum(f.flagged_by == ("numbers",) for f in findings),
        seconds=seconds,
    )
    describe = scorer.describe() if hasattr(scorer, "describe") else {"model_id": getattr(scorer, "model_id", None)}
    run = run_info(model=describe, threshold=cut, calibration=decider.calibration, gate=decider.gate, by=by,
                   include_unattributed=include_unattributed, top_k=top_k, min_similarity=min_similarity,
                   directions=directions, check_numbers=check_numbers)
    return Report(findings=findings, stats=stats, run=run, documents=list(documents), claims=claims,
                  scores=scores)
