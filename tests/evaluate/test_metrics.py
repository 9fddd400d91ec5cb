import numpy as np
import pytest

from contradict.decide import ContradictionDecider
from contradict.evaluate.metrics import (
    calibrated_metrics,
    expected_calibration_error,
    fnc_score,
    predicted_labels,
    task_metrics,
)
from contradict.evaluate.tasks import SCHEMES

E, N, C = "entailment", "neutral", "contradiction"
# Rows [entailment, neutral, contradiction]; argmax: E, N, C, N, C, E.
PROBS = np.array([
    [0.7, 0.2, 0.1],
    [0.2, 0.5, 0.3],
    [0.1, 0.2, 0.7],
    [0.3, 0.4, 0.3],
    [0.2, 0.2, 0.6],
    [0.6, 0.3, 0.1],
])
GOLD = [E, N, C, C, E, N]


def test_ece_by_hand():
    # Bins: 0.15, 0.15 -> bin 1 (mean p .15, positives .5: gap .35, weight 2/4); 0.75 -> bin 7 (gap .25,
    # weight 1/4); 0.95 -> bin 9 (gap .05, weight 1/4). ECE = .175 + .0625 + .0125 = .25.
    assert expected_calibration_error([1, 0, 1, 1], [0.15, 0.15, 0.75, 0.95]) == pytest.approx(0.25)


def test_ece_edges():
    assert expected_calibration_error([1], [1.0]) == pytest.approx(0.0)  # p = 1 falls in the last bin
    assert expected_calibration_error([0], [1.0]) == pytest.approx(1.0)
    assert expected_calibration_error([0, 1], [0.3, 0.3]) == pytest.approx(0.2)
    with pytest.raises(ValueError):
        expected_calibration_error([], [])


def test_nli_metrics_by_hand():
    m, predicted = task_metrics(SCHEMES["nli"], GOLD, PROBS)
    assert predicted == [E, N, C, N, C, E]
    assert m["n"] == 6
    assert m["accuracy"] == pytest.approx(0.5)
    # Each class: predicted twice, right once, gold twice -> P = R = F1 = 0.5.
    assert m["macro_f1"] == pytest.approx(0.5)
    assert m["per_class"][C] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert m["confusion_matrix"] == {"labels": [E, N, C], "matrix": [[1, 0, 1], [1, 1, 0], [0, 1, 1]]}
    # Contradiction scores: positives .7 and .3, negatives .1 .3 .6 .1: 6.5 of 8 ordered pairs right.
    assert m["contradiction_auc"] == pytest.approx(6.5 / 8)
    # AP: at .7 P=1 R=.5; at .3 P=.5 R=1 -> .5 * 1 + .5 * .5.
    assert m["contradiction_ap"] == pytest.approx(0.75)
    assert m["brier"] == pytest.approx((0.01 + 0.09 + 0.09 + 0.49 + 0.36 + 0.01) / 6)
    # Bins: .1,.1 (bin 1, no positives: gap .1, weight 2/6); .3,.3 (bin 3, one positive: gap .2, weight 2/6);
    # .6 (bin 6: gap .6, 1/6); .7 (bin 7: gap .3, 1/6).
    assert m["ece"] == pytest.approx((2 * 0.1 + 2 * 0.2 + 0.6 + 0.3) / 6)
    assert m["prevalence"] == pytest.approx(2 / 6)


def test_macro_f1_ignores_labels_absent_from_gold():
    # FEVER-like: no neutral in gold, one neutral prediction. E: P=1, R=.5 (F1 2/3); C: P=R=1.
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    m, _ = task_metrics(SCHEMES["nli"], [E, C, E, C], probs)
    assert m["macro_f1"] == pytest.approx((2 / 3 + 1) / 2)
    assert m["per_class"][N]["f1"] == 0.0


def test_binary_metrics():
    probs = np.array([[0.6, 0.3, 0.1], [0.4, 0.3, 0.3], [0.7, 0.1, 0.2]])
    gold = ["entailment", "not_entailment", "not_entailment"]
    m, predicted = task_metrics(SCHEMES["binary"], gold, probs)
    assert predicted == ["entailment", "not_entailment", "entailment"]
    assert m["accuracy"] == pytest.approx(2 / 3)
    # not_entailment scores 1 - p(E): positives .6, .3 against negative .4 -> AUC .5.
    assert m["not_entailment_auc"] == pytest.approx(0.5)
    assert "contradiction_auc" not in m


def test_single_class_gold_gives_no_auc():
    m, _ = task_metrics(SCHEMES["nli"], [E, E], PROBS[:2])
    assert m["contradiction_auc"] is None
    assert m["contradiction_ap"] is None
    assert m["brier"] == pytest.approx((0.01 + 0.09) / 2)


def test_stance_mappings():
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.1, 0.8, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]])
    assert predicted_labels(SCHEMES["emergent"], probs) == ["for", "against", "observing", "observing", "against"]
    related = np.array([0.8, 0.5, 0.4, 0.1, 0.05])
    assert predicted_labels(SCHEMES["fnc"], probs, related, 0.3) == \
        ["agree", "disagree", "discuss", "unrelated", "unrelated"]
    with pytest.raises(ValueError):
        predicted_labels(SCHEMES["fnc"], probs)


def test_fnc_score_by_hand():
    # Row 1: both related, wrong label -> .25. Row 2: gold unrelated, predicted related -> 0.
    # Row 3: related and exact -> 1. Best: 1 + .25 + 1.
    assert fnc_score(["agree", "unrelated", "discuss"], ["discuss", "agree", "discuss"]) == (1.25, 2.25)
    probs = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1]])
    m, _ = task_metrics(SCHEMES["fnc"], ["agree", "unrelated"], probs, np.array([0.9, 0.0]))
    assert (m["fnc_score"], m["fnc_max_score"], m["fnc_relative_score"]) == (1.25, 1.25, 1.0)


def test_calibrated_metrics_at_the_threshold():
    decider = ContradictionDecider(calibration="none", threshold=0.5).fit([0.2, 0.8], [0, 1])
    got = calibrated_metrics(SCHEMES["nli"], GOLD, PROBS, decider)
    assert got is not None
    m, calibrated = got
    np.testing.assert_allclose(calibrated, PROBS[:, 2])
    # p >= .5 flags rows 2 and 4; row 2 is a contradiction: P = .5, R = .5 (row 3 missed).
    assert (m["contradiction_precision"], m["contradiction_recall"], m["contradiction_f1"]) == (0.5, 0.5, 0.5)
    assert m["flagged"] == 2 and m["threshold"] == 0.5
    assert m["contradiction_auc"] == pytest.approx(6.5 / 8)
    assert calibrated_metrics(SCHEMES["binary"], ["entailment"], PROBS[:1], decider) is None
