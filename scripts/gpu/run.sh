#!/usr/bin/env bash
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
# Runs on the GPU machine, from the repository root, with .gpu-carry/ (from scripts/gpu/prepare.sh)
# carried along: the device facts, the backend listing, the GPU test suite (JUnit console
# launcher), the ONNX conformance runner on cuda, and the attention benchmark against PyTorch.
# Logs, JUnit XML reports and results.md go to $OUT (default ./gpu-out). Every step has a
# timeout and the whole run a deadline (RUN_BUDGET_S, default 360 s), so it ends in ~6 minutes.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
FINAL_OUT="${OUT:-$ROOT/gpu-out}"
# The device tool brings back at most 8 files: work in a scratch folder, pack it at the end.
OUT="$(mktemp -d /tmp/ika-gpu.XXXXXX)"
mkdir -p "$FINAL_OUT"
CARRY="$ROOT/.gpu-carry"
JAVA="$CARRY/jdk/bin/java"
BUDGET="${RUN_BUDGET_S:-360}"
T0=$(date +%s)
RESULTS="$OUT/results.md"

log() { echo "[$(( $(date +%s) - T0 ))s] $*" | tee -a "$OUT/run.log"; }

# step NAME TIMEOUT CMD...: runs with min(TIMEOUT, time left), output in $OUT/NAME.log.
step() {
  local name=$1 t=$2; shift 2
  local left=$(( BUDGET - ($(date +%s) - T0) ))
  if [ "$left" -lt 10 ]; then log "== $name: SKIPPED, run budget spent"; echo "| $name | skipped (budget) |" >> "$OUT/steps.md"; return 0; fi
  [ "$t" -gt "$left" ] && t=$left
  log "== $name (timeout ${t}s)"
  local s=$(date +%s)
  timeout -k 5 "$t" "$@" > "$OUT/$name.log" 2>&1
  local rc=$?
  local took=$(( $(date +%s) - s ))
  [ "$rc" = 124 ] || [ "$rc" = 137 ] && log "   $name TIMED OUT"
  log "   $name: rc=$rc in ${took}s"
  tail -n 25 "$OUT/$name.log"
  echo "| $name | rc=$rc | ${took}s |" >> "$OUT/steps.md"
  return 0
}

[ -x "$JAVA" ] || { echo "run.sh: $JAVA missing: run scripts/gpu/prepare.sh here first and carry .gpu-carry" >&2; exit 3; }

# The CUDA libraries of the pip wheels (cuBLAS, cuRAND, NVRTC and their dependencies such as
# libcublasLt and libnvrtc-builtins) resolve through LD_LIBRARY_PATH; libcuda.so.1 is the driver's.
NV_DIRS=""
for d in /opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib /usr/local/lib/python3*/dist-packages/nvidia/*/lib \
         /usr/local/lib/python3*/site-packages/nvidia/*/lib /usr/lib/python3*/dist-packages/nvidia/*/lib; do
  [ -d "$d" ] && NV_DIRS="$NV_DIRS:$d"
done
export LD_LIBRARY_PATH="${NV_DIRS#:}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

PY=""
for p in python3 /opt/torch/.venv/bin/python3 /opt/*/.venv/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import torch' >/dev/null 2>&1; then PY=$(command -v "$p"); break; fi
done

LIB="$CARRY/lib"
RUNCP=$(ls "$LIB"/ika4j-*.jar | grep -v -e '-tests.jar' -e 'ika4j-testkit-' | tr '\n' ':')
TESTCP="$CARRY/test/panama-cuda:$(ls "$LIB"/ika4j-*.jar | tr '\n' ':')"
CONSOLE=$(ls "$LIB"/junit-platform-console-standalone-*.jar | head -1)
CONF_DIR="$CARRY/onnx-attention"
JFLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC
        -Dika.conformance.dir="$CONF_DIR" -Dika.native.headers="$ROOT/native-headers" ${IKA_JAVA_OPTS:-})

echo "| step | result | time |" > "$OUT/steps.md"
echo "|---|---|---|" >> "$OUT/steps.md"

log "== environment"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1
  nvidia-smi 2>&1
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "python: ${PY:-none with torch}"
  [ -n "$PY" ] && "$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>&1
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
  cat "$CARRY/manifest.txt"
} > "$OUT/env.log" 2>&1
head -n 3 "$OUT/env.log"

step backends 60 "$JAVA" "${JFLAGS[@]}" -cp "$RUNCP" dev.ika4j.bench.cli.Main backends


step conformance 40 "$JAVA" "${JFLAGS[@]}" -Dika.backend=cuda -cp "$RUNCP" dev.ika4j.bench.cli.Main conformance "$CONF_DIR"

# 8 shapes x (non-causal, causal) x (the auto path, the other one): 32 timings of <= 0.6 s each.
step bench-ours 150 "$JAVA" "${JFLAGS[@]}" -Dbench.seconds=0.6 -cp "$RUNCP:$CARRY/test/panama-cuda" \
  dev.ika4j.cuda.bench.CudaAttentionBench "$OUT/ours.csv"

if [ -n "$PY" ] && [ -s "$OUT/ours.csv" ]; then
  step bench-torch 120 "$PY" scripts/gpu/torch_sdpa_bench.py --ours "$OUT/ours.csv" --out "$OUT/bench.md" --csv "$OUT/torch.csv"
else
  log "== bench-torch: skipped (python with torch: '${PY:-none}', ours.csv present: $([ -s "$OUT/ours.csv" ] && echo yes || echo no))"
fi

# The tensor-core kernel for half inputs beside SDPA's flash kernel in the same dtype (8 shapes x
# fp16/bf16 x causal or not: 32 timings of <= 0.4 s each).
step bench-half 100 "$JAVA" "${JFLAGS[@]}" -Dbench.seconds=0.4 -cp "$TESTCP" dev.ika4j.cuda.HalfKernelBench "$OUT/half.csv"
if [ -n "$PY" ] && [ -s "$OUT/half.csv" ]; then
  step bench-torch-half 90 "$PY" scripts/gpu/torch_sdpa_bench.py --half --ours "$OUT/half.csv" --out "$OUT/half.md"
fi

# The paper's kernels at one shape (batch 4, 16 heads, seq 2048, d 64, M 64), relative to standard.
step bench-paper 75 "$JAVA" "${JFLAGS[@]}" -Dbench.seconds=0.4 -cp "$TESTCP" \
  dev.ika4j.cuda.bench.CudaAttentionBench paper "$OUT/paper.csv"

# The tests go last, with whatever budget is left, so a slow suite cannot cost the benchmark.
step tests 220 "$JAVA" "${JFLAGS[@]}" -jar "$CONSOLE" execute --disable-banner --disable-ansi-colors --details=tree \
  --class-path "$TESTCP" --select-package dev.ika4j.cuda --reports-dir "$OUT/junit"

{
  echo "# GPU run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo '```'
  head -n 2 "$OUT/env.log"
  grep -m1 '^java:' "$OUT/env.log"
  grep -m1 '^torch' "$OUT/env.log"
  echo '```'
  echo
  echo "## Steps"
  cat "$OUT/steps.md"
  echo
  echo "## Backends"
  echo '```'
  cat "$OUT/backends.log" 2>/dev/null
  echo '```'
  echo
  echo "## Tests (JUnit console summary; XML in junit/)"
  echo '```'
  grep -E '^\[ *[0-9]+ (containers|tests) ' "$OUT/tests.log" 2>/dev/null || tail -n 30 "$OUT/tests.log" 2>/dev/null
  echo "-- failures (first 120 lines; full log in tests.log):"
  grep -A4 '✘' "$OUT/tests.log" 2>/dev/null | head -n 120
  echo '```'
  echo
  echo "## Conformance"
  echo '```'
  tail -n 40 "$OUT/conformance.log" 2>/dev/null
  echo '```'
  echo
  echo "## Paper kernels (batch 4, 16 heads, seq 2048, d 64, M 64; ms, and time relative to standard)"
  echo '```'
  cat "$OUT/paper.csv" 2>/dev/null || tail -n 20 "$OUT/bench-paper.log" 2>/dev/null
  echo '```'
  echo
  echo "## Half precision on tensor cores"
  if [ -s "$OUT/half.md" ]; then cat "$OUT/half.md"; else echo '```'; cat "$OUT/half.csv" 2>/dev/null; tail -n 20 "$OUT/bench-half.log" 2>/dev/null; echo '```'; fi
  echo
  echo "## Benchmark"
  if [ -s "$OUT/bench.md" ]; then cat "$OUT/bench.md"; else echo '```'; cat "$OUT/ours.csv" 2>/dev/null; tail -n 20 "$OUT/bench-ours.log" 2>/dev/null; echo '```'; fi
} > "$RESULTS"
log "== done; results in $RESULTS"
cat "$RESULTS"
cp "$RESULTS" "$OUT/tests.log" "$FINAL_OUT/" 2>/dev/null
tar czf "$FINAL_OUT/gpu-run.tgz" -C "$OUT" . 2>/dev/null
