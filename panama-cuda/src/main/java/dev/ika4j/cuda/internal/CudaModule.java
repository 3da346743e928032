/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import dev.ika4j.cuda.error.CudaException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ika4j.cuda.bindings.cuda_h.cuModuleGetFunction;
import static dev.ika4j.cuda.bindings.cuda_h.cuModuleLoadData;
import static dev.ika4j.cuda.bindings.cuda_h.cuModuleUnload;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A module loaded (and JIT-compiled by the driver) from PTX into a context. Its functions are
 * valid until {@link #close()}. Thread-safe.
 */
public final class CudaModule implements AutoCloseable {

    private final CudaContext context;
    private final MemorySegment module;
    private final Map<String, CudaFunction> functions = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private CudaModule(CudaContext context, MemorySegment module) {
        this.context = context;
        this.module = module;
    }

    /** Loads NUL-terminated PTX (as {@link Nvrtc#compileToPtx} returns; a missing NUL is added). */
    public static CudaModule load(CudaContext context, byte[] ptx) {
        Objects.requireNonNull(ptx, "ptx");
        if (ptx.length == 0) {
            throw new IllegalArgumentException("ptx is empty");
        }
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            boolean terminated = ptx[ptx.length - 1] == 0;
            MemorySegment image = arena.allocate(ptx.length + (terminated ? 0 : 1));
            MemorySegment.copy(ptx, 0, image, JAVA_BYTE, 0, ptx.length);
            MemorySegment out = arena.allocate(ADDRESS);
            Status.cu("cuModuleLoadData", cuModuleLoadData(out, image));
            return new CudaModule(context, out.get(ADDRESS, 0));
        }
    }

    /**
     * The kernel named {@code name} ({@code extern "C"}, or its mangled name).
     *
     * @throws CudaException {@code CUDA_ERROR_NOT_FOUND} if there is none
     */
    public CudaFunction function(String name) {
        Objects.requireNonNull(name, "name");
        ensureOpen();
        return functions.computeIfAbsent(name, this::lookUp);
    }

    private CudaFunction lookUp(String name) {
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            int status = cuModuleGetFunction(out, module, arena.allocateFrom(name));
            if (status != 0) {
                throw Status.cuError("cuModuleGetFunction", status, "(kernel " + name + ")");
            }
            return new CudaFunction(this, context, out.get(ADDRESS, 0), name);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Unloads the module, once; its functions can no longer be launched. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            context.makeCurrent();
            Status.cu("cuModuleUnload", cuModuleUnload(module));
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("CUDA module is closed");
        }
    }
}
