/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.ika4j.cuda.bindings.cuda_h.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES;
import static dev.ika4j.cuda.bindings.cuda_h.cuFuncSetAttribute;
import static dev.ika4j.cuda.bindings.cuda_h.cuLaunchKernel;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A kernel of a {@link CudaModule}. Thread-safe: {@code cuLaunchKernel} copies the arguments
 * before it returns, so each launch marshals them into its own short-lived memory.
 */
public final class CudaFunction {

    private final CudaModule module;
    private final CudaContext context;
    private final MemorySegment function;
    private final String name;

    CudaFunction(CudaModule module, CudaContext context, MemorySegment function, String name) {
        this.module = module;
        this.context = context;
        this.function = function;
        this.name = name;
    }

    /**
     * Launches the kernel on {@code stream}, asynchronously. Each of {@code args} is, in the
     * kernel's parameter order, a {@link Long} (a device pointer or a 64-bit integer), an
     * {@link Integer} (32-bit), a {@link Float}, a {@link Double}, or a {@link DeviceBuffer} (its address).
     *
     * @throws IllegalArgumentException for a non-positive dimension, negative shared memory, or
     *         an argument of another type
     */
    public void launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, CudaStream stream, Object... args) {
        if (gridX <= 0 || gridY <= 0 || gridZ <= 0 || blockX <= 0 || blockY <= 0 || blockZ <= 0) {
            throw new IllegalArgumentException(name + ": grid " + gridX + "x" + gridY + "x" + gridZ + " and block "
                    + blockX + "x" + blockY + "x" + blockZ + " must be positive");
        }
        if (sharedBytes < 0) {
            throw new IllegalArgumentException(name + ": sharedBytes must be >= 0: " + sharedBytes);
        }
        ensureOpen();
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = args.length == 0 ? MemorySegment.NULL : arena.allocate(ADDRESS, args.length);
            for (int i = 0; i < args.length; i++) {
                params.setAtIndex(ADDRESS, i, marshal(arena, i, args[i]));
            }
            Status.cu("cuLaunchKernel", cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                    sharedBytes, stream.handle(), params, MemorySegment.NULL));
        }
    }

    /** Allows this kernel more than 48 KiB of dynamic shared memory (up to the device's opt-in limit). */
    public void setMaxDynamicSharedMemory(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(name + ": bytes must be >= 0: " + bytes);
        }
        ensureOpen();
        context.makeCurrent();
        Status.cu("cuFuncSetAttribute", cuFuncSetAttribute(function,
                CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES(), bytes));
    }

    public String name() {
        return name;
    }

    private MemorySegment marshal(Arena arena, int index, Object arg) {
        return switch (arg) {
            case Long value -> arena.allocateFrom(JAVA_LONG, value);
            case Integer value -> arena.allocateFrom(JAVA_INT, value);
            case Float value -> arena.allocateFrom(JAVA_FLOAT, value);
            case Double value -> arena.allocateFrom(JAVA_DOUBLE, value);
            case DeviceBuffer buffer -> arena.allocateFrom(JAVA_LONG, buffer.address());
            case null -> throw new IllegalArgumentException(name + ": argument " + index + " is null");
            default -> throw new IllegalArgumentException(name + ": argument " + index + " is a "
                    + arg.getClass().getSimpleName() + "; kernels take Long, Integer, Float, Double or DeviceBuffer");
        };
    }

    private void ensureOpen() {
        if (module.isClosed()) {
            throw new IllegalStateException(name + ": its module is closed");
        }
    }

    @Override
    public String toString() {
        return "CudaFunction[" + name + "]";
    }
}
