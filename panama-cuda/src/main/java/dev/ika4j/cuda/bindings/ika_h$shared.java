/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * What jextract repeats at the top of every header class, written once: the C layouts, the
 * downcall tracing switch, and the run-time binding of a header's symbol lookup. The four header
 * classes ({@link cuda_h}, {@link cublas_h}, {@link curand_h}, {@link nvrtc_h}) extend it, as
 * jextract's classes extend their {@code $shared} class, and each keeps its own lookup, since
 * each header's functions live in a different library.
 */
@SuppressWarnings("unused")
public class ika_h$shared {

    ika_h$shared() {
    }

    static final boolean TRACE_DOWNCALLS = Boolean.getBoolean("jextract.trace.downcalls");

    static void traceDowncall(String name, Object... args) {
        String traceArgs = Arrays.stream(args)
                .map(Object::toString)
                .collect(Collectors.joining(", "));
        System.out.printf("%s(%s)\n", name, traceArgs);
    }

    public static final ValueLayout.OfBoolean C_BOOL = ValueLayout.JAVA_BOOLEAN;
    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG_LONG = ValueLayout.JAVA_LONG;
    public static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    public static final AddressLayout C_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(java.lang.Long.MAX_VALUE, JAVA_BYTE));
    /** LP64: C {@code long} and {@code size_t} are 64 bits. */
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    /**
     * One header's symbol lookup. jextract hard-codes a library name in {@code SYMBOL_LOOKUP}; here
     * the lookup is bound once, at run time, by {@code dev.ika4j.cuda.internal.NativeLibraries},
     * which finds each library by its versioned soname. Nothing native is touched until a
     * function is first called.
     */
    static final class Symbols {
        private final String header;
        private volatile SymbolLookup lookup;

        Symbols(String header) {
            this.header = header;
        }

        /** Once only: a second call with another lookup fails, because holders already initialised keep their addresses. */
        synchronized void bind(SymbolLookup lookup) {
            Objects.requireNonNull(lookup, "lookup");
            if (this.lookup != null && this.lookup != lookup) {
                throw new IllegalStateException(header + " is already bound to another library");
            }
            this.lookup = lookup;
        }

        boolean isBound() {
            return lookup != null;
        }

        MemorySegment findOrThrow(String symbol) {
            SymbolLookup l = lookup;
            if (l == null) {
                throw new IllegalStateException(
                        header + " is not bound: load the libraries with NativeLibraries.load() before calling " + symbol);
            }
            return l.find(symbol).orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: " + symbol));
        }
    }
}
