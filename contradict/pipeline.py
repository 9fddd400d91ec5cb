"""`compare`: documents in, a contradiction report out.

    read -> extract claims -> pair across sources -> score both directions -> decide -> Report

Direction reduction (documented in the README): each pair is scored a->b and b->a.
Where exactly one of the two claims is a denial ("X denied that P": the claim text is
P, the speaker asserts not-P), that direction's entailment and contradiction columns
are swapped, since asserting P and denying P conflict exactly when P entails P. The
pair's row is then the direction with the higher contradiction probability
(contradiction is symmetric; a model often sees it only one way round).

Reverse-direction rule: b->a is always scored (unless the caller asks for one
direction). The only scoring skipped is exact repetition: a text pair that occurs
more than once in a run (including a pair's b->a when it equals another pair's
a->b, or a->b when the two claims are the same text) is scored once, which cannot
change any number. A skip that keeps every *finding* exists but changes what is
reported, so it is not used: if a->b alone reaches the threshold on the calibrated
scale, the pair is flagged whatever b->a says (the reduction takes the maximum, and
the calibrator is non-decreasing: isotonic always, Platt when its slope is positive),
but b->a may still be higher, and then the
reported probability, direction, ``probs_ba`` and the ranking of findings would
differ from a full run. (The saving would be the share of pairs that a->b alone
flags: small where contradictions are rare; eval/bench reports it for its corpora.)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .decide import ContradictionDecider
from .runinfo import run_info
from .types import CONTRADICTION, ENTAILMENT, Claim, ClaimPair, Document, Finding, PairScore, Report, Skipped, Stats


def reduce_directions(ab: np.ndarray, ba: np.ndarray | None, negated: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The max-contradiction reduction of the two directions' rows, after denial polarity flips."""
    ab = _flip(ab, negated)
    if ba is None:
        return ab, ["a->b"] * len(ab)
    ba = _flip(ba, negated)
    take_ba = ba[:, CONTRADICTION] > ab[:, CONTRADICTION]
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


def score_pairs(pairs: Sequence[ClaimPair], scorer: Any, *, both_directions: bool = True,
                show_progress: bool = False) -> list[PairScore]:
    """NLI scores for candidate pairs, batched over the whole run."""
    if not pairs:
        return []
    texts = [(p.a.text, p.b.text) for p in pairs]
    if both_directions:
        texts += [(p.b.text, p.a.text) for p in pairs]
    probs = scorer.score(texts, show_progress=show_progress)
    n = len(pairs)
    ab, ba = probs[:n], (probs[n:] if both_directions else None)
    negated = np.array([p.a.negated != p.b.negated for p in pairs])
    reduced, directions = reduce_directions(ab, ba, negated)
    model_id = getattr(scorer, "model_id", "unknown")
    return [PairScore(pair=p, probs=tuple(map(float, reduced[i])), probs_ab=tuple(map(float, ab[i])),
                      probs_ba=None if ba is None else tuple(map(float, ba[i])), direction=directions[i],
                      model_id=model_id)
            for i, p in enumerate(pairs)]


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
    both_directions: bool = True,
    skipped: Sequence[Skipped] = (),
    show_progress: bool = False,
) -> Report:
    """Find pairs of claims from different sources that contradict each other.

    ``scorer`` is an :class:`~contradict.scorer.NLIScorer` (or anything with its ``score``);
    ``extractor`` and ``embedder`` default to the spaCy extractor and MiniLM embedder.
    ``threshold`` overrides the model's own (on the calibrated probability).
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

    scores = score_pairs(pairs, scorer, both_directions=both_directions, show_progress=show_progress)
    lap("score")

    decider = decider_for(scorer, threshold)
    raw = np.array([s.p_contradiction for s in scores])
    calibrated = decider.calibrate(raw) if len(raw) else raw
    cut = decider.decision_threshold()
    findings = [Finding(score=s, p_contradiction=float(p), threshold=cut)
                for s, p in zip(scores, calibrated) if p >= cut]
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
        pairs_scored=len(pairs) * (2 if both_directions else 1),
        pairs_truncated=int(getattr(scorer, "truncated", 0)),
        cache_hits=int(getattr(scorer, "cache_hits", 0)),
        findings=len(findings),
        seconds=seconds,
    )
    describe = scorer.describe() if hasattr(scorer, "describe") else {"model_id": getattr(scorer, "model_id", None)}
    run = run_info(model=describe, threshold=cut, calibration=decider.calibration, by=by,
                   include_unattributed=include_unattributed, top_k=top_k, min_similarity=min_similarity,
                   both_directions=both_directions)
    return Report(findings=findings, stats=stats, run=run, documents=list(documents), claims=claims,
                  scores=scores)
