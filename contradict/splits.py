"""Deterministic hash splits shared by training and evaluation.

Some shared dev files are used for several jobs at once: part of ``snli_dev`` is
trained on, part picks checkpoints and thresholds, and part is reported. Rows are
assigned by a hash of a key (the premise, so that all hypotheses of one premise
land in the same part), so training and evaluation agree without a split file.
"""

from __future__ import annotations

import hashlib

#: The one place the fractions live. Keys: the shared file's task stem.
SPLITS: dict[str, dict[str, float]] = {
    "snli_dev": {"train": 0.7, "dev": 0.1, "test": 0.2},
    "mnli_taxinli_dev": {"train": 0.9, "dev": 0.1},
}


def hash_part(key_text: str, fractions: dict[str, float]) -> str:
    """The part (a key of ``fractions``) that ``key_text`` falls in; stable across runs and machines."""
    h = int.from_bytes(hashlib.sha256(key_text.encode("utf-8")).digest()[:8], "big") / 2**64
    total = 0.0
    for part, frac in fractions.items():
        total += frac
        if h < total:
            return part
    return next(reversed(fractions))
