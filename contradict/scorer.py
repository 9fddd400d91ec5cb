"""NLI scoring with a sequence-classification cross-encoder.

One contract: ``score(pairs) -> ndarray (n, 3)``, columns always
[entailment, neutral, contradiction], whatever order the checkpoint uses
(read from ``config.id2label``). Pairs are scored in length-sorted batches,
each padded only to its own longest pair; identical pairs are scored once;
truncation is counted and reported, never silent.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .batching import collate, length_order
from .errors import ModelError
from .progress import progress
from .types import LABELS

log = logging.getLogger(__name__)

METADATA_FILE = "contradict.json"
_LABEL_ALIASES = {
    "entailment": 0, "entail": 0, "entails": 0, "e": 0,
    "neutral": 1, "n": 1, "not_entailment": None,
    "contradiction": 2, "contradict": 2, "contradicts": 2, "c": 2,
}


def label_permutation(id2label: dict[int, str]) -> list[int]:
    """Indices into the model's logits that give columns [entailment, neutral, contradiction].

    Raises ModelError when the labels are not a recognisable 3-way NLI set
    (for example ``LABEL_0``/``LABEL_1``/``LABEL_2``: their order is unknown).
    """
    ours: dict[int, int] = {}
    for idx, name in id2label.items():
        key = _LABEL_ALIASES.get(str(name).strip().lower())
        if key is None:
            raise ModelError(
                f"cannot tell what the model's label {name!r} means; a 3-way NLI checkpoint needs id2label "
                f"naming entailment, neutral and contradiction (got {dict(id2label)})")
        ours[key] = int(idx)
    if sorted(ours) != [0, 1, 2] or len(id2label) != 3:
        raise ModelError(f"expected the labels {', '.join(LABELS)}; the model has {dict(id2label)}")
    return [ours[0], ours[1], ours[2]]


def weights_hash(model_dir: Path) -> str:
    """sha256 over the weight files of a local checkpoint (sorted by name)."""
    digest = hashlib.sha256()
    files = sorted(p for p in model_dir.iterdir()
                   if p.suffix in {".safetensors", ".bin", ".onnx", ".pt"} and p.is_file())
    for f in files:
        digest.update(f.name.encode())
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()


class NLIScorer:
    """A cross-encoder NLI model, loaded once, scoring many pairs in batches.

    Parameters
    ----------
    model: a local checkpoint directory, a registry name or a Hugging Face hub id.
    revision: hub revision (branch, tag or commit) for hub ids.
    device: torch device string.
    max_length: tokens per pair; longer pairs are truncated (longest side first) and counted.
    batch_size: pairs per forward pass.
    local_files_only: never touch the network, even for hub ids.
    num_threads: torch intra-op threads (None leaves torch's default).
    """

    def __init__(
        self,
        model: str | Path,
        *,
        revision: str | None = None,
        device: str = "cpu",
        max_length: int = 256,
        batch_size: int = 32,
        local_files_only: bool = False,
        num_threads: int | None = None,
    ):
        from .models import resolve_model

        self.model_name = str(model)
        self.revision = revision
        self.device = device
        self.max_length = max_length
        self.batch_size = batch_size
        self.local_files_only = local_files_only
        self.num_threads = num_threads
        self.truncated = 0
        self.pairs_scored = 0

        resolved = resolve_model(str(model))
        self.path = resolved
        self._load()

    # -- loading ---------------------------------------------------------------------------------
    def _load(self) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        local = Path(self.path).is_dir()
        kwargs: dict[str, Any] = {"revision": self.revision, "local_files_only": self.local_files_only or local}
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.path, **kwargs)
            self.model = AutoModelForSequenceClassification.from_pretrained(self.path, **kwargs)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model {self.model_name!r}: {exc}") from None
        self.model.to(self.device).eval()
        if next(self.model.parameters()).dtype != torch.float32 and self.device == "cpu":
            self.model.float()  # fp16 weights on disk; CPU kernels want float32
        self._perm = label_permutation(self.model.config.id2label)
        self._uses_token_types = "token_type_ids" in self.tokenizer.model_input_names
        self.metadata: dict[str, Any] = {}
        if local:
            meta = Path(self.path) / METADATA_FILE
            if meta.is_file():
                self.metadata = json.loads(meta.read_text(encoding="utf-8"))
            self.model_hash = weights_hash(Path(self.path))
        else:
            commit = getattr(self.model.config, "_commit_hash", None)
            self.model_hash = f"revision:{commit or self.revision or 'unknown'}"
        self.model_id = self.metadata.get("name", self.model_name)

    # -- scoring ---------------------------------------------------------------------------------
    def encode(self, pairs: Sequence[tuple[str, str]]) -> tuple[list[list[int]], list[list[int]] | None, int]:
        """Tokenise pairs (truncating to ``max_length``); returns ids, token types and the truncated count."""
        premises = [p for p, _ in pairs]
        hypotheses = [h for _, h in pairs]
        enc = self.tokenizer(premises, hypotheses, truncation="longest_first", max_length=self.max_length,
                             return_attention_mask=False, return_token_type_ids=self._uses_token_types)
        ids = enc["input_ids"]
        types = enc.get("token_type_ids") if self._uses_token_types else None
        full = [i for i, row in enumerate(ids) if len(row) >= self.max_length]
        truncated = 0
        if full:  # only pairs at the limit can have been cut: measure them untruncated
            sub = self.tokenizer([premises[i] for i in full], [hypotheses[i] for i in full],
                                 truncation=False, return_attention_mask=False, return_token_type_ids=False,
                                 verbose=False)
            truncated = sum(len(row) > self.max_length for row in sub["input_ids"])
        return ids, types, truncated

    def score(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        batch_size: int | None = None,
        show_progress: bool = False,
    ) -> np.ndarray:
        """Probabilities (n, 3) in the order [entailment, neutral, contradiction]."""
        import torch

        pairs = [(str(p), str(h)) for p, h in pairs]
        if not pairs:
            self.truncated = 0
            return np.zeros((0, 3), dtype=np.float32)
        unique: dict[tuple[str, str], int] = {}
        index = np.array([unique.setdefault(p, len(unique)) for p in pairs])
        todo = list(unique)
        ids, types, self.truncated = self.encode(todo)
        if self.truncated:
            log.warning("%d of %d pairs exceed %d tokens and were truncated", self.truncated, len(todo),
                        self.max_length)
        order = length_order(ids)
        bs = batch_size or self.batch_size
        out = np.empty((len(todo), 3), dtype=np.float32)
        encoded = {"input_ids": ids} if types is None else {"input_ids": ids, "token_type_ids": types}
        pad = self.tokenizer.pad_token_id or 0
        with progress(show_progress, len(todo), "scoring pairs") as advance, torch.inference_mode():
            for start in range(0, len(order), bs):
                batch = order[start:start + bs]
                inputs = {k: v.to(self.device) for k, v in collate(encoded, batch, pad).items()}
                logits = self.model(**inputs).logits.float()
                out[batch] = torch.softmax(logits, dim=-1)[:, self._perm].cpu().numpy()
                advance(len(batch))
        self.pairs_scored += len(todo)
        return out[index]

    def describe(self) -> dict[str, Any]:
        """What a run record needs to identify this model."""
        return {"model": self.model_name, "model_id": self.model_id, "path": str(self.path),
                "revision": self.revision, "hash": self.model_hash, "max_length": self.max_length,
                "backend": "torch"}
