"""`contradict train`: fine-tune an encoder into a 3-way NLI cross-encoder, on a CPU.

The recipe is a TOML file (``models/recipes/``, read by :mod:`.recipes`; the pairs it
names come from :mod:`.data`). Training is seeded, shows progress, writes a resumable
checkpoint every ``checkpoint_every`` steps and keeps the checkpoint that scores best
on the dev files only. ``export`` writes the
chosen checkpoint as fp16 safetensors with the tokenizer and ``contradict.json``.
"""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from contradict.batching import collate, length_order
from contradict.errors import ConfigError
from contradict.progress import progress
from contradict.types import LABELS

from .data import LABEL2ID, _read_jsonl, build_training_set
from .recipes import EXPORT_FIELDS, Recipe

log = logging.getLogger(__name__)


# -- training ---------------------------------------------------------------------------------------

def _batches(n_items: int, lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar length: shuffle, sort within windows of 50 batches, shuffle batches."""
    order = list(range(n_items))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, n_items, window):
        chunk = sorted(order[start:start + window], key=lambda i: lengths[i])
        batches += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def _evaluate(model, tokenizer, dev: list[dict], max_length: int, batch_size: int = 64,
              device: str = "cpu") -> dict[str, Any]:
    """Accuracy per dev set and contradiction AP overall; the selection score is their mean."""
    import torch
    from sklearn.metrics import accuracy_score, average_precision_score

    model.eval()
    enc = encode_pairs(tokenizer, dev, max_length)
    order = length_order(enc["input_ids"])
    probs = np.zeros((len(dev), 3), dtype=np.float32)
    with torch.inference_mode():
        for s in range(0, len(order), batch_size):
            batch = order[s:s + batch_size]
            inputs = collate(enc, batch, tokenizer.pad_token_id or 0, device)
            probs[batch] = torch.softmax(model(**inputs).logits.float(), -1).cpu().numpy()
    model.train()
    gold = np.array([LABEL2ID[r["label"]] for r in dev])
    pred = probs.argmax(1)
    sets = sorted({r["dev_set"] for r in dev})
    metrics: dict[str, Any] = {}
    for name in sets:
        idx = np.array([r["dev_set"] == name for r in dev])
        metrics[f"{name}/accuracy"] = float(accuracy_score(gold[idx], pred[idx]))
        y = gold[idx] == 2
        if 0 < y.sum() < len(y):
            metrics[f"{name}/contradiction_ap"] = float(average_precision_score(y, probs[idx, 2]))
    metrics["selection_score"] = float(np.mean(list(metrics.values())))
    return {"metrics": metrics, "probs": probs, "gold": gold}


RECIPE_FILE = "recipe.json"
#: What a run folder holds, all of it removed by ``--restart``.
RUN_FILES = ("data.jsonl", "checkpoint-last", "best", "trainer_state.json", RECIPE_FILE)


def _claim_run_folder(out: Path, recipe: Recipe, *, resume: bool) -> None:
    """Make ``out`` this recipe's run folder. A folder holding another recipe's run is refused (its data and
    checkpoints would be reused); ``resume=False`` clears the folder's run first."""
    if out.exists() and not out.is_dir():
        raise ConfigError(f"cannot use {out} as the run folder: it is a file")
    if not resume:
        for name in RUN_FILES:
            path = out / name
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    identity = json.loads(json.dumps(recipe.identity()))  # as JSON reads it back (tuples become lists)
    stored = out / RECIPE_FILE
    if stored.is_file():
        before = json.loads(stored.read_text(encoding="utf-8"))
        # the name and the decision fields only change what --export writes, so a finished run can be
        # exported again under another name or with another decision
        changed = sorted(k for k in set(before) | set(identity)
                         if k not in EXPORT_FIELDS and before.get(k) != identity.get(k))
        if changed:
            raise ConfigError(f"{out} holds a run of another recipe (it differs in {', '.join(changed)}); give "
                              "another --output, or --restart to discard that run")
    elif any((out / name).exists() for name in RUN_FILES):
        log.warning("%s holds a run without a record of its recipe; continuing it as this recipe's", out)
    out.mkdir(parents=True, exist_ok=True)
    stored.write_text(json.dumps(identity, indent=1) + "\n", encoding="utf-8")


def encode_pairs(tokenizer: Any, rows: list[dict[str, Any]], max_length: int) -> dict[str, list[list[int]]]:
    """Unpadded token ids (and token type ids) of each row's premise/hypothesis pair."""
    enc = tokenizer([r["premise"] for r in rows], [r["hypothesis"] for r in rows], truncation=True,
                    max_length=max_length, return_attention_mask=False)
    return {k: v for k, v in enc.items() if k in ("input_ids", "token_type_ids")}


def training_step(model: Any, inputs: dict[str, Any], labels: Any, precision: str = "fp32") -> Any:
    """Forward pass (under bfloat16 autocast for ``precision == "bf16"``), cross-entropy in float32,
    backward pass and gradient clipping to norm 1; the optimiser step is the caller's. Returns the loss."""
    import torch

    with torch.autocast(labels.device.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
        logits = model(**inputs).logits
    loss = torch.nn.functional.cross_entropy(logits.float(), labels)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    return loss


def training_device(name: str = "auto") -> str:
    """``cpu``, ``cuda`` or ``cuda:N``; ``auto`` is the first GPU where torch sees one, else the CPU."""
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ConfigError(f"--device {name}: torch sees no CUDA GPU here (use --device cpu or auto)")
    if name != "cpu" and not name.startswith("cuda"):
        raise ConfigError(f"--device {name}: expected auto, cpu, cuda or cuda:N")
    return name


def train(recipe: Recipe, data_dir: str | Path, output_dir: str | Path, *, resume: bool = True,
          show_progress: bool = True, max_steps: int | None = None, device: str = "auto") -> Path:
    """Run the recipe; returns the directory of the best checkpoint (chosen on dev only).

    The same recipe runs on the CPU or a GPU (``device``) with the same batches in the same order; the
    weights then differ only by floating-point rounding, so a GPU run is a faster, not an identical,
    reproduction of a CPU run."""
    import torch
    from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup

    from contradict.models import load_tokenizer, resolve_model

    recipe.check()
    data_dir, out = Path(data_dir), Path(output_dir)
    device = training_device(device)
    base = resolve_model(recipe.base)
    tokenizer = load_tokenizer(base)  # a base that cannot load fails here, before any data work
    _claim_run_folder(out, recipe, resume=resume)
    random.seed(recipe.seed)
    np.random.seed(recipe.seed)
    torch.manual_seed(recipe.seed)
    if recipe.num_threads:
        torch.set_num_threads(recipe.num_threads)

    data_file = out / "data.jsonl"
    if data_file.exists():
        rows = _read_jsonl(data_file)
        train_rows = [r for r in rows if "dev_set" not in r]
        dev_rows = [r for r in rows if "dev_set" in r]
    else:
        train_rows, dev_rows = build_training_set(recipe, data_dir)
        if not train_rows:
            raise ConfigError("the recipe gives no training pairs (no [[nli]], [[stance]] or [augment] data, or "
                              "their part and split keep nothing)")
        tmp = data_file.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for r in train_rows + dev_rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        tmp.replace(data_file)
    mix = Counter(r["origin"].split(":")[0] for r in train_rows)
    labels = Counter(r["label"] for r in train_rows)
    log.info("training pairs: %d %s; labels %s; dev pairs: %d; device %s", len(train_rows), dict(mix),
             dict(labels), len(dev_rows), device)

    last = out / "checkpoint-last"
    start_from = last if resume and (last / "trainer_state.json").exists() else None
    model = AutoModelForSequenceClassification.from_pretrained(
        start_from or base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id=LABEL2ID,
        dtype=torch.float32).to(device)  # float32 even from fp16 weights (a shipped model as the base)
    enc = encode_pairs(tokenizer, train_rows, recipe.max_length)
    y = torch.tensor([LABEL2ID[r["label"]] for r in train_rows], device=device)
    lengths = [len(s) for s in enc["input_ids"]]

    steps_per_epoch = math.ceil(len(train_rows) / recipe.batch_size)
    total_steps = int(math.ceil(steps_per_epoch * recipe.epochs))
    if max_steps is not None:
        total_steps = min(total_steps, max_steps)
    decay = [p for n, p in model.named_parameters() if not any(k in n for k in ("bias", "LayerNorm"))]
    no_decay = [p for n, p in model.named_parameters() if any(k in n for k in ("bias", "LayerNorm"))]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": recipe.weight_decay},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=recipe.learning_rate)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(recipe.warmup_ratio * total_steps), total_steps)
    state = {"step": 0, "best_score": -1.0, "best_step": None, "history": [], "total_steps": total_steps}
    if start_from is not None:
        state = json.loads((last / "trainer_state.json").read_text())
        if state.setdefault("total_steps", total_steps) != total_steps:
            raise ConfigError(f"{out} holds a run of {state['total_steps']} steps and this one has {total_steps} "
                              "(its learning rate schedule differs): rerun with the same --max-steps, or --restart")
        opt = torch.load(last / "optimizer.pt", weights_only=False, map_location=device)
        optimizer.load_state_dict(opt["optimizer"])
        scheduler.load_state_dict(opt["scheduler"])
        torch.set_rng_state(opt["torch_rng"].cpu())
        if opt.get("cuda_rng") is not None and str(device).startswith("cuda"):
            torch.cuda.set_rng_state(opt["cuda_rng"].cpu(), device=device)  # dropout on a GPU draws from here
        log.info("resuming from step %d", state["step"])

    # The batch order of every epoch is drawn from the seed, so a resumed run sees the same batches.
    schedule: list[list[int]] = []
    epoch = 0
    while len(schedule) < total_steps:
        schedule += _batches(len(train_rows), lengths, recipe.batch_size, random.Random(recipe.seed + epoch))
        epoch += 1
    schedule = schedule[:total_steps]

    def save_last() -> None:
        tmp = out / "checkpoint-last.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)  # the last checkpoint is a usable model too
        cuda_rng = torch.cuda.get_rng_state(device) if str(device).startswith("cuda") else None
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                    "torch_rng": torch.get_rng_state(), "cuda_rng": cuda_rng}, tmp / "optimizer.pt")
        (tmp / "trainer_state.json").write_text(json.dumps(state, indent=1))
        shutil.rmtree(last, ignore_errors=True)
        tmp.rename(last)  # a crash mid-save leaves the previous checkpoint intact

    def evaluate_and_keep() -> None:
        if not dev_rows:  # nothing to choose on: the latest checkpoint is the one kept
            model.save_pretrained(out / "best")
            tokenizer.save_pretrained(out / "best")
            return
        result = _evaluate(model, tokenizer, dev_rows, recipe.max_length, device=device)
        m = result["metrics"]
        state["history"].append({"step": state["step"], **m})
        log.info("step %d dev %s", state["step"], json.dumps({k: round(v, 4) for k, v in m.items()}))
        if m["selection_score"] > state["best_score"]:
            state["best_score"], state["best_step"] = m["selection_score"], state["step"]
            model.save_pretrained(out / "best")
            tokenizer.save_pretrained(out / "best")

    model.train()
    started = time.time()
    with progress(show_progress, total_steps, "training") as advance:
        advance(state["step"])
        while state["step"] < total_steps:
            batch = schedule[state["step"]]
            loss = training_step(model, collate(enc, batch, tokenizer.pad_token_id or 0, device), y[batch],
                                 recipe.precision)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            state["step"] += 1
            advance(1)
            if state["step"] % 50 == 0:
                log.info("step %d/%d loss %.4f (%.1f pairs/s)", state["step"], total_steps, loss.item(),
                         50 * recipe.batch_size / max(time.time() - started, 1e-9))
                started = time.time()
            if state["step"] % recipe.eval_every == 0 or state["step"] == total_steps:
                evaluate_and_keep()
            if state["step"] % recipe.checkpoint_every == 0 or state["step"] == total_steps:
                save_last()
    (out / "trainer_state.json").write_text(json.dumps(state, indent=1))
    return out / "best"


def check_export(target: str | Path, recipe: Recipe) -> None:
    """Refuse an export that would fail after training: no dev pairs to fit the threshold on, or a file
    where the model folder should go."""
    if not recipe.dev:
        raise ConfigError("--export fits the decision threshold on the recipe's [[dev]] pairs, and it has none")
    if Path(target).exists() and not Path(target).is_dir():
        raise ConfigError(f"cannot export to {target}: it is a file, not a folder")


def export(checkpoint: str | Path, target: str | Path, *, recipe: Recipe, data_dir: str | Path,
           extra: dict[str, Any] | None = None) -> Path:
    """Write ``checkpoint`` as an fp16 safetensors model with ``contradict.json`` (decision fitted on dev)."""
    import torch
    from transformers import AutoModelForSequenceClassification

    from contradict.decide import ContradictionDecider, cross_fit
    from contradict.models import load_tokenizer, set_config_dtype
    from contradict.pipeline import reduce_directions

    checkpoint, target = Path(checkpoint), Path(target)
    check_export(target, recipe)
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
    tokenizer = load_tokenizer(checkpoint, config=model.config)  # the config is loaded already
    state = json.loads((checkpoint.parent / "trainer_state.json").read_text())
    rows = _read_jsonl(checkpoint.parent / "data.jsonl")
    dev_rows = [r for r in rows if "dev_set" in r]
    result = _evaluate(model, tokenizer, dev_rows, recipe.max_length)
    fit_on = sorted(set(recipe.decision_fit) or {r["dev_set"] for r in dev_rows})
    keep = np.array([r["dev_set"] in fit_on for r in dev_rows])
    # the decision is applied by compare to the more contradictory of the two directions: fit it on the same
    fitted_rows = [r for r, k in zip(dev_rows, keep) if k]
    swapped = [{**r, "premise": r["hypothesis"], "hypothesis": r["premise"]} for r in fitted_rows]
    reduced, _ = reduce_directions(result["probs"][keep], _evaluate(model, tokenizer, swapped, recipe.max_length)["probs"])
    p_contra, p_entail, gold = reduced[:, 2], reduced[:, 0], result["gold"][keep] == 2
    params = {"calibration": "platt", "objective": recipe.decision_objective, "gate": recipe.decision_gate}
    try:
        decider = ContradictionDecider(**params).fit(p_contra, gold, p_entailment=p_entail)
    except ValueError as exc:
        raise ConfigError(f"cannot fit the decision threshold on the dev pairs of {', '.join(fit_on)}: {exc}") \
            from None
    # what the decision does on pairs it was not fitted on: 5-fold cross-fitting on the same dev pairs
    cross = {"folds": 5, "seed": recipe.seed, "pairs": int(keep.sum()), "contradictions": int(gold.sum())}
    try:
        crossed = cross_fit(p_contra, gold, p_entail, folds=5, seed=recipe.seed, **params)
        cross.update({k: crossed[k] for k in ("precision", "recall", "f1", "flagged", "thresholds")})
    except ValueError as exc:  # too few dev pairs for five folds of both classes: the decision still ships
        cross["skipped"] = str(exc)
    target.mkdir(parents=True, exist_ok=True)
    model.to(torch.float16).save_pretrained(target, safe_serialization=True)
    set_config_dtype(target)  # fp16 on disk, loaded as float32 by plain transformers (see SHIPPED_CONFIG_DTYPE)
    tokenizer.save_pretrained(target)
    meta = {
        "name": recipe.name,
        "base": recipe.base,
        "max_length": recipe.max_length,
        "threshold": float(decider.threshold_),
        "decision": decider.to_dict(),
        "decision_fitted_on": fit_on,
        "decision_directions": "both",
        "decision_cross_fit": cross,
        "dev_metrics": result["metrics"],
        "best_step": state["best_step"],
        "training_pairs": sum(1 for r in rows if "dev_set" not in r),
        **(extra or {}),
    }
    (target / "contradict.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return target
