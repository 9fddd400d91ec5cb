"""Training speed on this machine: fp32 against bfloat16 autocast (the recipe key ``precision``).

    python eval/bench/train_precision.py [--base minilm-base] [--data-dir ../shared/data] \
        [--recipe models/recipes/contradict-nli-minilm-stance/stage1.toml] [--steps 40] [--repeats 2] \
        [--out eval/results/train-precision]

Runs the training step of ``contradict train`` (length-grouped batches of 32 built as the trainer
builds them, forward, loss, backward, clipping, AdamW) on the human-labelled pairs of the shipped
recipe's first stage (``--recipe``: its SNLI and MultiNLI parts and FNC-1 body/headline pairs, no
augmentation), for each precision in turn, ``--repeats`` times, interleaved so both see the same
machine load. Every run starts from
the same weights and takes the same batches. Reports pairs per second and the bf16/fp32 ratio, and
the loss after the last step of each, so that a precision that trains faster but not as well shows.
Writes ``results.json`` (git commit, versions, machine) and ``summary.md`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

RECIPE = Path(__file__).resolve().parents[2] / "models" / "recipes" / "contradict-nli-minilm-stance" / "stage1.toml"


def main(argv: list[str] | None = None) -> dict:
    import torch
    from transformers import AutoModelForSequenceClassification

    from contradict.batching import collate
    from contradict.models import load_tokenizer, resolve_model
    from contradict.runinfo import cpu_features, run_info
    from contradict.training.data import LABEL2ID, build_training_set
    from contradict.training.recipes import Recipe
    from contradict.training.trainer import _batches, encode_pairs, training_step

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="minilm-base")
    parser.add_argument("--data-dir", default="../shared/data")
    parser.add_argument("--recipe", default=str(RECIPE), help="recipe whose [[nli]] and [[stance]] pairs are timed")
    parser.add_argument("--steps", type=int, default=40, help="timed steps per run (after 5 warm-up steps)")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out", default="eval/results/train-precision")
    args = parser.parse_args(argv)

    shipped = Recipe.from_file(args.recipe)
    recipe = Recipe(name="bench", base=args.base, nli=shipped.nli, stance=shipped.stance, dev=[])
    rows, _ = build_training_set(recipe, Path(args.data_dir))
    base = resolve_model(args.base)
    tokenizer = load_tokenizer(base)
    enc = encode_pairs(tokenizer, rows, shipped.max_length)
    y = torch.tensor([LABEL2ID[r["label"]] for r in rows])
    batches = _batches(len(rows), [len(s) for s in enc["input_ids"]], shipped.batch_size, random.Random(0))
    batches = batches[: args.steps + 5]
    tokens = sum(len(enc["input_ids"][i]) for b in batches[5:] for i in b)

    def run(precision: str) -> dict:
        torch.manual_seed(0)
        model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3, dtype=torch.float32)
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=shipped.learning_rate)
        losses = []
        for n, batch in enumerate(batches):
            if n == 5:
                started = time.perf_counter()
            loss = training_step(model, collate(enc, batch, tokenizer.pad_token_id or 0), y[batch], precision)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(loss.item())
        seconds = time.perf_counter() - started
        pairs = sum(len(b) for b in batches[5:])
        return {"precision": precision, "seconds": seconds, "pairs_per_s": pairs / seconds,
                "mean_loss_last_10": statistics.mean(losses[-10:])}

    runs = []
    for repeat in range(args.repeats):
        for precision in ("fp32", "bf16"):
            runs.append({"repeat": repeat, **run(precision)})
            print(json.dumps(runs[-1]), flush=True)
    speed = {p: statistics.median(r["pairs_per_s"] for r in runs if r["precision"] == p) for p in ("fp32", "bf16")}
    summary = {"training_pairs": len(rows), "timed_steps": len(batches) - 5, "timed_tokens": tokens,
               "median_pairs_per_s": speed, "bf16_over_fp32": speed["bf16"] / speed["fp32"]}
    print(json.dumps(summary), flush=True)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    record = {"run": run_info(base=args.base, recipe=args.recipe, steps=args.steps, repeats=args.repeats, batch_size=shipped.batch_size,
                              max_length=shipped.max_length, torch_threads=torch.get_num_threads(),
                              cpu_flags=cpu_features(),
                              command="python " + " ".join([sys.argv[0], *(argv or sys.argv[1:])])),
              "summary": summary, "runs": runs}
    (out / "results.json").write_text(json.dumps(record, indent=2) + "\n")
    lines = ["# Training speed: fp32 against bf16 autocast", "",
             f"Base `{args.base}`, {summary['timed_steps']} timed steps of {shipped.batch_size} pairs "
             f"({tokens:,} tokens) from the shipped recipe's human-labelled pairs, {args.repeats} interleaved "
             f"repeats, {torch.get_num_threads()} torch threads; CPU flags: {', '.join(cpu_features()) or 'unknown'}.", "",
             "| repeat | precision | pairs/s | mean loss, last 10 steps |", "|---:|---|---:|---:|"]
    lines += [f"| {r['repeat']} | {r['precision']} | {r['pairs_per_s']:.1f} | {r['mean_loss_last_10']:.3f} |"
              for r in runs]
    lines += ["", f"Median: fp32 {speed['fp32']:.1f} pairs/s, bf16 {speed['bf16']:.1f} pairs/s: "
              f"**{summary['bf16_over_fp32']:.2f}x**."]
    (out / "summary.md").write_text("\n".join(lines) + "\n")
    return record


if __name__ == "__main__":
    main()
