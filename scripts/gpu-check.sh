#!/usr/bin/env bash
# The GPU benchmark (`leaderboard bench --area gpu`) on a GPU machine without a network that
# has Python 3.12 with PyTorch (and numpy, pyarrow, pandas), in two steps:
#
#   bash scripts/gpu-check.sh gather [DIR]   here, where PyPI is reachable: the project and the
#       packages that machine lacks, as wheels for Python 3.12 on manylinux x86_64, into DIR
#       (default .gpu-check/, ignored by git): at most 64 MiB with the tracked files, which is
#       what travels to the machine along with DIR.
#   bash scripts/gpu-check.sh run [DIR]      there, in a copy of this checkout that holds DIR:
#       installs the wheels into a temporary folder (the machine's own torch stays in use),
#       beside the checkout's benchmarks (scripts/leaderboard_bench, which the project's wheel
#       leaves out), checks that nothing the benchmark imports is missing, and runs it, writing
#       its figures to $OUT/gpu-bench.json (OUT defaults to ./gpu-check-out), with each model's
#       raw measurements beside it. GPU_BENCH_MODELS picks the shapes (default:
#       llama-1b,llama-8b), GPU_BENCH_FRACTION the share of each log-likelihood task (0.02);
#       GPU_BENCH_DEVICE=cpu with GPU_BENCH_MODELS=tiny runs it all on a CPU (the tests).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; }

cmd=${1:-}
dir=${2:-.gpu-check}
case "$cmd" in
  gather)
    py=${PYTHON:-.venv/bin/python}
    [ -x "$py" ] || { echo "no $py: run 'bash scripts/dev.sh setup' first (or set PYTHON)" >&2; exit 2; }
    exec "$py" -m leaderboard_bench.gpucheck gather "$dir" --root "$PWD"
    ;;
  run)
    py=${PYTHON:-python3}
    ls "$dir"/*.whl >/dev/null 2>&1 || { echo "no wheels in $dir: run 'gather' first, where PyPI is reachable" >&2; exit 2; }
    out=${OUT:-$PWD/gpu-check-out}
    site=$(mktemp -d "${TMPDIR:-/tmp}/lb-gpu-check.XXXXXX")
    "$py" -m pip install -q --disable-pip-version-check --no-index --no-deps --no-compile \
      --no-cache-dir --target "$site" "$dir"/*.whl
    # The benchmarks only, not the checkout's scripts/: the product comes from its wheel.
    ln -s "$PWD/scripts/leaderboard_bench" "$site/leaderboard_bench"
    export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
    "$py" -m leaderboard_bench.gpucheck verify "$dir"
    mkdir -p "$out"
    exec "$py" -m leaderboard_bench.areas.gpu --out "$out/gpu-bench.json" \
      ${GPU_BENCH_MODELS:+--models "$GPU_BENCH_MODELS"} \
      ${GPU_BENCH_FRACTION:+--fraction "$GPU_BENCH_FRACTION"} \
      ${GPU_BENCH_DEVICE:+--device "$GPU_BENCH_DEVICE"}
    ;;
  *)
    usage
    exit 2
    ;;
esac
