import json

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from contradict.decide import ContradictionDecider, best_threshold, save_decision

# Overlapping classes, so a logistic fit has a finite optimum.
P = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
Y = np.array([0, 0, 1, 0, 1, 0, 1, 1, 1], dtype=bool)


def test_unfitted_decider_is_identity_with_threshold_one_half():
    d = ContradictionDecider()
    p = np.array([0.2, 0.5, 0.8])
    assert not d.fitted
    np.testing.assert_array_equal(d.calibrate(p), p)
    assert d.decision_threshold() == 0.5
    assert d.predict(p).tolist() == [False, True, True]


def test_unfitted_decider_uses_the_given_threshold():
    assert ContradictionDecider(threshold=0.7).predict([0.6, 0.7]).tolist() == [False, True]


def test_fit_returns_self_and_picks_the_f1_maximising_threshold():
    # Thresholds by hand: t=0.35 flags 5 with 4 true (P=.8, R=1, F1=.889); t=0.6: P=1, R=.75 (.857);
    # t=0.4: P=R=.75; t=0.2: P=.667, R=1 (.8).
    p = np.array([0.1, 0.2, 0.35, 0.4, 0.6, 0.8, 0.9])
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    d = ContradictionDecider(calibration="none")
    assert d.fit(p, y) is d
    assert d.threshold_ == pytest.approx(0.35)
    assert d.calibrator_ is None
    assert d.predict([0.34, 0.35]).tolist() == [False, True]
    assert (d.n_fit_, d.positives_fit_) == (7, 4)


def test_f_half_objective_prefers_precision():
    # Same data as above: F0.5 is .833 at t=0.35 (P=.8, R=1), .9375 at t=0.6 (P=1, R=.75), .833 at t=0.8.
    p = np.array([0.1, 0.2, 0.35, 0.4, 0.6, 0.8, 0.9])
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    assert best_threshold(p, y, "f0.5") == pytest.approx(0.6)
    assert ContradictionDecider(calibration="none", objective="f0.5").fit(p, y).threshold_ == pytest.approx(0.6)


def test_accuracy_objective():
    # t=0.3 and t=0.9 both give 4/5 correct; ties go to the lowest threshold.
    p = np.array([0.1, 0.2, 0.3, 0.8, 0.9])
    y = np.array([0, 0, 1, 0, 1], dtype=bool)
    assert best_threshold(p, y, "accuracy") == pytest.approx(0.3)
    assert ContradictionDecider(calibration="none", objective="accuracy").fit(p, y).threshold_ == pytest.approx(0.3)


def test_given_threshold_is_kept_when_fitting():
    d = ContradictionDecider(calibration="platt", threshold=0.42).fit(P, Y)
    assert d.threshold_ == 0.42


def test_platt_matches_a_logistic_regression_on_the_logit():
    d = ContradictionDecider(calibration="platt").fit(P, Y)
    logit = np.log(P / (1 - P)).reshape(-1, 1)
    expected = LogisticRegression(C=1e4, max_iter=1000).fit(logit, Y).predict_proba(logit)[:, 1]
    np.testing.assert_allclose(d.calibrate(P), expected, rtol=1e-5)
    assert np.all(np.diff(d.calibrate(P)) > 0)  # positive slope: order kept


def test_isotonic_matches_sklearn_and_clips():
    p = np.array([0.1, 0.2, 0.3, 0.4])
    y = np.array([0, 1, 0, 1])
    d = ContradictionDecider(calibration="isotonic").fit(p, y)
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(p, y)
    grid = np.array([0.0, 0.1, 0.15, 0.25, 0.35, 0.4, 1.0])
    np.testing.assert_allclose(d.calibrate(grid), iso.predict(grid))
    # Pool-adjacent-violators by hand: 0, 0.5, 0.5, 1.
    np.testing.assert_allclose(d.calibrate(p), [0.0, 0.5, 0.5, 1.0])


@pytest.mark.parametrize("calibration", ["platt", "isotonic", "none"])
def test_round_trip_through_json(calibration):
    d = ContradictionDecider(calibration=calibration).fit(P, Y)
    again = ContradictionDecider.from_dict(json.loads(json.dumps(d.to_dict())))
    grid = np.linspace(0, 1, 21)
    np.testing.assert_allclose(again.calibrate(grid), d.calibrate(grid))
    assert again.threshold_ == d.threshold_
    assert again.predict(grid).tolist() == d.predict(grid).tolist()


def test_unfitted_round_trip():
    d = ContradictionDecider.from_dict(ContradictionDecider(calibration="isotonic", threshold=0.3).to_dict())
    assert not d.fitted
    assert d.calibration == "isotonic"
    assert d.decision_threshold() == 0.3


def test_from_dict_rejects_garbage():
    with pytest.raises(ValueError, match="not a saved"):
        ContradictionDecider.from_dict({"fitted": True, "calibrator_": {"kind": "platt"}})


@pytest.mark.parametrize(("kwargs", "p", "y", "match"), [
    ({}, [0.1, 0.2], [1, 1], "both"),
    ({}, [0.1, 0.2], [1], "as many"),
    ({}, [], [], "as many"),
    ({"calibration": "beta"}, [0.1, 0.9], [0, 1], "calibration"),
    ({"objective": "recall"}, [0.1, 0.9], [0, 1], "objective"),
])
def test_fit_errors(kwargs, p, y, match):
    with pytest.raises(ValueError, match=match):
        ContradictionDecider(**kwargs).fit(p, y)


def test_save_decision_keeps_other_metadata(tmp_path):
    (tmp_path / "contradict.json").write_text(json.dumps({"name": "m", "threshold": 0.9}))
    d = ContradictionDecider(calibration="none").fit(P, Y)
    save_decision(tmp_path, d, decision_fitted_on=["snli_dev_part"])
    meta = json.loads((tmp_path / "contradict.json").read_text())
    assert meta["name"] == "m"
    assert meta["threshold"] == d.threshold_
    assert meta["decision_fitted_on"] == ["snli_dev_part"]
    assert ContradictionDecider.from_dict(meta["decision"]).threshold_ == d.threshold_


def test_entailment_gate_holds_back_pairs_read_more_as_entailment():
    # by hand, without calibration: the gate holds back the 0.35 and 0.4 pairs (entailment 0.5 and 0.55);
    # among the rest (scored 0 where held back) t=0.6 flags 3 of the 4 contradictions and nothing else
    p = np.array([0.1, 0.2, 0.35, 0.4, 0.6, 0.8, 0.9])
    e = np.array([0.8, 0.1, 0.50, 0.55, 0.1, 0.1, 0.05])
    y = np.array([0, 0, 1, 0, 1, 1, 1])
    d = ContradictionDecider(calibration="none", gate="entailment").fit(p, y, p_entailment=e)
    assert d.threshold_ == pytest.approx(0.6)
    assert d.allows(p, e).tolist() == [False, True, False, False, True, True, True]
    assert d.predict([0.35, 0.7, 0.7], [0.1, 0.2, 0.8]).tolist() == [False, True, False]
    again = ContradictionDecider.from_dict(json.loads(json.dumps(d.to_dict())))
    assert again.gate == "entailment"
    assert again.predict(p, e).tolist() == d.predict(p, e).tolist()


def test_without_a_gate_entailment_changes_nothing():
    d = ContradictionDecider(calibration="none").fit(P, Y)
    assert d.gate == "none"
    assert d.predict(P, np.ones_like(P)).tolist() == d.predict(P).tolist()
    assert ContradictionDecider.from_dict({"calibration": "none"}).gate == "none"  # decisions saved before gates


def test_gate_errors():
    d = ContradictionDecider(calibration="none", gate="entailment")
    with pytest.raises(ValueError, match="entailment probabilities"):
        d.fit(P, Y)
    with pytest.raises(ValueError, match="entailment probability for each"):
        d.predict([0.5, 0.6], [0.1])
    with pytest.raises(ValueError, match="gate"):
        ContradictionDecider(gate="neutral").fit(P, Y)
    with pytest.raises(ValueError, match="gate"):
        ContradictionDecider.from_dict({"gate": "neutral"})
