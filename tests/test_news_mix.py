"""The data-mix study's table script (eval/experiments/news-mix/table.py) on made-up run records."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "eval" / "experiments" / "news-mix" / "table.py"


def record(news_ap, snli, groups):
    tasks = {"news_claims_dev": {"metrics": {"contradiction_ap": news_ap, "accuracy": 0.5}, "by_group": groups},
             "snli_test": {"metrics": {"accuracy": snli}}}
    return {"tasks": tasks, "model": {"hash": "sha256:x"}}


def test_the_table_sorts_by_news_ap_and_summarises_seeds(tmp_path, monkeypatch, capsys):
    results, runs = tmp_path / "results", tmp_path / "runs"
    groups = {"blame": {"contradiction_recall": 0.25, "accuracy": 0.5},
              "hard_neutral": {"contradiction_recall": None, "accuracy": 0.75}}
    for config, ap, snli in (("b", 0.50, 0.76), ("b-seed14", 0.54, 0.74), ("a", 0.60, 0.70)):
        (results / config).mkdir(parents=True)
        (results / config / "results.json").write_text(json.dumps(record(ap, snli, groups)))
    (runs / "mix-a").mkdir(parents=True)
    (runs / "mix-a" / "trainer_state.json").write_text(json.dumps({"best_step": 30, "total_steps": 40}))
    (runs / "mix-times.txt").write_text("a: 120 s\nb: 600 s\n")
    spec = importlib.util.spec_from_file_location("news_mix_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(sys, "argv", ["table.py", "--results", str(results), "--runs", str(runs)])
    module.main()
    table = (results / "study.md").read_text()
    rows = [line for line in table.splitlines() if line.startswith("| a ") or line.startswith("| b")]
    assert [r.split(" | ")[0] for r in rows] == ["| a", "| b-seed14", "| b"]  # by news AP, highest first
    assert rows[0].startswith("| a | 40 (30) | 2 | 0.600 |") and "| 0.250 | 0.750 |" in rows[0]
    seeds = json.loads((results / "study.json").read_text())["seeds"]["b"]
    assert seeds["news AP"]["spread"] == pytest.approx(0.04) and seeds["news AP"]["mean"] == pytest.approx(0.52)
    assert seeds["news AP"]["seeds"] == 2 and "a" not in json.loads((results / "study.json").read_text())["seeds"]
