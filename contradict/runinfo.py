"""What a run record needs to be trusted and repeated: versions, git commit, machine, date."""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

LIBRARIES = ("torch", "transformers", "datasets", "scikit-learn", "numpy", "spacy", "onnxruntime")


def git_commit(path: str | Path | None = None) -> str | None:
    """The commit of the checkout holding the package (or ``path``), with ``-dirty`` if modified; None outside git."""
    where = Path(path) if path else Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True,
                              timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=where,
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("-dirty" if dirty else "")


def versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {"python": platform.python_version(), "contradict": __version__}
    for lib in LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            out[lib] = None
    return out


def cpu_features() -> list[str]:
    """The CPU's vector extensions that decide float32, int8 and bfloat16 speed (from /proc/cpuinfo)."""
    wanted = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8", "amx_bf16")
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return [f for f in wanted if f in flags]
    except OSError:
        pass
    return []


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    import torch

    return {"platform": platform.platform(), "machine": platform.machine(), "cpu": cpu_model(),
            "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads()}


def shareable_path(path: str | Path | None) -> str | None:
    """A path as a shared record may show it, with nothing of the local file system above the working folder:
    a relative path as given, an absolute one relative to the working folder when it lies inside it, else its
    last part alone (``/home/ana/models/x`` -> ``x``). None stays None."""
    if path is None:
        return None
    text = str(path)
    given = Path(text).expanduser()
    if not given.is_absolute():
        return text
    try:
        return str(given.relative_to(Path.cwd()))
    except ValueError:
        return given.name or text


def shareable_arg(arg: str) -> str:
    """A command-line argument with any absolute path in it made shareable (``--output=/tmp/r.json`` too)."""
    key, eq, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
    if value.startswith(("/", "~")) or (len(value) > 2 and value[1] == ":" and value[2] in "\\/"):
        return f"{key}{eq}{shareable_path(value)}"
    return arg


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_info(**config: Any) -> dict[str, Any]:
    """The run block of a report or results file: the given config plus provenance."""
    return {**config, "versions": versions(), "git_commit": git_commit(), "machine": machine(),
            "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}
