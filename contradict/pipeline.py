"""`compare`: documents in, a contradiction report out.

    read -> extract claims -> pair across sources -> score both directions -> decide -> Report

Direction reduction (documented in the README): each pair is scored a->b and b->a, each claim
read as written, and the pair's row is the direction with the higher contradiction probability
(contradiction is symmetric; a model often sees it only one way round). Denials and other
negations are the detector's business (:mod:`contradict.detect`), not the reduction's.

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

Decision (``checks``): :func:`contradict.detect.decide` flags a pair by the model's calibrated
probability and, unless left out, the negation, number and agent checks; each finding says what
flagged it (``flagged_by``) and carries every check's evidence.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np

from .bands import BANDS, keep_at_least, parse_band
from .blocks import blocks, parse_block_by
from .decide import ContradictionDecider
from .detect import CHECKS, decide, parse, parse_checks
from .progress import progress
from .runinfo import run_info
from .timing import Stopwatch
from .types import CONTRADICTION, Claim, ClaimPair, Document, Finding, PairScore, Report, Skipped, Stats


def reduce_directions(ab: np.ndarray, ba: np.ndarray | None) -> tuple[np.ndarray, list[str]]:
    """The max-contradiction reduction of the two directions' rows."""
    if ba is None:
        return ab, ["a->b"] * len(ab)
    take_ba = ba[:, CONTRADICTION] > ab[:, CONTRADICTION]  # False where b->a was skipped (NaN)
    return np.where(take_ba[:, None], ba, ab), ["b->a" if t else "a->b" for t in take_ba]


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
    readable = np.array([not (p.a.negated or p.b.negated) for p in pairs])  # the model may flag it (detect)
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
            flagged = decider.predict(ab[:, CONTRADICTION]) & readable
            need = np.flatnonzero(~flagged)
            known = dict(zip(forward, ab))  # a b->a equal to another pair's a->b is not scored again
            todo = sorted({reverse[i] for i in need if reverse[i] not in known})
            if todo:
                known.update(zip(todo, score(todo)))
            ba = np.full_like(ab, np.nan)
            for i in need:
                ba[i] = known[reverse[i]]
    reduced, directions_taken = reduce_directions(ab, ba)
    has_ba = np.zeros(n, dtype=bool)
    has_ba[need] = True
    model_id = getattr(scorer, "model_id", "unknown")
    return [PairScore(pair=p, probs=tuple(map(float, reduced[i])), probs_ab=tuple(map(float, ab[i])),
                      probs_ba=tuple(map(float, ba[i])) if has_ba[i] else None, direction=directions_taken[i],
                      model_id=model_id)
            for i, p in enumerate(pairs)]


def extract_claims(extractor: Any, documents: Sequence[Document], show_progress: bool = False) -> list[Claim]:
    """``extractor.extract(documents)``, with a progress bar of chunks (and the document being read) where the
    extractor reports its progress (``ClaimExtractor``'s ``progress`` argument)."""
    if not show_progress or "progress" not in inspect.signature(extractor.extract).parameters:
        return extractor.extract(documents)
    with progress(True, 0, "extracting claims") as advance:
        def tick(done: int, total: int, document: int) -> None:
            advance.update(total=total, completed=done,
                           description=f"extracting claims (document {document + 1}/{len(documents)}, chunks)")

        return extractor.extract(documents, progress=tick)


def pair_block(claims: Sequence[Claim], embeddings: np.ndarray, *, by: str, top_k: int, min_similarity: float,
               matters: Sequence[frozenset[str]] | None = None, show_progress: bool = False) -> list[ClaimPair]:
    """Candidate pairs among one block's claims: the nearest neighbours (:class:`~contradict.pair.Pairer`), then,
    with ``matters`` (each claim's act kinds, for the agent check), the claims sharing an act
    (:func:`~contradict.pair.shared_matter_pairs`)."""
    from .pair import Pairer, shared_matter_pairs

    pairs = Pairer(by=by, top_k=top_k, min_similarity=min_similarity).pair(claims, embeddings,
                                                                            show_progress=show_progress)
    if matters is not None:
        # two accounts of who did one act may share few words ("the U.S. side initiated the push for talks",
        # "the Russians expressed their desire to meet"): claims stating acts of one kind are candidates too
        pairs += shared_matter_pairs(claims, matters, embeddings, by=by, top_k=top_k,
                                     exclude={(p.a.id, p.b.id) for p in pairs})
    return pairs


class LocalEngine:
    """The stages of :func:`compare` in this process."""

    name = "local"

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

    def extract(self, extractor: Any, documents: Sequence[Document], show_progress: bool = False) -> list[Claim]:
        return extract_claims(extractor, documents, show_progress)

    def pair(self, used: Sequence[Claim], block_list: Sequence[Sequence[int]], *, by: str, top_k: int,
             min_similarity: float, agents: bool, embedder: Any, nlp: Any, book: Any, show_progress: bool = False,
             ) -> tuple[list[ClaimPair], dict[str, Any], dict[str, list[Any]]]:
        """Candidate pairs of each block, blocks in order; and the claims' parses and acts when ``agents``."""
        docs: dict[str, Any] = {}
        acts_of: dict[str, list[Any]] = {}
        if agents:
            from .agents import acts

            for text, doc in parse(nlp, sorted({c.text for c in used}), show_progress):
                docs[text] = doc
                acts_of[text] = acts(doc, book)
        pairs: list[ClaimPair] = []
        for members in block_list:
            claims = [used[i] for i in members]
            if len(claims) < 2:
                continue
            if embedder is None:
                from .embed import Embedder

                embedder = Embedder()
            embeddings = embedder.encode([c.text for c in claims])
            matters = [frozenset(a.act for a in acts_of[c.text]) for c in claims] if agents else None
            pairs += pair_block(claims, embeddings, by=by, top_k=top_k, min_similarity=min_similarity,
                                matters=matters, show_progress=show_progress)
        return pairs, docs, acts_of

    def scorer(self, scorer: Any) -> Any:
        return scorer


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
    checks: Sequence[str] | str | None = CHECKS,
    skipped: Sequence[Skipped] = (),
    show_progress: bool = False,
    min_band: str | None = None,
    stopwatch: Stopwatch | None = None,
    block_by: str = "none",
    engine: Any = None,
) -> Report:
    """Find pairs of claims from different sources that contradict each other.

    ``scorer`` is an :class:`~contradict.scorer.NLIScorer` (or anything with its ``score``);
    ``extractor`` and ``embedder`` default to the spaCy extractor and MiniLM embedder (which shares the scorer's
    score cache for its vectors).
    ``threshold`` overrides the model's own (on the calibrated probability); ``checks`` names the
    detector's checks to add to the model (default all: negation, numbers, agents; see :mod:`contradict.detect`).
    ``min_band`` (see :mod:`contradict.bands`) leaves out findings of a lower band; the stats count them.
    ``block_by`` names the blocking rule (:mod:`contradict.blocks`: claims pair only within a block);
    ``engine`` runs the extraction, pairing and scoring stages: :class:`LocalEngine` (the default, in this
    process) or :class:`contradict.engines.ray_engine.RayEngine` (on a Ray cluster), with the same results.
    ``stats.seconds`` is ``stopwatch``'s split (see :mod:`contradict.timing`) when one is given (the command line
    starts one with the process, so loading the scorer and reading count too), else this call's: the stages
    load_spacy, extract, load_embedder, pair, score (with load_scorer where the scorer loads its model only now),
    decide, then ``other`` and ``total``. ``show_progress`` draws a bar with counts for each long stage.
    Raises ConfigError for an unknown band or blocking rule.
    """
    from .pair import cross_group_pairs

    min_band = parse_band(min_band)
    if by not in ("side", "speaker", "outlet"):
        raise ValueError(f"--by must be side, speaker or outlet, not {by!r}")
    watch = stopwatch if stopwatch is not None else Stopwatch()

    engine = engine if engine is not None else LocalEngine()
    block_by = parse_block_by(block_by)
    if extractor is None:
        from .extract import ClaimExtractor

        extractor = ClaimExtractor(include_unattributed=include_unattributed)
    pipeline = getattr(extractor, "_pipeline", None)
    if pipeline is not None and engine.name == "local" and any((d.text or "").strip() for d in documents):
        with watch.stage("load_spacy"):
            pipeline()
    with watch.stage("extract"):
        claims: list[Claim] = engine.extract(extractor, documents, show_progress=show_progress)
        used = [c for c in claims if include_unattributed or c.attributed]

    if embedder is None and len(used) > 1:
        from .embed import Embedder

        embedder = Embedder(cache=getattr(scorer, "cache", None))  # loads its model when a text is not in the cache
    checks = parse_checks(checks)
    nlp = (pipeline() if pipeline is not None else None) if checks else None
    book = getattr(extractor, "_book", None)
    book = book() if book is not None else None
    agents = "agents" in checks and len(used) > 1
    if agents and nlp is None:
        from .detect import default_nlp

        with watch.stage("load_spacy"):
            nlp = default_nlp()
    with watch.stage("pair"):
        pairs, docs, acts_of = engine.pair(used, blocks(used, block_by), by=by, top_k=top_k,
                                           min_similarity=min_similarity, agents=agents, embedder=embedder,
                                           nlp=nlp, book=book, show_progress=show_progress)

    scorer = engine.scorer(scorer)
    decider = decider_for(scorer, threshold)
    tally: dict[str, int] = {}
    with watch.stage("score"):
        scores = score_pairs(pairs, scorer, directions=directions, decider=decider, show_progress=show_progress,
                             tally=tally)

    with watch.stage("decide"):
        cut = decider.decision_threshold()
        checked: dict[str, int] = {}  # the negation check's own scoring of positive forms
        decisions = decide(scores, scorer=scorer, decider=decider, checks=checks, nlp=nlp, book=book, docs=docs,
                           acts_of=acts_of, show_progress=show_progress, tally=checked)
        findings = [Finding(score=d.score, p_contradiction=d.p_contradiction, threshold=cut,
                            flagged_by=d.flagged_by, number_conflicts=d.number_conflicts, negation=d.negation,
                            agent_conflicts=d.agent_conflicts)
                    for d in decisions if d.flagged]
        findings.sort(key=lambda f: -f.p_contradiction)
        findings, below_band = keep_at_least(findings, min_band)
    seconds = watch.split()

    stats = Stats(
        documents_read=len(documents),
        documents_skipped=list(skipped),
        claims=len(claims),
        claims_attributed=sum(c.attributed for c in claims),
        claims_used=len(used),
        pairs_considered=cross_group_pairs([c.key(by) for c in used]),
        pairs_candidates=len(pairs),
        pairs_scored=sum(1 + (s.probs_ba is not None) for s in scores) + checked.get("scored", 0),
        pairs_reverse_skipped=sum(s.probs_ba is None for s in scores) if directions == "auto" else 0,
        pairs_truncated=tally.get("truncated", 0) + checked.get("truncated", 0),
        cache_hits=tally.get("cache_hits", 0) + checked.get("cache_hits", 0),
        findings=len(findings),
        findings_numbers_only=sum(f.flagged_by == ("numbers",) for f in findings),
        findings_by={name: sum(name in f.flagged_by for f in findings) for name in ("model", *checks)},
        findings_by_band={name: sum(f.band == name for f in findings) for name in BANDS},
        findings_below_min_band=below_band,
        seconds=seconds,
    )
    describe = scorer.describe() if hasattr(scorer, "describe") else {"model_id": getattr(scorer, "model_id", None)}
    run = run_info(model=describe, threshold=round(cut, 6), calibration=decider.calibration, gate=decider.gate,
                   by=by, include_unattributed=include_unattributed, top_k=top_k, min_similarity=min_similarity,
                   directions=directions, checks=list(checks), min_band=min_band, block_by=block_by,
                   engine=engine.describe())
    return Report(findings=findings, stats=stats, run=run, documents=list(documents), claims=claims,
                  scores=scores)
