"""The CPU benchmark: NLI scoring throughput and memory, and `compare` at growing corpus sizes.

    python eval/bench/run_bench.py --model models/contradict-nli-minilm

Part 1 scores the same realistic news claim pairs (default: the 2,071 Emergent headline/claim
pairs in ``<data-dir>/stance/emergent_train.jsonl``; or ``--pairs FILE``) with the same model,
each system in its own process (so peak RSS is its own): transformers' text-classification
pipeline one pair per call, sentence-transformers' ``CrossEncoder.predict(batch_size=32)``, and
contradict with torch, ONNX fp32 and ONNX int8. Speed and memory are given as ratios against the
CrossEncoder; agreement with it and, where the pairs have labels, accuracy, show what speed costs.

Part 2 times ``compare`` end to end on synthetic multi-source corpora (``corpus.py``) of
``--sizes`` documents, with the ONNX int8 scorer, and fits the growth exponent of time against
size (1.0 is linear).

Writes ``<out>/bench-<date>.json`` (with git commit, versions, machine: contradict.runinfo) and
``<out>/bench-<date>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402
from systems import SYSTEMS  # noqa: E402

BASELINE = "st-crossencoder"
LABELS = ("entailment", "neutral", "contradiction")


def _child(args: list[str], out: Path) -> dict[str, Any]:
    """Run ``systems.py ARGS --out OUT`` in a fresh interpreter and read its result."""
    cmd = [sys.executable, str(HERE / "systems.py"), *args, "--out", str(out)]
    print("+", " ".join(cmd[1:]), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def load_pairs(pairs: Path | None, data_dir: Path, limit: int | None) -> tuple[Path, list[str | None], str]:
    """The pairs file to score, gold labels (None where absent) and a description of the source."""
    source = pairs or data_dir / "stance" / "emergent_train.jsonl"
    if not source.is_file():
        raise SystemExit(f"no pairs file at {source}: pass --pairs FILE or --data-dir")
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    labels = [r.get("label") if r.get("label") in LABELS else None for r in rows]
    return source, labels, f"{source.name} ({len(rows)} pairs)"


def _version(lib: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(lib)
    except metadata.PackageNotFoundError:
        return None


def growth_exponent(sizes: list[float], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) on log(size): 1 is linear growth, 2 quadratic."""
    if len(sizes) < 2:
        return None
    slope, _ = np.polyfit(np.log(sizes), np.log(seconds), 1)
    return float(slope)


def summarise_pairs(results: dict[str, dict], probs: dict[str, np.ndarray], gold: list[str | None]) -> None:
    """Add ratios against the baseline, agreement with it and accuracy, in place."""
    base = results.get(BASELINE)
    gold_idx = np.array([LABELS.index(g) if g else -1 for g in gold])
    has_gold = gold_idx >= 0
    for name, r in results.items():
        if base:
            r["speed_vs_crossencoder"] = r["pairs_per_second"] / base["pairs_per_second"]
            r["rss_vs_crossencoder"] = r["peak_rss_mb"] / base["peak_rss_mb"]
        p = probs.get(name)
        if p is None:
            continue
        if BASELINE in probs:
            b = probs[BASELINE]
            r["max_abs_diff_vs_crossencoder"] = float(np.abs(p - b).max())
            r["label_agreement_vs_crossencoder"] = float((p.argmax(1) == b.argmax(1)).mean())
        if has_gold.any():
            r["accuracy"] = float((p.argmax(1)[has_gold] == gold_idx[has_gold]).mean())
            r["accuracy_n"] = int(has_gold.sum())


def markdown(record: dict[str, Any]) -> str:
    m = record["machine"]
    lines = [f"# contradict CPU benchmark, {record['date'][:10]}", "",
             f"- machine: {m['cpu']}, {m['cpu_count']} logical CPUs ({record['config']['threads']} threads used), "
             f"vector extensions {', '.join(record.get('cpu_features') or ['?'])}, {m['platform']}",
             f"- commit {record['git_commit']}; " + ", ".join(f"{k} {v}" for k, v in record["versions"].items() if v),
             f"- model: `{record['config']['model']}` (weights `{record['config'].get('model_hash')}`); "
             f"pairs: {record['pairs']['source']}; max_length {record['config']['max_length']}", ""]
    if record["pairs"]["systems"]:
        lines += ["## Scoring pairs", "",
                  "| system | pairs/s (median) | passes | × CrossEncoder | peak RSS MiB | × RSS | load s | "
                  "accuracy | agrees with CrossEncoder | max |Δp| |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for name, r in record["pairs"]["systems"].items():
            acc = f"{r['accuracy']:.4f}" if "accuracy" in r else "–"
            agree = f"{r['label_agreement_vs_crossencoder']:.4f}" if "label_agreement_vs_crossencoder" in r else "–"
            diff = f"{r['max_abs_diff_vs_crossencoder']:.2g}" if "max_abs_diff_vs_crossencoder" in r else "–"
            passes = f"{min(r['passes_pairs_per_second']):.0f}–{max(r['passes_pairs_per_second']):.0f}"
            lines.append(f"| {name} | {r['pairs_per_second']:.1f} | {passes} | "
                         f"{r.get('speed_vs_crossencoder', 0):.2f} | {r['peak_rss_mb']:.0f} | "
                         f"{r.get('rss_vs_crossencoder', 0):.2f} | {r['load_seconds']:.1f} | "
                         f"{acc} | {agree} | {diff} |")
        export = record["pairs"].get("export")
        if export:
            lines += ["", f"ONNX export, once per model (cached): fp32 {export['fp32']['seconds']:.1f} s, "
                          f"then int8 {export['int8']['seconds']:.1f} s."]
        lines.append("")
    corpus = record["corpus"]
    if corpus["runs"]:
        lines += ["## `compare` end to end", "",
                  f"Synthetic multi-source corpora (eval/bench/corpus.py, seed {corpus['seed']}), backend "
                  f"{corpus['backend']}; seconds exclude loading the models.", "",
                  "| documents | seconds | s / 1k docs | claims | candidate pairs | directions | scored (distinct) "
                  "| findings | peak RSS MiB | extract / pair / score s |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for r in corpus["runs"]:
            st = r["stage_seconds"]
            lines.append(f"| {r['documents']} | {r['seconds']:.1f} | {1000 * r['seconds'] / r['documents']:.1f} | "
                         f"{r['claims']} | {r['pairs_candidates']} | {r['pair_directions']} | "
                         f"{r['distinct_directions_scored']} | {r['findings']} | {r['peak_rss_mb']:.0f} | "
                         f"{st.get('extract', 0):.1f} / {st.get('pair', 0):.1f} / {st.get('score', 0):.1f} |")
        if corpus.get("growth_exponent") is not None:
            lines += ["", f"Growth exponent of seconds against documents (log-log least squares): "
                          f"{corpus['growth_exponent']:.2f} (1.00 is linear)."]
        both = {r["documents"]: r for r in corpus["runs"]}
        if corpus.get("auto_runs"):
            lines += ["", "The same corpora with `--directions auto` (b->a skipped where a->b alone flags the pair):", "",
                      "| documents | seconds both → auto | × | directions both → auto | reverse skipped "
                      "| findings | same flagged pairs |",
                      "|---|---|---|---|---|---|---|"]
            for r in corpus["auto_runs"]:
                b = both[r["documents"]]
                lines.append(f"| {r['documents']} | {b['seconds']:.1f} → {r['seconds']:.1f} | "
                             f"{b['seconds'] / r['seconds']:.2f} | {b['pair_directions']} → {r['pair_directions']} | "
                             f"{r['pairs_reverse_skipped']} | {r['findings']} | "
                             f"{'yes' if r['findings_sha256'] == b['findings_sha256'] else 'NO'} |")
        if corpus.get("model_only_runs"):
            lines += ["", "The same corpora with `--checks none` (the model alone), against the detector's default "
                          "checks (negation, numbers, agents):", "",
                      "| documents | seconds model alone → detector | × | candidate pairs | findings | "
                      "findings by part (detector) | decide s | pair s |",
                      "|---|---|---|---|---|---|---|---|"]
            for r in corpus["model_only_runs"]:
                d = both[r["documents"]]
                parts = ", ".join(f"{k} {v}" for k, v in (d.get("findings_by") or {}).items())
                lines.append(f"| {r['documents']} | {r['seconds']:.1f} → {d['seconds']:.1f} | "
                             f"{d['seconds'] / r['seconds']:.2f} | {r['pairs_candidates']} → {d['pairs_candidates']} | "
                             f"{r['findings']} → {d['findings']} | {parts} | "
                             f"{r['stage_seconds'].get('decide', 0):.1f} → {d['stage_seconds'].get('decide', 0):.1f} | "
                             f"{r['stage_seconds'].get('pair', 0):.1f} → {d['stage_seconds'].get('pair', 0):.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="contradict's CPU benchmark (see the module docstring).")
    parser.add_argument("--model", required=True, help="NLI checkpoint folder.")
    parser.add_argument("--pairs", type=Path, default=None, help="JSONL pairs (premise, hypothesis[, label]).")
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data",
                        help="Folder holding stance/emergent_train.jsonl (the default pairs).")
    parser.add_argument("--limit", type=int, default=None, help="Score only the first N pairs.")
    parser.add_argument("--systems", nargs="*", default=list(SYSTEMS), choices=SYSTEMS, help="Systems to time.")
    parser.add_argument("--sizes", nargs="*", type=int, default=[500, 1000, 2000, 4000],
                        help="Corpus sizes (documents) for timing compare; none to skip.")
    parser.add_argument("--corpus-backend", choices=("torch", "onnx"), default="onnx")
    parser.add_argument("--auto-sizes", nargs="*", type=int, default=[2000],
                        help="Corpus sizes to time again with --directions auto (same corpus; none to skip).")
    parser.add_argument("--checks-sizes", nargs="*", type=int, default=[1000],
                        help="Corpus sizes to time again with --checks none, the model alone (same corpus; none to "
                             "skip): what the detector's checks cost.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None, help="Threads for every system (default: the "
                                                                   "physical cores).")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--warmup", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=3, help="Timed passes per system; the median counts.")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results", help="Folder for the results.")
    parser.add_argument("--name", default=None, help="File stem (default bench-<date>).")
    args = parser.parse_args(argv)

    from contradict.onnx_backend import physical_cores
    from contradict.runinfo import cpu_features, run_info
    from contradict.scorer import weights_hash

    threads = args.threads or physical_cores()
    source, gold, described = load_pairs(args.pairs, args.data_dir, args.limit)
    with tempfile.TemporaryDirectory(prefix="contradict-bench-") as tmp:
        results, probs, export, runs, auto_runs, model_runs = _measure(args, source, Path(tmp), threads)
    summarise_pairs(results, probs, gold)
    exponent = growth_exponent([r["documents"] for r in runs], [r["seconds"] for r in runs]) if runs else None

    model_hash = weights_hash(Path(args.model)) if Path(args.model).is_dir() else None
    config = {"model": args.model, "model_hash": model_hash, "threads": threads, "batch_size": args.batch_size,
              "max_length": args.max_length, "warmup": args.warmup, "repeats": args.repeats, "limit": args.limit,
              "seed": args.seed}
    record = run_info(benchmark="contradict-cpu/1", config=config, cpu_features=cpu_features(),
                      pairs={"source": described, "baseline": BASELINE, "export": export, "systems": results},
                      corpus={"sizes": args.sizes, "backend": args.corpus_backend, "seed": args.seed, "runs": runs,
                              "growth_exponent": exponent, "auto_runs": auto_runs, "model_only_runs": model_runs})
    for lib in ("sentence-transformers", "onnx"):  # the baselines' and the exporter's, beyond run_info's list
        record["versions"][lib] = _version(lib)
    return write_record(record, args.out, args.name or f"bench-{dt.date.today().isoformat()}", markdown)


def write_record(record: dict[str, Any], out: Path, stem: str, render: Any) -> dict[str, Any]:
    """Write ``<out>/<stem>.json`` and ``<out>/<stem>.md`` (``render(record)``), print the Markdown, return the record."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    (out / f"{stem}.md").write_text(render(record), encoding="utf-8")
    print(render(record))
    return record


def _measure(args: argparse.Namespace, source: Path, work: Path, threads: int):
    """Every child run: the ONNX export, each system on the pairs, compare on each corpus size."""
    common = ["--model", args.model, "--threads", str(threads), "--export-dir", str(work / "onnx")]
    results: dict[str, dict] = {}
    probs: dict[str, np.ndarray] = {}
    export = None
    if any(s.startswith("contradict-onnx") for s in args.systems) or (args.sizes and args.corpus_backend == "onnx"):
        export = _child(["export", *common], work / "export.json")
    for system in args.systems:
        npy = work / f"{system}.npy"
        extra = ["--limit", str(args.limit)] if args.limit else []
        results[system] = _child(["pairs", system, "--pairs", str(source), "--probs", str(npy), "--warmup",
                                  str(args.warmup), "--repeats", str(args.repeats), "--batch-size",
                                  str(args.batch_size), "--max-length", str(args.max_length), *extra, *common],
                                 work / f"{system}.json")
        probs[system] = np.load(npy)
    runs, auto_runs, model_runs = [], [], []
    for size in args.sizes:
        docs = write_corpus(work / f"corpus-{size}.jsonl", size, seed=args.seed)
        runs.append(_child(["compare", "--docs", str(docs), "--backend", args.corpus_backend, *common],
                           work / f"compare-{size}.json"))
        if size in args.auto_sizes:
            auto_runs.append(_child(["compare", "--docs", str(docs), "--backend", args.corpus_backend,
                                     "--directions", "auto", *common], work / f"compare-{size}-auto.json"))
        if size in args.checks_sizes:
            model_runs.append(_child(["compare", "--docs", str(docs), "--backend", args.corpus_backend,
                                      "--checks", "none", *common], work / f"compare-{size}-model.json"))
    return results, probs, export, runs, auto_runs, model_runs


if __name__ == "__main__":
    main()
