"""NLI scoring with a sequence-classification cross-encoder.

One contract: ``score(pairs) -> ndarray (n, 3)``, columns always
[entailment, neutral, contradiction], whatever order the checkpoint uses
(read from ``config.id2label``). Pairs are scored in length-sorted batches,
each padded only to its own longest pair; identical pairs are scored once;
truncation is counted and reported, never silent.

Two backends compute the same function: ``torch`` (the checkpoint as loaded by
transformers) and ``onnx`` (the checkpoint exported once to an ONNX graph with
fused attention, by default with int8 weights; see :mod:`contradict.onnx_backend`).
With a :class:`~contradict.cache.ScoreCache`, pairs scored before by the same
model, backend, quantisation and max_length are read back instead of scored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .batching import collate
from .cache import ScoreCache, scorer_fingerprint
from .errors import ConfigError, ModelError
from .models import load_tokenizer, stored_dtype
from .progress import progress
from .runinfo import shareable_path
from .timing import stage
from .types import LABELS

log = logging.getLogger(__name__)

METADATA_FILE = "contradict.json"
_TOKENIZE_SLICE = 4096  # pairs tokenised at a time to learn their lengths
BACKENDS = ("torch", "onnx")
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


def _local_config(folder: Path) -> tuple[dict[int, str], list[Any], None] | None:
    """A local checkpoint's labels and length limits from its JSON files, without loading transformers (None
    where the folder lacks what that needs: then the tokenizer is loaded at once, and checked)."""
    tokenizer_files = ("tokenizer.json", "vocab.txt", "spm.model", "sentencepiece.bpe.model", "vocab.json")
    if not (folder / "tokenizer_config.json").is_file() or not any((folder / f).is_file() for f in tokenizer_files):
        return None
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        tokenizer = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        id2label = {int(k): v for k, v in config["id2label"].items()}
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        return None
    return id2label, [config.get("max_position_embeddings"), tokenizer.get("model_max_length")], None


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


def load_dtype(model: str | Path, device: str) -> str:
    """The dtype to load ``model`` in on ``device``: float32 on the CPU, whose kernels are several times slower
    in float16; elsewhere (a GPU) the dtype a local checkpoint's weights are stored in (fp16 for the shipped
    models, whose config.json asks transformers for float32), else the one its config names ("auto")."""
    if device == "cpu":
        return "float32"
    return (stored_dtype(model) if Path(model).is_dir() else None) or "auto"


def from_cache(pairs: Sequence[tuple[str, str]], cache: ScoreCache | None, fingerprint: str,
               ) -> tuple[np.ndarray, list[tuple[str, str]], np.ndarray, np.ndarray, list[int]]:
    """The distinct pairs of ``pairs`` and what the cache knows of them: ``(index, todo, out, truncated,
    missing)``, where ``todo[index]`` is ``pairs``, ``out`` (probabilities) and ``truncated`` hold the cached
    rows of ``todo`` (NaN elsewhere), and ``missing`` lists the positions in ``todo`` left to score."""
    unique: dict[tuple[str, str], int] = {}
    index = np.array([unique.setdefault(p, len(unique)) for p in pairs])
    todo = list(unique)
    out = np.full((len(todo), 3), np.nan, dtype=np.float32)
    truncated = np.zeros(len(todo), dtype=bool)
    missing = list(range(len(todo)))
    if cache is not None:
        found = cache.get(fingerprint, todo)
        for i, (row, cut) in found.items():
            out[i], truncated[i] = row, cut
        missing = [i for i in missing if i not in found]
    return index, todo, out, truncated, missing


class NLIScorer:
    """A cross-encoder NLI model, loaded once, scoring many pairs in batches.

    Parameters
    ----------
    model: a local checkpoint directory, a registry name or a Hugging Face hub id.
    revision: hub revision (branch, tag or commit) for hub ids.
    device: torch device string.
    max_length: tokens per pair; longer pairs are truncated (longest side first) and counted.
        Lowered, with a warning, to the most the model takes (its position embeddings).
    batch_size: pairs per forward pass.
    local_files_only: never touch the network, even for hub ids.
    num_threads: intra-op threads (None: torch's default for torch, the physical cores for onnx).
    backend: "torch", or "onnx" (onnxruntime; the export is made on first use and cached).
    quantize: int8 dynamic quantisation of the weights; onnx only. None means True for onnx.
    cache: a :class:`~contradict.cache.ScoreCache` or the path of its SQLite file; None scores everything.
    export_dir: where ONNX exports are kept (default: the user cache directory).

    After each :meth:`score` call, ``truncated`` counts the distinct pairs that were truncated and
    ``cache_hits`` the distinct pairs read from the cache rather than scored.
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
        backend: str = "torch",
        quantize: bool | None = None,
        cache: ScoreCache | str | Path | None = None,
        export_dir: str | Path | None = None,
    ):
        from .models import resolve_model

        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
        if quantize and backend != "onnx":
            raise ConfigError("int8 quantisation needs the onnx backend")

        self.model_name = str(model)
        self.revision = revision
        self.device = device
        self.max_length = max_length
        self.batch_size = batch_size
        self.local_files_only = local_files_only
        self.num_threads = num_threads
        self.backend = backend
        self.quantize = backend == "onnx" if quantize is None else bool(quantize)
        self.cache = ScoreCache(cache) if isinstance(cache, (str, Path)) else cache
        self.export_dir = export_dir
        self.truncated = 0
        self.cache_hits = 0
        self.pairs_scored = 0

        resolved = resolve_model(str(model))
        self.path = resolved
        self._load()

    # -- loading ---------------------------------------------------------------------------------
    def _load(self) -> None:
        """What every run needs (labels, max_length, the weights' hash); the tokenizer and the torch model load
        on first use (:attr:`tokenizer`, :attr:`model`), so a run whose pairs all come from the cache imports
        neither transformers nor torch. A local folder's labels and limits are read from its JSON files."""
        local = Path(self.path).is_dir()
        kwargs: dict[str, Any] = {"revision": self.revision, "local_files_only": self.local_files_only or local}
        self._kwargs = kwargs
        self._tokenizer: Any = None
        self._model: Any = None
        read = _local_config(Path(self.path)) if local else None
        if read is not None:
            id2label, positions, commit = read
        else:
            from transformers import AutoConfig

            try:
                config = AutoConfig.from_pretrained(self.path, **kwargs)
            except (OSError, ValueError) as exc:
                raise ModelError(f"cannot load model {self.model_name!r}: {exc}") from None
            self._tokenizer = load_tokenizer(self.path, config=config, **kwargs)
            id2label, commit = config.id2label, getattr(config, "_commit_hash", None)
            positions = [getattr(config, "max_position_embeddings", None), self._tokenizer.model_max_length]
        positions = [n for n in positions if isinstance(n, int) and 0 < n < 100_000]  # tokenizers without a limit report about 1e30
        if positions and self.max_length > min(positions):
            log.warning("%s takes at most %d tokens a pair; max_length %d lowered to it", self.model_name,
                        min(positions), self.max_length)
            self.max_length = min(positions)
        self._perm = label_permutation(id2label)
        self.metadata: dict[str, Any] = {}
        if local:
            meta = Path(self.path) / METADATA_FILE
            if meta.is_file():
                self.metadata = json.loads(meta.read_text(encoding="utf-8"))
            self.model_hash = weights_hash(Path(self.path))
        else:
            self.model_hash = f"revision:{commit or self.revision or 'unknown'}"
        # A name to show and share: the model's own, else the name it was given (a local folder's name alone).
        self.model_id = self.metadata.get("name") or shareable_path(self.model_name)
        if self.backend == "onnx":
            self._load_onnx()

    def load(self) -> NLIScorer:
        """Load the tokenizer and the torch model now rather than on first use (to time loading apart)."""
        self.tokenizer  # noqa: B018
        if self.backend == "torch":
            self.model  # noqa: B018
        return self

    @property
    def tokenizer(self) -> Any:
        """The model's tokenizer (loaded on first use)."""
        if self._tokenizer is None:
            with stage("load_scorer"):
                self._tokenizer = load_tokenizer(self.path, **self._kwargs)
        return self._tokenizer

    @property
    def _uses_token_types(self) -> bool:
        return "token_type_ids" in self.tokenizer.model_input_names

    @property
    def model(self) -> Any:
        """The torch model (loaded on first use; the onnx backend has ``session`` instead)."""
        if self._model is None:
            if self.backend == "onnx":
                raise AttributeError("the onnx backend has no torch model; see NLIScorer.session")
            with stage("load_scorer"):
                self._model = self._load_torch(self._kwargs)
        return self._model

    def _load_torch(self, kwargs: dict[str, Any]) -> Any:
        import torch
        from transformers import AutoModelForSequenceClassification

        if self.num_threads:
            torch.set_num_threads(self.num_threads)
        try:
            model = AutoModelForSequenceClassification.from_pretrained(
                self.path, dtype=load_dtype(self.path, self.device), **kwargs)
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot load model {self.model_name!r}: {exc}") from None
        model.to(self.device).eval()
        return model

    def _load_onnx(self) -> None:
        from .onnx_backend import OnnxClassifier, ensure_exported

        if self.device != "cpu":
            raise ConfigError(f"the onnx backend runs on the CPU only, not {self.device!r}")
        graph = ensure_exported(self.path, self.model_hash, quantize=self.quantize, export_dir=self.export_dir,
                                revision=self.revision, local_files_only=self.local_files_only)
        self.session = OnnxClassifier(graph, threads=self.num_threads)

    @property
    def fingerprint(self) -> str:
        """What determines this scorer's output, as the score cache keys it."""
        fields: dict[str, Any] = {"model_hash": self.model_hash, "backend": self.backend,
                                  "quantize": "int8" if self.quantize else None, "max_length": self.max_length}
        if self.backend == "onnx":  # a new export recipe gives (slightly) new numbers
            from .onnx_backend import EXPORT_FORMAT

            fields["export_format"] = EXPORT_FORMAT
        if not self.model_hash.startswith("sha256:"):  # a hub revision alone does not name the weights
            fields["model"] = self.model_name
        return scorer_fingerprint(fields)

    # -- scoring ---------------------------------------------------------------------------------
    def encode(self, pairs: Sequence[tuple[str, str]], *, measure: bool = True
               ) -> tuple[list[list[int]], list[list[int]] | None, np.ndarray]:
        """Tokenise pairs (truncating to ``max_length``); returns ids, token types and, per pair, whether
        it was truncated (all False unless ``measure``)."""
        premises = [p for p, _ in pairs]
        hypotheses = [h for _, h in pairs]
        enc = self.tokenizer(premises, hypotheses, truncation="longest_first", max_length=self.max_length,
                             return_attention_mask=False, return_token_type_ids=self._uses_token_types)
        ids = enc["input_ids"]
        types = enc.get("token_type_ids") if self._uses_token_types else None
        full = [i for i, row in enumerate(ids) if len(row) >= self.max_length]
        truncated = np.zeros(len(pairs), dtype=bool)
        if full and measure:  # only pairs at the limit can have been cut: measure them untruncated
            sub = self.tokenizer([premises[i] for i in full], [hypotheses[i] for i in full],
                                 truncation=False, return_attention_mask=False, return_token_type_ids=False,
                                 verbose=False)
            truncated[full] = [len(row) > self.max_length for row in sub["input_ids"]]
        return ids, types, truncated

    def score(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        batch_size: int | None = None,
        show_progress: bool = False,
    ) -> np.ndarray:
        """Probabilities (n, 3) in the order [entailment, neutral, contradiction], in input order.

        Identical pairs are scored once; pairs in the cache are read from it, and every batch scored
        is written to it (committed per batch, so an interrupted call keeps what it finished).
        """
        pairs = [(str(p), str(h)) for p, h in pairs]
        self.truncated = self.cache_hits = 0
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        index, todo, out, truncated, missing = from_cache(pairs, self.cache, self.fingerprint)
        self.cache_hits = len(todo) - len(missing)
        with progress(show_progress, len(missing), "scoring pairs") as advance:
            self._score_missing([todo[i] for i in missing], np.array(missing, dtype=np.int64), out, truncated,
                                batch_size or self.batch_size, advance)
        self.truncated = int(truncated.sum())
        if self.truncated:
            log.warning("%d of %d pairs exceed %d tokens and were truncated", self.truncated, len(todo),
                        self.max_length)
        return out[index]

    def _score_missing(self, todo: list[tuple[str, str]], slots: np.ndarray, out: np.ndarray, truncated: np.ndarray,
                       batch_size: int, advance: Any) -> None:
        """Score ``todo`` into ``out[slots]`` (and ``truncated[slots]``), caching each batch as it finishes."""
        if not todo:
            return
        # lengths first, a slice at a time, so that the token ids of all pairs are never held at once; each batch
        # (the same length-sorted batches as with all ids at hand) is tokenised again when its turn comes
        lengths = np.empty(len(todo), dtype=np.int64)
        cut = np.zeros(len(todo), dtype=bool)
        for start in range(0, len(todo), _TOKENIZE_SLICE):
            ids, _, cut[start:start + _TOKENIZE_SLICE] = self.encode(todo[start:start + _TOKENIZE_SLICE])
            lengths[start:start + len(ids)] = [len(row) for row in ids]
        truncated[slots] = cut
        order = np.argsort(lengths, kind="stable")  # as batching.length_order
        pad = self.tokenizer.pad_token_id or 0
        fingerprint = self.fingerprint if self.cache is not None else ""
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            ids, types, _ = self.encode([todo[i] for i in batch], measure=False)
            encoded = {"input_ids": ids} if types is None else {"input_ids": ids, "token_type_ids": types}
            probs = self._forward(encoded, np.arange(len(batch)), pad)
            out[slots[batch]] = probs
            if self.cache is not None:
                self.cache.put(fingerprint, [todo[i] for i in batch], probs, cut[batch])
            self.pairs_scored += len(batch)
            advance(len(batch))

    def _forward(self, encoded: dict[str, list[list[int]]], batch: np.ndarray, pad: int) -> np.ndarray:
        """Probabilities [entailment, neutral, contradiction] for rows ``batch`` of ``encoded``."""
        if self.backend == "onnx":
            from .onnx_backend import pad_batch, softmax

            return softmax(self.session(pad_batch(encoded, batch, pad)))[:, self._perm].astype(np.float32)
        import torch

        with torch.inference_mode():
            inputs = collate(encoded, batch, pad, self.device)
            logits = self.model(**inputs).logits.float()
            return torch.softmax(logits, dim=-1)[:, self._perm].cpu().numpy()

    @property
    def batch_invariant(self) -> bool:
        """Whether a pair's scores are the same whatever pairs share its batch. Not for int8: its
        activations are quantised with one scale per batch, so a pair's probabilities can move with
        its batch mates (by up to 0.3 on our corpora)."""
        return not (self.backend == "onnx" and self.quantize)

    def describe(self) -> dict[str, Any]:
        """What a run record needs to identify this model, with no local path in it."""
        # Safe to share: names and hashes, never a folder of this machine (a local checkpoint is named by its
        # folder's name and known by its weights hash).
        described = {"model": shareable_path(self.model_name), "model_id": self.model_id,
                     "revision": self.revision, "hash": self.model_hash, "max_length": self.max_length,
                     "backend": self.backend, "quantize": "int8" if self.quantize else None,
                     "cache": None if self.cache is None else Path(self.cache.path).name}
        if self.backend == "onnx":
            described.update(onnx_file=Path(self.session.path).name, threads=self.session.threads)
        return described
