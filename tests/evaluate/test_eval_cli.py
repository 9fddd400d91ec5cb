import json
import shlex
import sys

import click
import pytest
import typer
from typer.testing import CliRunner

from contradict.cli.eval_cmd import app

runner = CliRunner()


def test_every_option_has_help():
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"


def test_report_prints_a_comparison(tmp_path):
    record = {"model": {"id": "m", "hash": "sha256:x"}, "git_commit": None, "date": "2026-01-01",
              "config": {"limit": None}, "throughput": {"pairs_per_second": 10.0},
              "tasks": {"snli_test": {"kind": "pairs", "n": 3, "dataset": {"sha256": "a"},
                                      "metrics": {"accuracy": 0.5}, "metrics_calibrated": None}}}
    (tmp_path / "results.json").write_text(json.dumps(record))
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "| snli_test | 0.500 |" in result.stdout

    out = tmp_path / "cmp.md"
    assert runner.invoke(app, ["report", str(tmp_path), "--output", str(out)]).exit_code == 0
    assert "snli_test" in out.read_text()
    for bad in (tmp_path / "missing" / "cmp.md", tmp_path):
        result = runner.invoke(app, ["report", str(tmp_path), "--output", str(bad)])
        assert result.exit_code == 2 and "cannot write to" in result.output and "Traceback" not in result.output


def test_report_on_a_folder_without_runs(tmp_path):
    result = runner.invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2
    assert "no results.json" in result.stderr


def test_run_with_an_unknown_task(tmp_path):
    result = runner.invoke(app, ["run", "--task", "no_such_task", "--tasks-dir", str(tmp_path), "-m", "x",
                                 "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "unknown task 'no_such_task'" in result.stderr


@pytest.mark.slow
def test_run_with_the_tiny_model(tmp_path, tiny_nli_model, monkeypatch):
    data = tmp_path / "pairs.jsonl"
    labels = ["entailment", "neutral", "contradiction", "contradiction"]
    data.write_text("".join(json.dumps({"id": str(i), "premise": f"the man is {i}", "hypothesis": "a dog",
                                        "label": lab}) + "\n" for i, lab in enumerate(labels)))
    out = tmp_path / "run"
    args = ["run", "-m", str(tiny_nli_model), "-t", str(data), "--dev-task", str(data),
            "--output", str(out), "--no-plots", "--no-progress", "--max-length", "32"]
    monkeypatch.setattr(sys, "argv", ["/venv/bin/contradict", "eval", *args])  # as the shell started it
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "| pairs (dev) | 4 |" in result.stdout
    record = json.loads((out / "results.json").read_text())
    assert record["command"] == shlex.join(["contradict", "eval", *args])
    assert f"- command: `{record['command']}`" in result.stdout
    assert record["tasks"]["pairs"]["fitted_on_this_task"] is True
    assert record["model"]["hash"].startswith("sha256:")


def test_run_without_the_data_folder_says_where_it_looked_and_how_to_name_it(tmp_path, monkeypatch):
    tasks = tmp_path / "tasks"
    tasks.mkdir()
    (tasks / "t.toml").write_text('data = "news/pairs.jsonl"\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    monkeypatch.delenv("CONTRADICT_DATA_DIR", raising=False)
    common = ["run", "-t", "t", "--tasks-dir", str(tasks), "-m", "x", "--output", str(tmp_path / "out")]
    result = runner.invoke(app, common)
    assert result.exit_code == 2 and "Traceback" not in result.output
    message = " ".join(result.stderr.split())
    assert f"data folder not found: looked in {tmp_path / 'shared' / 'data'}" in message
    assert f"the default ../shared/data, taken from the current folder {tmp_path / 'elsewhere'}" in message
    assert "pass --data-dir DIR or set CONTRADICT_DATA_DIR=DIR" in message
    result = runner.invoke(app, [*common, "--data-dir", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert f"looked in {tmp_path / 'nope'} (given by --data-dir)" in " ".join(result.stderr.split())


@pytest.mark.parametrize(("extra", "refusal"), [
    (["-m", "x", "--limit", "2"], "--save-limited"),
    (["-m", "contradict-nli-minilm"], "--overwrite-shipped"),
])
def test_save_decision_refusals_exit_2_before_any_model_loads(tmp_path, extra, refusal):
    data = tmp_path / "pairs.jsonl"
    labels = ["entailment", "contradiction", "neutral", "contradiction"]
    data.write_text("".join(json.dumps({"id": str(i), "premise": f"p {i}", "hypothesis": "h", "label": lab}) + "\n"
                            for i, lab in enumerate(labels)))
    result = runner.invoke(app, ["run", "-t", str(data), "--dev-task", str(data), "--save-decision",
                                 "--output", str(tmp_path / "out"), "--no-progress", *extra])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert refusal in result.stderr and "loading" not in result.output
