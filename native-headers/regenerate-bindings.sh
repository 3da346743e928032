#!/usr/bin/env bash
# Copyright 2026 the ika4j authors
# SPDX-License-Identifier: Apache-2.0
# Regenerates panama-cuda/src/main/java/dev/ika4j/cuda/bindings/{cuda,cublas,curand,nvrtc}_h.java
# from the headers in this folder with jextract (https://jdk.java.net/jextract/, for JDK 22+).
#
# jextract is NOT installed on the machines this project was written on: the checked-in bindings
# were written by hand in the shape jextract emits, and BindingsMatchHeadersTest checks every
# symbol name and descriptor in them against these headers. Where jextract exists, this script
# produces the same classes from the same headers; review the diff before keeping it.
#
# Two changes are applied after jextract. Its SYMBOL_LOOKUP names a library at generation time,
# whereas ours is bound once at run time by dev.ika4j.cuda.internal.NativeLibraries, which finds
# the libraries by their versioned sonames (libcuda.so.1, libcublas.so.13, ...). And the preamble
# jextract repeats in every header class (C layouts, downcall tracing, the lookup) lives once in
# the checked-in bindings/ika_h$shared.java (as cuVS keeps it once by generating from one header):
# each generated class is made to extend it and its own copy is dropped. (Untested where this was
# written: jextract is not installed there.)
#
# Usage: native-headers/regenerate-bindings.sh [path/to/jextract]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jextract="${1:-${JEXTRACT:-jextract}}"
out="$root/panama-cuda/src/main/java"
package=dev.ika4j.cuda.bindings

if ! command -v "$jextract" >/dev/null 2>&1; then
    echo "jextract not found (looked for '$jextract'); it is not installed on these machines." >&2
    echo "The checked-in bindings were written by hand in jextract's shape; nothing was changed." >&2
    exit 2
fi

# Every function, enumerator and typedef the header declares, so the header stays the one list.
functions() { sed -e 's:/\*.*\*/::' "$1" | grep -oE '^[A-Za-z_][A-Za-z0-9_ ]*[ *]([A-Za-z_][A-Za-z0-9_]*)\(' \
    | grep -v '^typedef' | sed -E 's/.*[ *]([A-Za-z_][A-Za-z0-9_]*)\($/\1/'; }
constants() { grep -oE '^ *[A-Z][A-Z0-9_]+ = ' "$1" | sed -E 's/ *([A-Z0-9_]+) = /\1/'; }
typedefs() { grep -oE '^typedef [^;{]*[ *]([A-Za-z_][A-Za-z0-9_]*);' "$1" | sed -E 's/.*[ *]([A-Za-z_][A-Za-z0-9_]*);/\1/';
             grep -oE '^\} *[A-Za-z_][A-Za-z0-9_]*;' "$1" | sed -E 's/^\} *([A-Za-z0-9_]+);/\1/'; }

generate() {
    local header="$1" class="$2"
    local args=(--target-package "$package" --header-class-name "$class" --output "$out")
    local name
    for name in $(functions "$here/$header"); do args+=(--include-function "$name"); done
    for name in $(constants "$here/$header"); do args+=(--include-constant "$name"); done
    for name in $(typedefs "$here/$header"); do args+=(--include-typedef "$name"); done
    echo "jextract ${args[*]} $header"
    "$jextract" "${args[@]}" "$here/$header"

    # Drop the preamble that ika_h$shared holds once, and bind the lookup at run time.
    local file="$out/${package//.//}/$class.java"
    rm -f "$out/${package//.//}/$class\$shared.java"
    CLASS="$class" perl -0pi -e '
        my $c = $ENV{CLASS};
        s{public (final )?class \Q$c\E\b[^\{]*\{}{public final class $c extends ika_h\$shared \{};
        s{\n[ \t]*(public )?static final (ValueLayout\.Of\w+|AddressLayout) C_\w+ = [^;]*;}{}g;
        s{\n[ \t]*static final boolean TRACE_DOWNCALLS = [^;]*;}{};
        s{\n[ \t]*static void traceDowncall\(.*?\n    \}}{}s;
        s{\n[ \t]*static MemorySegment findOrThrow\(.*?\n    \}}{}s;
        s{static final SymbolLookup SYMBOL_LOOKUP\s*=[^;]*;}{private static final Symbols SYMBOLS = new Symbols("$c");

    /** Binds this header\x27s functions to {\@code lookup}; once (NativeLibraries.load() calls it). */
    public static void bind(SymbolLookup lookup) {
        SYMBOLS.bind(lookup);
    }

    /** Whether {\@link #bind} has been called. */
    public static boolean isBound() {
        return SYMBOLS.isBound();
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOLS.findOrThrow(symbol);
    }}s;
    ' "$file"
    grep -q 'extends ika_h\$shared' "$file" && grep -q 'new Symbols("' "$file" && ! grep -q 'SYMBOL_LOOKUP' "$file" \
        || { echo "could not rewrite $file onto ika_h\$shared: check jextract's output shape" >&2; exit 1; }
}

generate ika_cuda.h cuda_h
generate ika_cublas.h cublas_h
generate ika_curand.h curand_h
generate ika_nvrtc.h nvrtc_h
echo "Regenerated; now run: mvn -pl panama-cuda -am test -Dtest='BindingsMatchHeadersTest,HeaderConformanceTest'"
