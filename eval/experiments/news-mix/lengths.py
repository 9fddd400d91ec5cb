"""Token lengths of premise/hypothesis pairs under the base model's tokenizer: what a max length truncates.

    python eval/experiments/news-mix/lengths.py [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from contradict.models import load_tokenizer, minilm_path  # noqa: E402

FILES = ("news/claim_pairs_dev.jsonl", "nli/lingnli_train.jsonl", "nli/mnli_taxinli_dev.jsonl",
         "nli/snli_dev.jsonl", "nli/cad_snli_train.jsonl", "nli/fever_symmetric_dev.jsonl")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    tokenizer = load_tokenizer(minilm_path())
    print("| file | pairs | median | 99th pct. | max | > 64 tokens | > 128 tokens |\n|---|---|---|---|---|---|---|")
    for name in FILES:
        rows = [json.loads(line) for line in (args.data_dir / name).open(encoding="utf-8")]
        ids = tokenizer([r["premise"] for r in rows], [r["hypothesis"] for r in rows])["input_ids"]
        n = np.array([len(x) for x in ids])
        print(f"| {name} | {len(n)} | {np.median(n):.0f} | {np.percentile(n, 99):.0f} | {n.max()} | "
              f"{(n > 64).mean():.1%} | {(n > 128).mean():.2%} |")


if __name__ == "__main__":
    main()
