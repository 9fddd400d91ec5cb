#!/usr/bin/env bash
# The more-epochs experiment on a GPU machine without ../shared or spaCy: the training pairs come ready-made
# from stage 3's run (runs/stage3/data.jsonl, gzipped into $DATA), which is the data the recipe builds.
# Runs the recipe at two learning rates, then writes the better run's best checkpoint (fp16, in 15 MB parts)
# and both runs' trainer states to $OUT.  Usage: DATA=.gpu/stage3-data.jsonl.gz OUT=... gpu_run.sh
set -euo pipefail
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
here=eval/experiments/more-epochs
nvidia-smi -L || true
python3 -c "import torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)"
python3 -m pytest -q -p no:cacheprovider tests/test_train.py -k "gpu or device or fp16" 2>&1 | tail -3 || true
for lr in 4e-5 2e-5; do
  run=runs/more-epochs-lr$lr
  mkdir -p "$run" && gunzip -c "$DATA" > "$run/data.jsonl"
  sed "s/^learning_rate = .*/learning_rate = $lr/" $here/recipe.toml > "$run/recipe.toml"
  start=$(date +%s)
  timeout "${RUN_LIMIT:-250}" python3 -c "from contradict.cli import main; main()" train "$run/recipe.toml" --output "$run" \
      --data-dir "$(dirname "$DATA")" --device cuda 2>&1 | grep -v "Loading weights" | tee "$run/train.log" | grep -E "dev|best|step [0-9]*00/" || true
  echo "lr $lr: $(( $(date +%s) - start )) s" | tee -a "$OUT/timings.txt"
done
python3 - <<'PY'
import json, os, pathlib, torch
from safetensors.torch import load_file, save_file
runs = sorted(pathlib.Path("runs").glob("more-epochs-lr*"))
# a run cut short by RUN_LIMIT has only its last checkpoint's state
states = {r.name: json.loads(next(p for p in (r / "trainer_state.json", r / "checkpoint-last" / "trainer_state.json")
                                  if p.exists()).read_text()) for r in runs}
best = max(runs, key=lambda r: states[r.name]["best_score"])
print("best run", best.name, states[best.name]["best_score"], "at step", states[best.name]["best_step"])
w = {k: v.half() for k, v in load_file(str(best / "best" / "model.safetensors")).items()}
save_file(w, "/tmp/best.fp16.safetensors", metadata={"format": "pt"})
out = pathlib.Path(os.environ["OUT"])
(out / "states.json").write_text(json.dumps({"best_run": best.name, "runs": states}, indent=1))
(out / "config.json").write_text((best / "best" / "config.json").read_text())
PY
split -b 15M -d /tmp/best.fp16.safetensors "$OUT/best.fp16.part"
cat runs/more-epochs-lr*/train.log | tail -c 200000 > "$OUT/train.log"
ls -la "$OUT"
