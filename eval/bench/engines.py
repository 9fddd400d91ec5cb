"""Documents per second of `compare` on the local engine and on Ray with 1 and 2 workers.

    python eval/bench/engines.py --documents 200 --workers 1 2

One synthetic corpus (``corpus.py``), one model (default: the shipped one, torch on the CPU), no score
cache (every pair is scored in every run). Each Ray run starts its own local Ray with as many CPUs as
workers and stops it after; its time includes starting each stage's actors (each loads spaCy, MiniLM or
the model), which is fixed per run and matters on small corpora. Every run's flagged pairs are compared
with the local engine's.

A Ray run of a few documents measures a run's fixed cost; the 1-worker run less it gives the per-worker rate
(t = fixed + documents / (workers x rate)), which the 2-worker run checks and which gives the paper estimate
of N machines' throughput in the record.

Writes ``<out>/engines-<date>.json`` (with git commit, versions, machine: contradict.runinfo) and ``.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402


def _flagged(report: Any) -> list[tuple[str, str]]:
    return sorted((f.score.pair.a.id, f.score.pair.b.id) for f in report.findings)


def run_once(engine: str, documents: list[Any], *, model: str, workers: int, block_by: str,
             threads: int | None) -> dict[str, Any]:
    """One timed `compare` (the driver's model and spaCy loaded before the clock starts)."""
    from contradict.extract import ClaimExtractor
    from contradict.pipeline import compare
    from contradict.scorer import NLIScorer

    scorer = NLIScorer(model, num_threads=threads)
    extractor = ClaimExtractor()
    extractor._pipeline()
    runner = None
    start = time.perf_counter()
    if engine == "ray":
        from contradict.engines.ray_engine import RayEngine

        runner = RayEngine(workers=workers)
    ready = time.perf_counter()
    try:
        report = compare(documents, scorer=scorer, extractor=extractor, block_by=block_by, engine=runner)
    finally:
        if runner is not None:
            runner.close()
    seconds = time.perf_counter() - start
    return {"engine": engine, "workers": workers if engine == "ray" else None, "documents": len(documents),
            "seconds": round(seconds, 2), "ray_start_seconds": round(ready - start, 2),
            "documents_per_second": round(len(documents) / seconds, 3), "stages": report.stats.seconds,
            "claims": report.stats.claims, "pairs_candidates": report.stats.pairs_candidates,
            "pairs_scored": report.stats.pairs_scored, "findings": report.stats.findings,
            "flagged": _flagged(report)}


def estimate(runs: list[dict[str, Any]], fixed_run: dict[str, Any] | None) -> dict[str, Any] | None:
    """Per-worker rate from the 1-worker Ray run less the fixed cost of a run (a Ray run of a few documents:
    starting Ray and each stage's actors), t = fixed + n / (workers * rate); the 2-worker run checks it."""
    by = {r["workers"]: r for r in runs if r["engine"] == "ray"}
    if 1 not in by or fixed_run is None:
        return None
    n, fixed = by[1]["documents"], fixed_run["seconds"]
    if by[1]["seconds"] <= fixed:
        return {"note": f"the 1-worker run ({by[1]['seconds']} s) took no longer than the fixed cost ({fixed} s): "
                        "too small a corpus to measure a per-worker rate"}
    rate = n / (by[1]["seconds"] - fixed)
    out: dict[str, Any] = {
        "per_worker_documents_per_second": round(rate, 3), "fixed_seconds": fixed,
        "machines": {str(m): {"workers": m * 4, "documents_per_second": round(m * 4 * rate, 1)}
                     for m in (1, 4, 16, 64)},
        "assumes": "4 workers a machine (one per core of a 4-core node), the driver's stages (the speaker merge, "
                   "blocking and decide) not the bottleneck, and a corpus large enough that the fixed cost is small"}
    local = next((r for r in runs if r["engine"] == "local"), None)
    if local and local["stages"].get("decide"):
        # decide (the checks' parsing, on the driver) does not spread over workers: a ceiling for any cluster
        out["driver_documents_per_second"] = round(local["documents"] / local["stages"]["decide"], 1)
    if 2 in by:
        out["two_workers"] = {"predicted_seconds": round(fixed + n / (2 * rate), 1),
                              "measured_seconds": by[2]["seconds"]}
    return out


def markdown(record: dict[str, Any]) -> str:
    lines = [f"# Engines: documents per second ({record['date'][:10]})", "",
             f"Commit {record['git_commit']}; {record['config']['documents']} synthetic documents (seed "
             f"{record['config']['seed']}), model {record['config']['model']}, torch on the CPU, no score cache, "
             f"blocking {record['config']['block_by']}. Machine: {json.dumps(record['machine'])}.", "",
             record["config"]["note"], "",
             "| engine | workers | seconds | documents/s | extract s | pair s | score s | decide s | findings "
             "| same flagged pairs as local |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in record["runs"]:
        s = r["stages"]
        lines.append(f"| {r['engine']} | {r['workers'] or '-'} | {r['seconds']} | {r['documents_per_second']} | "
                     f"{s.get('extract')} | {s.get('pair')} | {s.get('score')} | {s.get('decide')} | "
                     f"{r['findings']} | {r['same_as_local']} |")
    est = record.get("estimate")
    if est and "per_worker_documents_per_second" in est:
        two = est.get("two_workers")
        check = (f" With 2 workers it predicts {two['predicted_seconds']} s; measured {two['measured_seconds']} s."
                 if two else "")
        lines += ["", f"Per-worker rate {est['per_worker_documents_per_second']} documents/s: the 1-worker run less "
                      f"the fixed cost of a run, {est['fixed_seconds']} s (a Ray run of "
                      f"{record['config']['fixed_documents']} documents).{check} On paper, assuming "
                      f"{est['assumes']}:", "", "| machines | workers | documents/s |", "|---:|---:|---:|"]
        lines += [f"| {m} | {v['workers']} | {v['documents_per_second']} |" for m, v in est["machines"].items()]
        if est.get("driver_documents_per_second"):
            lines += ["", f"The decide stage runs on the driver (the local run's decide: "
                          f"{est['driver_documents_per_second']} documents/s on this machine), and with "
                          "--block-by none pairing is one block on one actor: beyond those rates more machines do "
                          "not help (use --block-by entity, and a fast driver)."]
    elif est:
        lines += ["", est["note"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="Documents/s of compare per engine (see the module docstring).")
    parser.add_argument("--model", default=None, help="NLI model (default: the shipped one).")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--workers", nargs="*", type=int, default=[1, 2], help="Ray worker counts to time.")
    parser.add_argument("--block-by", default="none", choices=("none", "entity"))
    parser.add_argument("--threads", type=int, default=None, help="Torch threads of the local engine's scorer.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fixed-documents", type=int, default=4,
                        help="Documents of the Ray run that measures a run's fixed cost.")
    parser.add_argument("--note", default="", help="A line for the record (e.g. that the machine was shared).")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results")
    parser.add_argument("--name", default=None, help="File stem (default engines-<date>).")
    args = parser.parse_args(argv)

    from contradict.models import default_model
    from contradict.runinfo import run_info, shareable_path
    from contradict.types import Document

    model = args.model or default_model()
    documents = [Document(**r) for r in generate(args.documents, seed=args.seed)]
    runs = [run_once("local", documents, model=model, workers=1, block_by=args.block_by, threads=args.threads)]
    for w in args.workers:
        print(f"ray, {w} workers", file=sys.stderr, flush=True)
        runs.append(run_once("ray", documents, model=model, workers=w, block_by=args.block_by, threads=args.threads))
    print("ray, fixed cost", file=sys.stderr, flush=True)
    fixed_run = run_once("ray", documents[:args.fixed_documents], model=model, workers=1, block_by=args.block_by,
                         threads=args.threads)
    del fixed_run["flagged"]
    for r in runs:
        r["same_as_local"] = r["flagged"] == runs[0]["flagged"]
    for r in runs:
        del r["flagged"]
    config = {"model": shareable_path(str(model)), "documents": args.documents, "seed": args.seed,
              "block_by": args.block_by, "threads": args.threads, "note": args.note,
              "fixed_documents": args.fixed_documents}
    record = run_info(benchmark="contradict-engines/1", config=config, runs=runs, fixed_run=fixed_run,
                      estimate=estimate(runs, fixed_run))
    try:
        import ray

        record["versions"]["ray"] = ray.__version__
    except ImportError:
        pass
    stem = args.name or f"engines-{dt.date.today().isoformat()}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    (args.out / f"{stem}.md").write_text(markdown(record), encoding="utf-8")
    print(markdown(record))
    return record


if __name__ == "__main__":
    main()
