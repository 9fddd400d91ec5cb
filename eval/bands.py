"""Measure each confidence band's precision from a detector evaluation run.

    contradict eval run -t news_claims_dev --decision detector --no-plots --data-dir ../shared/data --output RUN
    python eval/bands.py RUN [--task news_claims_dev] [--output eval/results/bands/news_claims_dev.md]

Reads RUN/predictions-TASK.jsonl and RUN/results.json. A pair counts as a finding where the detector
flagged it (``detector.flagged``: where the model's decision was fitted on the task, as the shipped one
is on news_claims_dev, these flags are cross-fitted, each pair flagged by a decision fitted on the
other four folds); its band is :func:`contradict.bands.band` of its calibrated probability
(``detector.p_contradiction``, calibrated by the shipped decision, fitted on all the task's pairs, so
in sample) and of what flagged it. Gold is contradiction against the rest. Prints (or writes) a
Markdown record with the table, the run's command, commit and date; the figures to copy into
:data:`contradict.bands.BAND_PRECISION` are its "contradictions" and "findings" columns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from contradict.bands import BAND_PRECISION, BANDS, STRONG_CHECKS, STRONG_MIN_P, band
from contradict.runinfo import git_commit


def band_table(rows: list[dict[str, Any]], positive: str = "contradiction") -> list[dict[str, Any]]:
    """One row per band, then the strong band's two ways in: findings, gold contradictions, precision."""
    findings = [(r["detector"]["p_contradiction"], r["detector"]["flagged_by"], r["gold"] == positive)
                for r in rows if r["detector"]["flagged"]]

    def line(name: str, chosen: list[tuple[float, list[str], bool]]) -> dict[str, Any]:
        right = sum(gold for _, _, gold in chosen)
        return {"band": name, "findings": len(chosen), "contradictions": right,
                "precision": right / len(chosen) if chosen else None}

    table = [line(name, [f for f in findings if band(f[0], f[1]) == name]) for name in BANDS]
    table.append(line(f"strong: p >= {STRONG_MIN_P:.2f}", [f for f in findings if f[0] >= STRONG_MIN_P]))
    table.append(line(f"strong: p < {STRONG_MIN_P:.2f}, flagged by a check",
                      [f for f in findings if f[0] < STRONG_MIN_P and STRONG_CHECKS.intersection(f[1])]))
    table.append(line("all findings", findings))
    return table


def render(run: Path, task: str) -> str:
    rows = [json.loads(line) for line in (run / f"predictions-{task}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    results = json.loads((run / "results.json").read_text(encoding="utf-8"))
    detector = results["tasks"][task].get("detector") or {}
    table = band_table(rows)
    out = [f"# Confidence bands on {task}", "",
           f"- eval run: `{results.get('command')}` (commit {results.get('git_commit')}, {results.get('date')})",
           f"- this table: `python eval/bands.py {run} --task {task}` (commit {git_commit()}, "
           f"{dt.date.today().isoformat()})",
           f"- {len(rows)} labelled pairs; decision threshold {detector.get('threshold', float('nan')):.3f}, "
           f"calibration {detector.get('calibration')}, gate {detector.get('gate')}, checks "
           f"{', '.join(detector.get('checks') or [])}; flags cross-fitted: {detector.get('cross_fitted')}",
           "", "| band | findings | gold contradictions | precision |", "|---|---:|---:|---:|"]
    for r in table:
        precision = "n/a" if r["precision"] is None else f"{r['precision']:.3f}"
        out.append(f"| {r['band']} | {r['findings']} | {r['contradictions']} | {precision} |")
    out += ["", "A finding is a pair the detector flagged (`detector.flagged`; cross-fitted where the decision was "
            "fitted on this task: each pair flagged by a decision fitted on the other four folds). Its band is "
            "`contradict.bands.band` of `detector.p_contradiction`, which the shipped calibration (fitted on all of "
            f"this task's pairs) gives, and of what flagged it; the {STRONG_MIN_P:.2f} edge was chosen on these pairs "
            f"too. So the precision is in sample, from {len(rows)} pairs: read it as a rough guide, not a promise for "
            "other news."]
    recorded = {r["band"]: (r["contradictions"], r["findings"]) for r in table[:len(BANDS)]}
    out += ["", "contradict.bands.BAND_PRECISION " + ("matches this table." if recorded == BAND_PRECISION else
            f"differs from this table: it holds {BAND_PRECISION}, the table gives {recorded}."), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path, help="folder of a `contradict eval run --decision detector`")
    parser.add_argument("--task", default="news_claims_dev")
    parser.add_argument("--output", type=Path, help="write the Markdown record here instead of stdout")
    args = parser.parse_args(argv)
    text = render(args.run, args.task)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
