"""The entailment-gate experiment's decision arithmetic (eval/experiments/entailment-gate/run.py)."""

import importlib.util
import json
from pathlib import Path

import numpy as np

from contradict.types import LABELS

SCRIPT = Path(__file__).resolve().parents[1] / "eval" / "experiments" / "entailment-gate" / "run.py"


def load_script():
    spec = importlib.util.spec_from_file_location("entailment_gate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def probabilities(contra, entail):
    probs = np.zeros((len(contra), len(LABELS)))
    probs[:, LABELS.index("contradiction")] = contra
    probs[:, LABELS.index("entailment")] = entail
    probs[:, LABELS.index("neutral")] = 1 - np.asarray(contra) - np.asarray(entail)
    return probs


def test_the_gate_holds_back_pairs_that_read_more_as_entailment():
    gate = load_script()
    rng = np.random.default_rng(3)
    gold = rng.random(400) < 0.3
    contra = np.where(gold, rng.uniform(0.35, 0.9, 400), rng.uniform(0.0, 0.3, 400))
    # a fifth of the pairs give entailment the rest of the mass: above contradiction where it is below 0.5
    entail = np.where(rng.random(400) < 0.2, 0.99 - contra, rng.uniform(0.0, 0.05, 400))
    probs = probabilities(contra, entail)
    plain = gate.cross_fit(probs, gold, use_gate=False, folds=5, seed=0)
    gated = gate.cross_fit(probs, gold, use_gate=True, folds=5, seed=0)
    assert len(plain["thresholds"]) == len(gated["thresholds"]) == 5
    assert not gated["flags"][contra < entail].any()
    assert plain["flags"][contra < entail].any()
    assert 0.0 < gated["f1"] <= 1.0 and 0.0 < plain["f1"] <= 1.0


def test_recorded_predictions_are_rescored_with_the_gate(tmp_path):
    gate = load_script()
    rows = [
        {"gold": "contradiction", "flagged": True, "probabilities": {"entailment": 0.1, "neutral": 0.1, "contradiction": 0.8}},
        {"gold": "entailment", "flagged": True, "probabilities": {"entailment": 0.5, "neutral": 0.1, "contradiction": 0.4}},
        {"gold": "contradiction", "flagged": False, "probabilities": {"entailment": 0.6, "neutral": 0.2, "contradiction": 0.2}},
    ]
    (tmp_path / "predictions-toy.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "predictions-news.jsonl").write_text(json.dumps({"id": "set", "findings": []}) + "\n")
    out = gate.f1_with_gate(tmp_path)
    assert list(out) == ["toy"]  # pipeline predictions hold no pair probabilities
    assert out["toy"]["threshold"] == {"f1": 0.5, "flagged": 2}
    assert out["toy"]["threshold + gate"] == {"f1": round(2 / 3, 4), "flagged": 1}
