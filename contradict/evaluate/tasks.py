"""Evaluation tasks as data: TOML files in ``eval/tasks/`` that say where a labelled set is and how to read it.

A task file holds a few keys; only ``data`` (or ``hub``) is required::

    # eval/tasks/snli_test.toml
    version = 1
    description = "SNLI dev, the 20% 'test' part by premise hash"
    scheme = "nli"                      # nli | binary | fnc | emergent (the gold label set)
    data = "nli/snli_dev.jsonl"         # or a list; relative to the data dir, or "${data_dir}/..."
    hash_split = { key = "premise", part = "test", fractions = "snli_dev" }

Other keys: ``name`` (default: the file's stem), ``kind`` ("pairs", or "pipeline" for document
sets, see :mod:`contradict.evaluate.pipeline_eval`), ``format`` (jsonl, csv or tsv; default from the
extension, ``.gz`` allowed), ``hub = {id, config, split, revision}`` (a Hugging Face dataset, loaded
with ``datasets.load_dataset(id, config, split=split)``: needs the hub), ``fields`` (the columns for
premise, hypothesis, label, id, and for FNC-style data body_id and body_text), ``bodies`` (the file of
bodies that FNC-style rows name by ``body_id``: the body becomes the premise), ``label_map`` (raw
value -> scheme label, for sets whose labels are spelled differently), ``skip_labels`` (raw values
to drop, e.g. SNLI's "-"), ``filter`` (column -> value or list of values to keep), ``hash_split``
(keep one part of a deterministic split, see :func:`contradict.splits.hash_part`; ``fractions``
names an entry of :data:`contradict.splits.SPLITS` or is an inline table), ``evidence_words``
(reduce each premise with :func:`contradict.evidence.select_evidence`) and
``relatedness_threshold`` (FNC scheme: see :mod:`contradict.evaluate.metrics`) and ``group_by`` (a column,
such as ``category``, whose values split the task's metrics into groups in the run record and summary).

Paths may use ``${data_dir}`` (the data directory: ``--data-dir``, else ``$CONTRADICT_DATA_DIR``,
else ``../shared/data`` from the working directory) and ``${task_dir}`` (the task file's folder);
a plain relative path is taken from the data directory.

CSV follows the usual quoting rules; in TSV files quotes are plain text (as in GLUE's files).
A task can also be named by the path of a data file: a JSONL, CSV or TSV file with premise,
hypothesis and label columns (the label set is recognised from the values), or a JSONL file of
document sets for pipeline evaluation.

All data loads through ``datasets`` (``load_dataset("json" | "csv", data_files=...)``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, InputError
from ..evidence import relatedness, select_evidence
from ..runinfo import sha256_file
from ..splits import SPLITS, hash_part

DATA_DIR_ENV = "CONTRADICT_DATA_DIR"
TASKS_DIR_ENV = "CONTRADICT_TASKS_DIR"
DEFAULT_DATA_DIR = Path("..") / "shared" / "data"
_REPO_TASKS_DIR = Path(__file__).resolve().parents[2] / "eval" / "tasks"

#: FNC scheme: a neutral prediction counts as "discuss" when at least this share of the headline's
#: content words occur in the body, else "unrelated". Chosen on FNC-1 train90 (never on holdout10),
#: where it separates related from unrelated pairs with 95% accuracy.
DEFAULT_RELATEDNESS_THRESHOLD = 0.3


@dataclass(frozen=True)
class LabelScheme:
    """A gold label set and the label that contradiction metrics treat as the positive class.

    ``contradiction`` is False when the positive label is wider than contradiction
    (binary ``not_entailment``): such tasks get no calibrated contradiction metrics.
    """

    name: str
    labels: tuple[str, ...]
    positive: str
    contradiction: bool


SCHEMES: dict[str, LabelScheme] = {
    "nli": LabelScheme("nli", ("entailment", "neutral", "contradiction"), "contradiction", True),
    "binary": LabelScheme("binary", ("entailment", "not_entailment"), "not_entailment", False),
    "fnc": LabelScheme("fnc", ("agree", "disagree", "discuss", "unrelated"), "disagree", True),
    "emergent": LabelScheme("emergent", ("for", "against", "observing"), "against", True),
}

_FIELD_ROLES = ("premise", "hypothesis", "label", "id", "body_id", "body_text")
_DEFAULT_FIELDS = {"premise": "premise", "hypothesis": "hypothesis", "label": "label", "id": "id",
                   "body_id": "body_id", "body_text": "text"}
_TASK_KEYS = {"name", "version", "description", "scheme", "kind", "data", "hub", "format", "bodies", "fields",
              "label_map", "skip_labels", "filter", "hash_split", "evidence_words", "relatedness_threshold",
              "group_by"}
_FORMATS = {"jsonl": "json", "json": "json", "csv": "csv", "tsv": "csv"}
_DATA_SUFFIX = re.compile(r"\.(jsonl|json|csv|tsv)(\.gz)?$", re.IGNORECASE)


@dataclass(frozen=True)
class HashSplit:
    """Keep the rows whose ``key`` column hashes into ``part`` of ``fractions``."""

    key: str
    part: str
    fractions: dict[str, float]
    scheme: str | None = None  # the SPLITS entry the fractions came from, if named


@dataclass(frozen=True)
class Task:
    """A resolved task definition: every path absolute, every default filled in."""

    name: str
    scheme: str = "nli"  # a key of SCHEMES, or "auto" (recognised from the labels when loading)
    kind: str = "pairs"  # "pairs" or "pipeline"
    data: tuple[str, ...] = ()
    hub: dict[str, str | None] | None = None
    format: str | None = None
    bodies: str | None = None
    fields: dict[str, str] = field(default_factory=lambda: dict(_DEFAULT_FIELDS))
    label_map: dict[str, str] = field(default_factory=dict)
    skip_labels: tuple[str, ...] = ()
    filter: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hash_split: HashSplit | None = None
    evidence_words: int | None = None
    relatedness_threshold: float = DEFAULT_RELATEDNESS_THRESHOLD
    group_by: str | None = None  # a column whose values split the metrics into groups
    version: str = "1"
    description: str = ""
    path: str | None = None  # the task file, or None for a task given as a data file

    def describe(self) -> dict[str, Any]:
        """The task's definition as JSON-ready data, for run records."""
        return {
            "name": self.name, "version": self.version, "scheme": self.scheme, "kind": self.kind,
            "file": self.path, "data": list(self.data), "hub": self.hub, "bodies": self.bodies,
            "fields": self.fields, "filter": {k: list(v) for k, v in self.filter.items()},
            "hash_split": None if self.hash_split is None else {
                "key": self.hash_split.key, "part": self.hash_split.part,
                "fractions": self.hash_split.fractions, "scheme": self.hash_split.scheme},
            "evidence_words": self.evidence_words, "group_by": self.group_by,
        }


@dataclass(frozen=True)
class TaskData:
    """A task's examples, ready to score; ``gold`` holds labels of ``scheme``."""

    task: Task
    scheme: LabelScheme
    ids: list[str]
    premises: list[str]
    hypotheses: list[str]
    gold: list[str]
    relatedness: np.ndarray | None  # FNC scheme: headline-body relatedness, else None
    rows: int  # examples after filter and split, before any limit
    files: list[dict[str, Any]]  # {"path", "sha256", "rows"} per data file, or the hub dataset
    sha256: str  # one digest over the files' digests
    dropped: dict[str, int] = field(default_factory=dict)  # rows left out, by reason: filter, hash_split, skip_labels
    groups: list[str] | None = None  # each example's value of the task's group_by column, else None

    def describe(self) -> dict[str, Any]:
        """The ``dataset`` block of a run record: what was read and what was left out, and why."""
        return {"sha256": self.sha256, "rows": self.rows, "files": self.files, "dropped": self.dropped}

    def __len__(self) -> int:
        return len(self.ids)

    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.premises, self.hypotheses))

    def sample(self, limit: int | None, seed: int) -> TaskData:
        """At most ``limit`` examples, drawn without replacement by ``seed``, kept in file order."""
        if limit is None or limit >= len(self):
            return self
        if limit < 1:
            raise ConfigError(f"limit must be at least 1, got {limit}")
        keep = np.sort(np.random.default_rng(seed).choice(len(self), size=limit, replace=False))
        pick = [int(i) for i in keep]
        return replace(
            self,
            ids=[self.ids[i] for i in pick],
            premises=[self.premises[i] for i in pick],
            hypotheses=[self.hypotheses[i] for i in pick],
            gold=[self.gold[i] for i in pick],
            groups=None if self.groups is None else [self.groups[i] for i in pick],
            relatedness=None if self.relatedness is None else self.relatedness[keep],
        )


# -- finding and parsing task definitions -------------------------------------------------------------

def resolve_data_dir(data_dir: str | Path | None = None) -> Path:
    """``data_dir``, else ``$CONTRADICT_DATA_DIR``, else ``../shared/data`` from the working directory."""
    chosen = data_dir if data_dir is not None else os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR
    return Path(chosen).expanduser().resolve()


def check_data_dir(data_dir: str | Path | None = None) -> Path:
    """:func:`resolve_data_dir`, refused with a ConfigError that says where it looked and how to name the folder
    when it is not a folder."""
    base = resolve_data_dir(data_dir)
    if base.is_dir():
        return base
    if data_dir is not None:
        how = "given by --data-dir" + (f" or ${DATA_DIR_ENV}" if os.environ.get(DATA_DIR_ENV) else "")
    elif os.environ.get(DATA_DIR_ENV):
        how = f"from ${DATA_DIR_ENV}"
    else:
        how = f"the default {DEFAULT_DATA_DIR}, taken from the current folder {Path.cwd()}"
    raise ConfigError(f"data folder not found: looked in {base} ({how}); pass --data-dir DIR or set "
                      f"{DATA_DIR_ENV}=DIR, DIR being the folder that holds the task data (nli/, news/, ...)")


def tasks_dirs(tasks_dir: str | Path | None = None) -> list[Path]:
    """Folders searched for ``NAME.toml``: ``tasks_dir`` or ``$CONTRADICT_TASKS_DIR``, else
    ``eval/tasks`` under the working directory and in the source checkout."""
    chosen = tasks_dir if tasks_dir is not None else os.environ.get(TASKS_DIR_ENV)
    if chosen:
        return [Path(chosen).expanduser().resolve()]
    dirs = [(Path.cwd() / "eval" / "tasks").resolve(), _REPO_TASKS_DIR]
    return list(dict.fromkeys(dirs))


def list_tasks(tasks_dir: str | Path | None = None) -> list[str]:
    """Names of the task files found, sorted."""
    names = {p.stem for d in tasks_dirs(tasks_dir) if d.is_dir() for p in d.glob("*.toml")}
    return sorted(names)


def load_task(spec: str | Path | Task, *, data_dir: str | Path | None = None,
              tasks_dir: str | Path | None = None) -> Task:
    """A :class:`Task` from a task name, a task file or a data file (see the module docstring)."""
    if isinstance(spec, Task):
        return spec
    path = Path(spec).expanduser()
    if path.suffix == ".toml":
        if not path.is_file():
            raise ConfigError(f"{path}: task file not found")
        return _task_from_toml(path, data_dir)
    if _DATA_SUFFIX.search(path.name) and (path.is_file() or os.sep in str(spec)):
        if not path.is_file():
            raise InputError(str(path), "file not found")
        return _task_from_data_file(path.resolve())
    for d in tasks_dirs(tasks_dir):
        candidate = d / f"{spec}.toml"
        if candidate.is_file():
            return _task_from_toml(candidate, data_dir)
    known = list_tasks(tasks_dir)
    where = ", ".join(str(d) for d in tasks_dirs(tasks_dir))
    raise ConfigError(f"unknown task {str(spec)!r}: no {spec}.toml in {where} and no such data file"
                      + (f"; known tasks: {', '.join(known)}" if known else ""))


def _task_from_data_file(path: Path) -> Task:
    name = _DATA_SUFFIX.sub("", path.name)
    kind = "pairs"
    if _format_of(path, None) == "jsonl":
        first = next((line for line in _open_text(path) if line.strip()), "")
        try:
            kind = "pipeline" if "documents" in json.loads(first) else "pairs"
        except (json.JSONDecodeError, TypeError):
            pass  # malformed input: reported with its line when the data is read
    return Task(name=name, scheme="auto", kind=kind, data=(str(path),))


def _task_from_toml(path: Path, data_dir: str | Path | None) -> Task:
    path = path.resolve()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(raw) - _TASK_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(unknown)}; "
                          f"expected some of {', '.join(sorted(_TASK_KEYS))}")
    base = resolve_data_dir(data_dir)

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{path}: '{key}' {message}")

    def resolve(value: Any, key: str) -> str:
        if not isinstance(value, str) or not value:
            raise fail(key, f"must be a path string, got {value!r}")
        text = value.replace("${data_dir}", str(base)).replace("${task_dir}", str(path.parent))
        p = Path(text).expanduser()
        if "${data_dir}" in value or not p.is_absolute():
            check_data_dir(data_dir)  # a path in the data folder: say so where there is no such folder
        return str(p if p.is_absolute() else (base / p).resolve())

    data = raw.get("data", [])
    data_list = [data] if isinstance(data, str) else data
    if not isinstance(data_list, list):
        raise fail("data", "must be a path or a list of paths")
    hub = raw.get("hub")
    if hub is not None:
        if not isinstance(hub, dict) or not isinstance(hub.get("id"), str):
            raise fail("hub", "must be a table with at least an 'id' string")
        extra = set(hub) - {"id", "config", "split", "revision"}
        if extra:
            raise fail("hub", f"has unknown key(s) {', '.join(sorted(extra))}")
        hub = {"id": hub["id"], "config": hub.get("config"), "split": hub.get("split", "validation"),
               "revision": hub.get("revision")}
    if bool(data_list) == bool(hub):
        raise ConfigError(f"{path}: give exactly one of 'data' (local files) and 'hub' (a hub dataset)")

    scheme = raw.get("scheme", "nli")
    if scheme not in SCHEMES and scheme != "auto":
        raise fail("scheme", f"is {scheme!r}; expected one of {', '.join(SCHEMES)} or auto")
    kind = raw.get("kind", "pairs")
    if kind not in ("pairs", "pipeline"):
        raise fail("kind", f"is {kind!r}; expected pairs or pipeline")
    fmt = raw.get("format")
    if fmt is not None and fmt not in _FORMATS:
        raise fail("format", f"is {fmt!r}; expected jsonl, csv or tsv")

    fields = dict(_DEFAULT_FIELDS)
    given_fields = raw.get("fields", {})
    if not isinstance(given_fields, dict) or set(given_fields) - set(_FIELD_ROLES):
        raise fail("fields", f"must be a table with keys among {', '.join(_FIELD_ROLES)}")
    fields.update({k: str(v) for k, v in given_fields.items()})

    label_map = raw.get("label_map", {})
    if not isinstance(label_map, dict):
        raise fail("label_map", "must be a table of raw label -> label")
    label_map = {str(k): str(v) for k, v in label_map.items()}
    if scheme in SCHEMES:
        bad = sorted(set(label_map.values()) - set(SCHEMES[scheme].labels))
        if bad:
            raise fail("label_map", f"maps to {', '.join(bad)}, not labels of scheme {scheme} "
                                    f"({', '.join(SCHEMES[scheme].labels)})")

    filters: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw.get("filter", {}), dict):
        raise fail("filter", "must be a table of column -> value or list of values")
    for column, allowed in raw.get("filter", {}).items():
        values = allowed if isinstance(allowed, list) else [allowed]
        if not all(isinstance(v, (str, int, float, bool)) for v in values):
            raise fail("filter", f"for column {column!r} must be a value or a list of values, got {allowed!r}")
        filters[str(column)] = tuple(str(v) for v in values)
    skip_labels = raw.get("skip_labels", [])
    if not isinstance(skip_labels, list):
        raise fail("skip_labels", f"must be a list of labels, got {skip_labels!r}")
    for key in ("version", "description", "name", "group_by"):
        if key in raw and (isinstance(raw[key], bool) or not isinstance(raw[key], (str, int))):
            raise fail(key, f"must be a string, got {raw[key]!r}")
    name = str(raw.get("name", path.stem))
    if not name or name in (".", "..") or any(c in name for c in "/\\"):
        raise fail("name", f"must be a non-empty name without slashes (it names output files), got {name!r}")

    hash_split = None
    if "hash_split" in raw:
        hash_split = _parse_hash_split(raw["hash_split"], fail)

    evidence_words = raw.get("evidence_words")
    if evidence_words is not None and (not isinstance(evidence_words, int) or isinstance(evidence_words, bool)
                                       or evidence_words < 1):
        raise fail("evidence_words", f"must be a positive integer, got {evidence_words!r}")
    threshold = raw.get("relatedness_threshold", DEFAULT_RELATEDNESS_THRESHOLD)
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 1:
        raise fail("relatedness_threshold", f"must be a number in [0, 1], got {threshold!r}")

    return Task(
        name=name,
        scheme=scheme,
        kind=kind,
        data=tuple(resolve(d, "data") for d in data_list),
        hub=hub,
        format=fmt,
        bodies=resolve(raw["bodies"], "bodies") if "bodies" in raw else None,
        fields=fields,
        label_map=label_map,
        skip_labels=tuple(str(v) for v in skip_labels),
        filter=filters,
        hash_split=hash_split,
        evidence_words=evidence_words,
        relatedness_threshold=float(threshold),
        group_by=str(raw["group_by"]) if "group_by" in raw else None,
        version=str(raw.get("version", "1")),
        description=str(raw.get("description", "")),
        path=str(path),
    )


def _parse_hash_split(value: Any, fail) -> HashSplit:
    if not isinstance(value, dict) or not {"key", "part", "fractions"} <= set(value):
        raise fail("hash_split", "must be a table with key, part and fractions")
    extra = sorted(set(value) - {"key", "part", "fractions"})
    if extra:
        raise fail("hash_split", f"has unknown key(s) {', '.join(extra)}")
    fractions = value["fractions"]
    named = None
    if isinstance(fractions, str):
        if fractions not in SPLITS:
            raise fail("hash_split", f"names fractions {fractions!r}; known: {', '.join(SPLITS)}")
        named, fractions = fractions, SPLITS[fractions]
    if not isinstance(fractions, dict) or not fractions:
        raise fail("hash_split", "fractions must name an entry of contradict.splits.SPLITS or be a table")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in fractions.values()):
        raise fail("hash_split", f"fractions must be numbers of at least 0, got {fractions!r}")
    fractions = {str(k): float(v) for k, v in fractions.items()}
    if abs(sum(fractions.values()) - 1.0) > 1e-6:
        raise fail("hash_split", f"fractions must sum to 1, got {sum(fractions.values())}")
    if value["part"] not in fractions:
        raise fail("hash_split", f"part {value['part']!r} is not one of {', '.join(fractions)}")
    return HashSplit(key=str(value["key"]), part=str(value["part"]), fractions=fractions, scheme=named)


# -- reading the data ---------------------------------------------------------------------------------

def _format_of(path: Path, declared: str | None) -> str:
    if declared:
        return declared
    m = _DATA_SUFFIX.search(path.name)
    if not m:
        raise InputError(str(path), "cannot tell the format from the name; set format = jsonl, csv or tsv")
    return {"json": "jsonl"}.get(m.group(1).lower(), m.group(1).lower())


def _open_text(path: Path) -> Iterable[str]:
    """The file's lines; bytes that are not UTF-8 are an :class:`InputError` naming the line."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    number = 0
    try:
        with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
            for number, line in enumerate(fh, start=1):
                yield line
    except UnicodeDecodeError:
        raise InputError(str(path), "not valid UTF-8", line=number + 1) from None


def _line_of(path: Path, fmt: str, row: int) -> int:
    """The 1-based file line of 0-based data row ``row`` (JSONL skips blank lines; CSV has a header)."""
    if fmt != "jsonl":  # the header is line 1; a quoted cell may span lines, so let csv count them
        reader = csv.reader(_open_text(path), **_csv_dialect(fmt))
        start = 1
        for number, _ in enumerate(reader, start=-1):
            if number == row:
                return start
            start = reader.line_num + 1
        return row + 2
    seen = -1
    for number, line in enumerate(_open_text(path), start=1):
        if line.strip():
            seen += 1
            if seen == row:
                return number
    return row + 1


def _csv_dialect(fmt: str) -> dict[str, Any]:
    """How a CSV or TSV file is split into cells (TSV as in GLUE: tab-separated, quotes are text)."""
    return {"delimiter": "\t", "quoting": csv.QUOTE_NONE} if fmt == "tsv" else {"delimiter": ","}


def _first_bad_csv_row(path: Path, fmt: str) -> tuple[int, str] | None:
    """The line where a CSV or TSV file first breaks: no header, or a row whose cells the header does not match."""
    reader = csv.reader(_open_text(path), **_csv_dialect(fmt))
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            if header is None:
                header = cells
                if not any(c.strip() for c in cells):
                    return start, "the first line is not a header row of column names"
            elif cells and len(cells) != len(header):
                return start, f"{len(cells)} cells where the header has {len(header)}"
            start = reader.line_num + 1
    except csv.Error as exc:
        return start, f"not valid {fmt}: {exc}"
    return (1, "empty file") if header is None else None


def _first_bad_json_line(path: Path) -> tuple[int, str] | None:
    for number, line in enumerate(_open_text(path), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            return number, f"not valid JSON: {exc.msg}"
        if not isinstance(value, dict):
            return number, "expected a JSON object"
    return None


class _quiet_datasets:
    """Silence the ``datasets`` progress bars while a task loads (ours go on stderr instead)."""

    def __enter__(self):
        import datasets

        self._was_disabled = datasets.are_progress_bars_disabled()
        datasets.disable_progress_bars()
        return datasets

    def __exit__(self, *exc):
        import datasets

        if not self._was_disabled:
            datasets.enable_progress_bars()
        return False


def read_table(path: str | Path, fmt: str | None = None) -> tuple[list[str], dict[str, list[Any]]]:
    """Column names and columns of a JSONL, CSV or TSV file (gzip allowed), read with ``datasets``.

    Raises InputError naming the file (and the line, for malformed JSON) when it cannot be read.
    """
    path = Path(path)
    fmt = _format_of(path, fmt)
    if not path.is_file():
        raise InputError(str(path), "file not found")
    builder = _FORMATS[fmt]
    kwargs: dict[str, Any] = {}
    if fmt in ("csv", "tsv"):
        kwargs.update(keep_default_na=False, **_csv_dialect(fmt))  # an empty cell is "", not NaN
    with _quiet_datasets() as datasets:
        try:
            ds = datasets.load_dataset(builder, data_files=[str(path)], split="train", **kwargs)
        except Exception as exc:  # datasets wraps parser errors in several exception types
            bad = _first_bad_json_line(path) if fmt == "jsonl" else _first_bad_csv_row(path, fmt)
            if bad:
                raise InputError(str(path), bad[1], line=bad[0]) from None
            raise InputError(str(path), f"cannot read as {fmt}: {exc}") from None
    return list(ds.column_names), ds.to_dict()


def _load_hub(task: Task) -> tuple[list[str], dict[str, list[Any]], dict[str, Any]]:
    hub = task.hub or {}
    with _quiet_datasets() as datasets:
        try:
            ds = datasets.load_dataset(hub["id"], hub.get("config"), split=hub.get("split"),
                                       revision=hub.get("revision"))
        except Exception as exc:  # network, missing config or split: all end here
            raise InputError(f"hub:{hub['id']}", f"cannot load the dataset: {exc}") from None
    info = {"hub": hub["id"], "config": hub.get("config"), "split": hub.get("split"),
            "revision": hub.get("revision"), "fingerprint": getattr(ds, "_fingerprint", None), "rows": len(ds)}
    return list(ds.column_names), ds.to_dict(), info


def _require_columns(where: str, columns: Sequence[str], wanted: dict[str, str]) -> None:
    for role, column in wanted.items():
        if column not in columns:
            raise InputError(where, f"the field map takes the {role} from column '{column}', which the data "
                                    f"does not have (columns: {', '.join(columns)})", line=1, field=column)


def _read_bodies(task: Task) -> dict[str, str]:
    assert task.bodies is not None
    columns, table = read_table(task.bodies)
    id_col, text_col = task.fields["body_id"], task.fields["body_text"]
    _require_columns(task.bodies, columns, {"body_id": id_col, "body_text": text_col})
    return {str(i): "" if t is None else str(t) for i, t in zip(table[id_col], table[text_col])}


def _detect_scheme(labels: Iterable[str]) -> str:
    seen = {lab.lower() for lab in labels}
    for name, scheme in SCHEMES.items():
        if seen <= set(scheme.labels):
            return name
    return "nli"  # the unknown labels are then reported with their line


def load_task_data(task: Task | str | Path, *, data_dir: str | Path | None = None,
                   tasks_dir: str | Path | None = None) -> TaskData:
    """Read, filter, split and check a pairs task's examples.

    Raises InputError (file, line, field) for a missing file, malformed line, a field map that does
    not match the columns, a missing value, an unknown label or an unknown body id.
    """
    task = load_task(task, data_dir=data_dir, tasks_dir=tasks_dir)
    if task.kind != "pairs":
        raise ConfigError(f"task {task.name} is a {task.kind} task, not a set of sentence pairs")
    bodies = _read_bodies(task) if task.bodies else None
    fields = task.fields
    wanted = {"hypothesis": fields["hypothesis"], "label": fields["label"]}
    wanted.update({"body_id": fields["body_id"]} if bodies is not None else {"premise": fields["premise"]})
    wanted.update({f"filter on {c}": c for c in task.filter})
    if task.hash_split:
        wanted["hash_split key"] = task.hash_split.key
    if task.group_by:
        wanted["group_by"] = task.group_by

    sources: list[tuple[str, Path | None, str, list[str], dict[str, list[Any]]]] = []
    files: list[dict[str, Any]] = []
    if task.hub:
        columns, table, info = _load_hub(task)
        sources.append((f"hub:{task.hub['id']}", None, "jsonl", columns, table))
        files.append(info)
    for name in task.data:
        p = Path(name)
        fmt = _format_of(p, task.format)
        columns, table = read_table(p, fmt)
        sources.append((str(p), p, fmt, columns, table))
        files.append({"path": str(p), "sha256": sha256_file(p), "rows": len(next(iter(table.values()), []))})
    if bodies is not None and task.bodies:
        files.append({"path": task.bodies, "sha256": sha256_file(task.bodies), "rows": len(bodies)})

    scheme_name = task.scheme
    if scheme_name == "auto":
        label_col = fields["label"]
        scheme_name = _detect_scheme(str(v).strip() for *_, t in sources for v in t.get(label_col, [])
                                     if v is not None)
    scheme = SCHEMES[scheme_name]
    allowed_labels = {lab.lower(): lab for lab in scheme.labels}

    ids: list[str] = []
    premises: list[str] = []
    hypotheses: list[str] = []
    gold: list[str] = []
    related: list[float] = []
    groups: list[str] = []
    seen_ids: set[str] = set()
    dropped = {"filter": 0, "hash_split": 0, "skip_labels": 0}
    for where, p, fmt, columns, table in sources:
        _require_columns(where, columns, wanted)

        def line(row: int) -> int:
            return _line_of(p, fmt, row) if p is not None else row + 1

        n = len(table[fields["hypothesis"]])
        has_id = fields["id"] in columns
        for i in range(n):
            if any(str(table[c][i]) not in allowed for c, allowed in task.filter.items()):
                dropped["filter"] += 1
                continue
            if task.hash_split:
                hs = task.hash_split
                if hash_part(str(table[hs.key][i]), hs.fractions) != hs.part:
                    dropped["hash_split"] += 1
                    continue
            raw_label = table[fields["label"]][i]
            if raw_label is None or str(raw_label).strip() == "":
                raise InputError(where, "missing label", line=line(i), field=fields["label"])
            raw = str(raw_label).strip()
            if raw in task.skip_labels:
                dropped["skip_labels"] += 1
                continue
            if task.label_map:
                label = task.label_map.get(raw)
                if label is None:
                    raise InputError(where, f"unknown label {raw!r}; the task's label_map knows "
                                            f"{', '.join(sorted(task.label_map))}", line=line(i), field=fields["label"])
            else:
                label = allowed_labels.get(raw.lower())
                if label is None:
                    hint = "set label_map in a task file to translate others"
                    if raw.lstrip("-").isdigit():
                        hint = ("numbered labels need a task file with label_map, e.g. label_map = { \"0\" = "
                                "\"entailment\", \"1\" = \"neutral\", \"2\" = \"contradiction\" } for the order of the "
                                "Hugging Face snli and glue/mnli sets; see eval/tasks/README.md")
                    raise InputError(where, f"unknown label {raw!r}; expected one of {', '.join(scheme.labels)} "
                                            f"(scheme {scheme.name}; {hint})",
                                     line=line(i), field=fields["label"])
            hypothesis = table[fields["hypothesis"]][i]
            if hypothesis is None:
                raise InputError(where, "missing hypothesis", line=line(i), field=fields["hypothesis"])
            if bodies is not None:
                body_id = str(table[fields["body_id"]][i])
                if body_id not in bodies:
                    raise InputError(where, f"no body with id {body_id!r} in {task.bodies}", line=line(i),
                                     field=fields["body_id"])
                premise = bodies[body_id]
            else:
                premise = table[fields["premise"]][i]
                if premise is None:
                    raise InputError(where, "missing premise", line=line(i), field=fields["premise"])
            for role, value in (("premise", premise), ("hypothesis", hypothesis)):
                if isinstance(value, (list, dict)) or not str(value).strip():
                    problem = f"expected text, got {type(value).__name__}" if isinstance(value, (list, dict)) \
                        else "empty text"
                    raise InputError(where, problem, line=line(i),
                                     field=fields["body_id"] if role == "premise" and bodies is not None else fields[role])
            premise, hypothesis = str(premise), str(hypothesis)
            if has_id:
                example_id = str(table[fields["id"]][i])
                if example_id in seen_ids:
                    raise InputError(where, f"duplicate id {example_id!r}", line=line(i), field=fields["id"])
                seen_ids.add(example_id)
            if scheme.name == "fnc":
                related.append(relatedness(hypothesis, premise))
            if task.evidence_words:
                premise = select_evidence(premise, hypothesis, task.evidence_words)
            ids.append(str(table[fields["id"]][i]) if has_id else f"{task.name}-{len(ids)}")
            premises.append(premise)
            hypotheses.append(hypothesis)
            gold.append(label)
            if task.group_by:
                group = table[task.group_by][i]
                if group is None or isinstance(group, (list, dict)) or not str(group).strip():
                    raise InputError(where, "expected a group name (the task's group_by column)", line=line(i),
                                     field=task.group_by)
                groups.append(str(group).strip())

    if not ids:
        raise ConfigError(f"task {task.name}: no examples left after its filter, hash split and skip_labels "
                          f"(read {sum(f.get('rows') or 0 for f in files)} rows; dropped by filter "
                          f"{dropped['filter']}, hash_split {dropped['hash_split']}, "
                          f"skip_labels {dropped['skip_labels']})")
    digest = hashlib.sha256()
    for f in files:
        digest.update(str(f.get("sha256") or f.get("fingerprint")).encode())
    return TaskData(
        task=task, scheme=scheme, ids=ids, premises=premises, hypotheses=hypotheses, gold=gold,
        relatedness=np.array(related, dtype=float) if scheme.name == "fnc" else None,
        rows=len(ids), files=files, sha256=digest.hexdigest(), dropped=dropped,
        groups=groups if task.group_by else None,
    )
