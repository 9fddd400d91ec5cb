"""Model evaluation: tasks as data, metrics, calibrated decisions, run records and pipeline evaluation.

    from contradict.evaluate import run_eval, compare_runs
    run_eval(["contradict-nli-minilm"], ["snli_test", "fnc1_holdout"], dev_task="snli_dev_part",
             output_dir="runs/eval")
"""

from .metrics import expected_calibration_error, task_metrics
from .pipeline_eval import evaluate_pipeline, load_document_sets
from .runs import compare_runs, run_eval
from .tasks import SCHEMES, LabelScheme, Task, TaskData, list_tasks, load_task, load_task_data

__all__ = [
    "SCHEMES", "LabelScheme", "Task", "TaskData", "compare_runs", "evaluate_pipeline",
    "expected_calibration_error", "list_tasks", "load_document_sets", "load_task", "load_task_data",
    "run_eval", "task_metrics",
]
