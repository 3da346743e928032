/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A bounded free list of per-worker scratch objects, so repeated calls reuse their packing buffers
 * instead of allocating (and page-faulting in) fresh ones each time. Thread-safe. Holds at most
 * {@code capacity} idle objects; extra ones are left to the garbage collector.
 */
public final class ScratchPool<S> {
    private final ConcurrentLinkedQueue<S> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idle = new AtomicInteger();
    private final int capacity;

    public ScratchPool(int capacity) {
        this.capacity = capacity;
    }

    /** An idle object, or a new one from {@code make}. */
    public S take(Supplier<S> make) {
        S s = free.poll();
        if (s == null) return make.get();
        idle.decrementAndGet();
        return s;
    }

    /** Returns an object for reuse (dropped when the pool is full). */
    public void give(S s) {
        if (idle.incrementAndGet() <= capacity) {
            free.add(s);
        } else {
            idle.decrementAndGet();
        }
    }

    /** Drops every idle object. */
    public void clear() {
        while (free.poll() != null) idle.decrementAndGet();
    }
}
