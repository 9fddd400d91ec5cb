#!/usr/bin/env bash
# Train and evaluate the study's configurations one after another, each alone on the machine.
# Usage, from the repository root: bash eval/experiments/news-mix/run.sh CONFIG [CONFIG ...]
# (CONFIG is a recipe's name without .toml). A run interrupted midway resumes from its last checkpoint.
set -euo pipefail
data=${DATA:-../shared/data}
[ $# -gt 0 ] || { echo "usage: $0 CONFIG [CONFIG ...] (recipes in eval/experiments/news-mix/)" >&2; exit 2; }
mkdir -p runs
for c in "$@"; do
  start=$(date +%s)
  contradict train "eval/experiments/news-mix/$c.toml" --data-dir "$data" --output "runs/mix-$c"
  echo "$c: $(( $(date +%s) - start )) s" >> runs/mix-times.txt
  contradict eval run -m "runs/mix-$c/best" -t news_claims_dev -t snli_test -t xnli_en_dev -t lingnli_val \
    --dev-task snli_dev_part --data-dir "$data" --output "eval/results/news-mix/$c" --no-plots --no-progress
done
