/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bindings;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;


/**
 * Downcalls for {@code native-headers/ika_curand.h} (cuRAND, libcurand.so.10), in the shape jextract emits:
 * one public static method per C function, named as the C symbol, backed by a lazily
 * initialised holder class with its {@code FunctionDescriptor}, address and {@code MethodHandle};
 * C layouts and typedefs as constants; enumerators as static methods.
 *
 * <p>Not generated: jextract is not installed where this was written, so this class was
 * written by hand in its shape ({@code native-headers/regenerate-bindings.sh} regenerates it
 * where jextract exists). {@code BindingsMatchHeadersTest} checks every symbol name and
 * descriptor here against the header.
 *
 * <p>The preamble jextract repeats in every header class (C layouts, tracing, the symbol
 * lookup) lives once in {@link ika_h$shared}; one deliberate difference from jextract: the
 * lookup is {@linkplain #bind bound} at run time instead of naming a library at generation time.
 */
@SuppressWarnings({"unused", "restricted"})
public final class curand_h extends ika_h$shared {

    private curand_h() {
    }

    private static final Symbols SYMBOLS = new Symbols("curand_h");

    /** Binds this header's functions to {@code lookup}; once (NativeLibraries.load() calls it). */
    public static void bind(SymbolLookup lookup) {
        SYMBOLS.bind(lookup);
    }

    /** Whether {@link #bind} has been called. */
    public static boolean isBound() {
        return SYMBOLS.isBound();
    }

    static MemorySegment findOrThrow(String symbol) {
        return SYMBOLS.findOrThrow(symbol);
    }

    /** {@code typedef struct curandGenerator_st * curandGenerator_t} */
    public static final AddressLayout curandGenerator_t = curand_h.C_POINTER;

    /** {@code typedef struct CUstream_st * cudaStream_t} */
    public static final AddressLayout cudaStream_t = curand_h.C_POINTER;

    /** {@code typedef enum curandStatus curandStatus_t} */
    public static final ValueLayout.OfInt curandStatus_t = curand_h.C_INT;

    /** {@code typedef enum curandRngType curandRngType_t} */
    public static final ValueLayout.OfInt curandRngType_t = curand_h.C_INT;

    private static final class curandCreateGenerator {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_INT
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandCreateGenerator");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandCreateGenerator(curandGenerator_t *generator, curandRngType_t rng_type)
     * }
     */
    public static FunctionDescriptor curandCreateGenerator$descriptor() {
        return curandCreateGenerator.DESC;
    }

    /** Downcall method handle for {@code curandCreateGenerator}. */
    public static MethodHandle curandCreateGenerator$handle() {
        return curandCreateGenerator.HANDLE;
    }

    /** Address of {@code curandCreateGenerator}. */
    public static MemorySegment curandCreateGenerator$address() {
        return curandCreateGenerator.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandCreateGenerator(curandGenerator_t *generator, curandRngType_t rng_type)
     * }
     */
    public static int curandCreateGenerator(MemorySegment generator, int rng_type) {
        var mh$ = curandCreateGenerator.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandCreateGenerator", generator, rng_type);
            }
            return (int) mh$.invokeExact(generator, rng_type);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class curandDestroyGenerator {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandDestroyGenerator");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandDestroyGenerator(curandGenerator_t generator)
     * }
     */
    public static FunctionDescriptor curandDestroyGenerator$descriptor() {
        return curandDestroyGenerator.DESC;
    }

    /** Downcall method handle for {@code curandDestroyGenerator}. */
    public static MethodHandle curandDestroyGenerator$handle() {
        return curandDestroyGenerator.HANDLE;
    }

    /** Address of {@code curandDestroyGenerator}. */
    public static MemorySegment curandDestroyGenerator$address() {
        return curandDestroyGenerator.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandDestroyGenerator(curandGenerator_t generator)
     * }
     */
    public static int curandDestroyGenerator(MemorySegment generator) {
        var mh$ = curandDestroyGenerator.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandDestroyGenerator", generator);
            }
            return (int) mh$.invokeExact(generator);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class curandGetVersion {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandGetVersion");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandGetVersion(int *version)
     * }
     */
    public static FunctionDescriptor curandGetVersion$descriptor() {
        return curandGetVersion.DESC;
    }

    /** Downcall method handle for {@code curandGetVersion}. */
    public static MethodHandle curandGetVersion$handle() {
        return curandGetVersion.HANDLE;
    }

    /** Address of {@code curandGetVersion}. */
    public static MemorySegment curandGetVersion$address() {
        return curandGetVersion.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandGetVersion(int *version)
     * }
     */
    public static int curandGetVersion(MemorySegment version) {
        var mh$ = curandGetVersion.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandGetVersion", version);
            }
            return (int) mh$.invokeExact(version);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class curandSetStream {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandSetStream");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandSetStream(curandGenerator_t generator, cudaStream_t stream)
     * }
     */
    public static FunctionDescriptor curandSetStream$descriptor() {
        return curandSetStream.DESC;
    }

    /** Downcall method handle for {@code curandSetStream}. */
    public static MethodHandle curandSetStream$handle() {
        return curandSetStream.HANDLE;
    }

    /** Address of {@code curandSetStream}. */
    public static MemorySegment curandSetStream$address() {
        return curandSetStream.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandSetStream(curandGenerator_t generator, cudaStream_t stream)
     * }
     */
    public static int curandSetStream(MemorySegment generator, MemorySegment stream) {
        var mh$ = curandSetStream.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandSetStream", generator, stream);
            }
            return (int) mh$.invokeExact(generator, stream);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class curandSetPseudoRandomGeneratorSeed {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_LONG_LONG
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandSetPseudoRandomGeneratorSeed");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandSetPseudoRandomGeneratorSeed(curandGenerator_t generator, unsigned long long seed)
     * }
     */
    public static FunctionDescriptor curandSetPseudoRandomGeneratorSeed$descriptor() {
        return curandSetPseudoRandomGeneratorSeed.DESC;
    }

    /** Downcall method handle for {@code curandSetPseudoRandomGeneratorSeed}. */
    public static MethodHandle curandSetPseudoRandomGeneratorSeed$handle() {
        return curandSetPseudoRandomGeneratorSeed.HANDLE;
    }

    /** Address of {@code curandSetPseudoRandomGeneratorSeed}. */
    public static MemorySegment curandSetPseudoRandomGeneratorSeed$address() {
        return curandSetPseudoRandomGeneratorSeed.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandSetPseudoRandomGeneratorSeed(curandGenerator_t generator, unsigned long long seed)
     * }
     */
    public static int curandSetPseudoRandomGeneratorSeed(MemorySegment generator, long seed) {
        var mh$ = curandSetPseudoRandomGeneratorSeed.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandSetPseudoRandomGeneratorSeed", generator, seed);
            }
            return (int) mh$.invokeExact(generator, seed);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class curandSetGeneratorOffset {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_LONG_LONG
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandSetGeneratorOffset");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandSetGeneratorOffset(curandGenerator_t generator, unsigned long long offset)
     * }
     */
    public static FunctionDescriptor curandSetGeneratorOffset$descriptor() {
        return curandSetGeneratorOffset.DESC;
    }

    /** Downcall method handle for {@code curandSetGeneratorOffset}. */
    public static MethodHandle curandSetGeneratorOffset$handle() {
        return curandSetGeneratorOffset.HANDLE;
    }

    /** Address of {@code curandSetGeneratorOffset}. */
    public static MemorySegment curandSetGeneratorOffset$address() {
        return curandSetGeneratorOffset.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandSetGeneratorOffset(curandGenerator_t generator, unsigned long long offset)
     * }
     */
    public static int curandSetGeneratorOffset(MemorySegment generator, long offset) {
        var mh$ = curandSetGeneratorOffset.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandSetGeneratorOffset", generator, offset);
            }
            return (int) mh$.invokeExact(generator, offset);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class curandGenerateNormal {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            curand_h.C_INT,
            curand_h.C_POINTER,
            curand_h.C_POINTER,
            curand_h.C_LONG,
            curand_h.C_FLOAT,
            curand_h.C_FLOAT
        );

        public static final MemorySegment ADDR = curand_h.findOrThrow("curandGenerateNormal");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormal(curandGenerator_t generator, float *outputPtr, size_t n, float mean, float stddev)
     * }
     */
    public static FunctionDescriptor curandGenerateNormal$descriptor() {
        return curandGenerateNormal.DESC;
    }

    /** Downcall method handle for {@code curandGenerateNormal}. */
    public static MethodHandle curandGenerateNormal$handle() {
        return curandGenerateNormal.HANDLE;
    }

    /** Address of {@code curandGenerateNormal}. */
    public static MemorySegment curandGenerateNormal$address() {
        return curandGenerateNormal.ADDR;
    }

    /**
     * {@snippet lang=c :
     * curandStatus_t curandGenerateNormal(curandGenerator_t generator, float *outputPtr, size_t n, float mean, float stddev)
     * }
     */
    public static int curandGenerateNormal(MemorySegment generator, MemorySegment outputPtr, long n, float mean, float stddev) {
        var mh$ = curandGenerateNormal.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("curandGenerateNormal", generator, outputPtr, n, mean, stddev);
            }
            return (int) mh$.invokeExact(generator, outputPtr, n, mean, stddev);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CURAND_STATUS_SUCCESS = (int) 0L;

    /** {@code CURAND_STATUS_SUCCESS = 0} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_SUCCESS() {
        return CURAND_STATUS_SUCCESS;
    }

    private static final int CURAND_STATUS_VERSION_MISMATCH = (int) 100L;

    /** {@code CURAND_STATUS_VERSION_MISMATCH = 100} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_VERSION_MISMATCH() {
        return CURAND_STATUS_VERSION_MISMATCH;
    }

    private static final int CURAND_STATUS_NOT_INITIALIZED = (int) 101L;

    /** {@code CURAND_STATUS_NOT_INITIALIZED = 101} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_NOT_INITIALIZED() {
        return CURAND_STATUS_NOT_INITIALIZED;
    }

    private static final int CURAND_STATUS_ALLOCATION_FAILED = (int) 102L;

    /** {@code CURAND_STATUS_ALLOCATION_FAILED = 102} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_ALLOCATION_FAILED() {
        return CURAND_STATUS_ALLOCATION_FAILED;
    }

    private static final int CURAND_STATUS_TYPE_ERROR = (int) 103L;

    /** {@code CURAND_STATUS_TYPE_ERROR = 103} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_TYPE_ERROR() {
        return CURAND_STATUS_TYPE_ERROR;
    }

    private static final int CURAND_STATUS_OUT_OF_RANGE = (int) 104L;

    /** {@code CURAND_STATUS_OUT_OF_RANGE = 104} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_OUT_OF_RANGE() {
        return CURAND_STATUS_OUT_OF_RANGE;
    }

    private static final int CURAND_STATUS_LENGTH_NOT_MULTIPLE = (int) 105L;

    /** {@code CURAND_STATUS_LENGTH_NOT_MULTIPLE = 105} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_LENGTH_NOT_MULTIPLE() {
        return CURAND_STATUS_LENGTH_NOT_MULTIPLE;
    }

    private static final int CURAND_STATUS_DOUBLE_PRECISION_REQUIRED = (int) 106L;

    /** {@code CURAND_STATUS_DOUBLE_PRECISION_REQUIRED = 106} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_DOUBLE_PRECISION_REQUIRED() {
        return CURAND_STATUS_DOUBLE_PRECISION_REQUIRED;
    }

    private static final int CURAND_STATUS_LAUNCH_FAILURE = (int) 201L;

    /** {@code CURAND_STATUS_LAUNCH_FAILURE = 201} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_LAUNCH_FAILURE() {
        return CURAND_STATUS_LAUNCH_FAILURE;
    }

    private static final int CURAND_STATUS_PREEXISTING_FAILURE = (int) 202L;

    /** {@code CURAND_STATUS_PREEXISTING_FAILURE = 202} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_PREEXISTING_FAILURE() {
        return CURAND_STATUS_PREEXISTING_FAILURE;
    }

    private static final int CURAND_STATUS_INITIALIZATION_FAILED = (int) 203L;

    /** {@code CURAND_STATUS_INITIALIZATION_FAILED = 203} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_INITIALIZATION_FAILED() {
        return CURAND_STATUS_INITIALIZATION_FAILED;
    }

    private static final int CURAND_STATUS_ARCH_MISMATCH = (int) 204L;

    /** {@code CURAND_STATUS_ARCH_MISMATCH = 204} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_ARCH_MISMATCH() {
        return CURAND_STATUS_ARCH_MISMATCH;
    }

    private static final int CURAND_STATUS_INTERNAL_ERROR = (int) 999L;

    /** {@code CURAND_STATUS_INTERNAL_ERROR = 999} ({@code enum curandStatus}) */
    public static int CURAND_STATUS_INTERNAL_ERROR() {
        return CURAND_STATUS_INTERNAL_ERROR;
    }

    private static final int CURAND_RNG_PSEUDO_DEFAULT = (int) 100L;

    /** {@code CURAND_RNG_PSEUDO_DEFAULT = 100} ({@code enum curandRngType}) */
    public static int CURAND_RNG_PSEUDO_DEFAULT() {
        return CURAND_RNG_PSEUDO_DEFAULT;
    }

    private static final int CURAND_RNG_PSEUDO_PHILOX4_32_10 = (int) 161L;

    /** {@code CURAND_RNG_PSEUDO_PHILOX4_32_10 = 161} ({@code enum curandRngType}) */
    public static int CURAND_RNG_PSEUDO_PHILOX4_32_10() {
        return CURAND_RNG_PSEUDO_PHILOX4_32_10;
    }
}
