/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ika4j.cuda.bindings.cuda_h.CU_STREAM_NON_BLOCKING;
import static dev.ika4j.cuda.bindings.cuda_h.cuStreamCreate;
import static dev.ika4j.cuda.bindings.cuda_h.cuStreamDestroy_v2;
import static dev.ika4j.cuda.bindings.cuda_h.cuStreamSynchronize;
import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * A CUDA stream: work submitted to it runs in order. Non-blocking, so it never waits on the
 * legacy default stream that other code in the process may use; every copy and launch of ours
 * names its stream explicitly.
 *
 * <p>Thread-safe as far as the driver goes; the order of work submitted from several threads
 * is the order the calls happen in.
 */
public final class CudaStream implements AutoCloseable {

    private final CudaContext context;
    private final MemorySegment stream;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CudaStream(CudaContext context, MemorySegment stream) {
        this.context = context;
        this.stream = stream;
    }

    public static CudaStream create(CudaContext context) {
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            Status.cu("cuStreamCreate", cuStreamCreate(out, CU_STREAM_NON_BLOCKING()));
            return new CudaStream(context, out.get(ADDRESS, 0));
        }
    }

    /** The {@code CUstream} (also a {@code cudaStream_t}). */
    public MemorySegment handle() {
        ensureOpen();
        return stream;
    }

    /** Blocks until all work submitted so far has finished; reports errors of earlier launches. */
    public void synchronize() {
        ensureOpen();
        context.makeCurrent();
        Status.cu("cuStreamSynchronize", cuStreamSynchronize(stream));
    }

    CudaContext context() {
        return context;
    }

    /** Destroys the stream once; work already submitted still completes. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            context.makeCurrent();
            Status.cu("cuStreamDestroy_v2", cuStreamDestroy_v2(stream));
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("CUDA stream is closed");
        }
    }
}
