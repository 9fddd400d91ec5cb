"""Would flagging only pairs whose contradiction outweighs entailment cost anything on dev pairs?

    python eval/experiments/entailment-gate/run.py --model runs/bfg-stage4/export --data-dir ../shared/data

`compare` flags a pair when its calibrated contradiction probability reaches the threshold, even where
the model finds entailment more likely (ablation row K flags the bundled example's agreement with
entailment 0.47 and contradiction 0.33). The gated rule also asks ``p(contradiction) >= p(entailment)``.
Both rules are fitted as the trainer fits its decision (`contradict.decide.ContradictionDecider`:
Platt scaling, then the F1-best threshold; with ``gate="entailment"`` the threshold is chosen among the
pairs the gate lets through) and compared by 5-fold cross-fitting
on the dev tasks that chose checkpoints, so that neither rule is scored on the pairs it was fitted on.
Dev tasks only: a choice made on these numbers is not a held-out result.

``--predictions DIR`` also reads the predictions a recorded ``contradict eval run`` wrote to DIR and
gives each held-out task's contradiction F1 at that run's own threshold with and without the gate (a
report, not a basis for the choice; the threshold was fitted without the gate).

Writes ``<out>/<model name>.json`` with the run's provenance (contradict.runinfo).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from contradict import decide  # noqa: E402
from contradict.decide import ContradictionDecider  # noqa: E402
from contradict.evaluate.tasks import load_task_data  # noqa: E402
from contradict.runinfo import run_info  # noqa: E402
from contradict.scorer import NLIScorer  # noqa: E402
from contradict.types import LABELS  # noqa: E402

CONTRA, ENTAIL = LABELS.index("contradiction"), LABELS.index("entailment")
DEV_TASKS = ("snli_dev_part", "mnli_heldout", "fnc1_dev_bodies")


def f1_with_gate(pred_dir: Path) -> dict:
    """Contradiction F1 of a recorded eval run's flags, as recorded and with the gate added, per task."""
    out = {}
    for path in sorted(pred_dir.glob("predictions-*.jsonl")):
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        if not rows or "probabilities" not in rows[0]:
            continue  # pipeline tasks record findings, not pair probabilities
        gold = np.asarray([r["gold"] in ("contradiction", "disagree") for r in rows])
        flags = np.asarray([r["flagged"] for r in rows])
        gate = ContradictionDecider(gate="entailment").allows([r["probabilities"]["contradiction"] for r in rows],
                                                              [r["probabilities"]["entailment"] for r in rows])
        out[path.stem.removeprefix("predictions-")] = {
            rule: {"f1": round(float(precision_recall_fscore_support(gold, f, average="binary", zero_division=0)[2]), 4),
                   "flagged": int(f.sum())}
            for rule, f in (("threshold", flags), ("threshold + gate", flags & gate))}
    return out


def cross_fit(probs: np.ndarray, gold: np.ndarray, use_gate: bool, folds: int, seed: int) -> dict:
    """Flags of every pair from a decider (contradict.decide, with or without its entailment gate) fitted
    on the other folds."""
    r = decide.cross_fit(probs[:, CONTRA], gold, probs[:, ENTAIL], folds=folds, seed=seed,
                         gate="entailment" if use_gate else "none")
    return {"precision": round(r["precision"], 4), "recall": round(r["recall"], 4), "f1": round(r["f1"], 4),
            "flagged": r["flagged"], "thresholds": [round(t, 4) for t in r["thresholds"]], "flags": r["flags"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="contradict-nli-minilm")
    ap.add_argument("--data-dir", default="../shared/data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--predictions", type=Path, help="a recorded `contradict eval run` output folder")
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "entailment-gate"))
    args = ap.parse_args()

    scorer = NLIScorer(args.model, cache=None)
    probs, gold, tasks = [], [], []
    start = time.perf_counter()
    for name in DEV_TASKS:
        data = load_task_data(name, data_dir=args.data_dir)
        probs.append(np.asarray(scorer.score(data.pairs())))
        gold.append(np.isin(np.asarray(data.gold), ["contradiction", "disagree"]))
        tasks += [name] * len(data)
    seconds = time.perf_counter() - start
    probs, gold, tasks = np.concatenate(probs), np.concatenate(gold), np.asarray(tasks)
    held = probs[:, CONTRA] < probs[:, ENTAIL]
    result = {"model": scorer.describe(), "dev_tasks": list(DEV_TASKS), "pairs": int(len(gold)),
              "contradictions": int(gold.sum()), "seconds": round(seconds, 1), "folds": args.folds,
              "held_back_by_gate": int(held.sum()), "gold_contradictions_held_back": int((held & gold).sum()),
              "rules": {}}
    for rule, use_gate in (("threshold", False), ("threshold + gate", True)):
        r = cross_fit(probs, gold, use_gate, args.folds, args.seed)
        flags = r.pop("flags")
        r["per_task_f1"] = {
            t: round(float(precision_recall_fscore_support(gold[tasks == t], flags[tasks == t], average="binary",
                                                          zero_division=0)[2]), 4) for t in DEV_TASKS}
        result["rules"][rule] = r
    if args.predictions is not None:
        result["held_out"] = {"predictions": str(args.predictions), "tasks": f1_with_gate(args.predictions)}
    result["run"] = run_info(command=" ".join(sys.argv))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = Path(args.model).parent.name if Path(args.model).name == "export" else Path(args.model).name
    (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"{args.model}: {len(gold)} dev pairs, {int(gold.sum())} contradictions, "
          f"{int(held.sum())} held back by the gate, {seconds:.0f} s")
    for rule, r in result["rules"].items():
        print(f"  {rule:17s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  flagged {r['flagged']}  "
              + "  ".join(f"{t} {f:.3f}" for t, f in r["per_task_f1"].items()))
    for task, rules in result.get("held_out", {}).get("tasks", {}).items():
        print(f"  held out {task:16s} " + "  ".join(
            f"{rule}: F1 {r['f1']:.3f} ({r['flagged']} flagged)" for rule, r in rules.items()))


if __name__ == "__main__":
    main()
