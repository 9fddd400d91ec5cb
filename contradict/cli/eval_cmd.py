"""`contradict eval`: evaluate NLI models on labelled tasks (`run`) and compare recorded runs (`report`)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import ContradictError
from ..detect import CHECKS
from .common import APP_SETTINGS, Backend, ChecksOpt, command_line, fail

app = typer.Typer(**APP_SETTINGS)


class Decision(str, Enum):
    model = "model"
    detector = "detector"


class Calibration(str, Enum):
    platt = "platt"
    isotonic = "isotonic"
    none = "none"


@app.command()
def run(
    tasks: Annotated[list[str], typer.Option(
        "--task", "-t", help="Task to evaluate (repeatable): a name from eval/tasks/, a task TOML file, or a "
                             "JSONL/CSV/TSV file with premise, hypothesis and label.")],
    models: Annotated[Optional[list[str]], typer.Option(
        "--model", "-m", help="Model to evaluate (repeatable): registry name, checkpoint folder or hub id. "
                              "Default: the shipped model.")] = None,
    dev_task: Annotated[Optional[str], typer.Option(
        "--dev-task", help="Task on which calibration and the decision threshold are fitted; the other tasks "
                           "are then also reported calibrated.")] = None,
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Run folder for results.json, predictions, plots and summary.md.")] = Path("runs/eval"),
    limit: Annotated[Optional[int], typer.Option(
        "--limit", help="At most this many examples per task (a seeded sample), for smoke runs.", min=1)] = None,
    calibration: Annotated[Calibration, typer.Option(
        "--calibration", help="How the dev task calibrates the contradiction probability.")] = Calibration.platt,
    seed: Annotated[int, typer.Option("--seed", help="Seed for --limit sampling and any randomness.")] = 0,
    data_dir: Annotated[Optional[Path], typer.Option(
        "--data-dir", envvar="CONTRADICT_DATA_DIR",
        help="Folder that task data paths are relative to (default: ../shared/data).")] = None,
    tasks_dir: Annotated[Optional[Path], typer.Option(
        "--tasks-dir", envvar="CONTRADICT_TASKS_DIR", help="Folder of task TOML files (default: eval/tasks).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Pairs per forward pass.", min=1)] = 32,
    max_length: Annotated[int, typer.Option(
        "--max-length", help="Tokens per pair; longer pairs are truncated and counted.", min=16)] = 256,
    threads: Annotated[Optional[int], typer.Option(
        "--threads", help="CPU threads for inference (default: torch's choice).", min=1)] = None,
    backend: Annotated[Backend, typer.Option(
        "--backend", help="Inference engine: torch, or onnx (ONNX Runtime, exported once into the user cache "
                          "directory).")] = Backend.torch,
    quantize: Annotated[bool, typer.Option(
        "--quantize/--no-quantize", help="With --backend onnx: int8 weights. Ignored with torch.")] = True,
    save_decision: Annotated[bool, typer.Option(
        "--save-decision", help="Store the calibration and threshold fitted on --dev-task in each local model "
                                "folder's contradict.json.")] = False,
    save_limited: Annotated[bool, typer.Option(
        "--save-limited", help="With --save-decision: save it even when --limit cut the dev pairs.")] = False,
    overwrite_shipped: Annotated[bool, typer.Option(
        "--overwrite-shipped", help="With --save-decision: write into a model shipped with contradict.")] = False,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write PR, ROC, reliability and confusion "
                                                                   "plots (PNG).")] = True,
    decision: Annotated[Decision, typer.Option(
        "--decision", help="model: the model's probabilities (one direction). detector: also the whole decision "
                           "`compare` makes on each labelled pair (both directions, the model's saved threshold, "
                           "the --checks), with precision, recall and F1 stage by stage.")] = Decision.model,
    checks: ChecksOpt = ",".join(CHECKS),
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Progress on stderr.")] = True,
) -> None:
    """Evaluate models on tasks; print the summary and write the run records under --output."""
    from ..evaluate.runs import SUMMARY_FILE, default_scorer_factory, run_eval

    try:
        if not models:
            from ..models import default_model

            models = [default_model()]
        factory = default_scorer_factory(max_length=max_length, batch_size=batch_size, num_threads=threads,
                                         backend=backend.value, quantize=quantize and backend is Backend.onnx)
        run_eval(models, tasks, dev_task=dev_task, limit=limit, output_dir=output, batch_size=batch_size,
                 seed=seed, calibration=calibration.value, data_dir=data_dir, tasks_dir=tasks_dir,
                 scorer_factory=factory, save_decision_to_model=save_decision, save_limited=save_limited,
                 overwrite_shipped=overwrite_shipped, plots=plots,
                 show_progress=progress, command=command_line(), pipeline_options={"checks": checks},
                 decision=decision.value, checks=checks)
    except ContradictError as exc:
        raise fail(exc) from None
    typer.echo((output / SUMMARY_FILE).read_text(encoding="utf-8"))


@app.command()
def report(
    runs: Annotated[list[Path], typer.Argument(help="Run folders (or results.json files) to compare.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the Markdown table here "
                                                                          "instead of stdout.")] = None,
) -> None:
    """Compare recorded runs: one column per run, one table per metric."""
    from ..evaluate.runs import compare_runs
    from ..report import check_output, write_output

    try:
        check_output(output)
        write_output(compare_runs(runs) + "\n", output)
    except ContradictError as exc:
        raise fail(exc) from None
