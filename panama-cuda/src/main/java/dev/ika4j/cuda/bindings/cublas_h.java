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
 * Downcalls for {@code native-headers/ika_cublas.h} (cuBLAS, libcublas.so.13 or .12), in the shape jextract emits:
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
public final class cublas_h extends ika_h$shared {

    private cublas_h() {
    }

    private static final Symbols SYMBOLS = new Symbols("cublas_h");

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

    /** {@code typedef struct cublasContext * cublasHandle_t} */
    public static final AddressLayout cublasHandle_t = cublas_h.C_POINTER;

    /** {@code typedef struct CUstream_st * cudaStream_t} */
    public static final AddressLayout cudaStream_t = cublas_h.C_POINTER;

    /** {@code typedef enum cublasStatus_t} */
    public static final ValueLayout.OfInt cublasStatus_t = cublas_h.C_INT;

    /** {@code typedef enum cublasOperation_t} */
    public static final ValueLayout.OfInt cublasOperation_t = cublas_h.C_INT;

    /** {@code typedef enum cublasMath_t} */
    public static final ValueLayout.OfInt cublasMath_t = cublas_h.C_INT;

    private static final class cublasCreate_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_INT,
            cublas_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasCreate_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static FunctionDescriptor cublasCreate_v2$descriptor() {
        return cublasCreate_v2.DESC;
    }

    /** Downcall method handle for {@code cublasCreate_v2}. */
    public static MethodHandle cublasCreate_v2$handle() {
        return cublasCreate_v2.HANDLE;
    }

    /** Address of {@code cublasCreate_v2}. */
    public static MemorySegment cublasCreate_v2$address() {
        return cublasCreate_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)
     * }
     */
    public static int cublasCreate_v2(MemorySegment handle) {
        var mh$ = cublasCreate_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasCreate_v2", handle);
            }
            return (int) mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasDestroy_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_INT,
            cublas_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasDestroy_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static FunctionDescriptor cublasDestroy_v2$descriptor() {
        return cublasDestroy_v2.DESC;
    }

    /** Downcall method handle for {@code cublasDestroy_v2}. */
    public static MethodHandle cublasDestroy_v2$handle() {
        return cublasDestroy_v2.HANDLE;
    }

    /** Address of {@code cublasDestroy_v2}. */
    public static MemorySegment cublasDestroy_v2$address() {
        return cublasDestroy_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)
     * }
     */
    public static int cublasDestroy_v2(MemorySegment handle) {
        var mh$ = cublasDestroy_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasDestroy_v2", handle);
            }
            return (int) mh$.invokeExact(handle);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasGetVersion_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_INT,
            cublas_h.C_POINTER,
            cublas_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasGetVersion_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)
     * }
     */
    public static FunctionDescriptor cublasGetVersion_v2$descriptor() {
        return cublasGetVersion_v2.DESC;
    }

    /** Downcall method handle for {@code cublasGetVersion_v2}. */
    public static MethodHandle cublasGetVersion_v2$handle() {
        return cublasGetVersion_v2.HANDLE;
    }

    /** Address of {@code cublasGetVersion_v2}. */
    public static MemorySegment cublasGetVersion_v2$address() {
        return cublasGetVersion_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)
     * }
     */
    public static int cublasGetVersion_v2(MemorySegment handle, MemorySegment version) {
        var mh$ = cublasGetVersion_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetVersion_v2", handle, version);
            }
            return (int) mh$.invokeExact(handle, version);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasSetStream_v2 {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_INT,
            cublas_h.C_POINTER,
            cublas_h.C_POINTER
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasSetStream_v2");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static FunctionDescriptor cublasSetStream_v2$descriptor() {
        return cublasSetStream_v2.DESC;
    }

    /** Downcall method handle for {@code cublasSetStream_v2}. */
    public static MethodHandle cublasSetStream_v2$handle() {
        return cublasSetStream_v2.HANDLE;
    }

    /** Address of {@code cublasSetStream_v2}. */
    public static MemorySegment cublasSetStream_v2$address() {
        return cublasSetStream_v2.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)
     * }
     */
    public static int cublasSetStream_v2(MemorySegment handle, MemorySegment streamId) {
        var mh$ = cublasSetStream_v2.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSetStream_v2", handle, streamId);
            }
            return (int) mh$.invokeExact(handle, streamId);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasSetMathMode {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_INT,
            cublas_h.C_POINTER,
            cublas_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasSetMathMode");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
     * }
     */
    public static FunctionDescriptor cublasSetMathMode$descriptor() {
        return cublasSetMathMode.DESC;
    }

    /** Downcall method handle for {@code cublasSetMathMode}. */
    public static MethodHandle cublasSetMathMode$handle() {
        return cublasSetMathMode.HANDLE;
    }

    /** Address of {@code cublasSetMathMode}. */
    public static MemorySegment cublasSetMathMode$address() {
        return cublasSetMathMode.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)
     * }
     */
    public static int cublasSetMathMode(MemorySegment handle, int mode) {
        var mh$ = cublasSetMathMode.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSetMathMode", handle, mode);
            }
            return (int) mh$.invokeExact(handle, mode);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasGetStatusName {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_POINTER,
            cublas_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasGetStatusName");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * cublasGetStatusName(cublasStatus_t status)
     * }
     */
    public static FunctionDescriptor cublasGetStatusName$descriptor() {
        return cublasGetStatusName.DESC;
    }

    /** Downcall method handle for {@code cublasGetStatusName}. */
    public static MethodHandle cublasGetStatusName$handle() {
        return cublasGetStatusName.HANDLE;
    }

    /** Address of {@code cublasGetStatusName}. */
    public static MemorySegment cublasGetStatusName$address() {
        return cublasGetStatusName.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * cublasGetStatusName(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusName(int status) {
        var mh$ = cublasGetStatusName.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetStatusName", status);
            }
            return (MemorySegment) mh$.invokeExact(status);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasGetStatusString {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_POINTER,
            cublas_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasGetStatusString");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * const char * cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static FunctionDescriptor cublasGetStatusString$descriptor() {
        return cublasGetStatusString.DESC;
    }

    /** Downcall method handle for {@code cublasGetStatusString}. */
    public static MethodHandle cublasGetStatusString$handle() {
        return cublasGetStatusString.HANDLE;
    }

    /** Address of {@code cublasGetStatusString}. */
    public static MemorySegment cublasGetStatusString$address() {
        return cublasGetStatusString.ADDR;
    }

    /**
     * {@snippet lang=c :
     * const char * cublasGetStatusString(cublasStatus_t status)
     * }
     */
    public static MemorySegment cublasGetStatusString(int status) {
        var mh$ = cublasGetStatusString.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasGetStatusString", status);
            }
            return (MemorySegment) mh$.invokeExact(status);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class cublasSgemmStridedBatched {
        public static final FunctionDescriptor DESC = FunctionDescriptor.of(
            cublas_h.C_INT,
            cublas_h.C_POINTER,
            cublas_h.C_INT,
            cublas_h.C_INT,
            cublas_h.C_INT,
            cublas_h.C_INT,
            cublas_h.C_INT,
            cublas_h.C_POINTER,
            cublas_h.C_POINTER,
            cublas_h.C_INT,
            cublas_h.C_LONG_LONG,
            cublas_h.C_POINTER,
            cublas_h.C_INT,
            cublas_h.C_LONG_LONG,
            cublas_h.C_POINTER,
            cublas_h.C_POINTER,
            cublas_h.C_INT,
            cublas_h.C_LONG_LONG,
            cublas_h.C_INT
        );

        public static final MemorySegment ADDR = cublas_h.findOrThrow("cublasSgemmStridedBatched");

        public static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /**
     * Function descriptor for:
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, float *C, int ldc, long long int strideC, int batchCount)
     * }
     */
    public static FunctionDescriptor cublasSgemmStridedBatched$descriptor() {
        return cublasSgemmStridedBatched.DESC;
    }

    /** Downcall method handle for {@code cublasSgemmStridedBatched}. */
    public static MethodHandle cublasSgemmStridedBatched$handle() {
        return cublasSgemmStridedBatched.HANDLE;
    }

    /** Address of {@code cublasSgemmStridedBatched}. */
    public static MemorySegment cublasSgemmStridedBatched$address() {
        return cublasSgemmStridedBatched.ADDR;
    }

    /**
     * {@snippet lang=c :
     * cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, float *C, int ldc, long long int strideC, int batchCount)
     * }
     */
    public static int cublasSgemmStridedBatched(MemorySegment handle, int transa, int transb, int m, int n, int k, MemorySegment alpha, MemorySegment A, int lda, long strideA, MemorySegment B, int ldb, long strideB, MemorySegment beta, MemorySegment C, int ldc, long strideC, int batchCount) {
        var mh$ = cublasSgemmStridedBatched.HANDLE;
        try {
            if (TRACE_DOWNCALLS) {
                traceDowncall("cublasSgemmStridedBatched", handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
            }
            return (int) mh$.invokeExact(handle, transa, transb, m, n, k, alpha, A, lda, strideA, B, ldb, strideB, beta, C, ldc, strideC, batchCount);
        } catch (Error | RuntimeException ex) {
            throw ex;
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final int CUBLAS_STATUS_SUCCESS = (int) 0L;

    /** {@code CUBLAS_STATUS_SUCCESS = 0} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_SUCCESS() {
        return CUBLAS_STATUS_SUCCESS;
    }

    private static final int CUBLAS_STATUS_NOT_INITIALIZED = (int) 1L;

    /** {@code CUBLAS_STATUS_NOT_INITIALIZED = 1} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_NOT_INITIALIZED() {
        return CUBLAS_STATUS_NOT_INITIALIZED;
    }

    private static final int CUBLAS_STATUS_ALLOC_FAILED = (int) 3L;

    /** {@code CUBLAS_STATUS_ALLOC_FAILED = 3} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_ALLOC_FAILED() {
        return CUBLAS_STATUS_ALLOC_FAILED;
    }

    private static final int CUBLAS_STATUS_INVALID_VALUE = (int) 7L;

    /** {@code CUBLAS_STATUS_INVALID_VALUE = 7} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_INVALID_VALUE() {
        return CUBLAS_STATUS_INVALID_VALUE;
    }

    private static final int CUBLAS_STATUS_ARCH_MISMATCH = (int) 8L;

    /** {@code CUBLAS_STATUS_ARCH_MISMATCH = 8} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_ARCH_MISMATCH() {
        return CUBLAS_STATUS_ARCH_MISMATCH;
    }

    private static final int CUBLAS_STATUS_MAPPING_ERROR = (int) 11L;

    /** {@code CUBLAS_STATUS_MAPPING_ERROR = 11} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_MAPPING_ERROR() {
        return CUBLAS_STATUS_MAPPING_ERROR;
    }

    private static final int CUBLAS_STATUS_EXECUTION_FAILED = (int) 13L;

    /** {@code CUBLAS_STATUS_EXECUTION_FAILED = 13} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_EXECUTION_FAILED() {
        return CUBLAS_STATUS_EXECUTION_FAILED;
    }

    private static final int CUBLAS_STATUS_INTERNAL_ERROR = (int) 14L;

    /** {@code CUBLAS_STATUS_INTERNAL_ERROR = 14} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_INTERNAL_ERROR() {
        return CUBLAS_STATUS_INTERNAL_ERROR;
    }

    private static final int CUBLAS_STATUS_NOT_SUPPORTED = (int) 15L;

    /** {@code CUBLAS_STATUS_NOT_SUPPORTED = 15} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_NOT_SUPPORTED() {
        return CUBLAS_STATUS_NOT_SUPPORTED;
    }

    private static final int CUBLAS_STATUS_LICENSE_ERROR = (int) 16L;

    /** {@code CUBLAS_STATUS_LICENSE_ERROR = 16} ({@code cublasStatus_t}) */
    public static int CUBLAS_STATUS_LICENSE_ERROR() {
        return CUBLAS_STATUS_LICENSE_ERROR;
    }

    private static final int CUBLAS_OP_N = (int) 0L;

    /** {@code CUBLAS_OP_N = 0} ({@code cublasOperation_t}) */
    public static int CUBLAS_OP_N() {
        return CUBLAS_OP_N;
    }

    private static final int CUBLAS_OP_T = (int) 1L;

    /** {@code CUBLAS_OP_T = 1} ({@code cublasOperation_t}) */
    public static int CUBLAS_OP_T() {
        return CUBLAS_OP_T;
    }

    private static final int CUBLAS_OP_C = (int) 2L;

    /** {@code CUBLAS_OP_C = 2} ({@code cublasOperation_t}) */
    public static int CUBLAS_OP_C() {
        return CUBLAS_OP_C;
    }

    private static final int CUBLAS_DEFAULT_MATH = (int) 0L;

    /** {@code CUBLAS_DEFAULT_MATH = 0} ({@code cublasMath_t}) */
    public static int CUBLAS_DEFAULT_MATH() {
        return CUBLAS_DEFAULT_MATH;
    }

    private static final int CUBLAS_PEDANTIC_MATH = (int) 2L;

    /** {@code CUBLAS_PEDANTIC_MATH = 2} ({@code cublasMath_t}) */
    public static int CUBLAS_PEDANTIC_MATH() {
        return CUBLAS_PEDANTIC_MATH;
    }

    private static final int CUBLAS_TF32_TENSOR_OP_MATH = (int) 3L;

    /** {@code CUBLAS_TF32_TENSOR_OP_MATH = 3} ({@code cublasMath_t}) */
    public static int CUBLAS_TF32_TENSOR_OP_MATH() {
        return CUBLAS_TF32_TENSOR_OP_MATH;
    }
}
