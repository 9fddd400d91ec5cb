"""Confidence bands: the band rule, --min-band parsing and the measurement script (eval/bands.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from contradict import bands
from contradict.bands import BANDS, STRONG_MIN_P, at_least, band, keep_at_least, parse_band
from contradict.errors import ConfigError

EVAL = Path(__file__).resolve().parents[1] / "eval"


def test_the_band_follows_the_calibrated_probability_for_the_model_alone():
    assert band(STRONG_MIN_P, ("model",)) == "strong"
    assert band(0.99, ("model",)) == "strong"
    assert band(STRONG_MIN_P - 0.001, ("model",)) == "possible"
    assert band(0.44, ("model",)) == "possible"


@pytest.mark.parametrize("check", ["negation", "numbers", "agents"])
def test_a_rule_check_makes_a_finding_strong_whatever_its_probability(check):
    assert band(0.2, (check,)) == "strong"
    assert band(0.45, ("model", check)) == "strong"


def test_band_names_parse_in_any_case_and_unknown_ones_are_refused():
    assert parse_band(" Strong ") == "strong" and parse_band(None) is None
    with pytest.raises(ConfigError, match="unknown band 'sure'; expected one of strong, possible"):
        parse_band("sure")


def test_at_least_orders_the_bands_from_strong_down():
    assert BANDS[0] == "strong"
    assert at_least("strong", "possible") and at_least("possible", "possible") and at_least("possible", None)
    assert not at_least("possible", "strong")


def test_keep_at_least_counts_what_it_leaves_out():
    class F:
        def __init__(self, name):
            self.band = name

    found = [F("strong"), F("possible"), F("possible")]
    kept, left_out = keep_at_least(found, "strong")
    assert [f.band for f in kept] == ["strong"] and left_out == 2
    assert keep_at_least(found, None) == (found, 0)


def test_every_band_has_a_measured_precision_and_a_legend_line():
    described = bands.bands_to_dict()
    assert list(described) == list(BANDS)
    for name in BANDS:
        right, total = bands.BAND_PRECISION[name]
        assert 0 < right <= total
        assert described[name]["precision"] == round(right / total, 3)
        assert f"{right} of {total}" in bands.describe(name)


def _eval_bands():
    if str(EVAL) not in sys.path:
        sys.path.insert(0, str(EVAL))
    import bands as eval_bands  # eval/bands.py

    return eval_bands


def _row(i, gold, p, flagged_by):
    return {"id": f"x{i}", "gold": gold, "detector": {"flagged": bool(flagged_by), "flagged_by": flagged_by,
                                                       "p_contradiction": p}}


def test_the_measurement_script_counts_findings_and_contradictions_per_band(tmp_path):
    rows = [_row(1, "contradiction", 0.65, ["model"]), _row(2, "neutral", 0.62, ["model"]),
            _row(3, "contradiction", 0.30, ["numbers"]), _row(4, "entailment", 0.50, ["model"]),
            _row(5, "contradiction", 0.45, ["model"]), _row(6, "contradiction", 0.10, [])]
    table = {r["band"]: r for r in _eval_bands().band_table(rows)}
    assert (table["strong"]["findings"], table["strong"]["contradictions"]) == (3, 2)
    assert (table["possible"]["findings"], table["possible"]["contradictions"]) == (2, 1)
    assert table["possible"]["precision"] == 0.5
    assert table["all findings"]["findings"] == 5  # the unflagged pair is no finding

    (tmp_path / "predictions-t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "results.json").write_text(json.dumps({"command": "contradict eval run -t t", "tasks": {
        "t": {"detector": {"threshold": 0.4326, "cross_fitted": True}}}}))
    record = _eval_bands().render(tmp_path, "t")
    assert "| strong | 3 | 2 | 0.667 |" in record and "threshold 0.433" in record
    assert "BAND_PRECISION differs from this table" in record


def test_the_precision_in_the_code_is_the_one_recorded_under_eval_results():
    record = (EVAL / "results" / "bands" / "news_claims_dev.md").read_text(encoding="utf-8")
    for name, (right, total) in bands.BAND_PRECISION.items():
        assert f"| {name} | {total} | {right} | {right / total:.3f} |" in record
    assert "BAND_PRECISION matches this table." in record
