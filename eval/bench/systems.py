"""One measurement in its own process, so that peak RSS belongs to one system only.

    python eval/bench/systems.py pairs SYSTEM --pairs FILE --model DIR --out RESULT.json [--probs P.npy]
    python eval/bench/systems.py compare --docs FILE --model DIR --out RESULT.json [--backend onnx] [--directions auto]
        [--checks none]
    python eval/bench/systems.py export --model DIR --out RESULT.json --export-dir DIR

``pairs`` scores every line of a JSONL file of ``premise``/``hypothesis`` with one system:

* ``hf-pipeline``: transformers' text-classification pipeline, one pair per call;
* ``st-crossencoder``: sentence-transformers' ``CrossEncoder.predict(batch_size=32)``;
* ``contradict-torch``, ``contradict-onnx-fp32``, ``contradict-onnx-int8``: :class:`contradict.scorer.NLIScorer`.

Every system runs in float32 with the same thread count and max_length, scores a warm-up of
``--warmup`` pairs first (untimed), then all pairs ``--repeats`` times (timed; the median pass
counts, as a shared machine's speed drifts from one minute to the next). Probabilities are saved in the
column order [entailment, neutral, contradiction] so that the driver can compare systems.

``compare`` times :func:`contradict.pipeline.compare` on a corpus (loading the extractor, embedder
and scorer is timed apart), and writes the run's stats. ``export`` makes the ONNX exports (fp32,
then int8) ahead of the timed runs and times them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

SYSTEMS = ("hf-pipeline", "st-crossencoder", "contradict-torch", "contradict-onnx-fp32", "contradict-onnx-int8")


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_pairs(path: Path, limit: int | None = None) -> list[tuple[str, str]]:
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                pairs.append((record["premise"], record["hypothesis"]))
    return pairs[:limit]


def _columns(id2label: dict) -> list[int]:
    from contradict.scorer import label_permutation

    return label_permutation({int(k): v for k, v in id2label.items()})


def build_scorer(system: str, model: str, *, threads: int, max_length: int, batch_size: int,
                 export_dir: Path | None = None):
    """A callable ``pairs -> (n, 3)`` probabilities [entailment, neutral, contradiction], and facts about it."""
    import torch

    torch.set_num_threads(threads)
    if system == "hf-pipeline":
        from transformers import pipeline

        pipe = pipeline("text-classification", model=model, device="cpu", dtype=torch.float32)
        id2label = pipe.model.config.id2label
        column = {id2label[index]: col for col, index in enumerate(_columns(id2label))}

        def score(pairs):
            out = np.zeros((len(pairs), 3), dtype=np.float32)
            for i, (p, h) in enumerate(pairs):  # one pair per call, as the pipeline is usually used
                for item in pipe({"text": p, "text_pair": h}, top_k=None, truncation=True, max_length=max_length):
                    out[i, column[item["label"]]] = item["score"]
            return out

        return score, {"dtype": str(pipe.model.dtype)}
    if system == "st-crossencoder":
        from sentence_transformers import CrossEncoder

        encoder = CrossEncoder(model, device="cpu", max_length=max_length, local_files_only=True,
                               model_kwargs={"dtype": torch.float32})
        perm = _columns(encoder.model.config.id2label)

        def score(pairs):
            probs = encoder.predict(pairs, batch_size=batch_size, apply_softmax=True, show_progress_bar=False)
            return np.asarray(probs, dtype=np.float32)[:, perm]

        return score, {"dtype": str(encoder.model.dtype)}
    from contradict.scorer import NLIScorer

    backend, quantize = {"contradict-torch": ("torch", False), "contradict-onnx-fp32": ("onnx", False),
                         "contradict-onnx-int8": ("onnx", True)}[system]
    scorer = NLIScorer(model, backend=backend, quantize=quantize, num_threads=threads, max_length=max_length,
                       batch_size=batch_size, export_dir=export_dir).load()
    return scorer.score, {"describe": scorer.describe()}


def run_pairs(args: argparse.Namespace) -> dict:
    pairs = read_pairs(args.pairs, args.limit)
    start = time.perf_counter()
    score, facts = build_scorer(args.system, args.model, threads=args.threads, max_length=args.max_length,
                                batch_size=args.batch_size, export_dir=args.export_dir)
    load = time.perf_counter() - start
    score(pairs[:args.warmup])
    passes = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        probs = score(pairs)
        passes.append(time.perf_counter() - start)
    if args.probs:
        np.save(args.probs, probs)
    seconds = float(np.median(passes))
    return {"system": args.system, "pairs": len(pairs), "seconds": seconds, "pairs_per_second": len(pairs) / seconds,
            "passes_pairs_per_second": [len(pairs) / s for s in passes],
            "load_seconds": load, "peak_rss_mb": peak_rss_mb(), "threads": args.threads,
            "batch_size": None if args.system == "hf-pipeline" else args.batch_size, **facts}


def run_compare(args: argparse.Namespace) -> dict:
    import torch

    from contradict.cli.main import _extractor
    from contradict.embed import Embedder
    from contradict.pipeline import compare
    from contradict.read import read_documents
    from contradict.scorer import NLIScorer

    torch.set_num_threads(args.threads)
    start = time.perf_counter()
    documents, _ = read_documents([str(args.docs)])
    extractor = _extractor(None, False)
    embedder = Embedder().load()  # models load on first use otherwise: loading is timed apart
    scorer = NLIScorer(args.model, backend=args.backend, quantize=args.backend == "onnx", num_threads=args.threads,
                       export_dir=args.export_dir).load()
    load = time.perf_counter() - start
    start = time.perf_counter()
    report = compare(documents, scorer=scorer, extractor=extractor, embedder=embedder, directions=args.directions,
                     checks=args.checks)
    seconds = time.perf_counter() - start
    s = report.stats
    flagged = sorted(f"{f.score.pair.a.id}|{f.score.pair.b.id}" for f in report.findings)
    return {"documents": s.documents_read, "directions": args.directions, "checks": args.checks, "seconds": seconds,
            "load_seconds": load, "findings_by": s.findings_by,
            "stage_seconds": s.seconds, "claims": s.claims, "claims_used": s.claims_used,
            "pairs_candidates": s.pairs_candidates, "pair_directions": s.pairs_scored,
            "pairs_reverse_skipped": s.pairs_reverse_skipped, "distinct_directions_scored": scorer.pairs_scored,
            "truncated": s.pairs_truncated, "findings": s.findings,
            "findings_sha256": hashlib.sha256("\n".join(flagged).encode()).hexdigest(),
            "peak_rss_mb": peak_rss_mb(), "backend": args.backend, "threads": args.threads,
            "model": scorer.describe()}


def run_export(args: argparse.Namespace) -> dict:
    from contradict.scorer import NLIScorer

    out = {}
    for quantize in (False, True):
        start = time.perf_counter()
        scorer = NLIScorer(args.model, backend="onnx", quantize=quantize, num_threads=args.threads,
                           export_dir=args.export_dir)
        out["int8" if quantize else "fp32"] = {"seconds": time.perf_counter() - start,
                                               "file": scorer.describe()["onnx_file"]}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="One benchmark measurement (run by run_bench.py).")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pairs", help="Score a pairs file with one system.")
    p.add_argument("system", choices=SYSTEMS)
    p.add_argument("--pairs", type=Path, required=True)
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--probs", type=Path, default=None, help="Save the (n, 3) probabilities here (.npy).")
    p.add_argument("--warmup", type=int, default=32)
    p.add_argument("--repeats", type=int, default=3, help="Timed passes; the median counts.")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--max-length", type=int, default=256)
    c = sub.add_parser("compare", help="Time compare on a corpus.")
    c.add_argument("--docs", type=Path, required=True)
    c.add_argument("--backend", choices=("torch", "onnx"), default="onnx")
    c.add_argument("--directions", choices=("both", "auto", "one"), default="both")
    c.add_argument("--checks", default="negation,numbers,agents", help="The detector's checks (none: the model alone).")
    e = sub.add_parser("export", help="Export the model to ONNX (fp32 and int8), timed.")
    for q in (p, c, e):
        q.add_argument("--model", required=True)
        q.add_argument("--threads", type=int, required=True)
        q.add_argument("--out", type=Path, required=True)
        q.add_argument("--export-dir", type=Path, default=None, help="Where ONNX exports are kept.")
    args = parser.parse_args(argv)
    logging_quiet()
    run = {"pairs": run_pairs, "compare": run_compare, "export": run_export}[args.command]
    result = run(args)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def logging_quiet() -> None:
    """Keep library progress bars and load reports off the benchmark's stderr."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout's contradict, not an installed one
    main()
