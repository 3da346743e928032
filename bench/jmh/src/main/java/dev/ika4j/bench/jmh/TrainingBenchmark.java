/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionTraining;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.api.Backends;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
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
 * A backend's training path beside its forward, on host tensors, one thread (the training path is
 * single-threaded per call, so the forward runs with one worker too): {@code forward} is the
 * plain {@code attention} call, {@code record} the training forward (which may keep what the
 * backward needs), {@code backward} the gradients of one recording. The FlashAttention-2 target
 * is backward at most 2.5x forward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class TrainingBenchmark {
    @Param({"simd"})
    public String backend;

    @Param({"standard", "rbf-importance", "ika-direct", "ika-generator", "ika-direct-linear"})
    public String kernel;

    @Param({"1x4x512x64"})
    public String shape;

    @Param({"false"})
    public boolean causal;

    /** The backend's threads: forward and (standard, RBF) backward use them all. */
    @Param({"1"})
    public int threads;

    private AttentionBackend impl;
    private AttentionTraining training;
    private AttentionOptions options;
    private Tensor q, k, v, dOut;
    private AttentionTraining.Recording recording;

    @Setup(Level.Trial)
    public void setup() {
        Problem p = Problem.create(shape, causal);
        AttentionKernel kern = Kernels.get(kernel).factory().apply(p.shape);
        options = AttentionOptions.builder().causal(causal).kernel(kern).build();
        impl = Backends.open(backend, BackendConfig.defaults().withThreads(threads));
        training = impl.training();
        q = p.qTensor();
        k = p.kTensor();
        v = p.vTensor();
        Shape s = p.shape;
        float[] g = new float[s.elements()];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextDouble() * 2 - 1);
        dOut = Tensor.bhsd(g, s.batch(), s.heads(), s.seq(), s.dim());
        recording = training.record(q, k, v, options);
    }

    @Benchmark
    public Object forward() {
        return impl.attention(q, k, v, options);
    }

    @Benchmark
    public Object record() {
        return training.record(q, k, v, options);
    }

    @Benchmark
    public Object backward() {
        return training.backward(recording, dOut, 0.0);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (impl != null) impl.close();
    }
}
