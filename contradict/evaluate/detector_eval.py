"""Detector-level evaluation: the whole decision `compare` makes, on labelled claim pairs.

``contradict eval run --decision detector`` measures what a user gets rather than the model alone:
each pair (premise as claim A, hypothesis as claim B, from two different sources) is scored in
both directions and decided by :func:`contradict.detect.decide` with the model's own saved decision
(calibration, gate and threshold, as ``compare`` applies them) and the checks asked for. Gold is
contradiction against the rest.

The record gives ``decision_precision``, ``decision_recall`` and ``decision_f1`` of the full
detector, the same for each stage as the checks are added in turn (model alone, + negation,
+ numbers, + agents), and for each check the pairs it fires on alone and how many of them are
gold contradictions (its precision), so that the effect of each part is visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..decide import ContradictionDecider, cross_fit
from ..detect import Decision, decide, parse_checks
from ..types import ENTAILMENT, FLAGGERS, Claim, ClaimPair
from .metrics import threshold_metrics
from .tasks import TaskData


def text_claim_pairs(ids: Sequence[str], premises: Sequence[str], hypotheses: Sequence[str]) -> list[ClaimPair]:
    """One claim pair per example: the premise as claim A of source "A", the hypothesis as claim B of "B"."""
    def claim(example_id: str, side: str, text: str) -> Claim:
        return Claim(id=f"{example_id}:{side.lower()}", doc_id=f"{example_id}:{side.lower()}", text=text,
                     speaker=None, speaker_canonical=None, source=side, side=side, span=(0, len(text)),
                     outlet=side, attribution="said")

    return [ClaimPair(a=claim(i, "A", p), b=claim(i, "B", h), similarity=float("nan"))
            for i, p, h in zip(ids, premises, hypotheses, strict=True)]


def detector_decisions(data: TaskData | Sequence[ClaimPair], scorer: Any, *, checks: Sequence[str] | str | None = None,
                       nlp: Any = None, show_progress: bool = False, directions: str = "both",
                       tally: dict[str, int] | None = None) -> tuple[list[Decision], dict[str, Any]]:
    """The detector's decisions on a task's pairs (or on claim pairs), and a description of the decision applied.

    ``directions`` and ``tally`` go to :func:`contradict.pipeline.score_pairs` (the model's scoring)."""
    from ..pipeline import decider_for, score_pairs

    checks = parse_checks(checks)
    decider = decider_for(scorer, None)
    pairs = text_claim_pairs(data.ids, data.premises, data.hypotheses) if isinstance(data, TaskData) else list(data)
    scores = score_pairs(pairs, scorer, directions=directions, decider=decider, show_progress=show_progress,
                         tally=tally)
    decisions = decide(scores, scorer=scorer, decider=decider, checks=checks, nlp=nlp, show_progress=show_progress)
    meta = getattr(scorer, "metadata", {}) or {}
    applied = {"checks": list(checks), "threshold": decider.decision_threshold(),
               "calibration": decider.calibration if decider.fitted else "none", "gate": decider.gate,
               "fitted_on": meta.get("decision_fitted_on"), "saved": decider.fitted}
    return decisions, applied


def cross_fitted(decisions: Sequence[Decision], y_contradiction: Sequence[bool], decider: ContradictionDecider, *,
                 folds: int = 5, seed: int = 0) -> list[Decision]:
    """The decisions with the model's flags made out of fold: each pair's flag comes from a decision (the
    saved one's calibration, objective and gate) fitted on the other folds' pairs
    (:func:`contradict.decide.cross_fit`). For a task the saved decision was fitted on, these are the
    figures to report: the saved threshold has seen every pair of it."""
    p = np.array([d.score.p_contradiction for d in decisions])
    e = np.array([d.score.probs[ENTAILMENT] for d in decisions])
    readable = np.array([not (d.score.pair.a.negated or d.score.pair.b.negated) for d in decisions])
    flags = cross_fit(p, np.asarray(y_contradiction, dtype=bool), e, folds=folds, seed=seed,
                      calibration=decider.calibration, objective=decider.objective, gate=decider.gate)["flags"]
    out = []
    for d, flag in zip(decisions, flags & readable):
        fired = {**d.fired, "model": bool(flag)}
        ran = [name for name in FLAGGERS if name == "model" or name in d.ran]
        out.append(replace(d, fired=fired, flagged_by=tuple(name for name in ran if fired[name])))
    return out


def detector_metrics(decisions: Sequence[Decision], y_contradiction: Sequence[bool],
                     checks: Sequence[str]) -> dict[str, Any]:
    """Precision, recall and F1 of the detector (``decision_*``), of each stage and of each part alone."""
    y = np.asarray(y_contradiction, dtype=bool)
    fired = {name: np.array([d.fired.get(name, False) for d in decisions], dtype=bool) for name in FLAGGERS}
    parts = ["model", *checks]
    stages, so_far = [], np.zeros(len(decisions), dtype=bool)
    for i, name in enumerate(parts):
        added = fired[name] & ~so_far
        so_far = so_far | fired[name]
        stages.append({"stage": name if i == 0 else f"+ {name}", **threshold_metrics(y, so_far, prefix="decision"),
                       "added": int(added.sum()), "added_contradictions": int((added & y).sum())})
    alone = {}
    for name in parts:
        f = fired[name]
        alone[name] = {"fired": int(f.sum()), "contradictions": int((f & y).sum()),
                       "precision": float((f & y).sum() / f.sum()) if f.any() else None}
    total = stages[-1]
    return {"decision_precision": total["decision_precision"], "decision_recall": total["decision_recall"],
            "decision_f1": total["decision_f1"], "flagged": total["flagged"], "contradictions": int(y.sum()),
            "stages": stages, "parts": alone}


def decision_row(d: Decision) -> dict[str, Any]:
    """A decision's part of a prediction line: flag, what flagged it, probability and evidence."""
    row: dict[str, Any] = {"flagged": d.flagged, "flagged_by": list(d.flagged_by),
                           "p_contradiction": round(float(d.p_contradiction), 6),
                           "fired": {k: v for k, v in d.fired.items() if v}}
    if d.negation is not None:
        n = d.negation
        row["negation"] = {"claim": n.claim, "kind": n.kind, "cue": n.cue, "removed": n.removed,
                           "positive": n.positive, "p_entailment": round(n.p_entailment, 6),
                           "p_contradiction": round(n.p_contradiction, 6)}
    if d.number_conflicts:
        row["number_conflicts"] = [str(c) for c in d.number_conflicts]
    if d.agent_conflicts:
        row["agent_conflicts"] = [str(c) for c in d.agent_conflicts]
    return row
