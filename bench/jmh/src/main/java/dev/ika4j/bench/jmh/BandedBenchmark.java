/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Backends;
import dev.ika4j.api.Neighbourhood;
import dev.ika4j.api.Tensor;
import java.util.ArrayList;
import java.util.List;
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

/**
 * A banded neighbourhood (each query sees the keys within {@code half} positions of itself) three
 * ways in one run, so the ratios are measured on one machine state: {@code band} (simd's fused
 * block loop, key blocks outside the band skipped), {@code csr} (the same keys as explicit lists,
 * which simd gathers bucket by bucket) and {@code dense} (no neighbourhood: every key, the work the
 * band saves).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class BandedBenchmark {
    @Param({"simd"})
    public String backend;

    @Param({"1x8x2048x64"})
    public String shape;

    /** Keys on each side of a query. */
    @Param({"64"})
    public int half;

    @Param({"band", "csr", "dense"})
    public String form;

    @Param({"1"})
    public int threads;

    private AttentionBackend impl;
    private Tensor q, k, v;
    private AttentionOptions options;

    @Setup(Level.Trial)
    public void setup() {
        Problem p = Problem.create(shape, false);
        q = p.qTensor();
        k = p.kTensor();
        v = p.vTensor();
        int seq = q.seq();
        AttentionOptions.Builder b = AttentionOptions.builder();
        switch (form) {
            case "band" -> b.neighbourhood(Neighbourhood.banded(half, half));
            case "csr" -> {
                int[] indptr = new int[seq + 1];
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < seq; i++) {
                    for (int j = Math.max(0, i - half); j <= Math.min(seq - 1, i + half); j++) idx.add(j);
                    indptr[i + 1] = idx.size();
                }
                b.neighbourhood(Neighbourhood.csr(indptr, idx.stream().mapToInt(Integer::intValue).toArray()));
            }
            case "dense" -> { }
            default -> throw new IllegalArgumentException("form must be band, csr or dense, got " + form);
        }
        options = b.build();
        impl = Backends.open(backend, BackendConfig.defaults().withThreads(threads));
    }

    @Benchmark
    public AttentionResult attention() {
        return impl.attention(q, k, v, options);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (impl != null) impl.close();
    }
}
