/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Backends;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
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
 * One of our backends, opened by name through the same ServiceLoader registry users go through,
 * computing attention on resident tensors (so the GPU backend is timed without host transfers, and
 * the CPU backends without allocating an output per call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
public class AttentionBenchmark {
    /** A registry name: simd, cuda, reference (slow: small shapes only). */
    @Param({"simd"})
    public String backend;

    @Param({"standard"})
    public String kernel;

    @Param({"1x8x1024x64"})
    public String shape;

    @Param({"false"})
    public boolean causal;

    /** The backend's worker threads (JMH itself drives it from one thread). */
    @Param({"1"})
    public int threads;

    /** The simd backend's ika.simd.vectorBits for this fork: "preferred" or 128, 256, 512. */
    @Param({PREFERRED})
    public String vectorBits = PREFERRED;

    public static final String PREFERRED = "preferred";

    private AttentionBackend impl;
    private ResidentTensor q, k, v, out;
    private AttentionOptions options;

    @Setup(Level.Trial)
    public void setup() {
        // Each configuration runs in a fresh fork, so the width is set before any kernel class loads.
        if (!vectorBits.equals(PREFERRED)) System.setProperty(dev.ika4j.api.Settings.SIMD_VECTOR_BITS.property(), vectorBits);
        Problem p = Problem.create(shape, causal);
        Kernels.Entry entry = Kernels.get(kernel);
        AttentionKernel kern = entry.factory().apply(p.shape);
        options = AttentionOptions.builder().causal(causal).kernel(kern).build();
        impl = Backends.open(backend, BackendConfig.defaults().withThreads(threads));

        Problem small = p.small();
        Tensor sq = small.qTensor(), sk = small.kTensor(), sv = small.vTensor();
        JitPriming.prime(() -> impl.attention(sq, sk, sv, options));

        q = impl.upload(p.qTensor());
        k = impl.upload(p.kTensor());
        v = impl.upload(p.vTensor());
        Shape s = p.shape;
        out = impl.allocate(s.batch(), s.heads(), s.seq(), s.dim());
        attention();
        Tensor host = Tensor.zerosBhsd(s.batch(), s.heads(), s.seq(), s.dim());
        impl.download(out, host);
        ReferenceCheck.verify(backend + " (" + kernel + ")", p, kern, entry.tolerance(), entry.rowSeparable(),
                entry.querySubset(), host.array());
    }

    @Benchmark
    public void attention() {
        impl.attention(q, k, v, options, out);
        impl.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (ResidentTensor t : new ResidentTensor[] {q, k, v, out}) {
            if (t != null) t.close();
        }
        if (impl != null) impl.close();
    }
}
