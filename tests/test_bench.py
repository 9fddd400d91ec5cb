"""The benchmark scripts in eval/bench: corpus generator, summaries, and a tiny end-to-end run."""

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[1] / "eval" / "bench"


def load(name):
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus():
    return load("corpus")


@pytest.fixture(scope="module")
def bench():
    return load("run_bench")


def test_corpus_is_deterministic_multi_source_and_varied(corpus, tmp_path):
    docs = list(corpus.generate(120, seed=3))
    assert docs == list(corpus.generate(120, seed=3))
    assert docs != list(corpus.generate(120, seed=4))
    assert len(docs) == 120 and len({d["id"] for d in docs}) == 120
    assert len({d["source"] for d in docs}) >= 5
    sentences = [s for d in docs for s in d["text"].split(". ")]
    assert len(set(sentences)) > 0.6 * len(sentences)  # little verbatim repetition
    path = corpus.write_corpus(tmp_path / "c.jsonl", 7)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 7 and {"id", "source", "text"} <= set(json.loads(lines[0]))


def test_growth_exponent(bench):
    sizes = [500, 1000, 2000, 4000]
    assert bench.growth_exponent(sizes, [3 * s for s in sizes]) == pytest.approx(1.0)
    assert bench.growth_exponent(sizes, [s * s for s in sizes]) == pytest.approx(2.0)
    assert bench.growth_exponent([500], [1.0]) is None


def test_summary_ratios_agreement_and_accuracy(bench):
    results = {"st-crossencoder": {"pairs_per_second": 100.0, "peak_rss_mb": 800.0},
               "contradict-onnx-int8": {"pairs_per_second": 300.0, "peak_rss_mb": 400.0}}
    base = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8]])
    ours = np.array([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]])
    bench.summarise_pairs(results, {"st-crossencoder": base, "contradict-onnx-int8": ours},
                          ["entailment", None])
    r = results["contradict-onnx-int8"]
    assert r["speed_vs_crossencoder"] == pytest.approx(3.0) and r["rss_vs_crossencoder"] == pytest.approx(0.5)
    assert r["label_agreement_vs_crossencoder"] == pytest.approx(0.5)
    assert r["max_abs_diff_vs_crossencoder"] == pytest.approx(0.5)
    assert r["accuracy"] == 1.0 and r["accuracy_n"] == 1


@pytest.mark.slow
def test_tiny_end_to_end_run(bench, tiny_nli_model, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    rows = [{"premise": f"a man is playing {i}", "hypothesis": "a woman is sleeping", "label": "neutral"}
            for i in range(12)]
    pairs.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    record = bench.main(["--model", str(tiny_nli_model), "--pairs", str(pairs), "--sizes", "6", "12",
                         "--auto-sizes", "12", "--checks-sizes", "12", "--threads", "1", "--warmup", "2", "--max-length", "64", "--out", str(tmp_path / "out"),
                         "--name", "smoke"])
    saved = json.loads((tmp_path / "out" / "smoke.json").read_text())
    assert saved["git_commit"] == record["git_commit"] and saved["machine"]["cpu"]
    systems = saved["pairs"]["systems"]
    assert list(systems) == ["hf-pipeline", "st-crossencoder", "contradict-torch", "contradict-onnx-fp32",
                             "contradict-onnx-int8"]
    for r in systems.values():
        assert r["pairs"] == 12 and r["pairs_per_second"] > 0 and r["peak_rss_mb"] > 0
        assert r["accuracy_n"] == 12
    assert systems["contradict-torch"]["max_abs_diff_vs_crossencoder"] < 1e-4
    runs = saved["corpus"]["runs"]
    assert [r["documents"] for r in runs] == [6, 12] and all(r["claims"] > 0 for r in runs)
    (auto,) = saved["corpus"]["auto_runs"]
    assert auto["documents"] == 12 and auto["directions"] == "auto"
    assert auto["findings_sha256"] == runs[1]["findings_sha256"]  # the skip keeps the flagged pairs
    assert auto["pair_directions"] == runs[1]["pair_directions"] - auto["pairs_reverse_skipped"]
    (alone,) = saved["corpus"]["model_only_runs"]
    assert alone["documents"] == 12 and alone["checks"] == "none" and set(runs[1]["findings_by"]) >= {"model", "agents"}
    assert alone["pairs_candidates"] <= runs[1]["pairs_candidates"]  # the agent check's act pairs come on top
    md = (tmp_path / "out" / "smoke.md").read_text()
    assert "| contradict-onnx-int8 |" in md and "`--directions auto`" in md and "`--checks none`" in md


def test_train_precision_times_both_precisions_on_the_same_batches(tiny_nli_model, tmp_path):
    (tmp_path / "data" / "nli").mkdir(parents=True)
    rows = [{"premise": f"a man {i} plays in the park", "hypothesis": h, "label": label}
            for i in range(40) for h, label in (("a man plays", "entailment"), ("nobody plays", "contradiction"))]
    (tmp_path / "data" / "nli" / "snli_dev.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    recipe = tmp_path / "recipe.toml"
    recipe.write_text('name = "t"\nbatch_size = 4\nmax_length = 16\n[[nli]]\nfile = "nli/snli_dev.jsonl"\npart = "train"\n')
    record = load("train_precision").main(["--base", str(tiny_nli_model), "--data-dir", str(tmp_path / "data"),
                                           "--recipe", str(recipe), "--steps", "3", "--repeats", "1",
                                           "--out", str(tmp_path / "out")])
    runs = record["runs"]
    assert [r["precision"] for r in runs] == ["fp32", "bf16"] and all(r["pairs_per_s"] > 0 for r in runs)
    assert record["summary"]["timed_steps"] == 3 and record["summary"]["bf16_over_fp32"] > 0
    assert runs[0]["mean_loss_last_10"] != runs[1]["mean_loss_last_10"]  # bf16 rounds differently
    assert json.loads((tmp_path / "out" / "results.json").read_text())["run"]["git_commit"]
    assert "bf16" in (tmp_path / "out" / "summary.md").read_text()


def test_startup_bench_long_document_and_table(tmp_path):
    startup = load("startup")
    doc = startup.long_document(tmp_path / "long.txt", 0.02, "line", seed=0)
    text = doc.read_text(encoding="utf-8")
    assert 20_000 <= len(text) < 22_000 and "\n\n" not in text
    run = {"name": "example warm 1", "wall_seconds": 2.4, "printed_total": 2.3, "gap_seconds": 0.1, "peak_rss_mb": 330.0,
           "documents": 4, "claims": 13, "pairs_candidates": 15, "cache_hits": 38,
           "stage_seconds": {"start": 0.3, "load_spacy": 1.6, "pair": 0.4, "total": 2.3}}
    record = {"date": "2026-12-06T00:00:00", "git_commit": "abc", "versions": {"python": "3.11"},
              "machine": {"cpu": "x", "cpu_count": 2, "platform": "linux"}, "config": {"compare_options": []},
              "runs": [run], "warm_median": {"wall_seconds": 2.4, "printed_total": 2.3, "gap_seconds": 0.1, "runs": 1}}
    table = startup.markdown(record)
    assert "| example warm 1 | 2.40 | 2.30 | 0.10 | 330 |" in table and "start 0.30, load_spacy 1.60" in table
