"""Static int8 (calibrated activation scales) against the dynamic int8 the ONNX backend ships.

    python eval/experiments/static-int8/run.py --data-dir ../shared/data

Dynamic int8 quantises each batch's activations with one scale, so a pair's scores depend on its
batch mates (which is why ``--directions auto`` falls back to both directions with int8). Static
quantisation fixes the activation scales from calibration pairs, which would make int8 batch-
invariant. This builds a static QDQ model from the shipped model's fused fp32 export (MinMax
calibration on 64 FNC-1 dev-body and 64 snli_dev_part pairs; per-channel int8 weights; the
matrix products outside the fused attention), then times fp32, dynamic int8 and static int8 on the
2,071 Emergent pairs (median of 3 passes, batches of 32 sorted by length, 2 threads) and gives
each one's snli_dev_part accuracy and its largest probability difference from fp32 on Emergent.

Writes ``<out>/results.json`` with the run's provenance.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from contradict.batching import length_order  # noqa: E402
from contradict.evaluate.tasks import load_task_data  # noqa: E402
from contradict.onnx_backend import OnnxClassifier, ensure_exported, pad_batch, softmax  # noqa: E402
from contradict.runinfo import run_info  # noqa: E402
from contradict.scorer import NLIScorer  # noqa: E402
from contradict.types import LABELS  # noqa: E402


def encode(tokenizer, pairs):
    enc = tokenizer([p for p, _ in pairs], [h for _, h in pairs], truncation=True, max_length=256,
                    return_attention_mask=False)
    return {k: list(v) for k, v in enc.items()}


def batches(tokenizer, pairs, size=32):
    enc = encode(tokenizer, pairs)
    order = length_order(enc["input_ids"])
    for start in range(0, len(order), size):
        rows = order[start:start + size]
        yield rows, pad_batch(enc, rows, tokenizer.pad_token_id)


def score(model, tokenizer, pairs):
    out = np.zeros((len(pairs), 3))
    start = time.perf_counter()
    for rows, feed in batches(tokenizer, pairs):
        out[rows] = softmax(model(feed))
    return out, time.perf_counter() - start


def build_static(fp32: Path, target: Path, tokenizer, calibration) -> None:
    import onnx
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    typed = target.with_name("typed.onnx")  # the fused graph needs symbolic shape inference to type activations
    quant_pre_process(str(fp32), str(typed), skip_optimization=True, auto_merge=True)
    names = {i.name for i in onnx.load(str(typed), load_external_data=False).graph.input}

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.feeds = iter([{k: v for k, v in feed.items() if k in names}
                               for _, feed in batches(tokenizer, calibration, 16)])

        def get_next(self):
            return next(self.feeds, None)

    quantize_static(str(typed), str(target), Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
                    calibrate_method=CalibrationMethod.MinMax,
                    extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="contradict-nli-minilm")
    ap.add_argument("--data-dir", default="../shared/data")
    ap.add_argument("--out", default=str(ROOT / "eval" / "results" / "static-int8"))
    args = ap.parse_args()
    from transformers import AutoTokenizer

    scorer = NLIScorer(args.model, backend="onnx", cache=None)
    scorer.score([("a", "b")])  # loads the model and exports it once
    fp32 = ensure_exported(scorer.path, scorer.model_hash, quantize=False)
    int8 = ensure_exported(scorer.path, scorer.model_hash, quantize=True)
    tokenizer = AutoTokenizer.from_pretrained(scorer.path)
    data = Path(args.data_dir)
    emergent = [(r["premise"], r["hypothesis"]) for r in map(json.loads, (data / "stance/emergent_train.jsonl").open())]
    snli = load_task_data("snli_dev_part", data_dir=data)
    calibration = (load_task_data("fnc1_dev_bodies", data_dir=data).sample(64, 0).pairs()
                   + snli.sample(64, 0).pairs())
    with tempfile.TemporaryDirectory() as tmp:
        static = Path(tmp) / "model.static.onnx"
        build_static(fp32, static, tokenizer, calibration)
        rows, reference = {}, None
        for name, path in (("onnx fp32", fp32), ("onnx int8 dynamic (shipped)", int8),
                           ("onnx int8 static", static)):
            model = OnnxClassifier(path, threads=2)
            score(model, tokenizer, emergent[:64])
            passes = [score(model, tokenizer, emergent) for _ in range(3)]
            probs = passes[0][0]
            reference = probs if reference is None else reference
            snli_probs, _ = score(model, tokenizer, snli.pairs())
            accuracy = float(np.mean([LABELS[i] == g for i, g in zip(snli_probs.argmax(1), snli.gold)]))
            rows[name] = {"pairs_per_s": round(len(emergent) / float(np.median([s for _, s in passes])), 1),
                          "snli_dev_part_accuracy": round(accuracy, 4),
                          "max_prob_diff_vs_fp32": round(float(np.abs(probs - reference).max()), 3)}
            print(f"{name:28s} {rows[name]}", flush=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"model": scorer.describe(), "systems": rows,
                                                  "run": run_info(command=" ".join(sys.argv))}, indent=2) + "\n")


if __name__ == "__main__":
    main()
