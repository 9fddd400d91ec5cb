"""The ONNX Runtime backend: export a checkpoint once, then score with a fused, optionally int8 graph.

What happens the first time a model is used with ``backend="onnx"``:

1. the PyTorch checkpoint is traced to ONNX (``torch.onnx.export``, TorchScript exporter, opset 17)
   with dynamic batch and sequence axes;
2. onnxruntime's transformer optimizer fuses embeddings, attention, GELU and layer norms
   (BERT-family checkpoints; others keep the plain graph), and the fused graph is checked
   against PyTorch on padded probe pairs: if it disagrees the plain graph is kept. When the
   classifier reads only the first token (BERT's pooler), the last layer's token-wise steps are
   cut to that token (:func:`prune_to_first_token`): same logits, about 1/8 less work;
3. for ``quantize=True``, ``quantize_dynamic`` stores the weights of the matrix products as int8
   with per-channel scales (activations are quantised per batch at run time, so an int8 score
   depends slightly, around 1e-3, on which pairs share its batch).

The files go to ``<export_dir>/<key>/``, where the key is derived from the model's weight hash and
:data:`EXPORT_FORMAT`, so each model is exported once per recipe. Files appear atomically (written
under a temporary name, then renamed), so concurrent runs never read a half-written graph.

``onnxruntime`` and ``onnx`` are the optional extra ``contradict[onnx]``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)

#: Bump when the export recipe changes, so that exports cached by older versions are rebuilt.
EXPORT_FORMAT = 1
FP32_FILE = "model.onnx"
INT8_FILE = "model.int8.onnx"
INFO_FILE = "export.json"
OPSET = 17
#: Model types whose graphs onnxruntime's "bert" fusions know.
_BERT_LIKE = frozenset({"bert", "roberta", "xlm-roberta", "distilbert", "electra", "camembert"})
#: Largest difference in probability allowed between the fp32 graph and PyTorch on the probe pairs.
_FP32_TOLERANCE = 1e-4
_PROBES = (("A man is playing a guitar on the street.", "Nobody is playing music."),
           ("The minister said the talks would resume on Monday.", "Talks resume."))


def physical_cores() -> int:
    """CPU cores this process may use, counting each physical core once (hyper-threads share one)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    cores: set[tuple[str, str]] = set()
    physical = core = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "physical id":
                physical = value.strip()
            elif key == "core id":
                core = value.strip()
                cores.add((physical, core))
    except OSError:
        pass
    return max(1, min(usable, len(cores) or usable))


def default_export_dir() -> Path:
    """``<user cache dir>/contradict/onnx``."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("contradict")) / "onnx"


def require_onnxruntime() -> Any:
    """The ``onnxruntime`` module, or a ModelError saying how to install it."""
    try:
        import onnx  # noqa: F401  (the exporter and quantiser need it)
        import onnxruntime
    except ImportError as exc:
        raise ModelError(f"the onnx backend needs onnxruntime and onnx ({exc.name} is missing): "
                         "pip install 'contradict[onnx]'") from None
    return onnxruntime


def export_key(model_hash: str, model_name: str) -> str:
    """Folder name for a model's exports: its weight hash (plus its name when the hash is only a
    hub revision) and the export format."""
    ident = model_hash if model_hash.startswith("sha256:") else f"{model_hash}\0{model_name}"
    return f"{hashlib.sha256(ident.encode()).hexdigest()[:24]}-v{EXPORT_FORMAT}"


def ensure_exported(checkpoint: str | Path, model_hash: str, *, quantize: bool, export_dir: str | Path | None = None,
                    revision: str | None = None, local_files_only: bool = False) -> Path:
    """The ONNX file for ``checkpoint`` (int8 when ``quantize``), exporting it first if not cached."""
    require_onnxruntime()
    folder = Path(export_dir) if export_dir is not None else default_export_dir()
    folder = folder / export_key(model_hash, str(checkpoint))
    fp32 = folder / FP32_FILE
    if not fp32.is_file():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ModelError(f"cannot create the ONNX export folder {folder}: {exc}") from None
        log.info("exporting %s to ONNX in %s (once per model)", checkpoint, folder)
        info = export_fp32(checkpoint, fp32, revision=revision, local_files_only=local_files_only)
        _write_atomic(folder / INFO_FILE, json.dumps({"model_hash": model_hash, "checkpoint": str(checkpoint),
                                                      "format": EXPORT_FORMAT, **info}, indent=2).encode())
    if not quantize:
        return fp32
    int8 = folder / INT8_FILE
    if not int8.is_file():
        quantize_int8(fp32, int8)
    return int8


def _load_torch_model(checkpoint: str | Path, revision: str | None, local_files_only: bool):
    from transformers import AutoModelForSequenceClassification

    from .models import load_tokenizer

    kwargs: dict[str, Any] = {"revision": revision, "local_files_only": local_files_only or Path(checkpoint).is_dir()}
    tokenizer = load_tokenizer(checkpoint, **kwargs)
    try:
        # eager attention traces to plain MatMul/Softmax, the pattern the fusions recognise
        model = AutoModelForSequenceClassification.from_pretrained(checkpoint, attn_implementation="eager", **kwargs)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot load model {str(checkpoint)!r} for ONNX export: {exc}") from None
    return tokenizer, model.float().eval()


def export_fp32(checkpoint: str | Path, target: Path, *, revision: str | None = None,
                local_files_only: bool = False) -> dict[str, Any]:
    """Export ``checkpoint`` to an fp32 ONNX graph at ``target`` (fused where possible and verified).

    Returns what the export did: input names, fused operators, the largest probe difference.
    """
    import torch

    tokenizer, model = _load_torch_model(checkpoint, revision, local_files_only)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if "token_type_ids" in tokenizer.model_input_names
                                               else [])
    # two rows of different length, so that padding and the attention mask are traced
    probe = tokenizer([p for p, _ in _PROBES], [h for _, h in _PROBES], padding=True, return_tensors="pt")
    inputs = {n: probe[n] for n in names}
    with torch.inference_mode():
        reference = torch.softmax(model(**inputs).logits.float(), -1).numpy()
    plain = target.with_name(f".{target.name}.{os.getpid()}.plain")
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer notes
            torch.onnx.export(model, (), str(plain), kwargs=inputs, input_names=names, output_names=["logits"],
                              dynamic_axes={**axes, "logits": {0: "batch"}}, opset_version=OPSET, dynamo=False)
    except Exception as exc:  # the exporter raises many kinds; none should reach the user as a traceback
        plain.unlink(missing_ok=True)
        raise ModelError(f"cannot export {checkpoint} to ONNX: {exc}") from None
    feed = {n: probe[n].numpy().astype(np.int64) for n in names}
    info: dict[str, Any] = {"inputs": names, "opset": OPSET, "model_type": model.config.model_type,
                            "torch": torch.__version__}
    try:
        plain_diff = _probe_difference(plain, feed, reference)
        if plain_diff > _FP32_TOLERANCE:
            raise ModelError(f"the ONNX export of {checkpoint} disagrees with PyTorch (max probability "
                             f"difference {plain_diff:.2g})")
        chosen = plain
        info.update(fused={}, first_token_only=False, max_probe_difference=plain_diff)
        if model.config.model_type in _BERT_LIKE:
            fused = target.with_name(f".{target.name}.{os.getpid()}.fused")
            stats, pruned = _fuse(plain, fused, model.config)
            fused_diff = _probe_difference(fused, feed, reference)
            if fused_diff <= _FP32_TOLERANCE:
                chosen = fused
                info.update(fused=stats, first_token_only=pruned, max_probe_difference=fused_diff)
            else:
                log.warning("the fused ONNX graph of %s differs from PyTorch by %.2g; using the plain graph",
                            checkpoint, fused_diff)
        os.replace(chosen, target)
    finally:
        for leftover in target.parent.glob(f".{target.name}.{os.getpid()}.*"):
            leftover.unlink(missing_ok=True)
    return info


def _fuse(source: Path, target: Path, config: Any) -> tuple[dict[str, int], bool]:
    """Fuse ``source`` into ``target``; returns the fused operator counts and whether the last layer
    was pruned to the first token (see :func:`prune_to_first_token`)."""
    from onnxruntime.transformers.optimizer import optimize_model

    with _quiet_onnxruntime():
        optimized = optimize_model(str(source), model_type="bert", num_heads=int(config.num_attention_heads),
                                   hidden_size=int(config.hidden_size), opt_level=0)
        pruned = prune_to_first_token(optimized.model)
        optimized.save_model_to_file(str(target))
    return {k: int(v) for k, v in optimized.get_fused_operator_statistics().items() if v}, pruned


#: Operators that act on each token's vector on its own (given constant weights), so that computing
#: them for the first token only gives that token's exact result.
_TOKENWISE = frozenset({"MatMul", "Add", "SkipLayerNormalization", "LayerNormalization", "BiasGelu", "FastGelu",
                        "Gelu"})


def prune_to_first_token(model: Any) -> bool:
    """Make the last encoder layer compute only the first ([CLS]) token, when that is all the graph reads.

    A sequence classifier reads one token of the last layer's output (the pooler's ``Gather`` of
    position 0), yet the layer computes its attention output projection, feed-forward block and layer
    norms for every token. Those steps are token-wise, so slicing their two inputs (the attention
    output and the residual) to position 0 gives the same logits for about an eighth less work.

    Applies only to the pattern of a fused BERT-family graph: the last ``Attention`` node, then only
    :data:`_TOKENWISE` nodes (matrix products with constant weights) up to a ``Gather`` of index 0 on
    axis 1. Returns False, changing nothing, when the graph is not of that shape.
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    nodes = list(graph.node)
    attention = [i for i, n in enumerate(nodes) if n.op_type == "Attention"]
    if not attention:
        return False
    at = attention[-1]
    residual, attended = nodes[at].input[0], nodes[at].output[0]
    constants = {t.name: t for t in graph.initializer}
    constants.update({n.output[0]: a.t for n in nodes if n.op_type == "Constant" for a in n.attribute
                      if a.name == "value"})
    consumers: dict[str, list[int]] = {}
    for i, n in enumerate(nodes):
        for name in n.input:
            consumers.setdefault(name, []).append(i)
    region: set[int] = set()
    gather = None
    todo = list(consumers.get(attended, []))
    while todo:
        i = todo.pop()
        if i in region or i == gather:
            continue
        n = nodes[i]
        if n.op_type == "Gather" and _is_first_position(n, constants):
            if gather not in (None, i):
                return False
            gather = i
            continue
        if n.op_type not in _TOKENWISE or (n.op_type == "MatMul" and n.input[1] not in constants):
            return False
        region.add(i)
        for out in n.output:
            if out in {o.name for o in graph.output}:
                return False
            todo.extend(consumers.get(out, []))
    produced = {out for i in region for out in nodes[i].output}
    outside = {x for i in region for x in nodes[i].input if x and x not in produced and x not in constants}
    if gather is None or not region or outside - {residual, attended} \
            or set(consumers.get(residual, [])) - region - {at}:
        return False
    first = {"residual": residual, "attended": attended}
    graph.initializer.extend([numpy_helper.from_array(np.array([v], dtype=np.int64), f"first_token_{k}")
                              for k, v in (("start", 0), ("end", 1), ("axis", 1))])
    slices = []
    for key, name in first.items():
        sliced = f"{name}/first_token"
        slices.append(helper.make_node("Slice", [name, "first_token_start", "first_token_end", "first_token_axis"],
                                       [sliced], name=f"FirstToken_{key}"))
        for i in region:
            for k, x in enumerate(nodes[i].input):
                if x == name:
                    nodes[i].input[k] = sliced
    for offset, node in enumerate(slices, start=1):
        graph.node.insert(at + offset, node)
    return True


def _is_first_position(node: Any, constants: dict[str, Any]) -> bool:
    """A ``Gather`` of index 0 on axis 1: the pooler taking the first token."""
    from onnx import numpy_helper

    axis = next((a.i for a in node.attribute if a.name == "axis"), 0)
    index = constants.get(node.input[1])
    return axis == 1 and index is not None and numpy_helper.to_array(index).size == 1 \
        and int(numpy_helper.to_array(index).reshape(-1)[0]) == 0


def quantize_int8(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation of ``source``'s matrix products into ``target``.

    Weights are signed int8 with one scale per output channel; activations are quantised per batch
    at run time. On our dev sets per-channel scales halve the probability error of per-tensor ones
    at the same speed (per-tensor moved SNLI dev accuracy by up to 0.85 points). Embedding lookups
    stay float32: quantising them saves no time and only adds error.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with _quiet_onnxruntime():
            # the fused graph holds com.microsoft ops that shape inference cannot type: say they are float
            quantize_dynamic(source, tmp, weight_type=QuantType.QInt8, per_channel=True,
                             op_types_to_quantize=["MatMul", "Attention"],
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        os.replace(tmp, target)
    except Exception as exc:  # quantisation failures come in many types; report them as model errors
        raise ModelError(f"cannot quantise {source} to int8: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


def _probe_difference(path: Path, feed: dict[str, np.ndarray], reference: np.ndarray) -> float:
    session = OnnxClassifier(path, threads=1)
    return float(np.abs(softmax(session(feed)) - reference).max())


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class _DropOnnxruntimeRecords(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname


@contextmanager
def _quiet_onnxruntime():
    """Silence the advice onnxruntime's tools log on the root logger while they run."""
    drop = _DropOnnxruntimeRecords()
    root = logging.getLogger()
    root.addFilter(drop)
    try:
        yield
    finally:
        root.removeFilter(drop)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def pad_batch(encoded: dict[str, Sequence[Sequence[int]]], batch: Sequence[int], pad_id: int) -> dict[str, np.ndarray]:
    """int64 arrays for rows ``batch`` of ``encoded``, right-padded to the batch's longest row, plus the
    attention mask (the numpy twin of :func:`contradict.batching.collate`)."""
    ids = encoded["input_ids"]
    lengths = [len(ids[i]) for i in batch]
    width = max(lengths)
    out: dict[str, np.ndarray] = {}
    for key, rows in encoded.items():
        arr = np.full((len(batch), width), pad_id if key == "input_ids" else 0, dtype=np.int64)
        for r, i in enumerate(batch):
            arr[r, :len(rows[i])] = rows[i]
        out[key] = arr
    out["attention_mask"] = (np.arange(width)[None, :] < np.array(lengths)[:, None]).astype(np.int64)
    return out


class OnnxClassifier:
    """An onnxruntime session over a classification graph: ``__call__(inputs) -> logits``.

    ``threads`` sets intra-op threads (default: the physical cores); graph optimisation is at its
    highest level and operators run one at a time (inter-op parallelism only adds contention here).
    """

    def __init__(self, path: str | Path, *, threads: int | None = None):
        ort = require_onnxruntime()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.intra_op_num_threads = threads or physical_cores()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for bad files
            raise ModelError(f"cannot load the ONNX graph {path}: {exc}") from None
        self.path = Path(path)
        self.threads = options.intra_op_num_threads
        self.input_names = [i.name for i in self.session.get_inputs()]

    def __call__(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        return self.session.run(None, {n: inputs[n] for n in self.input_names})[0].astype(np.float32, copy=False)
