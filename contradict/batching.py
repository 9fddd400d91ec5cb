"""Length-sorted batching with per-batch padding, shared by scoring, embedding and training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def length_order(encoded_ids: Sequence[Sequence[int]]) -> np.ndarray:
    """Indices that sort sequences by length, so each batch pads only to its own longest member."""
    return np.argsort([len(r) for r in encoded_ids], kind="stable")


def collate(encoded: dict[str, Sequence[Sequence[int]]], batch: Sequence[int], pad_id: int, device: Any = "cpu"):
    """Tensors for rows ``batch`` of ``encoded`` (input_ids and optional token_type_ids), padded to the
    batch's longest row, plus an attention mask, on ``device``."""
    import torch

    ids = encoded["input_ids"]
    width = max(len(ids[i]) for i in batch)
    out = {}
    for key, rows in encoded.items():
        t = torch.full((len(batch), width), pad_id if key == "input_ids" else 0, dtype=torch.long)
        for r, i in enumerate(batch):
            t[r, :len(rows[i])] = torch.as_tensor(rows[i], dtype=torch.long)
        out[key] = t
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for r, i in enumerate(batch):
        mask[r, :len(ids[i])] = 1
    out["attention_mask"] = mask
    return {k: v.to(device) for k, v in out.items()}
