"""The command line through Typer's CliRunner: exit codes, stdout and stderr."""

import json
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from contradict.cli.main import app

runner = CliRunner()


def invoke(*args, input=None):
    return runner.invoke(app, list(map(str, args)), input=input)


def test_every_command_and_option_has_help():
    group = typer.main.get_command(app)
    missing = []

    def walk(cmd, path):
        if not (cmd.help or getattr(cmd, "short_help", None)):
            missing.append(path)
        for p in cmd.params:
            if getattr(p, "help", None) is None and p.name not in ("help",):
                if not getattr(p, "hidden", False) and p.param_type_name == "option":
                    missing.append(f"{path} --{p.name}")
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(group, "contradict")
    assert missing == []


def all_commands():
    """Each command's path below `contradict` (the group itself first) and its click command."""
    def walk(cmd, path):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


@pytest.mark.parametrize(("path", "command"), [pytest.param(p, c, id=" ".join(["contradict", *p]))
                                               for p, c in all_commands()])
def test_help_is_readable_at_80_columns(path, command):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "…" not in result.stdout and [line for line in lines if len(line) > 80] == []
    names = ["--help"] + [name for p in command.params if not getattr(p, "hidden", False)
                          and p.param_type_name == "option" for name in (*p.opts, *p.secondary_opts)]
    words = set(result.stdout.replace(",", " ").replace("/", " ").split())
    assert [name for name in names if name not in words] == []


def test_usage_error_exits_2():
    result = invoke("compare")
    assert result.exit_code == 2


def test_missing_file_exits_2_with_message(tmp_path):
    result = invoke("compare", tmp_path / "nope.jsonl", "--model", "unused")
    assert result.exit_code == 2
    assert "nope.jsonl" in result.output and "no such file" in result.output
    assert "Traceback" not in result.output


def test_bad_json_line_exits_2_naming_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "1", "source": "A", "text": "fine"}\n{broken\n')
    result = invoke("claims", f)
    assert result.exit_code == 2
    assert f"{f}:2" in result.output and "invalid JSON" in result.output


@pytest.mark.parametrize("command", [["compare", "examples/summit"], ["score", "a", "b"]])
@pytest.mark.parametrize("where", ["missing/out.txt", "."])
def test_an_output_that_cannot_be_written_stops_before_any_work(tmp_path, command, where):
    # --model "unused" would fail to load: the output is checked first
    result = invoke(*command, "--model", "unused", "--output", tmp_path / where)
    assert result.exit_code == 2
    assert "cannot write to" in result.output and "Traceback" not in result.output


def test_a_folder_without_a_model_is_named_as_such(tmp_path):
    result = invoke("score", "a", "b", "--model", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path} is not a model checkpoint (a folder without config.json)" in " ".join(result.output.split())


def test_models_lists_the_default_and_the_model_before_it():
    from contradict.models import resolve_model

    result = invoke("models")
    assert result.exit_code == 0
    assert "* contradict-nli-minilm " in result.output and "contradict-nli-minilm-stance" in result.output
    # the model shipped before the news-chosen one stays loadable by name, for `eval` comparisons
    assert resolve_model("contradict-nli-minilm-stance").endswith("contradict-nli-minilm-stance")


@pytest.mark.slow
def test_score_prints_three_probabilities_each_way_and_the_decision(tiny_nli_model):
    result = invoke("score", "a man is sleeping", "a man is running", "--model", tiny_nli_model, "--no-cache")
    assert result.exit_code == 0, result.output
    probs = json.loads(result.stdout.strip().splitlines()[-1])
    assert list(probs) == ["entailment", "neutral", "contradiction", "b->a", "reduced", "decision"]  # no decision saved
    ab = [probs[k] for k in ("entailment", "neutral", "contradiction")]
    ba = [probs["b->a"][k] for k in ("entailment", "neutral", "contradiction")]
    assert sum(ab) == pytest.approx(1.0, abs=1e-4) and sum(ba) == pytest.approx(1.0, abs=1e-4)
    kept = max((ab, "a->b"), (ba, "b->a"), key=lambda r: r[0][2])  # the row with more contradiction, as compare
    assert probs["reduced"] == {"direction": kept[1], **dict(zip(("entailment", "neutral", "contradiction"), kept[0]))}
    decision = probs["decision"]
    assert decision["calibration"] == "none" and decision["threshold"] == 0.5 and decision["gate"] == "none"
    assert decision["p_contradiction_calibrated"] == kept[0][2]
    assert decision["flagged"] is (kept[0][2] >= 0.5)
    said = result.stderr
    assert f"a->b (premise -> hypothesis): entailment {ab[0]:.3f}, neutral {ab[1]:.3f}" in said
    assert f"b->a (hypothesis -> premise): entailment {ba[0]:.3f}" in said
    assert f"as compare keeps it): {kept[1]}" in said and "no decision saved with the model" in said
    assert ("-> flagged" if decision["flagged"] else "-> not flagged") in said


@pytest.mark.slow
def test_score_in_one_direction_leaves_b_to_a_out(tiny_nli_model):
    result = invoke("--quiet", "score", "a man is sleeping", "a man is running", "--model", tiny_nli_model,
                    "--no-cache", "--directions", "one")
    assert result.exit_code == 0, result.output
    probs = json.loads(result.stdout)
    assert probs["b->a"] is None and probs["reduced"]["direction"] == "a->b"
    assert probs["reduced"]["contradiction"] == probs["contradiction"] and result.stderr == ""


def test_score_prints_the_detectors_decision_with_its_evidence(tiny_nli_model, tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"id": "p1", "premise": "40 prisoners will be freed on friday.",
                                 "hypothesis": "25 prisoners will be freed on friday."}) + "\n"
                     + json.dumps({"id": "p2", "premise": "the man is sleeping.", "hypothesis": "the man is not sleeping."})
                     + "\n")
    result = invoke("score", "--pairs", pairs, "--model", tiny_nli_model, "--detector", "--no-cache")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.strip().splitlines())
    assert first["id"] == "p1" and "40 prisoners vs. 25 prisoners" in first["detector"]["number_conflicts"]
    assert set(first["detector"]) >= {"flagged", "flagged_by", "p_contradiction", "fired"}
    assert second["detector"]["negation"]["claim"] == "b" and second["detector"]["negation"]["kind"] == "negation"
    assert "not" not in second["detector"]["negation"]["positive"].split()
    without = invoke("score", "--pairs", pairs, "--model", tiny_nli_model, "--detector", "--checks", "none",
                     "--no-cache")
    assert all("negation" not in json.loads(line)["detector"] for line in without.stdout.strip().splitlines())


def test_an_unknown_check_is_a_usage_error(tiny_nli_model):
    for command in (["compare", "examples/summit"], ["score", "a", "b", "--detector"]):
        result = invoke(*command, "--model", tiny_nli_model, "--checks", "numbers,spelling")
        assert result.exit_code == 2 and "unknown check spelling" in result.output


@pytest.mark.parametrize("gate", ["none", "entailment"])
def test_score_adds_the_calibrated_decision_of_a_model_that_has_one(tiny_nli_model, tmp_path, gate):
    import shutil

    from contradict.decide import ContradictionDecider, save_decision

    model = tmp_path / "model"
    shutil.copytree(tiny_nli_model, model)
    # with the gate, a threshold of 0 leaves the flag to the gate alone
    decider = ContradictionDecider(calibration="none", threshold=0.0 if gate != "none" else None, gate=gate)
    save_decision(model, decider.fit([0.1, 0.9], [0, 1], p_entailment=[0.5, 0.05]))
    result = invoke("score", "a man is sleeping", "a man is running", "--model", str(model), "--no-cache")
    assert result.exit_code == 0, result.output
    probs = json.loads(result.stdout.strip().splitlines()[-1])
    assert probs["p_contradiction_calibrated"] == probs["contradiction"]  # calibration "none"
    expected = probs["contradiction"] >= (probs["entailment"] if gate != "none" else decider.decision_threshold())
    assert probs["flagged"] is expected  # a->b alone
    # the decision compare makes: on the reduced row (the direction with more contradiction)
    reduced, decision = probs["reduced"], probs["decision"]
    assert decision["threshold"] == pytest.approx(decider.decision_threshold(), abs=1e-6)
    assert decision["gate"] == gate and decision["p_contradiction_calibrated"] == reduced["contradiction"]
    reached = reduced["contradiction"] >= (reduced["entailment"] if gate != "none" else decider.decision_threshold())
    assert decision["flagged"] is reached
    assert ("entailment gate: contradiction" in result.stderr) is (gate == "entailment")


@pytest.mark.slow
def test_claims_jsonl_from_stdin():
    text = 'White House press secretary Dana Whitfield said the Russians had asked to meet.'
    result = invoke("claims", "-", "--source", "Wire", input=text)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert rows and rows[0]["speaker_canonical"] == "Dana Whitfield" and rows[0]["source"] == "White House"


def test_claims_table_shows_who_a_pronoun_or_surname_stands_for():
    text = ("White House press secretary Dana Whitfield said the Russians had asked to meet. "
            "She said the summit would go ahead.")
    result = invoke("claims", "-", "--source", "Wire", "--table", input=text)
    assert result.exit_code == 0, result.output
    assert "She → Dana Whitfield" in result.stdout


@pytest.mark.slow
def test_quiet_leaves_out_the_summary_but_not_skipped_records(tiny_nli_model, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    args = ["compare", "examples/summit", bad, "--model", tiny_nli_model, "--skip-bad", "-o", tmp_path / "r.json"]
    loud, quiet = invoke(*args), invoke("-q", *args)
    assert loud.exit_code == quiet.exit_code == 0, quiet.output
    assert "documents (1 skipped)" in loud.stderr and "documents" not in quiet.stderr
    assert f"skipped {bad}:1" in quiet.stderr  # every record stays accounted for


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html", "jsonl"])
def test_compare_on_the_example_in_every_format(tiny_nli_model, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = invoke("compare", "examples/summit", "--model", tiny_nli_model, "--format", fmt, "--output", out,
                    "--threshold", "0.0")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "documents" in result.output and "contradictions" in result.output
    if fmt == "json":
        report = json.loads(text)
        assert report["stats"]["documents_read"] == 4
        assert report["findings"] and report["stats"]["pairs_scored"] > 0
        assert report["run"]["model"]["model"] == tiny_nli_model.name  # the folder's name, not where it lies
        assert report["run"]["model"]["hash"].startswith("sha256:")
        assert report["run"]["command"].startswith("contradict")  # the command line, to repeat the run


@pytest.mark.slow
def test_fail_on_contradiction_and_skip_bad(tiny_nli_model, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    args = ["compare", "examples/summit", bad, "--model", tiny_nli_model, "--threshold", "0.0"]
    assert invoke(*args).exit_code == 2
    result = invoke(*args, "--skip-bad", "--fail-on-contradiction")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["stats"]["documents_skipped"][0]["line"] == 1
    assert f"skipped {bad}:1" in result.stderr  # the reason, for formats that do not list skipped records


@pytest.mark.slow
def test_auto_directions_keep_the_findings_of_both(tiny_nli_model):
    args = ["compare", "examples/summit", "--model", tiny_nli_model, "--threshold", "0.3", "--no-cache"]
    both = json.loads(invoke(*args).stdout)
    result = invoke(*args, "--directions", "auto")
    assert result.exit_code == 0, result.output
    auto = json.loads(result.stdout)
    ids = lambda r: sorted((f["claim_a"]["id"], f["claim_b"]["id"]) for f in r["findings"])  # noqa: E731
    assert ids(auto) == ids(both) and both["findings"]
    skipped = auto["stats"]["pairs_reverse_skipped"]
    assert skipped == sum(f["probs_ba"] is None for f in auto["findings"]) > 0
    assert auto["stats"]["pairs_scored"] == both["stats"]["pairs_scored"] - skipped


def test_log_records_follow_stderr_as_it_is_at_the_time(monkeypatch):
    """A progress bar redirects stderr while it is drawn; log lines must go through the redirect."""
    import io
    import logging

    from contradict.cli.main import _StderrHandler

    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("contradict.test-stderr")
    logger.addHandler(handler)
    try:
        swapped = io.StringIO()
        monkeypatch.setattr(sys, "stderr", swapped)
        logger.warning("above the bar")
        assert swapped.getvalue() == "above the bar\n"
    finally:
        logger.removeHandler(handler)


def test_interrupted_training_says_how_to_resume(tmp_path, monkeypatch):
    import contradict.training

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(contradict.training, "train", interrupted)
    recipe = tmp_path / "r.toml"
    recipe.write_text('name = "x"\n')
    result = invoke("train", recipe, "--data-dir", tmp_path, "-o", tmp_path / "run")
    assert result.exit_code == 130
    assert "the same command resumes" in result.stderr


def bad_folder(tmp_path):
    """A folder of one good story, a picture and a JSON Lines file with a broken line."""
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "herald.txt").write_text("Source: Herald\nThe mayor said the bridge would reopen in May.\n")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "wire.jsonl").write_text('{"source": "Wire", "text": "The mayor said the bridge was safe."}\n{broken\n')
    return folder


@pytest.mark.parametrize("command", [["claims"], ["compare", "--model", "unused"]])
def test_a_folder_with_two_bad_files_names_both_and_exits_2(tmp_path, command):
    folder = bad_folder(tmp_path)
    result = invoke(*command, folder)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert result.stderr.splitlines() == [
        "error: 2 problems in 2 inputs:",
        f"  {folder / 'photo.png'}: unsupported file type .png (read: .txt, .text, .md, .jsonl, .ndjson, .json, "
        ".csv, .tsv or none)",
        f"  {folder / 'wire.jsonl'}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)"]


def test_a_picture_alone_gets_the_message_it_gets_in_a_folder(tmp_path):
    folder = bad_folder(tmp_path)
    (folder / "wire.jsonl").unlink()
    alone, in_folder = invoke("claims", folder / "photo.png"), invoke("claims", folder)
    assert alone.exit_code == in_folder.exit_code == 2
    assert alone.stderr == in_folder.stderr == f"error: {folder / 'photo.png'}: unsupported file type .png (read: " \
        ".txt, .text, .md, .jsonl, .ndjson, .json, .csv, .tsv or none)\n"


def test_claims_skip_bad_lists_both_bad_files_and_reads_the_rest(tmp_path):
    folder = bad_folder(tmp_path)
    result = invoke("claims", folder, "--skip-bad")
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert skipped == [f"skipped {folder / 'photo.png'}: unsupported file type .png (read: .txt, .text, .md, "
                       ".jsonl, .ndjson, .json, .csv, .tsv or none)",
                       f"skipped {folder / 'wire.jsonl'}:2: invalid JSON: Expecting property name enclosed in "
                       "double quotes (column 2)"]
    docs = {json.loads(line)["doc_id"] for line in result.stdout.splitlines()}
    assert docs == {"herald", "wire:1"}


def test_a_json_array_file_is_read_as_the_help_says(tmp_path):
    f = tmp_path / "stories.json"
    f.write_text(json.dumps([{"id": "h1", "source": "Herald", "text": "The mayor said the bridge would reopen."},
                             {"id": "w1", "source": "Wire", "text": "The mayor said the bridge was unsafe."}]))
    result = invoke("claims", f)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == ["h1", "w1"]
    for command in ("claims", "compare"):  # the help of the inputs says so
        inputs = next(p for p in typer.main.get_command(app).commands[command].params if p.name == "inputs")
        assert ".json: a JSON array of documents or a single document, or else JSON Lines" in inputs.help


@pytest.mark.slow
def test_compare_skip_bad_accounts_for_both_bad_files_in_the_report(tiny_nli_model, tmp_path):
    folder = bad_folder(tmp_path)
    result = invoke("compare", folder, "--model", tiny_nli_model, "--skip-bad")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # the report is for sharing: a file outside the working folder is named without its local folder
    assert [(s["path"], s["line"]) for s in report["stats"]["documents_skipped"]] == [
        ("photo.png", None), ("wire.jsonl", 2)]
    assert report["stats"]["documents_read"] == 2
    assert f"skipped {folder / 'photo.png'}: unsupported file type .png" in result.stderr


def test_an_unknown_min_band_is_a_usage_error():
    result = invoke("compare", "examples/summit", "--min-band", "sure")
    assert result.exit_code == 2
    assert "unknown band 'sure'; expected one of strong, possible" in result.output


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


@pytest.mark.slow
def test_reports_hold_no_local_path(tiny_nli_model, tmp_path):
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    out = tmp_path / "report.json"
    result = invoke("compare", repo / "examples" / "summit", "--model", tiny_nli_model, "--output", out,
                    "--threshold", "0.0", "--cache-path", tmp_path / "scores.sqlite3")
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["findings"] and report["documents"][0]["path"].startswith("examples/summit/")
    leaks = (str(repo), str(Path.home()), str(tmp_path), str(tiny_nli_model), sys.executable)
    for text in _strings(report):
        assert not text.startswith("/"), text
        assert not any(leak in text for leak in leaks), text
    assert report["run"]["model"]["cache"] == "scores.sqlite3"
    for fmt in ("md", "html", "csv"):
        page = tmp_path / f"report.{fmt}"
        assert invoke("compare", repo / "examples" / "summit", "--model", tiny_nli_model, "--format", fmt,
                      "--output", page, "--threshold", "0.0", "--cache-path", tmp_path / "scores.sqlite3"
                      ).exit_code == 0
        text = page.read_text(encoding="utf-8")
        assert not any(leak in text for leak in leaks), fmt
