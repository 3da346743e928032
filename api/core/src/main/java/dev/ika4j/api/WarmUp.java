/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The default {@link AttentionBackend#warmUp}: calls the backend on small random inputs of the
 * given shapes (sequences clipped, head sizes and the options' code paths kept) until each
 * shape's call time has settled, that is until the JIT has compiled the kernels, or the budget is
 * spent. The first real call then runs compiled code instead of paying for the compilation.
 */
final class WarmUp {
    /**
     * The most a warm-up may take. It returns as soon as compiled code runs, which takes the
     * JIT's compile time of the kernels (README, "Fast first call"); the bound is there for a
     * machine so loaded that the compiler threads get little time, where stopping early would
     * leave the first real call to run uncompiled Vector API code.
     */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(3);
    /** Longest query and key/value sequence warmed: past the block sizes, so every loop runs. */
    private static final int MAX_Q = 128, MAX_KV = 384;
    /** Calls per shape before its time may count as settled, and the calls it must hold steady. */
    private static final int MIN_CALLS = 12, STEADY = 4;
    /** The longest wait for a quiet JIT once call times have settled. */
    static final long MAX_QUIET_WAIT_NANOS = 1_000_000_000L;

    private WarmUp() {}

    static Duration run(AttentionBackend backend, AttentionOptions options, Duration budget, AttentionShape... shapes) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(shapes, "shapes");
        if (shapes.length == 0) throw new IllegalArgumentException("warmUp needs at least one shape");
        long start = System.nanoTime(), deadline = start + budget.toNanos();
        List<Call> calls = new ArrayList<>();
        for (AttentionShape s : shapes) calls.add(new Call(Objects.requireNonNull(s, "shape"), options));
        // Every shape once, whatever the budget: on a loaded machine one call may outlast it.
        for (Call c : calls) c.run(backend);
        Jit jit = new Jit();
        long settledAt = -1;
        while (System.nanoTime() < deadline) {
            boolean settled = true;
            for (Call c : calls) {
                if (c.settled()) continue;
                settled = false;
                c.run(backend);
                if (System.nanoTime() >= deadline) break;
            }
            if (!settled) continue;
            // Steady call times are not enough: C2 may still be recompiling the kernels (see
            // JitActivity). Keep every shape running until the compiler has been quiet a while,
            // but not forever: the compile time is the whole JVM's, and in a service warming up
            // other code at the same time it may never go quiet.
            long now = System.nanoTime();
            if (settledAt < 0) settledAt = now;
            if (jit.quiet() || now - settledAt >= MAX_QUIET_WAIT_NANOS) break;
            for (Call c : calls) c.run(backend);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Whether the JIT has compiled next to nothing over the last {@link #WINDOW_NANOS}: at most
     * {@link #QUIET_COMPILE_MS}, against the hundreds of milliseconds the Vector API kernels take.
     * Where the compile time is unknown it is taken as quiet, so call times alone decide.
     */
    static final class Jit {
        static final long WINDOW_NANOS = 150_000_000L, QUIET_COMPILE_MS = 20;
        private final java.util.ArrayDeque<long[]> samples = new java.util.ArrayDeque<>();
        private final LongSupplier clock, compileMillis;

        Jit() { this(System::nanoTime, JitActivity::totalCompileMillis); }

        Jit(LongSupplier clock, LongSupplier compileMillis) {
            this.clock = clock;
            this.compileMillis = compileMillis;
        }

        boolean quiet() {
            long now = clock.getAsLong(), compiled = compileMillis.getAsLong();
            if (compiled < 0) return true;
            samples.addLast(new long[] {now, compiled});
            // Keep the newest sample that is at least a window old as the window's start.
            long[] start = null;
            while (!samples.isEmpty() && samples.peekFirst()[0] <= now - WINDOW_NANOS) start = samples.pollFirst();
            if (start == null) return false;
            samples.addFirst(start);
            return compiled - start[1] <= QUIET_COMPILE_MS;
        }
    }

    /** One clipped shape, its inputs and the times of its calls so far. */
    private static final class Call {
        final Tensor q, k, v;
        final AttentionOptions options;
        final List<Long> times = new ArrayList<>();

        Call(AttentionShape s, AttentionOptions o) {
            // The standard kernel's code paths depend on the head sizes and the GQA group, not on
            // how many heads or batch entries there are; a paper kernel's parameters may be per
            // head, so it keeps its heads.
            boolean standard = o.kernel() instanceof dev.ika4j.api.kernel.StandardKernel;
            int kvHeads = standard ? 1 : s.kvHeads(), qHeads = standard ? s.qHeads() / s.kvHeads() : s.qHeads();
            int qSeq = Math.min(s.qSeq(), MAX_Q), kvSeq = Math.min(s.kvSeq(), MAX_KV);
            SplittableRandom rnd = new SplittableRandom(0x1ca4L);
            q = random(rnd, qHeads, qSeq, s.headDim());
            k = random(rnd, kvHeads, kvSeq, s.headDim());
            v = random(rnd, kvHeads, kvSeq, s.vDim());
            AttentionOptions.Builder b = o.toBuilder().kvLengths(null).past(null, null);
            if (o.mask() != null) {
                // Same kind of mask, shaped for the clipped inputs, letting every key through.
                b.mask(o.mask().isBoolean()
                        ? AttentionMask.bool(filled(qSeq * kvSeq), 1, 1, qSeq, kvSeq)
                        : AttentionMask.additive(new float[qSeq * kvSeq], 1, 1, qSeq, kvSeq));
            }
            options = b.build();
        }

        void run(AttentionBackend backend) {
            long t0 = System.nanoTime();
            backend.attention(q, k, v, options);
            backend.synchronize();
            times.add(System.nanoTime() - t0);
        }

        /**
         * Settled: enough calls, the last few all within 30% of the fastest seen, and the fastest
         * at most a quarter of the first. The last condition is what shows that compiled code
         * runs: before C2 has compiled the Vector API kernels, calls are steady too, only a
         * hundred times slower. A backend with nothing to compile never meets it and simply runs
         * to the end of the budget.
         */
        boolean settled() {
            int n = times.size();
            if (n < MIN_CALLS) return false;
            long min = Long.MAX_VALUE;
            for (long t : times) min = Math.min(min, t);
            if (min * 4 > times.getFirst()) return false;
            for (int i = n - STEADY; i < n; i++) if (times.get(i) > min * 1.3) return false;
            return true;
        }

        private static Tensor random(SplittableRandom rnd, int heads, int seq, int dim) {
            float[] x = new float[heads * seq * dim];
            for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
            return Tensor.bhsd(x, 1, heads, seq, dim);
        }

        private static boolean[] filled(int n) {
            boolean[] b = new boolean[n];
            Arrays.fill(b, true);
            return b;
        }
    }
}
