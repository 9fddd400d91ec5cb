"""Evaluation runs: score tasks with one or more models and write a record that lets anyone trust and repeat it.

Layout of a run directory ``DIR`` (one model)::

    DIR/results.json              everything about the run (see run_eval)
    DIR/summary.md                a table of the tasks' main metrics
    DIR/predictions-TASK.jsonl    one line per example: id, gold, probabilities, prediction
    DIR/plots/TASK-{pr,roc,reliability,confusion}.png

With several models, each gets ``DIR/<model>/`` laid out as above, and ``DIR/summary.md``
tabulates models x tasks.
"""

from __future__ import annotations

import json
import logging
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..decide import CALIBRATIONS, ContradictionDecider, save_decision
from ..detect import parse_checks
from ..errors import ConfigError, ContradictError, InputError, ModelError
from ..models import resolve_model, shipped_model
from ..runinfo import run_info, sha256_file
from .metrics import calibrated_metrics, group_metrics, positive_scores, task_metrics
from .pipeline_eval import evaluate_pipeline, load_document_sets
from .tasks import Task, TaskData, load_task, load_task_data, resolve_data_dir

log = logging.getLogger(__name__)

RESULTS_FILE = "results.json"
SUMMARY_FILE = "summary.md"
RECORD_FORMAT = "contradict-eval/1"
#: What ``--decision`` evaluates: the model's probabilities, or the whole detector as well.
DECISIONS = ("model", "detector")

ScorerFactory = Callable[[str], Any]


def default_scorer_factory(*, device: str = "cpu", max_length: int = 256, batch_size: int = 32,
                           local_files_only: bool = False, num_threads: int | None = None, backend: str = "torch",
                           quantize: bool | None = None) -> ScorerFactory:
    """A factory building the project's :class:`contradict.scorer.NLIScorer` for a model name or path
    (no score cache: an evaluation times and scores every pair)."""

    def build(model: str) -> Any:
        from ..scorer import NLIScorer

        return NLIScorer(model, device=device, max_length=max_length, batch_size=batch_size,
                         local_files_only=local_files_only, num_threads=num_threads, backend=backend,
                         quantize=quantize)

    return build


# -- scoring and records ---------------------------------------------------------------------------------

def _score(scorer: Any, data: TaskData, batch_size: int, show_progress: bool) -> tuple[np.ndarray, float, int]:
    start = time.perf_counter()
    probs = np.asarray(scorer.score(data.pairs(), batch_size=batch_size, show_progress=show_progress), dtype=float)
    seconds = time.perf_counter() - start
    if probs.shape != (len(data), 3):
        raise ModelError(f"the scorer returned shape {probs.shape} for {len(data)} pairs; expected ({len(data)}, 3)")
    return probs, seconds, int(getattr(scorer, "truncated", 0) or 0)


def _round(x: float) -> float:
    return round(float(x), 6)


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _evaluate_pairs(data: TaskData, scorer: Any, decider: ContradictionDecider | None, out_dir: Path, *,
                    batch_size: int, show_progress: bool, plots: bool,
                    checks: Sequence[str] | None = None, seed: int = 0) -> dict[str, Any]:
    """Score a pair task and write its predictions; with ``checks`` (a tuple, possibly empty) the detector's
    decision is evaluated too (:mod:`.detector_eval`) and its flags are the ones reported by group."""
    probs, seconds, truncated = _score(scorer, data, batch_size, show_progress)
    scheme = data.scheme
    metrics, predicted = task_metrics(scheme, data.gold, probs, data.relatedness, data.task.relatedness_threshold)
    calibrated = None
    metrics_calibrated = None
    if decider is not None:
        got = calibrated_metrics(scheme, data.gold, probs, decider)
        if got is not None:
            metrics_calibrated, calibrated = got
    flagged = None if calibrated is None or metrics_calibrated is None \
        else calibrated >= metrics_calibrated["threshold"]
    detector = decisions = None
    if checks is not None and scheme.contradiction:
        from ..pipeline import decider_for
        from .detector_eval import cross_fitted, decision_row, detector_decisions, detector_metrics

        start = time.perf_counter()
        decisions, applied = detector_decisions(data, scorer, checks=checks, show_progress=show_progress)
        y = [g == scheme.positive for g in data.gold]
        detector = {**applied, "cross_fitted": False}
        if data.task.name in (applied["fitted_on"] or []):  # the saved threshold has seen these pairs
            in_sample = detector_metrics(decisions, y, checks)
            try:
                decisions = cross_fitted(decisions, y, decider_for(scorer, None), seed=seed)
                detector.update(cross_fitted=True, in_sample={k: in_sample[k] for k in (
                    "decision_precision", "decision_recall", "decision_f1", "flagged")})
            except ValueError as exc:  # too few pairs of a class for five folds: reported in sample, and said so
                detector["cross_fit_skipped"] = str(exc)
        detector.update(detector_metrics(decisions, y, checks), seconds=time.perf_counter() - start)
    name = data.task.name
    positive_key = "p_contradiction" if scheme.contradiction else f"p_{scheme.positive}"
    scores = positive_scores(scheme, probs)
    rows = []
    for i, example_id in enumerate(data.ids):
        row: dict[str, Any] = {
            "id": example_id, "gold": data.gold[i],
            "probabilities": {"entailment": _round(probs[i, 0]), "neutral": _round(probs[i, 1]),
                              "contradiction": _round(probs[i, 2])},
            "prediction": predicted[i], positive_key: _round(scores[i]),
        }
        if data.relatedness is not None:
            row["relatedness"] = _round(data.relatedness[i])
        if calibrated is not None and flagged is not None:
            row["p_contradiction_calibrated"] = _round(calibrated[i])
            row["flagged"] = bool(flagged[i])
        if decisions is not None:
            row["detector"] = decision_row(decisions[i])
        if data.groups is not None:
            row["group"] = data.groups[i]
        rows.append(row)
    if decisions is not None:
        flagged = np.array([d.flagged for d in decisions])
    by_group = None if data.groups is None else group_metrics(scheme, data.gold, predicted, data.groups, flagged)
    predictions = f"predictions-{name}.jsonl"
    _write_jsonl(out_dir / predictions, rows)
    written: list[str] = []
    if plots and len(data):
        from .plots import plot_task

        y_positive = np.array([g == scheme.positive for g in data.gold])
        written = [f"plots/{p}" for p in plot_task(out_dir / "plots", name, y_positive, scores, scheme.positive,
                                                    metrics["confusion_matrix"], calibrated)]
    if truncated:
        log.warning("%s: %d of %d pairs were truncated to the model's maximum length", name, truncated, len(data))
    return {
        "kind": "pairs", "n": len(data), "metrics": metrics, "metrics_calibrated": metrics_calibrated,
        "detector": detector, "by_group": by_group, "by_group_flags": "detector" if decisions is not None else
        ("dev threshold" if flagged is not None else None),
        "task": data.task.describe(),
        "dataset": data.describe(),
        "seconds": seconds, "pairs_per_second": len(data) / seconds if seconds > 0 else None,
        "truncated": truncated, "predictions": predictions, "plots": written,
    }


def _model_dir_names(models: Sequence[str]) -> list[str]:
    names: list[str] = []
    for model in models:
        path = Path(model).expanduser()
        base = path.name if path.exists() else model.replace("/", "__")
        base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "model"
        name, k = base, 2
        while name in names:
            name, k = f"{base}-{k}", k + 1
        names.append(name)
    return names


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)


def run_eval(
    models: Sequence[str],
    tasks: Sequence[Task | str],
    *,
    output_dir: str | Path,
    dev_task: Task | str | None = None,
    limit: int | None = None,
    batch_size: int = 32,
    seed: int = 0,
    calibration: str = "platt",
    data_dir: str | Path | None = None,
    tasks_dir: str | Path | None = None,
    scorer_factory: ScorerFactory | None = None,
    compare: Callable[..., Any] | None = None,
    pipeline_options: dict[str, Any] | None = None,
    save_decision_to_model: bool = False,
    save_limited: bool = False,
    overwrite_shipped: bool = False,
    plots: bool = True,
    show_progress: bool = True,
    command: str | None = None,
    decision: str = "model",
    checks: Sequence[str] | str | None = None,
) -> list[dict[str, Any]]:
    """Evaluate each model on each task and write the run records; returns one record per model.

    Parameters
    ----------
    models: model names or paths, each given to ``scorer_factory`` (default: the project's
        ``NLIScorer`` on CPU).
    tasks: task names, task files, data files or :class:`Task` objects (see :mod:`.tasks`).
    dev_task: a task with a contradiction label on which the calibrator and threshold are
        fitted (:class:`contradict.decide.ContradictionDecider`); every other task is then
        reported raw (``metrics``) and calibrated (``metrics_calibrated``, with precision,
        recall and F1 at the fitted threshold). Without it a model that carries a fitted decision
        (``contradict.json``) is reported calibrated with that one (``decision_source`` "model",
        against "dev"); without either ``metrics_calibrated`` is None.
    limit: at most this many examples (document sets, for pipeline tasks) per task, the dev task
        included, drawn by ``seed``, for smoke runs.
    calibration: "platt", "isotonic" or "none".
    compare, pipeline_options: the compare function for pipeline tasks (default
        :func:`contradict.pipeline.compare`) and keyword options passed to it. The pipeline decides
        with the model's own saved decision (or ``pipeline_options["threshold"]``), not the one
        fitted on ``dev_task``.
    save_decision_to_model: store the decider fitted on ``dev_task`` in each local model directory's
        ``contradict.json``. Refused (ConfigError, before any model loads) where ``limit`` cuts the dev
        pairs unless ``save_limited``, and for a model shipped with the package unless ``overwrite_shipped``.
    command: the command line that started the run (the CLI passes its own), recorded as given.
    decision: "model" (the model's probabilities, one direction, as above) or "detector": each pair task
        with a contradiction label is also decided as ``compare`` decides (both directions, the model's
        saved decision, the ``checks``: default all), recorded under the task's ``detector``
        (:mod:`.detector_eval`); its flags are then the ones reported by group.

    ``results.json`` holds: ``command``, ``tasks`` (name -> metrics, metrics_calibrated, n, dataset
    sha256, rows and rows dropped by reason, timing, truncation), ``dev`` and ``decision``, ``model`` (id, revision, weights
    hash), ``config``, ``seed``, ``git_commit`` (None outside git), ``versions``, ``machine``, ``date``
    and ``throughput``.
    Raises ConfigError / InputError before any model is loaded when a task cannot be read.
    """
    if not models:
        raise ConfigError("no model to evaluate")
    if not tasks:
        raise ConfigError("no task to evaluate")
    if calibration not in CALIBRATIONS:
        raise ConfigError(f"unknown calibration {calibration!r}; expected one of {', '.join(CALIBRATIONS)}")
    if limit is not None and limit < 1:
        raise ConfigError(f"limit must be at least 1, got {limit}")
    if decision not in DECISIONS:
        raise ConfigError(f"unknown decision {decision!r}; expected one of {', '.join(DECISIONS)}")
    named_checks = parse_checks(checks)  # refused before any work, whatever the decision
    detector_checks = named_checks if decision == "detector" else None
    factory = scorer_factory or default_scorer_factory(batch_size=batch_size)

    resolved = [load_task(t, data_dir=data_dir, tasks_dir=tasks_dir) for t in tasks]
    names = [t.name for t in resolved]
    if len(set(names)) != len(names):
        raise ConfigError(f"task names must be unique, got {', '.join(names)}")
    loaded: dict[str, Any] = {}
    for task in resolved:
        if task.kind == "pipeline":
            loaded[task.name] = load_document_sets(task.data[0])[:limit]
        else:
            loaded[task.name] = load_task_data(task).sample(limit, seed)
    dev_data: TaskData | None = None
    if dev_task is not None:
        dev_data = load_task_data(load_task(dev_task, data_dir=data_dir, tasks_dir=tasks_dir)).sample(limit, seed)
        if not dev_data.scheme.contradiction:
            raise ConfigError(f"dev task {dev_data.task.name} has no contradiction label (scheme "
                              f"{dev_data.scheme.name}); pick an nli, fnc or emergent task")
    if save_decision_to_model:
        _check_save_decision(models, dev_data, limit, save_limited=save_limited, overwrite_shipped=overwrite_shipped)

    out_root = Path(output_dir)
    # versions, git_commit, machine, date (contradict.runinfo): read before the earlier run's files go, so that
    # rerunning into a folder the repository tracks does not mark the commit dirty
    provenance = run_info()
    if out_root.is_dir():
        _clear_run_files(out_root, subfolders=True)
    if out_root.exists() and not out_root.is_dir():
        raise ConfigError(f"cannot write the run to {out_root}: it is a file, not a folder")
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the run folder {out_root}: {exc.strerror or exc}") from None
    dirs = [out_root] if len(models) == 1 else [out_root / n for n in _model_dir_names(models)]
    config = {
        "models": list(models), "tasks": names, "dev_task": None if dev_data is None else dev_data.task.name,
        "limit": limit, "batch_size": batch_size, "seed": seed, "calibration": calibration,
        "decision": decision, "checks": None if detector_checks is None else list(detector_checks),
        "data_dir": str(resolve_data_dir(data_dir)),
        "pipeline_options": {k: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
                             for k, v in (pipeline_options or {}).items()},
    }
    # the decision is fitted on a task's own pairs wherever the dev data shares any of them (the same
    # task, or a file that holds the dev part), whatever the tasks are called
    dev_pairs = set() if dev_data is None else set(dev_data.pairs())
    dev_overlap = {t.name: len(set(loaded[t.name].pairs()) & dev_pairs) for t in resolved if t.kind != "pipeline"}
    console = _console() if show_progress else None
    records = []
    for model, out_dir in zip(models, dirs):
        out_dir.mkdir(parents=True, exist_ok=True)
        if console:
            console.print(f"[bold]{model}[/bold]: loading")
        scorer = factory(model)
        _seed_everything(seed)
        total_pairs, total_seconds = 0, 0.0
        decider = None
        dev_record = None
        source = None
        saved_on: set[str] = set()
        if dev_data is None:
            from ..pipeline import decider_for

            saved = decider_for(scorer, None)  # the model's own decision, where it carries a fitted one
            if saved.fitted:
                decider, source = saved, "model"
                saved_on = set((getattr(scorer, "metadata", None) or {}).get("decision_fitted_on") or [])
        else:
            source = "dev"
            if console:
                console.print(f"  fitting {calibration} calibration and threshold on {dev_data.task.name} "
                              f"({len(dev_data)} pairs)")
            probs, seconds, _ = _score(scorer, dev_data, batch_size, show_progress)
            total_pairs, total_seconds = total_pairs + len(dev_data), total_seconds + seconds
            y = np.array([g == dev_data.scheme.positive for g in dev_data.gold])
            try:
                decider = ContradictionDecider(calibration=calibration).fit(positive_scores(dev_data.scheme, probs), y)
            except ValueError as exc:
                raise ConfigError(f"dev task {dev_data.task.name}: {exc}") from None
            dev_metrics, _ = task_metrics(dev_data.scheme, dev_data.gold, probs, dev_data.relatedness,
                                          dev_data.task.relatedness_threshold)
            dev_record = {"task": dev_data.task.describe(), "n": len(dev_data),
                          "dataset": dev_data.describe(),
                          "metrics": dev_metrics}
        task_records: dict[str, Any] = {}
        for task in resolved:
            if console:
                console.print(f"  {task.name}")
            data = loaded[task.name]
            if task.kind == "pipeline":
                task_records[task.name] = _evaluate_pipeline_task(task, data, scorer, compare, pipeline_options,
                                                                  out_dir)
                continue
            rec = _evaluate_pairs(data, scorer, decider, out_dir, batch_size=batch_size,
                                  show_progress=show_progress, plots=plots, checks=detector_checks, seed=seed)
            rec["dev_overlap"] = dev_overlap[task.name]
            rec["fitted_on_this_task"] = rec["dev_overlap"] > 0 or task.name in saved_on
            task_records[task.name] = rec
            total_pairs, total_seconds = total_pairs + rec["n"], total_seconds + rec["seconds"]
        record = {
            "format": RECORD_FORMAT,
            "command": command,
            "model": _describe_model(model, scorer),
            "config": config,
            "seed": seed,
            **provenance,
            "throughput": {"pairs": total_pairs, "seconds": total_seconds,
                           "pairs_per_second": total_pairs / total_seconds if total_seconds > 0 else None},
            "dev": dev_record,
            "decision": None if decider is None else decider.to_dict(),
            "decision_source": source,
            "decision_fitted_on": sorted(saved_on) if source == "model" else None,
            "tasks": task_records,
        }
        (out_dir / RESULTS_FILE).write_text(json.dumps(record, indent=2, default=_json_default) + "\n",
                                            encoding="utf-8")
        (out_dir / SUMMARY_FILE).write_text(model_summary(record), encoding="utf-8")
        if save_decision_to_model and dev_data is not None:
            path = Path(getattr(scorer, "path", model))
            if shipped_model(path) and not overwrite_shipped:  # a factory may resolve a name its own way
                raise ConfigError(_shipped_refusal(path))
            if path.is_dir():
                save_decision(path, decider, decision_fitted_on=[dev_data.task.name])  # type: ignore[union-attr]
            else:
                log.warning("%s is not a local model directory; the decision was not saved into it", model)
        records.append(record)
        if console:
            console.print(f"  wrote {out_dir / RESULTS_FILE}")
    if len(models) > 1:
        (out_root / SUMMARY_FILE).write_text(models_summary(records, [d.name for d in dirs]), encoding="utf-8")
    return records


def _check_save_decision(models: Sequence[str], dev_data: TaskData | None, limit: int | None, *,
                         save_limited: bool, overwrite_shipped: bool) -> None:
    """Refuse a --save-decision that would store nothing, a decision fitted on part of the dev pairs, or one
    written into a model shipped with the package, unless the user asked for that in so many words."""
    if dev_data is None:
        raise ConfigError("--save-decision stores the decision fitted on the dev task: give --dev-task too")
    rows = dev_data.describe().get("rows")
    if limit is not None and isinstance(rows, int) and len(dev_data) < rows and not save_limited:
        raise ConfigError(f"--save-decision: the decision would be fitted on {len(dev_data)} of the {rows} pairs "
                          f"of {dev_data.task.name} (--limit {limit}); run without --limit, or add "
                          "--save-limited to save it anyway")
    for model in models:
        try:
            path = Path(resolve_model(model))
        except ContradictError:
            continue  # the factory reports it when it loads the model
        if shipped_model(path) and not overwrite_shipped:
            raise ConfigError(_shipped_refusal(path))


def _shipped_refusal(path: Path) -> str:
    return (f"--save-decision would overwrite the decision shipped with the model in {path}; copy the folder and "
            "evaluate the copy (--model COPY), or add --overwrite-shipped to write into it anyway")


def _console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _describe_model(model: str, scorer: Any) -> dict[str, Any]:
    described = scorer.describe() if callable(getattr(scorer, "describe", None)) else {}
    return {**described, "name": model, "id": getattr(scorer, "model_id", model),
            "revision": getattr(scorer, "revision", None), "hash": getattr(scorer, "model_hash", None)}


def _evaluate_pipeline_task(task: Task, sets: list, scorer: Any, compare: Callable[..., Any] | None,
                            options: dict[str, Any] | None, out_dir: Path) -> dict[str, Any]:
    start = time.perf_counter()
    metrics, per_set = evaluate_pipeline(sets, scorer=scorer, compare=compare, **(options or {}))
    seconds = time.perf_counter() - start
    predictions = f"predictions-{task.name}.jsonl"
    _write_jsonl(out_dir / predictions, per_set)
    return {"kind": "pipeline", "n": len(sets), "metrics": metrics, "metrics_calibrated": None,
            "task": task.describe(),
            "dataset": {"sha256": sha256_file(task.data[0]), "rows": len(sets),
                        "files": [{"path": task.data[0], "sha256": sha256_file(task.data[0])}]},
            "seconds": seconds, "predictions": predictions, "plots": []}


# -- summaries and comparisons --------------------------------------------------------------------------

def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _auc(metrics: dict[str, Any]) -> Any:
    return metrics.get("contradiction_auc", metrics.get("not_entailment_auc"))


def _ap(metrics: dict[str, Any]) -> Any:
    return metrics.get("contradiction_ap", metrics.get("not_entailment_ap"))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def model_summary(record: dict[str, Any]) -> str:
    """Markdown summary of one model's run: provenance, then one row per task."""
    model, tp = record["model"], record["throughput"]
    out = [f"# Evaluation of {model['id']}\n",
           f"- model: `{model['name']}`, weights `{model.get('hash')}`, revision {_fmt(model.get('revision'))}",
           f"- date {record['date']}, commit {_fmt(record['git_commit'])}, seed {record['seed']}, "
           f"limit {_fmt(record['config']['limit'])}",
           f"- throughput: {_fmt(tp['pairs_per_second'], 1)} pairs/s over {tp['pairs']} pairs "
           f"({record['machine']['cpu']}, {record['machine']['cpu_count']} CPUs)"]
    if record.get("command"):
        out.append(f"- command: `{record['command']}`")
    left_out = [f"{name} {n} by {reason}" for name, t in record["tasks"].items()
                for reason, n in (t.get("dataset") or {}).get("dropped", {}).items() if n]
    if left_out:
        out.append(f"- rows left out by the task definitions: {', '.join(left_out)}")
    d = record["decision"]
    from_model = record.get("decision_source") == "model"
    if d and from_model:
        fitted = record.get("decision_fitted_on")
        out.append(f"- no dev task: thr from the model's saved decision ({d['calibration']} calibration, threshold "
                   f"{d['threshold_']:.3f}" + (f", fitted on {', '.join(fitted)}" if fitted else "")
                   + "), applied here to one direction without its gate (`--decision detector` applies it "
                   "as compare does)")
    elif d:
        out.append(f"- {d['calibration']} calibration and threshold {d['threshold_']:.3f} fitted on "
                   f"{record['dev']['task']['name']} ({record['dev']['n']} pairs)")
    else:
        out.append("- no dev task and no decision saved with the model: no calibration or threshold")
    out.append("")
    pair_rows, pipe_rows = [], []
    for name, t in record["tasks"].items():
        m, c = t["metrics"], t["metrics_calibrated"] or {}
        if t["kind"] == "pipeline":
            token = m.get("token") or {}
            pipe_rows.append([name, str(t["n"]), str(m["flagged"]), str(m["gold"]), _fmt(m.get("extracted_recall")),
                              _fmt(m.get("paired_recall")), _fmt(m["precision"]), _fmt(m["recall"]), _fmt(m["f1"]),
                              _fmt(token.get("f1"))])
            continue
        label = name + (" (dev)" if t.get("fitted_on_this_task") else "")
        auc = _fmt(_auc(m)) + ("" if "contradiction_auc" in m else " ¬E")
        pair_rows.append([label, str(t["n"]), _fmt(m["accuracy"]), _fmt(m["macro_f1"]), auc, _fmt(_ap(m)),
                          _fmt(m["ece"]), _fmt(c.get("ece")), _fmt(c.get("contradiction_f1")),
                          _fmt(m.get("fnc_relative_score"))])
    if pair_rows:
        out.append(_table(["task", "n", "accuracy", "macro-F1", "contra AUC", "contra AP", "ECE", "cal. ECE",
                           "F1 @ thr", "FNC rel."], pair_rows))
        out.append("contra AUC/AP: contradiction (disagree, against) vs rest; ¬E marks binary tasks, where it "
                   "is not_entailment vs entailment. ECE: 10 equal-width bins. F1 @ thr: contradiction F1 of "
                   f"calibrated p >= the {'saved' if from_model else 'dev-fitted'} threshold. (dev): the "
                   "calibration was fitted on this task.\n")
    if pipe_rows:
        out.append(_table(["pipeline task", "sets", "flagged", "gold", "extracted", "paired", "precision",
                           "recall (flagged)", "F1", "F1 (token)"], pipe_rows))
        m = next(t["metrics"] for t in record["tasks"].values() if t["kind"] == "pipeline")
        out.append(f"Pipeline tasks: a claim matches a gold claim at embedding cosine >= {_fmt(m.get('min_cosine'), 2)} "
                   f"(token: word Jaccard >= {_fmt(m.get('min_jaccard'), 2)}); extracted / paired: share of gold "
                   "contradictions whose two claims were extracted / scored as a candidate pair.\n")
        causes = [(name, t["metrics"].get("false_alarm_causes")) for name, t in record["tasks"].items()
                  if t["kind"] == "pipeline" and t["metrics"].get("false_alarm_causes")]
        for name, c in causes:
            out.append(f"{name} false alarms by cause: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in c.items())
                       + ".\n")
        for name, t in record["tasks"].items():
            by = t["metrics"].get("by_cosine") if t["kind"] == "pipeline" else None
            if by and len(by) > 1:
                out.append(f"{name} at looser matching (gold claims matched / contradictions extracted / paired / "
                           "found, precision): " + "; ".join(
                               f"cosine {c}: {_fmt(v.get('claim_recall'))} / {_fmt(v['extracted_recall'])} / "
                               f"{_fmt(v['paired_recall'])} / {_fmt(v['recall'])}, {_fmt(v['precision'])}"
                               for c, v in sorted(by.items())) + ".\n")
    for name, t in record["tasks"].items():
        if t.get("detector"):
            out.append(detector_table(name, t["detector"]))
    for name, t in record["tasks"].items():
        if t.get("by_group"):
            out.append(group_table(name, t["task"].get("group_by") or "group", t["by_group"],
                                   by_detector=t.get("by_group_flags") == "detector"))
    return "\n".join(out)


def detector_table(task: str, detector: dict[str, Any]) -> str:
    """The detector's decision on a task, stage by stage, as a Markdown section."""
    rows = [[st["stage"], str(st["flagged"]), str(st["added"]), str(st["added_contradictions"]),
             _fmt(st["decision_precision"]), _fmt(st["decision_recall"]), _fmt(st["decision_f1"])]
            for st in detector["stages"]]
    parts = ", ".join(f"{name} fires on {p['fired']} ({p['contradictions']} gold contradictions, precision "
                      f"{_fmt(p['precision'])})" for name, p in detector["parts"].items())
    fitted = detector.get("fitted_on")
    crossed = ""
    if detector.get("cross_fit_skipped"):
        crossed = (" The model's calibration and threshold were fitted on this task and could not be cross-fitted "
                   f"({detector['cross_fit_skipped']}): these figures have seen the answers.")
    if detector.get("cross_fitted"):
        m = detector["in_sample"]
        crossed = (" The model's calibration and threshold were fitted on this task, so its flags here are "
                   "cross-fitted (5 folds: each pair flagged by a decision fitted on the other four); with the "
                   f"saved threshold the detector would show precision {_fmt(m['decision_precision'])}, recall "
                   f"{_fmt(m['decision_recall'])}, F1 {_fmt(m['decision_f1'])}, which have seen the answers.")
    return (f"### {task}: the detector's decision\n\n"
            f"Both directions, {detector['calibration']} calibration, gate {detector['gate']}, threshold "
            f"{detector['threshold']:.3f}" + (f" (fitted on {', '.join(fitted)})" if fitted else "")
            + f"; checks: {', '.join(detector['checks']) or 'none'}; {detector['contradictions']} gold "
            f"contradictions.{crossed}\n\n"
            + _table(["stage", "flagged", "added", "of them contradictions", "precision", "recall", "F1"], rows)
            + f"\nEach part alone: {parts}.\n")


def group_table(task: str, column: str, by_group: dict[str, dict[str, Any]], by_detector: bool = False) -> str:
    """A task's metrics by group (its ``group_by`` column), as a Markdown section."""
    flagged = any("flagged_recall" in m for m in by_group.values())
    header = [column, "n", "accuracy", "contradictions", "found (argmax)"]
    header += [("flagged (detector)" if by_detector else "flagged @ thr"), "false alarms"] if flagged else []
    rows = []
    for group, m in by_group.items():
        row = [group, str(m["n"]), _fmt(m["accuracy"]), str(m["contradictions"]), _fmt(m["contradiction_recall"])]
        if flagged:
            row += [_fmt(m.get("flagged_recall")), _fmt(m.get("false_alarms"))]
        rows.append(row)
    how = "by the detector's decision" if by_detector else "by the calibrated threshold"
    note = ("found (argmax): share of the group's gold contradictions whose most probable label is contradiction"
            + (f"; flagged: share flagged {how}; false alarms: other pairs flagged." if flagged else "."))
    return f"### {task} by {column}\n\n" + _table(header, rows) + "\n" + note + "\n"


_COMPARED: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ("accuracy", lambda t: t["metrics"].get("accuracy")),
    ("macro-F1", lambda t: t["metrics"].get("macro_f1")),
    ("contradiction AUC", lambda t: _auc(t["metrics"])),
    ("contradiction AP", lambda t: _ap(t["metrics"])),
    ("ECE", lambda t: t["metrics"].get("ece")),
    ("calibrated F1 @ threshold", lambda t: (t.get("metrics_calibrated") or {}).get("contradiction_f1")),
    ("FNC relative score", lambda t: t["metrics"].get("fnc_relative_score")),
    ("pipeline F1", lambda t: t["metrics"].get("f1") if t.get("kind") == "pipeline" else None),
    ("pipeline: gold contradictions extracted", lambda t: t["metrics"].get("extracted_recall")
     if t.get("kind") == "pipeline" else None),
    ("pipeline: gold contradictions paired", lambda t: t["metrics"].get("paired_recall")
     if t.get("kind") == "pipeline" else None),
    ("detector precision", lambda t: (t.get("detector") or {}).get("decision_precision")),
    ("detector recall", lambda t: (t.get("detector") or {}).get("decision_recall")),
    ("detector F1", lambda t: (t.get("detector") or {}).get("decision_f1")),
]


def _metric_tables(records: list[dict[str, Any]], columns: list[str]) -> list[str]:
    tasks = list(dict.fromkeys(name for r in records for name in r["tasks"]))
    first: dict[str, tuple[str, int]] = {}
    for r in records:
        for name, t in r["tasks"].items():
            first.setdefault(name, _comparable(r, t))
    differs = False
    out = []
    for title, get in _COMPARED:
        rows = []
        for name in tasks:
            cells = []
            for r in records:
                t = r["tasks"].get(name)
                value = None if t is None else get(t)
                mark = ""
                if t is not None and _comparable(r, t) != first[name]:
                    mark, differs = " †", True
                cells.append(_fmt(value) + (mark if value is not None else ""))
            if any(c != "–" for c in cells):
                rows.append([name] + cells)
        if rows:
            out.append(f"## {title}\n\n" + _table(["task"] + columns, rows))
    for name in tasks:
        grouped = [(r["tasks"].get(name) or {}).get("by_group") for r in records]
        groups = list(dict.fromkeys(g for by in grouped if by for g in by))
        if not groups:
            continue
        column = next(r["tasks"][name]["task"].get("group_by") for r, by in zip(records, grouped) if by)
        for title, key in (("accuracy", "accuracy"), ("contradictions found (argmax)", "contradiction_recall")):
            rows = [[g] + [_fmt(by[g].get(key)) if by and g in by else "–" for by in grouped] for g in groups]
            out.append(f"## {name} by {column}: {title}\n\n" + _table([column] + columns, rows))
    if differs:
        out.append("† the data, the example count or the sample's seed differs from the first run with this "
                   "task: not comparable.\n")
    return out


def models_summary(records: list[dict[str, Any]], names: list[str]) -> str:
    """Markdown tables of models x tasks for a run with several models."""
    out = ["# Evaluation summary\n"]
    out.append(_table(["model", "directory", "weights", "pairs/s"],
                      [[r["model"]["id"], f"`{n}/`", f"`{r['model'].get('hash')}`",
                        _fmt(r["throughput"]["pairs_per_second"], 1)] for r, n in zip(records, names)]))
    out += _metric_tables(records, names)
    return "\n".join(out)


def _clear_run_files(folder: Path, *, subfolders: bool) -> None:
    """Remove what an earlier run wrote into ``folder`` (its record, summary, predictions and plots, and
    those of its per-model sub-folders), so a reused --output never mixes two runs. Nothing else is touched."""
    if _is_run_record(folder / RESULTS_FILE):
        for name in (RESULTS_FILE, SUMMARY_FILE):
            (folder / name).unlink(missing_ok=True)
        for old in [*folder.glob("predictions-*.jsonl"), *(folder / "plots").glob("*.png")]:
            old.unlink()
    if subfolders:
        for child in folder.iterdir():
            if child.is_dir():
                _clear_run_files(child, subfolders=False)


def _is_run_record(path: Path) -> bool:
    """Whether ``path`` is a results.json written by :func:`run_eval` (and not some other file of that name)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(record, dict) and "format" in record and isinstance(record.get("tasks"), dict)


def _check_record(file: Path, record: dict[str, Any]) -> None:
    """Refuse a run record without the parts the comparison reads, naming the first one missing."""
    def need(value: Any, where: str, kind: type) -> None:
        if not isinstance(value, kind):
            raise InputError(str(file), f"not a run record: {where} should be a {'table' if kind is dict else kind.__name__}",
                             field=where)

    need(record.get("model"), "model", dict)
    need(record.get("tasks"), "tasks", dict)
    for name, task in record["tasks"].items():
        need(task, f"tasks.{name}", dict)
        need(task.get("dataset"), f"tasks.{name}.dataset", dict)
        need(task.get("metrics"), f"tasks.{name}.metrics", dict)
        need(task.get("n"), f"tasks.{name}.n", int)


def _comparable(record: dict[str, Any], task: dict[str, Any]) -> tuple[Any, ...]:
    """What must match for two runs' results on a task to be compared: the data, the example count
    and, where the task was sampled (``--limit``), the seed that drew the sample."""
    dataset = task.get("dataset") or {}
    sampled = task.get("n") is not None and dataset.get("rows") not in (None, task.get("n"))
    return dataset.get("sha256"), task.get("n"), record.get("seed") if sampled else None


def _find_records(path: Path) -> list[tuple[Path, dict[str, Any]]]:
    if path.is_file():
        candidates = [path]
    elif (path / RESULTS_FILE).is_file():
        candidates = [path / RESULTS_FILE]
    else:
        candidates = sorted(path.glob(f"*/{RESULTS_FILE}"))
    if not candidates:
        raise InputError(str(path), f"no {RESULTS_FILE} here or in its sub-directories")
    found = []
    for file in candidates:
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(str(file), f"cannot read the run record: {exc}") from None
        if not isinstance(record, dict) or "tasks" not in record:
            raise InputError(str(file), "not a run record: no 'tasks'", field="tasks")
        _check_record(file, record)
        found.append((file.parent, record))
    return found


def compare_runs(dirs: Sequence[str | Path]) -> str:
    """A Markdown comparison of recorded runs: one column per run (model), one table per metric.

    Each of ``dirs`` is a run directory, a multi-model run directory (its sub-directories' records
    are all taken) or a ``results.json`` file.
    """
    if not dirs:
        raise ConfigError("no run directory to compare")
    runs = [found for d in dirs for found in _find_records(Path(d))]
    columns = [f"#{i}" for i in range(1, len(runs) + 1)]
    out = ["# Runs compared\n"]
    out.append(_table(["#", "run", "model", "weights", "commit", "date", "limit", "pairs/s"], [
        [col, f"`{path}`", r["model"].get("id", "?"), f"`{str(r['model'].get('hash'))[:19]}`",
         _fmt(r.get("git_commit"))[:10], str(r.get("date", "?"))[:19],
         _fmt(r.get("config", {}).get("limit")), _fmt((r.get("throughput") or {}).get("pairs_per_second"), 1)]
        for col, (path, r) in zip(columns, runs)]))
    out += _metric_tables([r for _, r in runs], columns)
    return "\n".join(out)
