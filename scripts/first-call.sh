#!/usr/bin/env bash
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
# First-call latency of a backend in fresh JVMs: cold, after backend.warmUp(...), with the JDK's
# ahead-of-time cache (JEP 483/514/515: -XX:AOTCacheOutput to record, -XX:AOTCache to use), and
# with both. Each mode starts RUNS JVMs running dev.ika4j.bench.jmh.FirstCall and reports the
# median of their first call, tenth call and steady state. Prints a Markdown table.
#
#   scripts/first-call.sh [--runs N] [--backend NAME] [--shape BxHxLxD]     (defaults 5, simd, 1x8x512x64)
#
# Needs a build (./ika build). The AOT cache wants jars on the class path, not folders, so the
# bench module's jar is used.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5 BACKEND=simd SHAPE=1x8x512x64
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --backend) BACKEND="$2"; shift 2 ;;
    --shape) SHAPE="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "first-call: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$(ls "$ROOT"/bench/jmh/target/ika4j-bench-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)"
CP_FILE="$ROOT/bench/jmh/target/ika-classpath.txt"
[ -n "$JAR" ] && [ -f "$CP_FILE" ] || { echo "first-call: build first (./ika build)" >&2; exit 3; }
CP="$JAR:$(cat "$CP_FILE")"
FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
AOT="$WORK/first-call.aot"

run() { # extra JVM flags..., then -- and program args
  local jvm=() prog=()
  while [ "$1" != -- ]; do jvm+=("$1"); shift; done; shift
  prog=("$@")
  "$JAVA" "${FLAGS[@]}" ${jvm[@]+"${jvm[@]}"} -cp "$CP" dev.ika4j.bench.jmh.FirstCall \
      --backend "$BACKEND" --shape "$SHAPE" ${prog[@]+"${prog[@]}"} 2>>"$WORK/stderr" | grep '^first-call'
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure() { # label, JVM flags..., -- program args
  local label="$1"; shift
  : > "$WORK/lines"
  for _ in $(seq "$RUNS"); do run "$@" >> "$WORK/lines"; done
  local first tenth steady warm
  first=$(field first_ms < "$WORK/lines" | median)
  tenth=$(field tenth_ms < "$WORK/lines" | median)
  steady=$(field steady_ms < "$WORK/lines" | median)
  warm=$(field warmup_ms < "$WORK/lines" | median)
  awk -v l="$label" -v f="$first" -v t="$tenth" -v s="$steady" -v w="$warm" \
      'BEGIN { printf "| %s | %.0f | %.1f | %.1f | %.1f | %.1fx |\n", l, w, f, t, s, f / s }'
}

echo "first-call latency, backend $BACKEND, shape $SHAPE, median of $RUNS fresh JVMs each ($(nproc) CPUs, $("$JAVA" -version 2>&1 | head -1))"
echo
echo "| mode | warm-up ms | first call ms | 10th call ms | steady ms | first / steady |"
echo "| --- | --- | --- | --- | --- | --- |"
measure "cold" --
measure "backend.warmUp(...)" -- --warm-up
# Training run: records the classes loaded and linked and the method profiles into the cache.
run -XX:AOTCacheOutput="$AOT" -- --warm-up > /dev/null
measure "AOT cache" -XX:AOTCache="$AOT" --
measure "AOT cache + warmUp" -XX:AOTCache="$AOT" -- --warm-up
if grep -qi -e error -e warning "$WORK/stderr"; then
  echo; echo "JVM messages:"; grep -i -e error -e 'warning' "$WORK/stderr" | grep -v 'incubator' | sort | uniq -c | head -5
fi
