/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.ika4j.cuda.bindings.curand_h.CURAND_RNG_PSEUDO_PHILOX4_32_10;
import static dev.ika4j.cuda.bindings.curand_h.curandCreateGenerator;
import static dev.ika4j.cuda.bindings.curand_h.curandDestroyGenerator;
import static dev.ika4j.cuda.bindings.curand_h.curandGenerateNormal;
import static dev.ika4j.cuda.bindings.curand_h.curandSetGeneratorOffset;
import static dev.ika4j.cuda.bindings.curand_h.curandSetPseudoRandomGeneratorSeed;
import static dev.ika4j.cuda.bindings.curand_h.curandSetStream;
import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * A seeded Philox4x32-10 generator writing on one stream: the same seed and offset give the
 * same numbers on every run. Synchronized: a generator's state is not safe to share between
 * concurrent calls.
 */
public final class Curand implements AutoCloseable {

    private final CudaContext context;
    private final MemorySegment generator;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Curand(CudaContext context, MemorySegment generator) {
        this.context = context;
        this.generator = generator;
    }

    public static Curand create(CudaStream stream, long seed) {
        CudaContext context = stream.context();
        context.makeCurrent();
        MemorySegment generator;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            Status.curand("curandCreateGenerator", curandCreateGenerator(out, CURAND_RNG_PSEUDO_PHILOX4_32_10()));
            generator = out.get(ADDRESS, 0);
        }
        Curand curand = new Curand(context, generator);
        try {
            Status.curand("curandSetStream", curandSetStream(generator, stream.handle()));
            Status.curand("curandSetPseudoRandomGeneratorSeed", curandSetPseudoRandomGeneratorSeed(generator, seed));
        } catch (RuntimeException e) {
            curand.close();
            throw e;
        }
        return curand;
    }

    /** Skips ahead in the sequence (e.g. to give each call its own numbers from one seed). */
    public synchronized void setOffset(long offset) {
        ensureOpen();
        context.makeCurrent();
        Status.curand("curandSetGeneratorOffset", curandSetGeneratorOffset(generator, offset));
    }

    /**
     * Writes {@code count} normal floats to device address {@code devPtr}, asynchronously.
     *
     * @throws IllegalArgumentException if {@code count} is negative or odd (Box-Muller makes pairs)
     */
    public synchronized void generateNormal(long devPtr, long count, float mean, float stddev) {
        if (count < 0 || count % 2 != 0) {
            throw new IllegalArgumentException("count must be even and >= 0: " + count);
        }
        ensureOpen();
        if (count == 0) {
            return;
        }
        context.makeCurrent();
        Status.curand("curandGenerateNormal",
                curandGenerateNormal(generator, MemorySegment.ofAddress(devPtr), count, mean, stddev));
    }

    /** Destroys the generator, once. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            context.makeCurrent();
            Status.curand("curandDestroyGenerator", curandDestroyGenerator(generator));
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cuRAND generator is closed");
        }
    }
}
