#!/usr/bin/env bash
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
# Runs the CUDA kernels' logic on the CPU, without a GPU: emu.h emulates the CUDA subset they use
# (one std::thread per CUDA thread, barriers for __syncthreads and shuffles, the pre-sm_80
# fallbacks instead of cp.async), and each test compares a kernel with a reference on small
# shapes that cover every option and NaN/inf case (test_scores: the four stages of the scores
# output, ONNX qk_matmul_output). It checks indexing, masking and numerics,
# not speed, memory-model subtleties or cp.async. Needs g++ with C++20. ~1 minute on 2 cores.
# Arguments: the tests to run (default all); CudaEmulationTest runs each in the test suite.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KERNELS="$HERE/../../main/resources/dev/ika4j/cuda/kernels"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The emulation defines __shared__ as static, which cannot combine with extern.
for f in flash flash_half attention paper; do sed 's/extern __shared__/extern/' "$KERNELS/$f.cu" > "$WORK/${f}_emu.cu"; done
cp "$HERE"/emu.h "$HERE"/test_*.cpp "$WORK/"
cd "$WORK"
TESTS=("$@")
[ ${#TESTS[@]} -gt 0 ] || TESTS=(test_flash test_flash_half test_rows test_paper test_scores test_nanrule)
for t in "${TESTS[@]}"; do
  g++ -std=c++20 -O1 -pthread -w -o "$t" "$t.cpp"
  echo "== $t"; ./"$t"
done
