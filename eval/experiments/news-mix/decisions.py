"""Cross-fitted decisions on the real-news dev pairs, for each objective and gate, from recorded predictions.

    python eval/experiments/news-mix/decisions.py [--run eval/results/contradict-nli-minilm]

Reads ``predictions-news_claims_dev.jsonl`` of every model in a recorded ``contradict eval run`` (the
folder itself, or its per-model sub-folders) and fits the decision as ``contradict train --export`` does
(contradict.decide: Platt calibration, then the threshold that maximises the objective, with or without
the entailment gate) in 5-fold cross-fitting with the recipe's seed (13), so the shipped row repeats the
``decision_cross_fit`` of the model's contradict.json. Writes ``eval/results/news-mix/decisions.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from contradict.decide import cross_fit  # noqa: E402

FILE = "predictions-news_claims_dev.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--run", type=Path, default=ROOT / "eval" / "results" / "contradict-nli-minilm")
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "news-mix" / "decisions.md")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()
    files = [args.run / FILE] if (args.run / FILE).is_file() else sorted(args.run.glob(f"*/{FILE}"))
    lines = [f"# Cross-fitted decisions on news_claims_dev\n\n`{' '.join(sys.argv)}`: 5 folds, seed {args.seed}.\n",
             "| model | objective | gate | precision | recall | F1 | flagged |", "|---|---|---|---|---|---|---|"]
    for path in files:
        rows = [json.loads(line) for line in path.open(encoding="utf-8")]
        p_c = np.array([r["probabilities"]["contradiction"] for r in rows])
        p_e = np.array([r["probabilities"]["entailment"] for r in rows])
        gold = np.array([r["gold"] == "contradiction" for r in rows])
        for objective in ("accuracy", "f0.5", "f1"):
            for gate in ("entailment", "none"):
                r = cross_fit(p_c, gold, p_e, folds=5, seed=args.seed, objective=objective, gate=gate)
                lines.append(f"| {path.parent.name} | {objective} | {gate} | {r['precision']:.3f} | {r['recall']:.3f} "
                             f"| {r['f1']:.3f} | {r['flagged']} of {len(rows)} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
