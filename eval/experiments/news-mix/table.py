"""The data-mix study's table, from the recorded evaluation runs of its configurations.

    python eval/experiments/news-mix/table.py [--results eval/results/news-mix] [--runs runs]

Reads ``RESULTS/<config>/results.json`` (written by ``run.sh``), the trainer state (the step chosen on
dev) from ``RUNS/mix-<config>/trainer_state.json`` or a copy beside the results, and the wall times from
``RUNS/mix-times.txt`` or its copy ``RESULTS/train-times.txt``; writes ``RESULTS/study.md`` and ``RESULTS/study.json``. Seeds of one configuration (recipes
named ``<config>-seedN``, with ``<config>`` itself as the first seed) are summarised as mean and
spread (max - min) of each score.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from contradict.runinfo import run_info  # noqa: E402

PRIMARY = ("news_claims_dev", "contradiction_ap")
COLUMNS = [("news AP", "news_claims_dev", "contradiction_ap"), ("news acc.", "news_claims_dev", "accuracy"),
           ("snli_test", "snli_test", "accuracy"), ("xnli_en_dev", "xnli_en_dev", "accuracy"),
           ("lingnli_val", "lingnli_val", "accuracy")]


def scores(record: dict) -> dict[str, float | None]:
    """The study's columns from one run record, plus contradiction recall by news category."""
    out = {label: (record["tasks"].get(task) or {}).get("metrics", {}).get(key) for label, task, key in COLUMNS}
    for group, m in ((record["tasks"].get("news_claims_dev") or {}).get("by_group") or {}).items():
        if m.get("contradiction_recall") is not None:
            out[f"found: {group}"] = m["contradiction_recall"]
        else:  # a category without contradictions (hard_neutral, hard_entailment): its accuracy
            out[f"acc.: {group}"] = m["accuracy"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=Path, default=ROOT / "eval" / "results" / "news-mix")
    ap.add_argument("--runs", type=Path, default=ROOT / "runs")
    args = ap.parse_args()
    times = {}
    times_file = args.runs / "mix-times.txt"
    times_file = times_file if times_file.is_file() else args.results / "train-times.txt"
    if times_file.is_file():
        for line in times_file.read_text().splitlines():
            name, _, seconds = line.partition(": ")
            times[name] = int(seconds.split()[0])  # the last line of a config wins (a resumed run)
    rows = {}
    for path in sorted(args.results.glob("*/results.json")):
        config = path.parent.name
        record = json.loads(path.read_text(encoding="utf-8"))
        state_file = args.runs / f"mix-{config}" / "trainer_state.json"
        state_file = state_file if state_file.is_file() else path.parent / "trainer_state.json"
        state = json.loads(state_file.read_text()) if state_file.is_file() else {}
        rows[config] = {"scores": scores(record), "best_step": state.get("best_step"),
                        "total_steps": state.get("total_steps"), "minutes": round(times[config] / 60, 1)
                        if config in times else None, "weights": record["model"].get("hash")}
    seeds: dict[str, list[str]] = {}
    for config in rows:
        base = re.sub(r"-seed\d+$", "", config)
        if base in rows:
            seeds.setdefault(base, []).append(config)
    spread = {}
    for base, configs in seeds.items():
        if len(configs) > 1:
            keys = rows[base]["scores"].keys()
            spread[base] = {k: {"mean": float(np.mean([rows[c]["scores"][k] for c in configs])),
                                "spread": float(np.ptp([rows[c]["scores"][k] for c in configs])),
                                "seeds": len(configs)}
                            for k in keys if all(rows[c]["scores"].get(k) is not None for c in configs)}
    groups = sorted({k for r in rows.values() for k in r["scores"] if k.startswith("found: ")}) + \
        sorted({k for r in rows.values() for k in r["scores"] if k.startswith("acc.: ")})
    header = ["config", "steps (best)", "min"] + [c[0] for c in COLUMNS] + \
        [g.removeprefix("found: ").replace("acc.: ", "acc. ") for g in groups]

    def fmt(v, digits=3):
        return "–" if v is None else f"{v:.{digits}f}" if isinstance(v, float) else str(v)

    lines = ["# Data-mix study on real news\n",
             "Primary score: `news_claims_dev` contradiction AP (model alone, premise -> hypothesis). "
             "Category columns: the share of that category's gold contradictions whose most probable label is "
             "contradiction, and for the categories without contradictions (acc.) the accuracy. Rows sorted by "
             "the primary score; min: training wall time on the 2-core CPU (– where not recorded).\n",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for config, r in sorted(rows.items(), key=lambda kv: -(kv[1]["scores"]["news AP"] or 0)):
        s = r["scores"]
        steps = f"{r['total_steps']} ({r['best_step']})" if r["total_steps"] else "–"
        lines.append("| " + " | ".join([config, steps, fmt(r["minutes"], 0)] + [fmt(s.get(c[0])) for c in COLUMNS]
                                       + [fmt(s.get(g)) for g in groups]) + " |")
    for base, stats in spread.items():
        lines += ["", f"Seeds of `{base}` ({stats['news AP']['seeds']} runs): "
                  + "; ".join(f"{k} mean {v['mean']:.3f}, spread {v['spread']:.3f}" for k, v in stats.items()
                              if not k.startswith("found: "))]
    (args.results / "study.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.results / "study.json").write_text(json.dumps({"rows": rows, "seeds": spread,
                                                         "run": run_info(command=" ".join(sys.argv))}, indent=2)
                                             + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
