/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Backends;
import dev.ika4j.api.ScoreStage;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.BackendConfig;
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
 * What asking for the scores output (ONNX qk_matmul_output) costs: a host call with and without
 * {@link AttentionOptions#scoresOutput}, in one run, so the ratio is measured on one machine
 * state. {@code stage=none} is the peer; the other stages add the scores pass and the
 * [batch, heads, q_seq, kv_seq] output.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class ScoresBenchmark {
    @Param({"simd"})
    public String backend;

    @Param({"1x8x512x64"})
    public String shape;

    /** "none", or a {@link ScoreStage} name. */
    @Param({"none", "SCALED_QK", "AFTER_SOFTMAX"})
    public String stage;

    @Param({"1"})
    public int threads;

    private AttentionBackend impl;
    private Tensor q, k, v;
    private AttentionOptions options;

    @Setup(Level.Trial)
    public void setup() {
        Problem p = Problem.create(shape, false);
        AttentionOptions.Builder b = AttentionOptions.builder();
        if (!stage.equals("none")) b.scoresOutput(ScoreStage.valueOf(stage));
        options = b.build();
        impl = Backends.open(backend, BackendConfig.defaults().withThreads(threads));
        q = p.qTensor();
        k = p.kTensor();
        v = p.vTensor();
        AttentionResult r = impl.attention(q, k, v, options);
        if ((r.scores() != null) == stage.equals("none")) throw new IllegalStateException("scores output does not follow stage=" + stage);
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
