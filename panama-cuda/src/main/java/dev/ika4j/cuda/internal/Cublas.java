/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ika4j.cuda.bindings.cublas_h.CUBLAS_DEFAULT_MATH;
import static dev.ika4j.cuda.bindings.cublas_h.CUBLAS_OP_N;
import static dev.ika4j.cuda.bindings.cublas_h.CUBLAS_OP_T;
import static dev.ika4j.cuda.bindings.cublas_h.CUBLAS_TF32_TENSOR_OP_MATH;
import static dev.ika4j.cuda.bindings.cublas_h.cublasCreate_v2;
import static dev.ika4j.cuda.bindings.cublas_h.cublasDestroy_v2;
import static dev.ika4j.cuda.bindings.cublas_h.cublasGetVersion_v2;
import static dev.ika4j.cuda.bindings.cublas_h.cublasSetMathMode;
import static dev.ika4j.cuda.bindings.cublas_h.cublasSetStream_v2;
import static dev.ika4j.cuda.bindings.cublas_h.cublasSgemmStridedBatched;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A cuBLAS handle bound to one stream, in plain FP32 math unless {@link #setTf32(boolean)} opts
 * into TF32 tensor cores. Scalars are passed from the host (the default pointer mode).
 *
 * <p>cuBLAS allows a handle to be used by one thread at a time, so the methods are synchronized.
 */
public final class Cublas implements AutoCloseable {

    private final CudaContext context;
    private final MemorySegment handle;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Cublas(CudaContext context, MemorySegment handle) {
        this.context = context;
        this.handle = handle;
    }

    public static Cublas create(CudaContext context, CudaStream stream) {
        context.makeCurrent();
        MemorySegment handle;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            Status.cublas("cublasCreate_v2", cublasCreate_v2(out));
            handle = out.get(ADDRESS, 0);
        }
        Cublas cublas = new Cublas(context, handle);
        try {
            Status.cublas("cublasSetStream_v2", cublasSetStream_v2(handle, stream.handle()));
            cublas.setTf32(false);
        } catch (RuntimeException e) {
            cublas.close();
            throw e;
        }
        return cublas;
    }

    /** TF32 tensor-core math (about 10 mantissa bits in products) when true, exact FP32 when false. */
    public synchronized void setTf32(boolean tf32) {
        ensureOpen();
        context.makeCurrent();
        Status.cublas("cublasSetMathMode",
                cublasSetMathMode(handle, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH() : CUBLAS_DEFAULT_MATH()));
    }

    /**
     * Exactly {@code cublasSgemmStridedBatched}, column-major: for each {@code i < batchCount},
     * {@code C_i = alpha * op(A_i) * op(B_i) + beta * C_i} with {@code op(A_i)} m x k,
     * {@code op(B_i)} k x n, {@code C_i} m x n; {@code X_i} starts {@code i * strideX} floats
     * after {@code x}. Pointers are device addresses. Asynchronous on the handle's stream.
     */
    public synchronized void sgemmStridedBatched(boolean transA, boolean transB, int m, int n, int k,
                                                 float alpha, long a, int lda, long strideA,
                                                 long b, int ldb, long strideB,
                                                 float beta, long c, int ldc, long strideC, int batchCount) {
        ensureOpen();
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment alphaHost = arena.allocateFrom(JAVA_FLOAT, alpha);
            MemorySegment betaHost = arena.allocateFrom(JAVA_FLOAT, beta);
            Status.cublas("cublasSgemmStridedBatched", cublasSgemmStridedBatched(handle,
                    transA ? CUBLAS_OP_T() : CUBLAS_OP_N(), transB ? CUBLAS_OP_T() : CUBLAS_OP_N(),
                    m, n, k, alphaHost,
                    MemorySegment.ofAddress(a), lda, strideA,
                    MemorySegment.ofAddress(b), ldb, strideB,
                    betaHost,
                    MemorySegment.ofAddress(c), ldc, strideC, batchCount));
        }
    }

    /** e.g. {@code "13.0.0"}. */
    public synchronized String version() {
        ensureOpen();
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            Status.cublas("cublasGetVersion_v2", cublasGetVersion_v2(handle, out));
            int v = out.get(JAVA_INT, 0); // CUBLAS_VERSION: major * 10000 + minor * 100 + patch
            return v / 10000 + "." + (v / 100) % 100 + "." + v % 100;
        }
    }

    /** Destroys the handle, once. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            context.makeCurrent();
            Status.cublas("cublasDestroy_v2", cublasDestroy_v2(handle));
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cuBLAS handle is closed");
        }
    }
}
