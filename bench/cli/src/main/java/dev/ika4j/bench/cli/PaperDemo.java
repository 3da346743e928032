/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.CopulaKernel;
import dev.ika4j.api.kernel.CopulaNet;
import dev.ika4j.api.kernel.IkaDirectKernel;
import dev.ika4j.api.kernel.IkaGeneratorKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.ParamTensor;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.kernel.SpectralGenerator;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The paper's attention family for the demo: each variant timed at B1 H8 L1024 d64 (M = 64) on the
 * selected backend, against standard attention at the same shape, and checked against the float64
 * reference on a smaller problem (L 160) with the same parameters, where the reference is quick.
 */
final class PaperDemo {
    private PaperDemo() {}

    static final int HEADS = 8, DIM = 64, SAMPLES = 64, TIMED_SEQ = 1024, CHECKED_SEQ = 160;

    /** The variants, their parameters drawn from a fixed seed (noise fixed, so every call is the same). */
    static Map<String, AttentionKernel> kernels() {
        SplittableRandom r = new SplittableRandom(2006_06147L);
        Map<String, AttentionKernel> k = new LinkedHashMap<>();
        k.put("standard", AttentionKernel.standard());
        k.put("rbf-importance p=2", RbfImportanceKernel.standardForm());
        k.put("rbf-importance p=3", RbfImportanceKernel.lp(3));
        IkaDirectKernel direct = new IkaDirectKernel(uniform(r, 1 / Math.sqrt(DIM), DIM, HEADS, SAMPLES),
                uniform(r, 1 / Math.sqrt(DIM), DIM, HEADS, SAMPLES), IkaOptions.builder().p(3).build());
        k.put("ika-direct p=3", direct);
        k.put("ika-direct authors", direct.withOptions(IkaOptions.builder().p(3).preset(Preset.AUTHORS).build()));
        k.put("ika-generator", new IkaGeneratorKernel(generator(r), generator(r), SAMPLES,
                NoiseSource.fixed(gaussian(r, DIM, HEADS, SAMPLES)), IkaOptions.DEFAULT));
        double b = 1 / Math.sqrt(DIM);
        CopulaNet net = new CopulaNet(uniform(r, b / Math.sqrt(2), 2 * DIM, DIM), uniform(r, 0.1, DIM), uniform(r, b, DIM, DIM),
                uniform(r, 0.1, DIM), uniform(r, b, DIM, DIM), uniform(r, 0.1, DIM), uniform(r, 3 * b, DIM, DIM), uniform(r, 0.5, DIM));
        k.put("copula (MIKAN)", new CopulaKernel(net, generator(r), generator(r), SAMPLES,
                NoiseSource.fixed(gaussian(r, 1, DIM, HEADS, SAMPLES)), IkaOptions.DEFAULT));
        k.put("ika-direct linear-time", direct.withOptions(IkaOptions.builder().p(3).linear(true).build()));
        return k;
    }

    /** Prints one row per variant; true when every variant agrees with the reference. */
    static boolean run(AttentionBackend backend, AttentionBackend ref, PrintStream out) {
        out.printf(Locale.ROOT, "%n%-24s %-22s %10s %11s %10s %s%n", "paper kernel", "shape B,H,L,D (M)", "median ms", "x standard",
                "max err", "check (L " + CHECKED_SEQ + " vs reference)");
        SplittableRandom rnd = new SplittableRandom(7);
        Tensor q = DemoCommand.random(rnd, 1, HEADS, TIMED_SEQ, DIM), k = DemoCommand.random(rnd, 1, HEADS, TIMED_SEQ, DIM);
        Tensor v = DemoCommand.random(rnd, 1, HEADS, TIMED_SEQ, DIM);
        Tensor qs = DemoCommand.random(rnd, 1, HEADS, CHECKED_SEQ, DIM), ks = DemoCommand.random(rnd, 1, HEADS, CHECKED_SEQ, DIM);
        Tensor vs = DemoCommand.random(rnd, 1, HEADS, CHECKED_SEQ, DIM);
        Map<String, AttentionKernel> kernels = kernels();
        Map<String, double[]> times = new LinkedHashMap<>();
        for (Map.Entry<String, AttentionKernel> e : kernels.entrySet()) {
            warm(backend, q, k, v, AttentionOptions.builder().kernel(e.getValue()).build());
            times.put(e.getKey(), new double[5]);
        }
        // Round-robin, so that a burst of load on a shared machine hits every variant alike.
        for (int rep = 0; rep < 5; rep++) {
            for (Map.Entry<String, AttentionKernel> e : kernels.entrySet()) {
                AttentionOptions o = AttentionOptions.builder().kernel(e.getValue()).build();
                long t0 = System.nanoTime();
                backend.attention(q, k, v, o);
                backend.synchronize();
                times.get(e.getKey())[rep] = (System.nanoTime() - t0) / 1e6;
            }
        }
        boolean allOk = true;
        double standardMs = 0;
        for (Map.Entry<String, AttentionKernel> e : kernels.entrySet()) {
            AttentionOptions o = AttentionOptions.builder().kernel(e.getValue()).build();
            double[] t = times.get(e.getKey());
            Arrays.sort(t);
            double ms = t[t.length / 2];
            if (standardMs == 0) standardMs = ms;
            Tensor got = backend.attention(qs, ks, vs, o).output(), want = ref.attention(qs, ks, vs, o).output();
            double err = 0;
            float[] a = got.toArray(), w = want.toArray();
            for (int i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - w[i]));
            boolean ok = err <= 1e-4; // |v| <= 1: float32 phases and dots put about 1e-5 on the weights
            allOk &= ok;
            out.printf(Locale.ROOT, "%-24s %-22s %10.2f %10.2fx %10.2e %s%n", e.getKey(),
                    "1," + HEADS + "," + TIMED_SEQ + "," + DIM + (e.getValue() instanceof RbfImportanceKernel || e.getKey().equals("standard")
                            ? "" : " (" + SAMPLES + ")"), ms, ms / standardMs, err, ok ? "ok" : "FAIL (tol 1e-4)");
        }
        return allOk;
    }

    /** The vector code needs a few dozen calls before the JIT has compiled all of it. */
    private static void warm(AttentionBackend backend, Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        long until = System.nanoTime() + 1_500_000_000L;
        for (int i = 0; i < 20 && (i < 3 || System.nanoTime() < until); i++) backend.attention(q, k, v, o);
        backend.synchronize();
    }

    private static ParamTensor uniform(SplittableRandom r, double bound, int... shape) {
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = bound * (2 * r.nextDouble() - 1);
        return ParamTensor.of(a, shape);
    }

    private static ParamTensor gaussian(SplittableRandom r, int... shape) {
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian();
        return ParamTensor.of(a, shape);
    }

    private static SpectralGenerator generator(SplittableRandom r) {
        double b = 1 / Math.sqrt(DIM);
        return new SpectralGenerator(uniform(r, b, DIM, DIM), uniform(r, 0.1, DIM), uniform(r, b, DIM, DIM), uniform(r, 0.1, DIM),
                uniform(r, b, DIM, DIM), uniform(r, 0.1, DIM));
    }
}
