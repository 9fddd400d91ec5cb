"""Metrics over scorer probabilities, for each label scheme.

Probabilities are rows [entailment, neutral, contradiction]. How they become a
predicted label depends on the task's gold label set:

- ``nli``: the most probable of the three.
- ``binary`` (entailment / not_entailment): entailment when p(entailment) >= 0.5,
  that is when it outweighs p(neutral) + p(contradiction).
- ``emergent``: entailment -> for, contradiction -> against, neutral -> observing.
- ``fnc``: FNC-1's "unrelated" means the body is about something else, which NLI
  does not model. A pair is called unrelated when fewer than ``relatedness_threshold``
  of the headline's content words occur in the body (:func:`contradict.evidence.relatedness`);
  otherwise the most probable NLI label gives entailment -> agree,
  contradiction -> disagree, neutral -> discuss. FNC-1's weighted score gives 0.25 for
  telling related from unrelated and a further 0.75 for the exact label of a related
  pair; ``fnc_relative_score`` is the score over the best possible score.

Contradiction-versus-rest metrics use the scheme's positive label (contradiction,
disagree, against; for ``binary`` it is not_entailment with score p(neutral) +
p(contradiction), and the keys say so): ROC-AUC, average precision, Brier score and
expected calibration error (ECE, :func:`expected_calibration_error`). A metric that is
undefined on the data (AUC with one class present) is None.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from ..decide import ContradictionDecider
from ..types import CONTRADICTION, ENTAILMENT, LABELS
from .tasks import DEFAULT_RELATEDNESS_THRESHOLD, LabelScheme

_STANCE_NAMES = {
    "emergent": {"entailment": "for", "neutral": "observing", "contradiction": "against"},
    "fnc": {"entailment": "agree", "neutral": "discuss", "contradiction": "disagree"},
}
FNC_RELATED = frozenset({"agree", "disagree", "discuss"})


def expected_calibration_error(y_true: Any, y_prob: Any, n_bins: int = 10) -> float:
    """ECE of binary probabilities over ``n_bins`` equal-width bins.

    Bin b holds the probabilities p with b/n_bins <= p < (b+1)/n_bins (p = 1 goes in
    the last bin). ECE = sum over non-empty bins of (bin count / total) x
    |share of positives in the bin - mean probability in the bin|.
    """
    y = np.asarray(y_true).astype(float).ravel()
    p = np.asarray(y_prob, dtype=float).ravel()
    if p.size == 0:
        raise ValueError("ECE of no predictions")
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    sum_p = np.bincount(bins, weights=p, minlength=n_bins)
    sum_y = np.bincount(bins, weights=y, minlength=n_bins)
    nonempty = counts > 0
    gaps = np.abs(sum_y[nonempty] - sum_p[nonempty]) / counts[nonempty]
    return float(np.sum(counts[nonempty] / p.size * gaps))


def positive_scores(scheme: LabelScheme, probs: np.ndarray) -> np.ndarray:
    """The score of the scheme's positive label: p(contradiction), or 1 - p(entailment) for binary."""
    probs = np.asarray(probs, dtype=float)
    if scheme.contradiction:
        return probs[:, CONTRADICTION]
    return 1.0 - probs[:, ENTAILMENT]


def predicted_labels(scheme: LabelScheme, probs: np.ndarray, relatedness: np.ndarray | None = None,
                     relatedness_threshold: float = DEFAULT_RELATEDNESS_THRESHOLD) -> list[str]:
    """Scheme labels for probability rows, by the rules in the module docstring."""
    probs = np.asarray(probs, dtype=float)
    if scheme.name == "binary":
        return ["entailment" if p >= 0.5 else "not_entailment" for p in probs[:, ENTAILMENT]]
    nli = [LABELS[i] for i in np.argmax(probs, axis=1)] if len(probs) else []
    if scheme.name == "nli":
        return nli
    names = _STANCE_NAMES[scheme.name]
    out = [names[label] for label in nli]
    if scheme.name == "fnc":
        if relatedness is None:
            raise ValueError("the fnc scheme needs relatedness values")
        out = [label if r >= relatedness_threshold else "unrelated" for label, r in zip(out, relatedness)]
    return out


def fnc_score(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    """FNC-1's weighted score and the best score possible on ``gold``."""
    score = best = 0.0
    for g, p in zip(gold, predicted):
        g_related, p_related = g in FNC_RELATED, p in FNC_RELATED
        best += 1.0 if g_related else 0.25
        if g_related == p_related:
            score += 0.25
        if g_related and g == p:
            score += 0.75
    return score, best


def classification_metrics(gold: list[str], predicted: list[str], labels: tuple[str, ...]) -> dict[str, Any]:
    """Accuracy, macro-F1 (over the labels present in ``gold``), per-class P/R/F1 and the confusion matrix."""
    present = [label for label in labels if label in set(gold)]
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=list(labels), zero_division=0)
    return {
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, labels=present, average="macro", zero_division=0)),
        "per_class": {
            label: {"precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]),
                    "support": int(support[i])}
            for i, label in enumerate(labels)
        },
        "confusion_matrix": {"labels": list(labels),
                             "matrix": confusion_matrix(gold, predicted, labels=list(labels)).tolist()},
    }


def score_metrics(y_positive: np.ndarray, scores: np.ndarray, prefix: str) -> dict[str, float | None]:
    """ROC-AUC and average precision (None with a single class), Brier score and ECE."""
    y = np.asarray(y_positive).astype(bool)
    s = np.asarray(scores, dtype=float)
    both = bool(y.any() and not y.all())
    return {
        f"{prefix}_auc": float(roc_auc_score(y, s)) if both else None,
        f"{prefix}_ap": float(average_precision_score(y, s)) if y.any() else None,
        "brier": float(brier_score_loss(y, s, pos_label=True)),
        "ece": expected_calibration_error(y, s),
        "prevalence": float(y.mean()),
    }


def threshold_metrics(y_positive: np.ndarray, flagged: np.ndarray, prefix: str = "contradiction") -> dict[str, Any]:
    """Precision, recall and F1 of the flagged items against the positives."""
    y = np.asarray(y_positive).astype(bool)
    f = np.asarray(flagged).astype(bool)
    precision, recall, f1, _ = precision_recall_fscore_support(y, f, labels=[True], zero_division=0)
    return {f"{prefix}_precision": float(precision[0]), f"{prefix}_recall": float(recall[0]),
            f"{prefix}_f1": float(f1[0]), "flagged": int(f.sum())}


def task_metrics(scheme: LabelScheme, gold: list[str], probs: np.ndarray, relatedness: np.ndarray | None = None,
                 relatedness_threshold: float = DEFAULT_RELATEDNESS_THRESHOLD) -> tuple[dict[str, Any], list[str]]:
    """All raw metrics for a task, and the predicted labels they were computed from."""
    predicted = predicted_labels(scheme, probs, relatedness, relatedness_threshold)
    metrics: dict[str, Any] = {"n": len(gold)}
    metrics.update(classification_metrics(gold, predicted, scheme.labels))
    prefix = "contradiction" if scheme.contradiction else scheme.positive
    y_positive = np.array([g == scheme.positive for g in gold])
    metrics.update(score_metrics(y_positive, positive_scores(scheme, probs), prefix))
    if scheme.name == "fnc":
        score, best = fnc_score(gold, predicted)
        metrics.update({"fnc_score": score, "fnc_max_score": best,
                        "fnc_relative_score": score / best if best else None,
                        "relatedness_threshold": relatedness_threshold})
    return metrics, predicted


def group_metrics(scheme: LabelScheme, gold: list[str], predicted: list[str], groups: list[str],
                  flagged: np.ndarray | None = None) -> dict[str, dict[str, Any]]:
    """Per group (e.g. a news category): n, accuracy, the gold contradictions (the scheme's positive label),
    the share of them predicted as such (``contradiction_recall``) and, given the decider's ``flagged``
    array, the share flagged (``flagged_recall``) and the false alarms among the rest (``false_alarms``).
    A recall is None in a group without gold contradictions."""
    out: dict[str, dict[str, Any]] = {}
    for group in sorted(set(groups)):
        idx = [i for i, g in enumerate(groups) if g == group]
        positives = [i for i in idx if gold[i] == scheme.positive]
        m: dict[str, Any] = {
            "n": len(idx),
            "accuracy": float(np.mean([gold[i] == predicted[i] for i in idx])),
            "contradictions": len(positives),
            "contradiction_recall": float(np.mean([predicted[i] == scheme.positive for i in positives]))
            if positives else None,
        }
        if flagged is not None:
            m["flagged_recall"] = float(np.mean([bool(flagged[i]) for i in positives])) if positives else None
            m["false_alarms"] = int(sum(bool(flagged[i]) for i in idx if gold[i] != scheme.positive))
        out[group] = m
    return out


def calibrated_metrics(scheme: LabelScheme, gold: list[str], probs: np.ndarray,
                       decider: ContradictionDecider) -> tuple[dict[str, Any], np.ndarray] | None:
    """Contradiction metrics of the calibrated probability and of the decider's flags, with the
    calibrated probabilities; None for schemes without a contradiction label."""
    if not scheme.contradiction:
        return None
    calibrated = decider.calibrate(positive_scores(scheme, probs))
    y_positive = np.array([g == scheme.positive for g in gold])
    out: dict[str, Any] = score_metrics(y_positive, calibrated, "contradiction")
    out["threshold"] = decider.decision_threshold()
    out.update(threshold_metrics(y_positive, calibrated >= out["threshold"]))
    return out, calibrated
