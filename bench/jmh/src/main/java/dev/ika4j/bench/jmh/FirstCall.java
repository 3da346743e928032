/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.jmh;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionShape;
import dev.ika4j.api.Backends;
import dev.ika4j.api.Tensor;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * First-call latency, as a service meets it: in a fresh JVM, open a backend, optionally warm it
 * up, then time the first calls one by one and the steady state after them. One JVM measures one
 * first call, so {@code scripts/first-call.sh} starts many (cold, warmed, with the JDK's AOT
 * cache) and reports medians. Not JMH on purpose: JMH's warm-up is exactly what is measured away.
 *
 * <pre>{@code
 * java ... dev.ika4j.bench.jmh.FirstCall [--backend simd] [--shape 1x8x512x64] [--causal] [--warm-up]
 * }</pre>
 * Prints one line: {@code first-call backend=... warmup_ms=... first_ms=... second_ms=... tenth_ms=...
 * steady_ms=... ratio=first/steady}.
 */
public final class FirstCall {
    private FirstCall() {}

    public static void main(String[] args) {
        String backendName = "auto", shapeText = "1x8x512x64";
        boolean causal = false, warm = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backendName = args[++i];
                case "--shape" -> shapeText = args[++i];
                case "--causal" -> causal = true;
                case "--warm-up" -> warm = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: FirstCall [--backend NAME] [--shape BxHxLxD] [--causal] [--warm-up]");
            }
        }
        long jvmStartMs = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        Problem p = Problem.create(shapeText, causal);
        Shape s = p.shape;
        Tensor q = p.qTensor(), k = p.kTensor(), v = p.vTensor();
        AttentionOptions o = AttentionOptions.builder().causal(causal).build();
        try (AttentionBackend backend = Backends.open(backendName)) {
            double warmMs = 0;
            if (warm) {
                Duration d = backend.warmUp(o, AttentionShape.of(s.batch(), s.heads(), s.seq(), s.dim()));
                warmMs = d.toNanos() / 1e6;
            }
            long sinceStart = System.currentTimeMillis() - jvmStartMs;
            double[] first = new double[10];
            for (int i = 0; i < first.length; i++) first[i] = timeMs(backend, q, k, v, o);
            double[] steady = new double[40];
            for (int rep = 0; rep < 2; rep++) {
                for (int i = 0; i < steady.length; i++) steady[i] = timeMs(backend, q, k, v, o);
            }
            Arrays.sort(steady);
            double median = steady[steady.length / 2];
            System.out.printf(Locale.ROOT,
                    "first-call backend=%s shape=%s causal=%b warmup=%s warmup_ms=%.1f jvm_ms_before_first=%d first_ms=%.2f "
                            + "second_ms=%.2f tenth_ms=%.2f steady_ms=%.2f ratio=%.1f%n",
                    backend.name(), s, causal, warm ? "api" : "none", warmMs, sinceStart, first[0], first[1], first[9], median,
                    first[0] / median);
        }
    }

    private static double timeMs(AttentionBackend b, Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        long t0 = System.nanoTime();
        b.attention(q, k, v, o);
        b.synchronize();
        return (System.nanoTime() - t0) / 1e6;
    }
}
