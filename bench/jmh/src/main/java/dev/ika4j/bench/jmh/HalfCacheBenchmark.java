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
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import java.util.SplittableRandom;
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
 * The same attention call with a float32, bfloat16 or float16 K/V cache, in one run so that the
 * ratio is measured on one machine state: {@code dtype=FLOAT32} is the peer. Host calls (a half
 * cache lives in the caller's short[]); Q and the output stay float32 in decode shapes (one query
 * per head, where the cache's bytes are the whole cost) and take the cache's dtype in prefill
 * shapes (seq = kv_seq). Shapes are {@code BATCHxHEADS/KV_HEADSxSEQ:KV_SEQxDIM}.
 *
 * <p>Run: {@code java -cp ... org.openjdk.jmh.Main HalfCacheBenchmark} (see the README).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class HalfCacheBenchmark {
    @Param({"simd"})
    public String backend;

    /** Decode: 4x8 heads x 16384 keys x 64, and GQA 32 query / 8 kv heads at head dim 128; prefill 1x8x1024x64. */
    @Param({"4x8/8x1:16384x64", "1x32/8x1:16384x128", "1x8/8x1024:1024x64"})
    public String shape;

    @Param({"FLOAT32", "BFLOAT16", "FLOAT16"})
    public String dtype;

    @Param({"1"})
    public int threads;

    private AttentionBackend impl;
    private Tensor q, k, v;
    private final AttentionOptions options = AttentionOptions.DEFAULT;

    @Setup(Level.Trial)
    public void setup() {
        Shape s = Shape.parse(shape);
        DType dt = DType.valueOf(dtype);
        SplittableRandom r = new SplittableRandom(42);
        q = random(r, s.decode() ? DType.FLOAT32 : dt, s.batch(), s.heads(), s.seq(), s.dim());
        k = random(r, dt, s.batch(), s.kvHeads(), s.kvSeq(), s.dim());
        v = random(r, dt, s.batch(), s.kvHeads(), s.kvSeq(), s.dim());
        impl = Backends.open(backend, BackendConfig.defaults().withThreads(threads));
        AttentionResult res = impl.attention(q, k, v, options);
        if (res.output().dtype() != q.dtype()) throw new IllegalStateException("output dtype " + res.output().dtype());
    }

    private static Tensor random(SplittableRandom r, DType dt, int b, int h, int s, int d) {
        Tensor t = Tensor.zerosBhsd(dt, b, h, s, d);
        float[] row = new float[d];
        for (int bb = 0; bb < b; bb++)
            for (int hh = 0; hh < h; hh++)
                for (int ss = 0; ss < s; ss++) {
                    for (int c = 0; c < d; c++) row[c] = (float) r.nextGaussian();
                    t.writeRow(bb, hh, ss, row, 0);
                }
        return t;
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
