import json
from pathlib import Path

import numpy as np
import pytest

from contradict.decide import ContradictionDecider
from contradict.errors import ConfigError, InputError, ModelError
from contradict.evaluate.runs import compare_runs, run_eval
from contradict.types import Report, Stats

E, N, C = "entailment", "neutral", "contradiction"
# The same hand-checked case as test_metrics: accuracy .5, contradiction AUC 6.5/8.
ROWS = [([0.7, 0.2, 0.1], E), ([0.2, 0.5, 0.3], N), ([0.1, 0.2, 0.7], C),
        ([0.3, 0.4, 0.3], C), ([0.2, 0.2, 0.6], E), ([0.6, 0.3, 0.1], N)]
DEV = [([0.1, 0.1, 0.8], C), ([0.2, 0.2, 0.6], C), ([0.3, 0.3, 0.4], E), ([0.5, 0.4, 0.1], N),
       ([0.2, 0.3, 0.5], N), ([0.1, 0.3, 0.6], C), ([0.6, 0.2, 0.2], E), ([0.4, 0.3, 0.3], C)]
NEWS_PAIRS = Path(__file__).resolve().parents[2] / "eval" / "pipeline" / "news_pairs.jsonl"


class FakeScorer:
    """Returns the row stored for each hypothesis; uniform rows for anything else."""

    def __init__(self, table: dict[str, list[float]], name: str = "fake"):
        self.table = table
        self.model_id = name
        self.model_hash = f"sha256:{name}"
        self.truncated = 0
        self.metadata: dict = {}
        self.calls = 0

    def score(self, pairs, *, batch_size=None, show_progress=False):
        self.calls += 1
        return np.array([self.table.get(h, [1 / 3, 1 / 3, 1 / 3]) for _, h in pairs], dtype=float).reshape(-1, 3)


@pytest.fixture
def files(tmp_path):
    table: dict[str, list[float]] = {}

    def write(name, rows, prefix):
        with (tmp_path / name).open("w") as fh:
            for i, (probs, label) in enumerate(rows):
                hyp = f"{prefix} hypothesis {i}"
                table[hyp] = probs
                fh.write(json.dumps({"id": f"{prefix}{i}", "premise": f"{prefix} premise {i}", "hypothesis": hyp,
                                     "label": label}) + "\n")
        return str(tmp_path / name)

    paths = {"test": write("test.jsonl", ROWS, "t"), "dev": write("dev.jsonl", DEV, "d"),
             "rte": write("rte.jsonl", [([0.6, 0.3, 0.1], "entailment"), ([0.4, 0.3, 0.3], "not_entailment")], "r")}
    return paths, table


def test_results_record(tmp_path, files):
    paths, table = files
    out = tmp_path / "run"
    scorer = FakeScorer(table)
    records = run_eval(["fake-model"], [paths["test"], paths["rte"]], dev_task=paths["dev"], output_dir=out,
                       scorer_factory=lambda m: scorer, show_progress=False)
    record = json.loads((out / "results.json").read_text())
    assert record == json.loads(json.dumps(records[0]))
    assert {"tasks", "config", "model", "seed", "git_commit", "versions", "machine", "date", "throughput", "dev",
            "decision"} <= set(record)
    assert record["model"]["hash"] == "sha256:fake" and record["model"]["name"] == "fake-model"
    assert set(record["versions"]) >= {"python", "torch", "transformers", "datasets", "scikit-learn"}
    assert record["machine"]["cpu_count"] and record["machine"]["platform"]
    assert record["config"]["dev_task"] == "dev" and record["config"]["calibration"] == "platt"
    assert record["throughput"]["pairs"] == 8 + 6 + 2

    t = record["tasks"]["test"]
    assert t["n"] == 6
    assert t["metrics"]["accuracy"] == pytest.approx(0.5)
    assert t["metrics"]["contradiction_auc"] == pytest.approx(6.5 / 8)
    assert t["dataset"]["rows"] == 6 and len(t["dataset"]["files"][0]["sha256"]) == 64
    assert t["fitted_on_this_task"] is False

    decider = ContradictionDecider.from_dict(record["decision"])
    assert decider.calibration == "platt" and decider.fitted
    cal = t["metrics_calibrated"]
    assert cal["threshold"] == pytest.approx(decider.threshold_)
    flagged = decider.predict(np.array([r[0][2] for r in ROWS]))
    assert cal["flagged"] == int(flagged.sum())
    assert {"contradiction_precision", "contradiction_recall", "contradiction_f1", "ece", "brier"} <= set(cal)

    assert record["tasks"]["rte"]["metrics_calibrated"] is None
    assert record["tasks"]["rte"]["metrics"]["not_entailment_auc"] == pytest.approx(1.0)

    lines = [json.loads(x) for x in (out / "predictions-test.jsonl").read_text().splitlines()]
    assert len(lines) == 6
    assert lines[2] == {"id": "t2", "gold": C, "probabilities": {E: 0.1, N: 0.2, C: 0.7}, "prediction": C,
                        "p_contradiction": 0.7, "p_contradiction_calibrated": lines[2]["p_contradiction_calibrated"],
                        "flagged": lines[2]["flagged"]}
    for task in ("test", "rte"):
        for kind in ("pr", "roc", "reliability", "confusion"):
            png = out / "plots" / f"{task}-{kind}.png"
            assert png.read_bytes()[:4] == b"\x89PNG"
    summary = (out / "summary.md").read_text()
    assert "| test | 6 | 0.500 |" in summary and "platt calibration" in summary


def test_no_dev_task_means_no_calibrated_metrics(tmp_path, files):
    paths, table = files
    run_eval(["m"], [paths["test"]], output_dir=tmp_path / "r", scorer_factory=lambda m: FakeScorer(table),
             plots=False, show_progress=False)
    record = json.loads((tmp_path / "r" / "results.json").read_text())
    assert record["decision"] is None and record["dev"] is None
    assert record["tasks"]["test"]["metrics_calibrated"] is None
    assert not (tmp_path / "r" / "plots").exists()


def test_several_models_and_compare_runs(tmp_path, files):
    paths, table = files
    out = tmp_path / "multi"
    made = []

    def factory(model):
        made.append(model)
        return FakeScorer(table, name=model.rsplit("/", 1)[-1])

    run_eval(["org/alpha", "beta"], [paths["test"]], output_dir=out, scorer_factory=factory, plots=False,
             show_progress=False)
    assert made == ["org/alpha", "beta"]
    assert (out / "org__alpha" / "results.json").is_file() and (out / "beta" / "results.json").is_file()
    top = (out / "summary.md").read_text()
    assert "`org__alpha/`" in top and "| test | 0.500 | 0.500 |" in top

    # A smaller run of the same task is marked as not comparable.
    run_eval(["gamma"], [paths["test"]], output_dir=tmp_path / "small", limit=3, scorer_factory=factory,
             plots=False, show_progress=False)
    text = compare_runs([out, tmp_path / "small" / "results.json"])
    assert "| #3 |" in text and "gamma" in text and "alpha" in text
    assert "## accuracy" in text
    assert " †" in text and "not comparable" in text


def test_limit_samples_examples(tmp_path, files):
    paths, table = files
    rec = run_eval(["m"], [paths["test"]], limit=4, seed=3, output_dir=tmp_path / "r",
                   scorer_factory=lambda m: FakeScorer(table), plots=False, show_progress=False)[0]
    assert rec["tasks"]["test"]["n"] == 4 and rec["tasks"]["test"]["dataset"]["rows"] == 6
    assert len((tmp_path / "r" / "predictions-test.jsonl").read_text().splitlines()) == 4


def test_pipeline_task_in_a_run(tmp_path, files):
    _, table = files

    def fake_compare(documents, *, scorer):
        return Report(findings=[], stats=Stats(), run={})

    rec = run_eval(["m"], [str(NEWS_PAIRS)], output_dir=tmp_path / "p", scorer_factory=lambda m: FakeScorer(table),
                   compare=fake_compare, limit=3, show_progress=False)[0]
    t = rec["tasks"]["news_pairs"]
    assert t["kind"] == "pipeline" and t["n"] == 3
    assert t["metrics"]["flagged"] == 0 and t["metrics"]["recall"] == 0.0
    assert len((tmp_path / "p" / "predictions-news_pairs.jsonl").read_text().splitlines()) == 3
    assert "pipeline task" in (tmp_path / "p" / "summary.md").read_text()


@pytest.fixture
def save_run(tmp_path, files):
    """run_eval with --save-decision into a local model folder (a FakeScorer's path), dev task "dev"."""
    paths, table = files
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    scorer = FakeScorer(table)
    scorer.path = model_dir

    def run(**kw):
        return run_eval([str(model_dir)], [paths["test"]], dev_task=paths["dev"], output_dir=tmp_path / "r",
                        scorer_factory=lambda m: scorer, save_decision_to_model=True, plots=False,
                        show_progress=False, **kw)

    return run, model_dir, scorer


def test_save_decision_into_a_local_model_dir(save_run):
    run, model_dir, _ = save_run
    run(calibration="isotonic")
    meta = json.loads((model_dir / "contradict.json").read_text())
    assert meta["decision"]["calibration"] == "isotonic"
    assert meta["decision_fitted_on"] == ["dev"]


def test_without_a_dev_task_the_models_saved_decision_gives_f1_at_its_threshold(tmp_path, files):
    paths, table = files
    saved = ContradictionDecider(calibration="none").fit([0.2, 0.3, 0.6, 0.8], [0, 0, 1, 1])
    scorer = FakeScorer(table)
    scorer.metadata = {"decision": saved.to_dict(), "decision_fitted_on": ["test"]}
    record = run_eval(["m"], [paths["test"], paths["dev"]], output_dir=tmp_path / "r", scorer_factory=lambda m: scorer,
                      plots=False, show_progress=False)[0]
    assert record["dev"] is None and record["decision_source"] == "model"
    assert record["decision_fitted_on"] == ["test"]
    test, dev = record["tasks"]["test"], record["tasks"]["dev"]
    assert test["metrics_calibrated"]["threshold"] == pytest.approx(saved.threshold_)
    flagged = np.array([r[0][2] for r in ROWS]) >= saved.threshold_  # calibration "none": p itself
    gold = np.array([label == C for _, label in ROWS])
    assert test["metrics_calibrated"]["flagged"] == int(flagged.sum())
    assert test["metrics_calibrated"]["contradiction_recall"] == pytest.approx((flagged & gold).sum() / gold.sum())
    assert test["fitted_on_this_task"] is True and dev["fitted_on_this_task"] is False
    summary = (tmp_path / "r" / "summary.md").read_text()
    assert "thr from the model's saved decision" in summary
    f1 = test["metrics_calibrated"]["contradiction_f1"]
    assert f"| test (dev) | 6 |" in summary and f"| {f1:.3f} |" in summary


def test_save_decision_is_refused_for_a_limited_dev_run_unless_asked_for(save_run):
    run, model_dir, scorer = save_run
    with pytest.raises(ConfigError, match=r"fitted on 6 of the 8 pairs of dev \(--limit 6\).*--save-limited"):
        run(limit=6)
    assert scorer.calls == 0 and not (model_dir / "contradict.json").exists()
    run(limit=6, save_limited=True)
    assert json.loads((model_dir / "contradict.json").read_text())["decision"]["n_fit_"] == 6
    run(limit=8)  # a limit that leaves every dev pair is no limit
    assert json.loads((model_dir / "contradict.json").read_text())["decision"]["n_fit_"] == 8


def test_save_decision_needs_a_dev_task(tmp_path, files):
    paths, table = files
    with pytest.raises(ConfigError, match="give --dev-task too"):
        run_eval(["m"], [paths["test"]], output_dir=tmp_path / "r", scorer_factory=lambda m: FakeScorer(table),
                 save_decision_to_model=True, show_progress=False)


def test_save_decision_into_a_shipped_model_is_refused_unless_forced(tmp_path, files, monkeypatch):
    import shutil

    from contradict import models

    paths, table = files
    shipped = tmp_path / "models"
    (shipped / "mine").mkdir(parents=True)
    (shipped / "registry.toml").write_text('default = "mine"\n[models.mine]\npath = "mine"\n')
    shutil.copy(models.resolve_model(None) + "/config.json", shipped / "mine" / "config.json")
    monkeypatch.setattr(models, "_CANDIDATES", (shipped,))
    models.registry.cache_clear()
    loaded = []

    def factory(model):
        loaded.append(model)
        scorer = FakeScorer(table)
        scorer.path = shipped / "mine"
        return scorer

    try:
        for name in ("mine", str(shipped / "mine")):
            with pytest.raises(ConfigError, match=r"overwrite the decision shipped with the model in .*mine.*"
                                                  r"--overwrite-shipped"):
                run_eval([name], [paths["test"]], dev_task=paths["dev"], output_dir=tmp_path / "r",
                         scorer_factory=factory, save_decision_to_model=True, plots=False, show_progress=False)
        assert loaded == [] and not (shipped / "mine" / "contradict.json").exists()
        run_eval(["mine"], [paths["test"]], dev_task=paths["dev"], output_dir=tmp_path / "r", scorer_factory=factory,
                 save_decision_to_model=True, overwrite_shipped=True, plots=False, show_progress=False)
        assert json.loads((shipped / "mine" / "contradict.json").read_text())["decision_fitted_on"] == ["dev"]
    finally:
        models.registry.cache_clear()


def test_errors_come_before_any_model_loads(tmp_path, files):
    paths, table = files

    def factory(model):
        raise AssertionError("no model should load")

    with pytest.raises(InputError):
        run_eval(["m"], [str(tmp_path / "absent.jsonl")], output_dir=tmp_path / "x", scorer_factory=factory)
    with pytest.raises(ConfigError, match="no contradiction label"):
        run_eval(["m"], [paths["test"]], dev_task=paths["rte"], output_dir=tmp_path / "x", scorer_factory=factory)
    with pytest.raises(ConfigError, match="calibration"):
        run_eval(["m"], [paths["test"]], calibration="beta", output_dir=tmp_path / "x", scorer_factory=factory)
    with pytest.raises(ConfigError, match="unique"):
        run_eval(["m"], [paths["test"], paths["test"]], output_dir=tmp_path / "x", scorer_factory=factory)
    with pytest.raises(ConfigError, match="no model"):
        run_eval([], [paths["test"]], output_dir=tmp_path / "x", scorer_factory=factory)


def test_a_scorer_returning_the_wrong_shape(tmp_path, files):
    paths, table = files
    scorer = FakeScorer(table)
    scorer.score = lambda pairs, **kw: np.zeros((len(pairs), 2))
    with pytest.raises(ModelError, match="shape"):
        run_eval(["m"], [paths["test"]], output_dir=tmp_path / "x", scorer_factory=lambda m: scorer,
                 show_progress=False)


def test_compare_runs_errors(tmp_path):
    with pytest.raises(InputError, match="no results.json"):
        compare_runs([tmp_path])
    (tmp_path / "results.json").write_text("{}")
    with pytest.raises(InputError, match="not a run record"):
        compare_runs([tmp_path])


@pytest.mark.slow
def test_tiny_checkpoint_through_the_real_scorer(tmp_path, files, tiny_nli_model):
    paths, _ = files
    record = run_eval([str(tiny_nli_model)], [paths["test"]], dev_task=paths["dev"], output_dir=tmp_path / "r",
                      batch_size=4, plots=False, show_progress=False)[0]
    assert record["model"]["hash"].startswith("sha256:")
    t = record["tasks"]["test"]
    assert t["n"] == 6 and 0.0 <= t["metrics"]["accuracy"] <= 1.0
    assert t["pairs_per_second"] > 0
    lines = [json.loads(x) for x in (tmp_path / "r" / "predictions-test.jsonl").read_text().splitlines()]
    assert all(sum(line["probabilities"].values()) == pytest.approx(1.0, abs=1e-4) for line in lines)


def test_the_dev_mark_follows_shared_pairs_not_task_names(tmp_path, files):
    paths, table = files
    other = tmp_path / "other"
    other.mkdir()
    # a different file that happens to be called "test" like the test task: no pair shared
    same_name = other / "test.jsonl"
    same_name.write_text("".join(json.dumps({"premise": f"x{i}", "hypothesis": f"d hypothesis {i}",
                                             "label": label}) + "\n" for i, (_, label) in enumerate(DEV)))
    record = run_eval(["m"], [paths["test"]], dev_task=str(same_name), output_dir=tmp_path / "a",
                      scorer_factory=lambda m: FakeScorer(table), show_progress=False)[0]
    assert record["tasks"]["test"]["fitted_on_this_task"] is False and record["tasks"]["test"]["dev_overlap"] == 0
    # a test file holding the dev pairs among others: marked, however it is named
    superset = tmp_path / "everything.jsonl"
    superset.write_text(Path(paths["dev"]).read_text() + Path(paths["test"]).read_text())
    record = run_eval(["m"], [str(superset)], dev_task=paths["dev"], output_dir=tmp_path / "b",
                      scorer_factory=lambda m: FakeScorer(table), show_progress=False)[0]
    assert record["tasks"]["everything"]["dev_overlap"] == len(DEV)
    assert record["tasks"]["everything"]["fitted_on_this_task"] is True


def test_an_output_path_that_is_a_file_is_refused_before_scoring(tmp_path, files):
    paths, table = files
    scorer = FakeScorer(table)
    target = tmp_path / "afile"
    target.write_text("x")
    with pytest.raises(ConfigError, match="is a file, not a folder"):
        run_eval(["m"], [paths["test"]], output_dir=target, scorer_factory=lambda m: scorer, show_progress=False)
    assert scorer.calls == 0


def test_compare_runs_refuses_broken_records_and_marks_other_samples(tmp_path, files):
    paths, table = files
    broken = tmp_path / "broken"
    broken.mkdir()
    for record, field in (({"tasks": {}}, "model"), ({"tasks": [], "model": {}}, "tasks"),
                          ({"tasks": {"t": {"n": 1, "metrics": {}}}, "model": {}}, "tasks.t.dataset")):
        (broken / "results.json").write_text(json.dumps(record))
        with pytest.raises(InputError, match=f"field '{field}'"):
            compare_runs([broken])
    for seed in (0, 1):
        run_eval(["m"], [paths["test"]], limit=4, seed=seed, output_dir=tmp_path / f"s{seed}",
                 scorer_factory=lambda m: FakeScorer(table), show_progress=False)
    assert "†" in compare_runs([tmp_path / "s0", tmp_path / "s1"])
    run_eval(["m"], [paths["test"]], limit=4, seed=0, output_dir=tmp_path / "s0again",
             scorer_factory=lambda m: FakeScorer(table), show_progress=False)
    assert "†" not in compare_runs([tmp_path / "s0", tmp_path / "s0again"])


def test_a_reused_output_folder_holds_only_the_new_run(tmp_path, files):
    paths, table = files
    out = tmp_path / "run"
    run_eval(["one"], [paths["test"], paths["rte"]], output_dir=out, scorer_factory=lambda m: FakeScorer(table, m),
             show_progress=False)
    assert (out / "results.json").is_file() and (out / "predictions-rte.jsonl").is_file()
    (out / "notes.txt").write_text("mine")
    run_eval(["a", "b"], [paths["test"]], output_dir=out, scorer_factory=lambda m: FakeScorer(table, m),
             show_progress=False)
    assert not (out / "results.json").exists() and not list(out.glob("predictions-*"))
    assert not list((out / "plots").glob("*.png")) and (out / "notes.txt").read_text() == "mine"
    assert "| rte" not in compare_runs([out]) and compare_runs([out]).count("`sha256:") == 2
    run_eval(["c"], [paths["test"]], output_dir=out, scorer_factory=lambda m: FakeScorer(table, m),
             show_progress=False)
    assert not (out / "a" / "results.json").exists() and (out / "results.json").is_file()


def test_a_results_file_of_another_tool_is_left_alone(tmp_path, files):
    paths, table = files
    out = tmp_path / "run"
    (out / "elsewhere").mkdir(parents=True)
    (out / "elsewhere" / "results.json").write_text('{"accuracy": 0.9}')
    (out / "elsewhere" / "predictions-x.jsonl").write_text("{}\n")
    run_eval(["a"], [paths["test"]], output_dir=out, scorer_factory=lambda m: FakeScorer(table, m),
             show_progress=False)
    assert (out / "elsewhere" / "results.json").read_text() == '{"accuracy": 0.9}'
    assert (out / "elsewhere" / "predictions-x.jsonl").is_file()


def test_metrics_by_group_in_the_record_summary_and_predictions(tmp_path, files):
    paths, table = files
    # the ROWS of the test file, with a category each: "a" holds rows 0-2, "b" rows 3-5
    rows = [json.loads(line) for line in Path(paths["test"]).read_text().splitlines()]
    data = tmp_path / "grouped.jsonl"
    data.write_text("".join(json.dumps({**r, "category": "a" if i < 3 else "b"}) + "\n" for i, r in enumerate(rows)))
    task = tmp_path / "grouped.toml"
    task.write_text(f'data = "{data}"\ngroup_by = "category"\n')
    (record,) = run_eval(["fake"], [str(task)], dev_task=paths["dev"], output_dir=tmp_path / "run",
                         scorer_factory=lambda m: FakeScorer(table), show_progress=False)
    by_group = record["tasks"]["grouped"]["by_group"]
    # a: E->E right, N->N right, C->C right; b: C predicted N, E predicted C, N predicted E
    assert by_group["a"]["n"] == 3 and by_group["a"]["accuracy"] == 1.0
    assert by_group["a"]["contradictions"] == 1 and by_group["a"]["contradiction_recall"] == 1.0
    assert by_group["b"]["accuracy"] == 0.0 and by_group["b"]["contradiction_recall"] == 0.0
    assert set(by_group["a"]) >= {"flagged_recall", "false_alarms"}  # a dev task gives a threshold
    assert record["tasks"]["grouped"]["task"]["group_by"] == "category"
    summary = (tmp_path / "run" / "summary.md").read_text()
    assert "### grouped by category" in summary and "| a | 3 | 1.000 | 1 | 1.000 |" in summary
    predictions = [json.loads(line) for line in (tmp_path / "run" / "predictions-grouped.jsonl").open()]
    assert [p["group"] for p in predictions] == ["a", "a", "a", "b", "b", "b"]


def test_a_group_by_column_the_data_lacks_is_named(tmp_path, files):
    paths, table = files
    task = tmp_path / "grouped.toml"
    task.write_text(f'data = "{paths["test"]}"\ngroup_by = "category"\n')
    with pytest.raises(InputError, match="category"):
        run_eval(["fake"], [str(task)], output_dir=tmp_path / "run", scorer_factory=lambda m: FakeScorer(table),
                 show_progress=False)


def test_runs_compared_side_by_side_by_group(tmp_path, files):
    paths, table = files
    data = tmp_path / "grouped.jsonl"
    rows = [json.loads(line) for line in Path(paths["test"]).read_text().splitlines()]
    data.write_text("".join(json.dumps({**r, "category": "ab"[i % 2]}) + "\n" for i, r in enumerate(rows)))
    (tmp_path / "grouped.toml").write_text(f'data = "{data}"\ngroup_by = "category"\n')
    run_eval(["one", "two"], [str(tmp_path / "grouped.toml")], output_dir=tmp_path / "run",
             scorer_factory=lambda m: FakeScorer(table, m), show_progress=False)
    text = compare_runs([tmp_path / "run"])
    assert "## grouped by category: contradictions found (argmax)" in text and "## contradiction AP" in text
    assert "| a | 0.667 | 0.667 |" in text  # rows 0, 2, 4: E right, C right, E wrong (accuracy)


def test_the_detector_decision_is_evaluated_stage_by_stage(tmp_path, files):
    paths, table = files
    rows = [json.loads(line) for line in Path(paths["test"]).read_text().splitlines()]
    data = tmp_path / "grouped.jsonl"
    data.write_text("".join(json.dumps({**r, "category": "a" if i < 3 else "b"}) + "\n" for i, r in enumerate(rows)))
    (tmp_path / "grouped.toml").write_text(f'data = "{data}"\ngroup_by = "category"\n')
    # no saved decision: threshold 0.5 on the raw probability; rows 2 (C, 0.7) and 4 (E, 0.6) reach it
    (record,) = run_eval(["fake"], [str(tmp_path / "grouped.toml")], output_dir=tmp_path / "run",
                         scorer_factory=lambda m: FakeScorer(table), show_progress=False, plots=False,
                         decision="detector", checks="none")
    detector = record["tasks"]["grouped"]["detector"]
    assert detector["checks"] == [] and detector["threshold"] == 0.5 and detector["saved"] is False
    assert detector["flagged"] == 2 and detector["contradictions"] == 2
    assert detector["decision_precision"] == 0.5 and detector["decision_recall"] == 0.5
    assert [s["stage"] for s in detector["stages"]] == ["model"]
    assert record["config"]["decision"] == "detector" and record["tasks"]["grouped"]["by_group_flags"] == "detector"
    assert record["tasks"]["grouped"]["by_group"]["a"]["flagged_recall"] == 1.0  # row 2
    summary = (tmp_path / "run" / "summary.md").read_text()
    assert "### grouped: the detector's decision" in summary and "| model | 2 | 2 | 1 | 0.500 | 0.500 | 0.500 |" in summary
    predictions = [json.loads(line) for line in (tmp_path / "run" / "predictions-grouped.jsonl").open()]
    assert [p["detector"]["flagged"] for p in predictions] == [False, False, True, False, True, False]
    assert predictions[2]["detector"]["flagged_by"] == ["model"]
    with pytest.raises(ConfigError, match="unknown check"):
        run_eval(["fake"], [paths["test"]], output_dir=tmp_path / "bad", scorer_factory=lambda m: FakeScorer(table),
                 show_progress=False, decision="detector", checks="colour")
    with pytest.raises(ConfigError, match="unknown decision"):
        run_eval(["fake"], [paths["test"]], output_dir=tmp_path / "bad", scorer_factory=lambda m: FakeScorer(table),
                 show_progress=False, decision="vote")


def test_the_detector_is_cross_fitted_on_the_task_its_decision_was_fitted_on(tmp_path, files):
    paths, table = files
    decider = ContradictionDecider(calibration="none", threshold=0.5).fit(np.array([0.1, 0.9]), np.array([0, 1]))

    def scorer(model):
        s = FakeScorer(table)
        s.metadata = {"decision": decider.to_dict(), "decision_fitted_on": ["dev"]}
        return s

    (record,) = run_eval(["fake"], [paths["dev"], paths["test"]], output_dir=tmp_path / "run", scorer_factory=scorer,
                         show_progress=False, plots=False, decision="detector", checks="none")
    dev, test = record["tasks"]["dev"]["detector"], record["tasks"]["test"]["detector"]
    assert dev["cross_fitted"] is True and test["cross_fitted"] is False and "in_sample" not in test
    # in sample: the saved threshold 0.5 flags rows 0, 1, 4 and 5 of DEV (0.8, 0.6, 0.5, 0.6); row 4 is neutral
    assert dev["in_sample"] == {"decision_precision": 0.75, "decision_recall": 0.75, "decision_f1": 0.75, "flagged": 4}
    assert dev["stages"][0]["flagged"] == dev["flagged"]  # the cross-fitted flags are the ones reported
    assert "so its flags here are cross-fitted (5 folds" in (tmp_path / "run" / "summary.md").read_text()


def test_an_unknown_check_is_refused_whatever_the_decision(tmp_path, files):
    paths, table = files
    with pytest.raises(ConfigError, match="unknown check"):
        run_eval(["fake"], [paths["test"]], output_dir=tmp_path / "bad", scorer_factory=lambda m: FakeScorer(table),
                 show_progress=False, checks="colour")
    assert not (tmp_path / "bad").exists()  # refused before the run folder is made
