#!/usr/bin/env bash
# Regenerates panama-cuda/src/main/java/dev/ika4j/cuda/bindings/{cuda,cublas,curand,nvrtc}_h.java
# from the headers in this folder with jextract (https://jdk.java.net/jextract/, for JDK 22+).
#
# jextract is NOT installed on the machines this project was written on: the checked-in bindings
# were written by hand in the shape jextract emits, and BindingsMatchHeadersTest checks every
# symbol name and descriptor in them against these headers. Where jextract exists, this script
# produces the same classes from the same headers; review the diff before keeping it.
#
# One change is applied after jextract: its SYMBOL_LOOKUP names a library at generation time,
# whereas ours is bound once at run time by dev.ika4j.cuda.internal.NativeLibraries, which finds
# the libraries by their versioned sonames (libcuda.so.1, libcublas.so.13, ...).
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

    # Swap the generation-time library lookup for one bound at run time.
    local file="$out/${package//.//}/$class.java"
    perl -0pi -e '
        s{static final SymbolLookup SYMBOL_LOOKUP\s*=[^;]*;}{private static volatile SymbolLookup SYMBOL_LOOKUP;

    /** Sets the lookup every symbol is resolved in; once (NativeLibraries.load() calls it). */
    public static synchronized void bind(SymbolLookup lookup) {
        java.util.Objects.requireNonNull(lookup, "lookup");
        if (SYMBOL_LOOKUP != null && SYMBOL_LOOKUP != lookup) {
            throw new IllegalStateException("already bound to another library");
        }
        SYMBOL_LOOKUP = lookup;
    }

    /** Whether {\@link #bind} has been called. */
    public static boolean isBound() {
        return SYMBOL_LOOKUP != null;
    }}s;
        s{return SYMBOL_LOOKUP\.find\(symbol\)}{if (SYMBOL_LOOKUP == null) {
            throw new IllegalStateException("not bound: call NativeLibraries.load() before " + symbol);
        }
        return SYMBOL_LOOKUP.find(symbol)}s;
    ' "$file"
    grep -q 'public static synchronized void bind' "$file" \
        || { echo "could not rewrite SYMBOL_LOOKUP in $file: check jextract's output shape" >&2; exit 1; }
}

generate ika_cuda.h cuda_h
generate ika_cublas.h cublas_h
generate ika_curand.h curand_h
generate ika_nvrtc.h nvrtc_h
echo "Regenerated; now run: mvn -pl panama-cuda -am test -Dtest='BindingsMatchHeadersTest,HeaderConformanceTest'"
