/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Peer: {@link ScalarJavaAttention}, its rows split over a fixed pool of {@code threads} threads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScalarJavaBenchmark {
    @Param({"1x8x1024x64"})
    public String shape;

    @Param({"false"})
    public boolean causal;

    @Param({"1"})
    public int threads;

    private Problem p;
    private float[] out;
    private ExecutorService pool;
    private float[][] scores;

    @Setup(Level.Trial)
    public void setup() {
        pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scalar-java");
            t.setDaemon(true);
            return t;
        }) : null;
        p = Problem.create(shape, causal);
        out = new float[p.shape.elements()];
        scores = new float[threads][p.shape.seq()];
        Problem small = p.small();
        float[] smallOut = new float[small.shape.elements()];
        JitPriming.prime(() -> compute(small, smallOut));
        attention();
        ReferenceCheck.verifyStandard("scalar-java", p, out);
    }

    @Benchmark
    public void attention() {
        compute(p, out);
    }

    private void compute(Problem pr, float[] o) {
        int hs = pr.shape.batch() * pr.shape.heads(), seq = pr.shape.seq(), d = pr.shape.dim();
        float scale = pr.scale();
        if (pool == null) {
            ScalarJavaAttention.rows(pr.q, pr.k, pr.v, o, hs, seq, d, scale, pr.causal, 0, 1, scores[0]);
            return;
        }
        List<Future<?>> parts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int phase = t;
            parts.add(pool.submit(() -> ScalarJavaAttention.rows(pr.q, pr.k, pr.v, o, hs, seq, d, scale, pr.causal,
                    phase, threads, scores[phase])));
        }
        try {
            for (Future<?> f : parts) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scalar-java interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("scalar-java worker failed", e.getCause());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (pool != null) pool.shutdownNow();
    }
}
