"""Does scoring both directions, as `compare` does, help contradiction ranking on a labelled task?

    python eval/experiments/directions/run.py --task fnc1_dev_bodies --data-dir ../shared/data

`compare` scores every claim pair a->b and b->a and keeps the direction with the higher
contradiction probability (contradict/pipeline.py). `contradict eval` scores premise->hypothesis
only. This scores a task both ways with one model and gives contradiction-versus-rest average
precision and ROC AUC for a->b, b->a, their maximum (compare's reduction) and their mean. Use a dev
task: a choice made on its numbers must not be reported as a held-out result.

Writes ``<out>/<task>.json`` with the run's provenance (contradict.runinfo).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from contradict.evaluate.tasks import load_task_data  # noqa: E402
from contradict.runinfo import run_info  # noqa: E402
from contradict.scorer import NLIScorer  # noqa: E402
from contradict.types import LABELS  # noqa: E402

CONTRA = LABELS.index("contradiction")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", default="fnc1_dev_bodies")
    ap.add_argument("--model", default="contradict-nli-minilm")
    ap.add_argument("--backend", default="onnx", choices=("torch", "onnx"))
    ap.add_argument("--data-dir", default="../shared/data")
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "directions"))
    args = ap.parse_args()

    data = load_task_data(args.task, data_dir=args.data_dir)
    gold = np.isin(np.asarray(data.gold), ["contradiction", "disagree"])
    scorer = NLIScorer(args.model, backend=args.backend, cache=None)
    start = time.perf_counter()
    ab = np.asarray(scorer.score(data.pairs()))[:, CONTRA]
    ba = np.asarray(scorer.score([(h, p) for p, h in data.pairs()]))[:, CONTRA]
    seconds = time.perf_counter() - start
    rows = {}
    for name, p in (("a->b", ab), ("b->a", ba), ("max (compare)", np.maximum(ab, ba)), ("mean", (ab + ba) / 2)):
        rows[name] = {"contradiction_ap": round(float(average_precision_score(gold, p)), 4),
                      "contradiction_auc": round(float(roc_auc_score(gold, p)), 4)}
    result = {"task": data.task.name, "pairs": len(data), "positives": int(gold.sum()), "data_sha256": data.sha256,
              "model": scorer.describe(), "seconds": round(seconds, 1), "directions": rows,
              "run": run_info(command=" ".join(sys.argv))}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.task}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{args.task}: {len(data)} pairs, {int(gold.sum())} contradictions, {seconds:.0f} s")
    for name, r in rows.items():
        print(f"  {name:14s} AP {r['contradiction_ap']:.3f}  AUC {r['contradiction_auc']:.3f}")


if __name__ == "__main__":
    main()
