"""Does ``--directions auto`` keep the findings of ``--directions both``? Checked per backend.

    python eval/bench/check_directions.py --model models/contradict-nli-minilm [--docs 300]

Runs compare twice (both, auto) on one synthetic corpus (eval/bench/corpus.py) for torch, ONNX fp32
and ONNX int8, and prints, per backend, the findings of each run, how many flagged pairs differ,
and how many reverse directions auto skipped. Counts only: no timing, so it may share the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from corpus import write_corpus  # noqa: E402


def main(argv: list[str] | None = None) -> list[dict]:
    from contradict.cli.main import _extractor
    from contradict.embed import Embedder
    from contradict.pipeline import compare
    from contradict.read import read_documents
    from contradict.scorer import NLIScorer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        documents, _ = read_documents([str(write_corpus(Path(tmp) / "corpus.jsonl", args.docs, seed=args.seed))])
        extractor, embedder = _extractor(None, False), Embedder()
        for backend, quantize in (("torch", False), ("onnx", False), ("onnx", True)):
            scorer = NLIScorer(args.model, backend=backend, quantize=quantize, export_dir=Path(tmp) / "onnx")
            runs = {d: compare(documents, scorer=scorer, extractor=extractor, embedder=embedder, directions=d)
                    for d in ("both", "auto")}
            flagged = {d: {(f.score.pair.a.id, f.score.pair.b.id) for f in r.findings} for d, r in runs.items()}
            rows.append({"backend": backend + (" int8" if quantize else " fp32"), "documents": len(documents),
                         "candidate_pairs": runs["both"].stats.pairs_candidates,
                         "directions_both": runs["both"].stats.pairs_scored,
                         "directions_auto": runs["auto"].stats.pairs_scored,
                         "reverse_skipped": runs["auto"].stats.pairs_reverse_skipped,
                         "findings_both": len(flagged["both"]), "findings_auto": len(flagged["auto"]),
                         "flagged_pairs_differing": len(flagged["both"] ^ flagged["auto"])})
            print(json.dumps(rows[-1]), flush=True)
    return rows


if __name__ == "__main__":
    main()
