#!/usr/bin/env bash
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
# Builds ika4j here and packs everything the GPU machine needs into .gpu-carry/ (git-ignored):
# a jlinked JDK 25 runtime (the GPU machine has no Java and no Maven), the module jars, the
# panama-cuda test classes and the JUnit console launcher. Then carry `.gpu-carry` with the
# working tree and run scripts/gpu/run.sh there (see docs/gpu.md).
#
# Needs: JDK 25 (JAVA_HOME, or /usr/lib/jvm/temurin-25-jdk-amd64), Maven 3.8+, Maven Central once
# (for junit-platform-console-standalone). Builds into <module>/target-gpu so that it never
# tramples a build in target/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUTDIR=target-gpu
CARRY="$ROOT/.gpu-carry"
CONSOLE_VERSION=1.14.1
MAX_MB=60

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME
[ -x "$JAVA_HOME/bin/jlink" ] || { echo "prepare: no JDK 25 with jlink at $JAVA_HOME" >&2; exit 3; }

# One reactor build with test classes compiled (not run): the testkit jar (the backend contract), the
# reference jar and panama-cuda's test classes travel; every dependency between our modules resolves
# in the reactor, so nothing depends on what an earlier `mvn install` left in ~/.m2.
echo "prepare: building every module (tests compiled, not run) into */$OUTDIR ..."
mvn -B -q -Dika.out="$OUTDIR" -DskipTests package
[ -f "api/testkit/$OUTDIR/ika4j-testkit-0.1.0-SNAPSHOT.jar" ] || { echo "prepare: testkit jar missing" >&2; exit 3; }

rm -rf "$CARRY"
mkdir -p "$CARRY/lib" "$CARRY/test"
for m in api/core api/reference api/conformance api/testkit simd panama-cuda bench/cli; do
  cp "$m/$OUTDIR"/ika4j-*.jar "$CARRY/lib/"
done
cp -r "panama-cuda/$OUTDIR/test-classes" "$CARRY/test/panama-cuda"
# The ONNX Attention cases live outside the repository (shared/ beside it); they travel too.
CASES="$ROOT/../shared/conformance/onnx-attention"
[ -d "$CASES" ] || { echo "prepare: ONNX cases missing at $CASES" >&2; exit 3; }
cp -r "$CASES" "$CARRY/onnx-attention"

echo "prepare: fetching junit-platform-console-standalone $CONSOLE_VERSION ..."
mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact=org.junit.platform:junit-platform-console-standalone:$CONSOLE_VERSION \
  -DoutputDirectory="$CARRY/lib" -Dmdep.overWriteReleases=true
[ -f "$CARRY/lib/junit-platform-console-standalone-$CONSOLE_VERSION.jar" ] || { echo "prepare: console launcher missing" >&2; exit 3; }

echo "prepare: jlinking a JDK 25 runtime ..."
# java.xml: the console launcher's XML reports; java.logging/management: JUnit and System.Logger;
# jdk.unsupported: libraries that probe sun.misc; jdk.incubator.vector: the simd backend.
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,jdk.management,java.xml,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$CARRY/jdk"

{
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo "jdk: $("$CARRY/jdk/bin/java" -version 2>&1 | head -1)"
  (cd "$CARRY" && find . -type f -name '*.jar' | sort)
} > "$CARRY/manifest.txt"

MB=$(du -sm "$CARRY" | cut -f1)
echo "prepare: .gpu-carry is ${MB} MB"
cat "$CARRY/manifest.txt"
if [ "$MB" -gt "$MAX_MB" ]; then
  echo "prepare: .gpu-carry exceeds ${MAX_MB} MB; the device tool carries at most 64 MiB" >&2
  exit 4
fi
echo "prepare: done. Run on the GPU machine:  bash scripts/gpu/run.sh   (carry: .gpu-carry)"
