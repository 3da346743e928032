/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The bandwidth peer of the decoding benchmarks: a plain streaming read of exactly the bytes a
 * decoding step must read (K and V of the shape, the same arrays the attention benchmark gets)
 * on the same number of threads, each summing its share with wide vector loads and four
 * independent accumulators. No attention kernel reads K and V faster than this, so GB/s of
 * attention over GB/s of this read is how close decoding is to the memory bound.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StreamReadBenchmark {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;

    @Param({"4x8x1:16384x64"})
    public String shape;

    /** Kept so results line up with the attention rows (a read has no masking). */
    @Param({"false"})
    public boolean causal;

    @Param({"1"})
    public int threads;

    private float[] k, v;
    private ExecutorService helpers;

    @Setup(Level.Trial)
    public void setup() {
        Problem p = Problem.create(shape, false);
        Shape s = p.shape;
        if (s.kvElements() % SP.length() != 0) throw new IllegalArgumentException("K of " + s + " is not whole vectors");
        k = p.k;
        v = p.v;
        if (threads > 1) helpers = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "stream-read");
            t.setDaemon(true);
            return t;
        });
    }

    @Benchmark
    public void read(Blackhole bh) throws Exception {
        if (threads == 1) {
            bh.consume(sum(k, 0, k.length) + sum(v, 0, v.length));
            return;
        }
        // The same split as the attention backend's: equal contiguous shares, the caller takes one.
        int n = k.length, share = (n / threads + SP.length() - 1) / SP.length() * SP.length();
        @SuppressWarnings("unchecked")
        Future<Float>[] parts = new Future[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = Math.min(n, t * share), to = Math.min(n, from + share);
            parts[t - 1] = helpers.submit(() -> sum(k, from, to) + sum(v, from, to));
        }
        float total = sum(k, 0, Math.min(n, share)) + sum(v, 0, Math.min(n, share));
        for (Future<Float> f : parts) total += f.get();
        bh.consume(total);
    }

    private static float sum(float[] a, int from, int to) {
        FloatVector s0 = FloatVector.zero(SP), s1 = s0, s2 = s0, s3 = s0;
        int l = SP.length(), i = from;
        for (; i + 4 * l <= to; i += 4 * l) {
            s0 = s0.add(FloatVector.fromArray(SP, a, i));
            s1 = s1.add(FloatVector.fromArray(SP, a, i + l));
            s2 = s2.add(FloatVector.fromArray(SP, a, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(SP, a, i + 3 * l));
        }
        for (; i + l <= to; i += l) s0 = s0.add(FloatVector.fromArray(SP, a, i));
        float r = s0.add(s1).add(s2.add(s3)).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < to; i++) r += a[i];
        return r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (helpers != null) helpers.shutdownNow();
    }
}
