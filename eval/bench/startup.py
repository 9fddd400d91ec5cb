"""Whole-process timing of `contradict compare` (issue 18): wall time against the printed time split, and peak memory.

    python eval/bench/startup.py --example examples/summit --warm-runs 3 --long-doc-mb 5 --corpus-docs 4000

Every run is ``python -m contradict.cli compare ...`` in its own process, timed from outside (wall seconds from
start to exit) and measured with ``os.wait4`` (that child's own peak RSS). Each report's ``stats.seconds`` (the
time split the command prints, from the start of the process) is recorded beside it, so that ``wall - total`` is
what the split misses (the exit, the fork and exec before the interpreter starts).

- ``--example``: one cold run (a fresh, empty score cache: every model loads) then ``--warm-runs`` warm runs
  (the same cache: scores and vectors come from it); the target is a warm wall time within 1 s of the printed total.
- ``--long-doc-mb``: one document of that many megabytes (the synthetic corpus of eval/bench/corpus.py, its
  stories joined into one text: ``--long-doc-breaks blank`` with blank lines between them, ``line`` with single
  newlines, so that extraction cuts chunks of ``max_chunk_chars``), cold.
- ``--corpus-docs``: the synthetic corpus of that many documents (as run_bench.py's part 2), cold.

Writes ``<out>/startup-<date>.json`` (with git commit, versions, machine: contradict.runinfo) and ``.md``.
Run it on an otherwise idle machine; the long inputs take long with the torch backend (``--backend onnx``
for the int8 scorer).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from corpus import generate, write_corpus  # noqa: E402
from run_bench import write_record  # noqa: E402


def run_compare(inputs: list[str], work: Path, cache: Path, extra: list[str], timeout: float | None) -> dict[str, Any]:
    """One ``compare`` process: wall seconds, its peak RSS, the report's time split and counts."""
    report = work / "report.json"
    cmd = [sys.executable, "-m", "contradict.cli", "compare", *inputs, "--format", "json", "-o", str(report),
           "--cache-path", str(cache), "--no-progress", *extra]
    print("+", " ".join(cmd[1:]), file=sys.stderr, flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            _, status, usage = _wait4(child, timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise SystemExit(f"timed out after {timeout} s: {' '.join(cmd)}")
        wall = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"compare failed ({code}):\n{stderr[-4000:]}")
    stats = json.loads(report.read_text(encoding="utf-8"))["stats"]
    seconds = stats["seconds"]
    return {"wall_seconds": round(wall, 3), "printed_total": seconds.get("total"),
            "gap_seconds": round(wall - seconds.get("total", 0.0), 3), "stage_seconds": seconds,
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "documents": stats["documents_read"],
            "claims": stats["claims"], "pairs_candidates": stats["pairs_candidates"],
            "pair_directions": stats["pairs_scored"], "cache_hits": stats["cache_hits"], "findings": stats["findings"],
            "time_line": next((ln for ln in stderr.splitlines() if ln.startswith("time total")), None)}


def _wait4(child: subprocess.Popen, timeout: float | None):
    """``os.wait4`` on ``child`` (its own rusage), polling so that a timeout can stop it."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return pid, status, usage
        if deadline is not None and time.monotonic() > deadline:
            raise subprocess.TimeoutExpired(child.args, timeout)
        time.sleep(0.01)


def long_document(path: Path, megabytes: float, breaks: str, seed: int) -> Path:
    """A single plain-text document of about ``megabytes`` MB from the synthetic corpus's stories."""
    target = int(megabytes * 1_000_000)
    sep = "\n\n" if breaks == "blank" else "\n"
    parts, size = [], 0
    for doc in generate(max(1, target // 300), seed=seed):  # about 400 characters a story
        parts.append(doc["text"])
        size += len(doc["text"]) + len(sep)
        if size >= target:
            break
    path.write_text(sep.join(parts) + "\n", encoding="utf-8")
    return path


def markdown(record: dict[str, Any]) -> str:
    m = record["machine"]
    lines = [f"# `compare` wall time and memory, {record['date'][:10]}", "",
             f"- machine: {m['cpu']}, {m['cpu_count']} logical CPUs, {m['platform']}",
             f"- commit {record['git_commit']}; " + ", ".join(f"{k} {v}" for k, v in record["versions"].items() if v),
             f"- options: {' '.join(record['config']['compare_options']) or '(defaults)'}", "",
             "| run | wall s | printed total s | wall - total | peak RSS MiB | documents | claims | candidate pairs "
             "| cache hits | time split |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in record["runs"]:
        split = ", ".join(f"{k} {v:.2f}" for k, v in r["stage_seconds"].items() if k != "total" and v >= 0.005)
        lines.append(f"| {r['name']} | {r['wall_seconds']:.2f} | {r['printed_total']:.2f} | {r['gap_seconds']:.2f} | "
                     f"{r['peak_rss_mb']:.0f} | {r['documents']} | {r['claims']} | {r['pairs_candidates']} | "
                     f"{r['cache_hits']} | {split} |")
    warm = record.get("warm_median")
    if warm:
        lines += ["", f"Warm runs (median of {warm['runs']}): wall {warm['wall_seconds']:.2f} s, printed total "
                      f"{warm['printed_total']:.2f} s, gap {warm['gap_seconds']:.2f} s."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description="Whole-process timing of compare (see the module docstring).")
    parser.add_argument("--example", default=None, help="Inputs of the cold and warm runs (e.g. examples/summit).")
    parser.add_argument("--warm-runs", type=int, default=3, help="Warm runs after the cold one.")
    parser.add_argument("--long-doc-mb", type=float, default=None, help="Size of the single long document, MB.")
    parser.add_argument("--long-doc-breaks", choices=("blank", "line"), default="blank",
                        help="What separates the long document's stories: blank lines or single newlines.")
    parser.add_argument("--corpus-docs", type=int, default=None, help="Documents of the synthetic corpus.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=None, help="Seconds allowed per run.")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results", help="Folder for the results.")
    parser.add_argument("--name", default=None, help="File stem (default startup-<date>).")
    parser.add_argument("options", nargs="*", help="Further compare options, after --: e.g. -- --backend onnx.")
    args = parser.parse_args(argv)

    from contradict.runinfo import run_info

    runs: list[dict[str, Any]] = []
    warm_median = None
    with tempfile.TemporaryDirectory(prefix="contradict-startup-") as tmp:
        work = Path(tmp)
        if args.example:
            cache = work / "example-cache.sqlite3"  # fresh: the first run is cold
            runs.append({"name": "example cold", **run_compare([args.example], work, cache, args.options, args.timeout)})
            warm = [run_compare([args.example], work, cache, args.options, args.timeout) for _ in range(args.warm_runs)]
            runs += [{"name": f"example warm {i + 1}", **r} for i, r in enumerate(warm)]
            if warm:
                warm_median = {key: round(statistics.median(r[key] for r in warm), 3)
                               for key in ("wall_seconds", "printed_total", "gap_seconds")}
                warm_median["runs"] = len(warm)
        if args.long_doc_mb:
            doc = long_document(work / "long.txt", args.long_doc_mb, args.long_doc_breaks, args.seed)
            r = run_compare([str(doc), "--source", "Wire"], work, work / "long-cache.sqlite3", args.options,
                            args.timeout)
            runs.append({"name": f"one document of {doc.stat().st_size / 1e6:.2f} MB ({args.long_doc_breaks} breaks)",
                         **r})
        if args.corpus_docs:
            corpus = write_corpus(work / "corpus.jsonl", args.corpus_docs, seed=args.seed)
            r = run_compare([str(corpus)], work, work / "corpus-cache.sqlite3", args.options, args.timeout)
            runs.append({"name": f"corpus of {args.corpus_docs} documents", **r})
    config = {"example": args.example, "warm_runs": args.warm_runs, "long_doc_mb": args.long_doc_mb,
              "long_doc_breaks": args.long_doc_breaks, "corpus_docs": args.corpus_docs, "seed": args.seed,
              "compare_options": args.options}
    record = run_info(benchmark="contradict-startup/1", config=config, runs=runs, warm_median=warm_median)
    return write_record(record, args.out, args.name or f"startup-{dt.date.today().isoformat()}", markdown)


if __name__ == "__main__":
    main()
