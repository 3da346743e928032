/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The backend's own threads (never the common pool). A call runs with a parallelism of
 * {@code threads}: the calling thread works too, helped by up to {@code threads - 1} pool
 * threads, which pull task indices from a shared counter (dynamic scheduling, so uneven tasks such
 * as causal query blocks balance out).
 *
 * <p>Which thread runs a task never changes what the task computes: each task writes only its own
 * outputs and every worker's scratch state is private, so results are identical for any thread
 * count and any interleaving. Thread-safe: any number of threads may call {@link #run} at once.
 */
public final class WorkPool implements AutoCloseable {
    /** Per-worker code: runs task {@code task} with that worker's private scratch state. */
    @FunctionalInterface
    public interface Body<S> {
        void run(S scratch, int task);
    }

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService helpers;
    private volatile boolean closed;

    public WorkPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "ika4j-simd-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.helpers = threads > 1 ? Executors.newFixedThreadPool(threads - 1, factory) : null;
    }

    public int threads() { return threads; }

    /**
     * Runs tasks [0, tasks) and returns when all are done. The first exception a task throws is
     * rethrown here (remaining tasks are skipped).
     */
    public <S> void run(int tasks, Supplier<S> scratch, Body<S> body) {
        run(tasks, scratch, body, s -> {});
    }

    /**
     * Like {@link #run(int, Supplier, Body)}, handing each worker's scratch state to
     * {@code release} when that worker is done (to recycle it, see {@link ScratchPool}).
     */
    public <S> void run(int tasks, Supplier<S> scratch, Body<S> body, Consumer<S> release) {
        run(tasks, true, scratch, body, release);
    }

    /**
     * As {@link #run(int, Supplier, Body, Consumer)}; with {@code parallel} false every task runs
     * on the calling thread (for inputs only that thread may touch, see {@link #shareable}).
     */
    public <S> void run(int tasks, boolean parallel, Supplier<S> scratch, Body<S> body, Consumer<S> release) {
        if (closed) throw new IllegalStateException("the simd backend is closed");
        if (tasks <= 0) return;
        int workers = parallel ? Math.min(threads, tasks) : 1;
        if (workers == 1) {
            S s = scratch.get();
            try {
                for (int t = 0; t < tasks; t++) body.run(s, t);
            } finally {
                release.accept(s);
            }
            return;
        }
        Job<S> job = new Job<>(tasks, scratch, body, release);
        for (int w = 1; w < workers; w++) {
            try {
                helpers.execute(job::work);
            } catch (RejectedExecutionException closedMeanwhile) {
                break; // the caller finishes the job alone
            }
        }
        job.work();
        job.awaitDone();
        if (job.failure != null) {
            if (job.failure instanceof RuntimeException e) throw e;
            if (job.failure instanceof Error e) throw e;
            throw new IllegalStateException(job.failure);
        }
    }

    private static final class Job<S> {
        final int tasks;
        final Supplier<S> scratch;
        final Body<S> body;
        final Consumer<S> release;
        final AtomicInteger next = new AtomicInteger();
        final CountDownLatch remaining;
        volatile Throwable failure;

        Job(int tasks, Supplier<S> scratch, Body<S> body, Consumer<S> release) {
            this.tasks = tasks;
            this.scratch = scratch;
            this.body = body;
            this.release = release;
            this.remaining = new CountDownLatch(tasks);
        }

        void work() {
            S s = null;
            try {
                for (int t; (t = next.getAndIncrement()) < tasks; ) {
                    try {
                        if (failure == null) {
                            if (s == null) s = scratch.get();
                            body.run(s, t);
                        }
                    } catch (Throwable e) {
                        synchronized (this) {
                            if (failure == null) failure = e;
                        }
                    } finally {
                        remaining.countDown();
                    }
                }
            } finally {
                if (s != null) release.accept(s);
            }
        }

        void awaitDone() {
            boolean interrupted = false;
            while (true) {
                try {
                    remaining.await();
                    break;
                } catch (InterruptedException e) {
                    // Tasks still write into the caller's output; leaving early would hand back
                    // a half-written tensor. Wait, then restore the flag.
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether every tensor may be read or written from the pool's threads: false when one lives in
     * a memory segment of a thread-confined arena, which only its owner thread may touch.
     */
    public static boolean shareable(Tensor... tensors) {
        Thread other = null;
        for (Tensor t : tensors) {
            if (t == null || t.isHeap()) continue;
            if (other == null) other = Thread.ofVirtual().unstarted(() -> {});
            if (!t.segment().isAccessibleBy(other)) return false;
        }
        return true;
    }

    /** Stops the pool threads; later calls fail with IllegalStateException. */
    @Override
    public void close() {
        closed = true;
        if (helpers != null) {
            helpers.shutdown();
            try {
                if (!helpers.awaitTermination(10, TimeUnit.SECONDS)) helpers.shutdownNow();
            } catch (InterruptedException e) {
                helpers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
