"""Turn contradiction probabilities into decisions: calibrate, then threshold.

:class:`ContradictionDecider` follows scikit-learn's conventions: ``__init__`` only
stores parameters, :meth:`~ContradictionDecider.fit` learns ``calibrator_`` and
``threshold_`` from a dev split and returns ``self``. Fit it on dev data and apply
it elsewhere; a threshold picked on the data it is reported on flatters the model.

A fitted decider is saved as plain JSON (:meth:`~ContradictionDecider.to_dict`),
under ``"decision"`` in a model directory's ``contradict.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

CALIBRATIONS = ("platt", "isotonic", "none")
OBJECTIVES = ("f1", "f0.5", "accuracy")
#: "entailment": a pair is flagged only where the model finds contradiction at least as likely as entailment.
GATES = ("none", "entailment")
#: The weight of recall against precision in each F objective (F-beta).
_BETA = {"f1": 1.0, "f0.5": 0.5}
DEFAULT_THRESHOLD = 0.5
_EPS = 1e-6
# Practically no regularisation on real dev sets, yet a finite slope when a small dev set separates perfectly.
_PLATT_C = 1e4
_FORMAT = 1


@dataclass(frozen=True)
class PlattCalibrator:
    """``p' = sigmoid(coef * logit(p) + intercept)``: a logistic fit on the logit of the raw probability."""

    coef: float
    intercept: float

    def __call__(self, p: np.ndarray) -> np.ndarray:
        q = np.clip(p, _EPS, 1 - _EPS)
        z = self.coef * np.log(q / (1 - q)) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "platt", "coef": self.coef, "intercept": self.intercept}


@dataclass(frozen=True)
class IsotonicCalibrator:
    """A non-decreasing step fit, applied by linear interpolation between its knots, clipped at the ends
    (what ``IsotonicRegression(out_of_bounds="clip").predict`` does)."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, p: np.ndarray) -> np.ndarray:
        return np.interp(p, self.x, self.y)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "isotonic", "x": list(self.x), "y": list(self.y)}


class ContradictionDecider:
    """Calibrates a model's contradiction probability and flags pairs above a threshold.

    Parameters
    ----------
    calibration: "platt" (logistic regression on the logit of p, C = 1e4), "isotonic" (isotonic
        regression on p) or "none".
    threshold: a fixed threshold on the calibrated probability; ``None`` lets ``fit`` choose
        the one that maximises ``objective`` on the dev data.
    objective: "f1" (of the contradiction class), "f0.5" (F-beta with beta 0.5: precision weighs
        more than recall, for reports where each false alarm costs a reader's time) or "accuracy"
        (contradiction vs rest).
    gate: "none", or "entailment": flag a pair only where its raw contradiction probability is at
        least its entailment probability; the fitted threshold is then the best one among the pairs
        the gate lets through (:meth:`allows`).

    Unfitted, the decider calibrates with the identity and uses ``threshold`` if given,
    else 0.5. Fitted attributes: ``calibrator_`` (None for "none"), ``threshold_``,
    ``n_fit_`` and ``positives_fit_``.
    """

    def __init__(self, calibration: str = "platt", threshold: float | None = None, objective: str = "f1",
                 gate: str = "none"):
        self.calibration = calibration
        self.threshold = threshold
        self.objective = objective
        self.gate = gate

    # -- learning ---------------------------------------------------------------------------------
    def fit(self, p_contradiction: Any, y_is_contradiction: Any,
            p_entailment: Any = None) -> ContradictionDecider:
        """Learn the calibrator and (unless fixed) the threshold from dev probabilities and gold flags
        (and entailment probabilities, which a gate needs).

        Raises ValueError for an unknown calibration, objective or gate, mismatched or empty inputs, or
        gold flags of a single class (nothing to calibrate against).
        """
        if self.gate not in GATES:
            raise ValueError(f"unknown gate {self.gate!r}; expected one of {', '.join(GATES)}")
        if self.calibration not in CALIBRATIONS:
            raise ValueError(f"unknown calibration {self.calibration!r}; expected one of {', '.join(CALIBRATIONS)}")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"unknown objective {self.objective!r}; expected one of {', '.join(OBJECTIVES)}")
        p = np.asarray(p_contradiction, dtype=float).ravel()
        y = np.asarray(y_is_contradiction).astype(bool).ravel()
        if p.shape != y.shape or p.size == 0:
            raise ValueError(f"need as many gold flags as probabilities, and at least one; got {p.size} and {y.size}")
        if y.all() or not y.any():
            raise ValueError("the dev data must hold both contradictions and non-contradictions")

        if self.calibration == "platt":
            from sklearn.linear_model import LogisticRegression

            q = np.clip(p, _EPS, 1 - _EPS)
            lr = LogisticRegression(C=_PLATT_C, max_iter=1000).fit(np.log(q / (1 - q)).reshape(-1, 1), y)
            self.calibrator_: PlattCalibrator | IsotonicCalibrator | None = PlattCalibrator(
                float(lr.coef_[0, 0]), float(lr.intercept_[0]))
        elif self.calibration == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y.astype(float))
            self.calibrator_ = IsotonicCalibrator(tuple(map(float, iso.X_thresholds_)),
                                                  tuple(map(float, iso.y_thresholds_)))
        else:
            self.calibrator_ = None
        allowed = self.allows(p, p_entailment)
        self.threshold_ = float(self.threshold) if self.threshold is not None else \
            best_threshold(np.where(allowed, self.calibrate(p), 0.0), y, self.objective)
        self.n_fit_ = int(p.size)
        self.positives_fit_ = int(y.sum())
        return self

    # -- applying ---------------------------------------------------------------------------------
    @property
    def fitted(self) -> bool:
        return hasattr(self, "threshold_")

    def calibrate(self, p_contradiction: Any) -> np.ndarray:
        """Calibrated probabilities (identity when unfitted or with calibration "none")."""
        p = np.asarray(p_contradiction, dtype=float)
        calibrator = getattr(self, "calibrator_", None)
        return p.copy() if calibrator is None else calibrator(p)

    def decision_threshold(self) -> float:
        """The threshold ``predict`` uses: fitted, else the given one, else 0.5."""
        if self.fitted:
            return self.threshold_
        return DEFAULT_THRESHOLD if self.threshold is None else float(self.threshold)

    def allows(self, p_contradiction: Any, p_entailment: Any = None) -> np.ndarray:
        """Where the gate lets a pair be flagged: everywhere without one; with "entailment", where the raw
        contradiction probability is at least the entailment probability. Raises ValueError when the
        gate needs entailment probabilities and none are given."""
        p = np.asarray(p_contradiction, dtype=float)
        if self.gate == "none":
            return np.ones(p.shape, dtype=bool)
        if p_entailment is None:
            raise ValueError("this decision's entailment gate needs the entailment probabilities")
        e = np.asarray(p_entailment, dtype=float)
        if e.shape != p.shape:
            raise ValueError(f"need an entailment probability for each contradiction one; got {e.size} and {p.size}")
        return p >= e

    def predict(self, p_contradiction: Any, p_entailment: Any = None) -> np.ndarray:
        """True where the calibrated probability reaches the threshold and the gate allows the pair."""
        flags = self.calibrate(p_contradiction) >= self.decision_threshold()
        return flags & self.allows(p_contradiction, p_entailment)

    # -- saving -----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters and, when fitted, learned state."""
        d: dict[str, Any] = {"format": _FORMAT, "calibration": self.calibration, "threshold": self.threshold,
                             "objective": self.objective, "gate": self.gate, "fitted": self.fitted}
        if self.fitted:
            d["threshold_"] = self.threshold_
            d["calibrator_"] = None if self.calibrator_ is None else self.calibrator_.to_dict()
            d["n_fit_"] = self.n_fit_
            d["positives_fit_"] = self.positives_fit_
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ContradictionDecider:
        """Rebuild a decider saved by :meth:`to_dict`. Raises ValueError for a malformed dict."""
        try:
            decider = cls(calibration=d.get("calibration", "platt"), threshold=d.get("threshold"),
                          objective=d.get("objective", "f1"), gate=d.get("gate", "none"))
            if decider.gate not in GATES:
                raise ValueError(f"unknown gate {decider.gate!r}; expected one of {', '.join(GATES)}")
            if d.get("fitted"):
                cal = d.get("calibrator_")
                if cal is None:
                    decider.calibrator_ = None
                elif cal["kind"] == "platt":
                    decider.calibrator_ = PlattCalibrator(float(cal["coef"]), float(cal["intercept"]))
                elif cal["kind"] == "isotonic":
                    decider.calibrator_ = IsotonicCalibrator(tuple(map(float, cal["x"])), tuple(map(float, cal["y"])))
                else:
                    raise ValueError(f"unknown calibrator kind {cal['kind']!r}")
                decider.threshold_ = float(d["threshold_"])
                decider.n_fit_ = int(d.get("n_fit_", 0))
                decider.positives_fit_ = int(d.get("positives_fit_", 0))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"not a saved ContradictionDecider: {exc!r}") from None
        return decider

    def __repr__(self) -> str:
        state = f", threshold_={self.threshold_:.4f}" if self.fitted else ""
        return (f"ContradictionDecider(calibration={self.calibration!r}, threshold={self.threshold!r}, "
                f"objective={self.objective!r}, gate={self.gate!r}{state})")


def best_threshold(p: np.ndarray, y: np.ndarray, objective: str = "f1") -> float:
    """The threshold t (one of the scores) for which ``p >= t`` maximises ``objective`` on ``y``.

    Ties go to the lowest such threshold. With "f1" or "f0.5", the candidates are those of
    ``sklearn.metrics.precision_recall_curve``.
    """
    from sklearn.metrics import precision_recall_curve

    p = np.asarray(p, dtype=float)
    y = np.asarray(y).astype(bool)
    if objective in _BETA:
        b2 = _BETA[objective] ** 2
        precision, recall, thresholds = precision_recall_curve(y, p)
        denom = b2 * precision[:-1] + recall[:-1]
        score = np.divide((1 + b2) * precision[:-1] * recall[:-1], denom, out=np.zeros_like(denom), where=denom > 0)
        return float(thresholds[int(np.argmax(score))])
    if objective == "accuracy":
        candidates = np.unique(p)
        accuracy = [np.mean((p >= t) == y) for t in candidates]
        return float(candidates[int(np.argmax(accuracy))])
    raise ValueError(f"unknown objective {objective!r}; expected one of {', '.join(OBJECTIVES)}")


def cross_fit(p_contradiction: Any, y_is_contradiction: Any, p_entailment: Any = None, *, folds: int = 5,
              seed: int = 0, **params: Any) -> dict[str, Any]:
    """Out-of-fold decisions: each pair is flagged by a decider (``params`` as for :class:`ContradictionDecider`)
    fitted on the other ``folds - 1`` folds, so the precision, recall and F1 of the flags estimate what the
    decision fitted on all the pairs will do on new ones. Folds are a seeded permutation dealt round-robin.

    Returns ``flags`` (a boolean array), ``thresholds`` (one per fold), ``precision``, ``recall``, ``f1``
    and ``flagged``. Raises ValueError as
    :meth:`ContradictionDecider.fit` does, or when a fold's training part holds a single class.
    """
    from sklearn.metrics import precision_recall_fscore_support

    p = np.asarray(p_contradiction, dtype=float).ravel()
    y = np.asarray(y_is_contradiction).astype(bool).ravel()
    e = None if p_entailment is None else np.asarray(p_entailment, dtype=float).ravel()
    if folds < 2 or folds > p.size:
        raise ValueError(f"cross-fitting needs between 2 and {p.size} folds, got {folds}")
    order = np.random.default_rng(seed).permutation(p.size)
    flags = np.zeros(p.size, dtype=bool)
    thresholds = []
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        decider = ContradictionDecider(**params).fit(p[train], y[train], None if e is None else e[train])
        thresholds.append(decider.threshold_)
        flags[test] = decider.predict(p[test], None if e is None else e[test])
    precision, recall, f1, _ = precision_recall_fscore_support(y, flags, average="binary", zero_division=0)
    return {"flags": flags, "thresholds": thresholds, "precision": float(precision),
            "recall": float(recall), "f1": float(f1), "flagged": int(flags.sum())}


def save_decision(model_dir: str | Path, decider: ContradictionDecider, **extra: Any) -> Path:
    """Store ``decider`` under "decision" (and its threshold under "threshold") in ``model_dir/contradict.json``,
    keeping the file's other keys; ``extra`` keys (e.g. ``decision_fitted_on``) are added too."""
    path = Path(model_dir) / "contradict.json"
    meta = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    meta["decision"] = decider.to_dict()
    meta["threshold"] = decider.decision_threshold()
    meta.update(extra)
    path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return path
