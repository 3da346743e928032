/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.bench.cli;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Backends;
import dev.ika4j.api.BackendUnavailableException;
import dev.ika4j.api.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ./ika demo}: attention at a few realistic shapes on the selected backend, each result
 * checked against the float64 reference, printed as a table with real measured times.
 *
 * <p>The reference is too slow for whole realistic problems, so it checks the first head of every
 * batch entry in full (all query rows, all keys): a wrong index anywhere in a head shows up there.
 */
final class DemoCommand {
    private DemoCommand() {}

    /** Held so that the level set on it stays (the logging framework keeps loggers weakly). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("dev.ika4j");

    /** One demo case: a shape, options and a label. */
    record Case(String label, int batch, int qHeads, int kvHeads, int qSeq, int kvSeq, int dim, int vDim,
                AttentionOptions options) {}

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("encoder", 1, 8, 8, 1024, 1024, 64, 64, AttentionOptions.DEFAULT));
        c.add(new Case("decoder causal", 1, 8, 8, 2048, 2048, 64, 64, AttentionOptions.builder().causal(true).build()));
        c.add(new Case("GQA 32q/8kv", 1, 32, 8, 512, 512, 128, 128, AttentionOptions.builder().causal(true).build()));
        c.add(new Case("decode step, KV 4096", 4, 8, 8, 1, 4096, 64, 64, AttentionOptions.DEFAULT));
        c.add(new Case("softcap 30", 2, 8, 8, 512, 512, 64, 64, AttentionOptions.builder().softcap(30).build()));
        return c;
    }

    static int run(String[] args) {
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: ./ika demo [--backend NAME]   (NAME: auto, reference, simd, cuda; IKA_BACKEND works too)");
                return 0;
            }
            throw new IllegalArgumentException("unknown argument '" + a + "' (try --help)");
        }
        String name = Backends.configuredName();
        // The table below shows every backend and why it is or is not used, so auto's INFO line
        // would say it twice; warnings (a slow fallback) still get through.
        QUIET.setLevel(java.util.logging.Level.WARNING);
        System.out.println("ika4j demo on " + machine());
        for (Backends.Status s : Backends.list()) System.out.println("  " + s);
        AttentionBackend backend;
        try {
            backend = Backends.open(name);
        } catch (BackendUnavailableException e) {
            System.err.println("ika demo: " + e.getMessage());
            return 3;
        }
        // The oracle by name: ika4j-reference is on the CLI's run-time class path only.
        try (backend; AttentionBackend ref = Backends.open("reference")) {
            Map<String, String> props = backend.properties();
            System.out.println("selected: " + backend.name() + " " + props);
            String width = props.getOrDefault("vector bits", props.getOrDefault("device", "-"));
            System.out.println();
            System.out.printf(Locale.ROOT, "%-10s %-12s %-22s %-30s %10s %9s %10s %s%n", "backend", "vector/dev",
                    "case", "shape B,Hq/Hkv,Lq,Lk,D", "median ms", "GFLOP/s", "max err", "check");
            boolean allOk = true;
            for (Case c : cases()) {
                allOk &= runCase(backend, ref, c, width);
            }
            System.out.println();
            System.out.println("The paper's kernels (Implicit Kernel Attention) on " + backend.name() + ":");
            allOk &= PaperDemo.run(backend, ref, System.out);
            System.out.println();
            System.out.println(allOk ? "all results agree with the float64 reference"
                    : "SOME RESULTS DISAGREE WITH THE REFERENCE");
            return allOk ? 0 : 1;
        }
    }

    private static boolean runCase(AttentionBackend backend, AttentionBackend ref, Case c, String width) {
        SplittableRandom rnd = new SplittableRandom(c.label().hashCode());
        Tensor q = random(rnd, c.batch(), c.qHeads(), c.qSeq(), c.dim());
        Tensor k = random(rnd, c.batch(), c.kvHeads(), c.kvSeq(), c.dim());
        Tensor v = random(rnd, c.batch(), c.kvHeads(), c.kvSeq(), c.vDim());
        AttentionResult r = backend.attention(q, k, v, c.options()); // the result we check
        // Warm-up: the Vector API runs at scalar speed until C2 has compiled the kernels.
        long warm = System.nanoTime() + 1_500_000_000L;
        for (int w = 0; w < 3 || (w < 50 && System.nanoTime() < warm); w++) backend.attention(q, k, v, c.options());
        double[] times = new double[7];
        long budget = System.nanoTime() + 4_000_000_000L;
        int n = 0;
        for (; n < times.length && (n < 3 || System.nanoTime() < budget); n++) {
            long t0 = System.nanoTime();
            backend.attention(q, k, v, c.options());
            backend.synchronize();
            times[n] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(times, 0, n);
        double ms = times[n / 2];
        double flops = 2.0 * c.batch() * c.qHeads() * c.qSeq() * (double) c.kvSeq() * (c.dim() + c.vDim());
        if (c.options().causal()) flops *= causalFraction(c.qSeq(), c.kvSeq());
        double err = maxErrorFirstHeads(ref, q, k, v, c, r.output());
        double tol = 2e-5 * Math.sqrt(c.kvSeq());
        boolean ok = err <= tol;
        String shape = c.batch() + "," + c.qHeads() + "/" + c.kvHeads() + "," + c.qSeq() + "," + c.kvSeq() + "," + c.dim();
        System.out.printf(Locale.ROOT, "%-10s %-12s %-22s %-30s %10.2f %9.1f %10.2e %s%n", backend.name(), width,
                c.label(), shape, ms, flops / (ms * 1e6), err, ok ? "ok" : "FAIL (tol " + tol + ")");
        return ok;
    }

    /** Share of (query, key) pairs a causal mask keeps: the FLOPs actually needed. */
    static double causalFraction(int qSeq, int kvSeq) {
        long past = kvSeq - qSeq, kept = 0;
        for (int i = 0; i < qSeq; i++) kept += Math.min(kvSeq, past + i + 1);
        return kept / ((double) qSeq * kvSeq);
    }

    /** Max |out - ref| over kv head 0's query group of every batch entry, computed by the reference. */
    private static double maxErrorFirstHeads(AttentionBackend ref, Tensor q, Tensor k, Tensor v, Case c, Tensor out) {
        int group = c.qHeads() / c.kvHeads();
        Tensor qs = slice(q, group), ks = slice(k, 1), vs = slice(v, 1);
        Tensor expect = ref.attention(qs, ks, vs, c.options()).output();
        double err = 0;
        for (int b = 0; b < c.batch(); b++)
            for (int h = 0; h < group; h++)
                for (int i = 0; i < c.qSeq(); i++)
                    for (int d = 0; d < c.vDim(); d++)
                        err = Math.max(err, Math.abs(expect.get(b, h, i, d) - out.get(b, h, i, d)));
        return err;
    }

    private static Tensor slice(Tensor t, int heads) {
        Tensor s = Tensor.zerosBhsd(t.batch(), heads, t.seq(), t.dim());
        float[] row = new float[t.dim()];
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < t.seq(); i++) {
                    t.readRow(b, h, i, row, 0);
                    s.writeRow(b, h, i, row, 0);
                }
        return s;
    }

    static Tensor random(SplittableRandom rnd, int b, int h, int s, int d) {
        float[] x = new float[b * h * s * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return Tensor.bhsd(x, b, h, s, d);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: fall back to os.arch
            cpu = System.getProperty("os.arch");
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, JDK " + Runtime.version();
    }
}
