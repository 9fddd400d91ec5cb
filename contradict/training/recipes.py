"""Training recipes: the TOML files in ``models/recipes/`` that decide a training run.

:class:`Recipe` loads one (unknown keys are errors) and checks every value and sub-table before
training starts, so that a typo fails at once rather than an hour in.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contradict.errors import ConfigError
from contradict.splits import SPLITS

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
