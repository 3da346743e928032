/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bench;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.cuda.CudaBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times standard attention forward on the cuda backend with resident tensors (no host copies in
 * the timed region): warm-up, then the median of synchronised calls. For every shape, non-causal
 * and causal, both paths are timed: the one {@code auto} picks (on a default backend) and the
 * other one (on a backend with {@code cuda.path} forced), one CSV line each, so the choice can be
 * checked against the numbers. Each output is spot-checked against a float64 computation of three
 * query rows first, so a fast wrong kernel cannot post a number.
 *
 * <p>Usage: {@code CudaAttentionBench OUT.csv [batch heads seq:dim ...]}, or
 * {@code CudaAttentionBench paper OUT.csv [seq]} for the paper's kernels ({@link CudaPaperBench}); default batch 4, 16
 * heads, seq 1024/2048/4096/8192 x head dim 64/128. Config properties (tf32, scoreBudgetBytes)
 * come from -Dika.* system properties; -Dbench.seconds bounds each timing (default 1.5).
 */
public final class CudaAttentionBench {
    private CudaAttentionBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("paper")) {
            // The paper's kernels at one shape: CudaAttentionBench paper OUT.csv [seq]
            CudaPaperBench.main(Path.of(args.length > 1 ? args[1] : "cuda-paper-bench.csv"),
                    args.length > 2 ? Integer.parseInt(args[2]) : 2048,
                    Double.parseDouble(System.getProperty("bench.seconds", "1.5")));
            return;
        }
        Path csv = Path.of(args.length > 0 ? args[0] : "cuda-bench.csv");
        int batch = 4, heads = 16;
        String[] shapes = args.length > 3 ? Arrays.copyOfRange(args, 3, args.length)
                : new String[] {"1024:64", "1024:128", "2048:64", "2048:128", "4096:64", "4096:128", "8192:64", "8192:128"};
        if (args.length > 2) {
            batch = Integer.parseInt(args[1]);
            heads = Integer.parseInt(args[2]);
        }
        double budgetSeconds = Double.parseDouble(System.getProperty("bench.seconds", "1.5"));
        BackendConfig base = BackendConfig.defaults();
        try (CudaBackend auto = new CudaBackend(base.withCudaPath(BackendConfig.CudaPath.AUTO));
             CudaBackend gemm = new CudaBackend(base.withCudaPath(BackendConfig.CudaPath.GEMM));
             CudaBackend fused = new CudaBackend(base.withCudaPath(BackendConfig.CudaPath.FUSED));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            System.out.println("cuda backend: " + auto.properties());
            out.println("batch,heads,seq,dim,causal,path,auto,median_ms,min_ms,reps,gflops,max_abs_err");
            for (String s : shapes) {
                String[] sd = s.split(":");
                int seq = Integer.parseInt(sd[0]), dim = Integer.parseInt(sd[1]);
                for (boolean causal : new boolean[] {false, true}) {
                    for (String line : run(auto, gemm, fused, batch, heads, seq, dim, causal, budgetSeconds)) {
                        out.println(line);
                    }
                    out.flush();
                }
            }
        }
    }

    /** Times the path auto picks, then the other one; returns their CSV lines. */
    private static List<String> run(CudaBackend auto, CudaBackend gemm, CudaBackend fused, int b, int h, int seq, int d,
                                    boolean causal, double budgetSeconds) {
        AttentionOptions opts = AttentionOptions.builder().causal(causal).build();
        List<String> lines = new ArrayList<>();
        Host host;
        BackendConfig.CudaPath chosen;
        try (Inputs in = new Inputs(auto, b, h, seq, d)) {
            chosen = auto.pathFor(in.q, in.k, in.v, opts);
            host = in.download(auto);
            lines.add(time(auto, in, host, opts, chosen, true, budgetSeconds));
        }
        CudaBackend other = chosen == BackendConfig.CudaPath.FUSED ? gemm : fused;
        try (Inputs in = new Inputs(other, b, h, seq, d)) {
            BackendConfig.CudaPath path = other.pathFor(in.q, in.k, in.v, opts);
            if (path != chosen) lines.add(time(other, in, host, opts, path, false, budgetSeconds));
        }
        return lines;
    }

    /** Q, K, V (N(0,1), the same seeds on every backend, so the same values) and the output. */
    private static final class Inputs implements AutoCloseable {
        final ResidentTensor q, k, v, o;

        Inputs(CudaBackend gpu, int b, int h, int seq, int d) {
            q = gpu.allocate(b, h, seq, d);
            k = gpu.allocate(b, h, seq, d);
            v = gpu.allocate(b, h, seq, d);
            o = gpu.allocate(b, h, seq, d);
            gpu.randomNormal(q, 1);
            gpu.randomNormal(k, 2);
            gpu.randomNormal(v, 3);
        }

        Host download(CudaBackend gpu) {
            Tensor tq = Tensor.zerosBhsd(q.batch(), q.heads(), q.seq(), q.dim());
            Tensor tk = Tensor.zerosBhsd(k.batch(), k.heads(), k.seq(), k.dim());
            Tensor tv = Tensor.zerosBhsd(v.batch(), v.heads(), v.seq(), v.dim());
            gpu.download(q, tq);
            gpu.download(k, tk);
            gpu.download(v, tv);
            return new Host(tq, tk, tv);
        }

        @Override
        public void close() {
            o.close();
            v.close();
            k.close();
            q.close();
        }
    }

    private record Host(Tensor q, Tensor k, Tensor v) {}

    private static String time(CudaBackend gpu, Inputs in, Host host, AttentionOptions opts, BackendConfig.CudaPath path,
                               boolean isAuto, double budgetSeconds) {
        int b = in.q.batch(), h = in.q.heads(), seq = in.q.seq(), d = in.q.dim();
        gpu.attention(in.q, in.k, in.v, opts, in.o);
        gpu.synchronize();
        double err = spotCheck(gpu, host, in.o, opts.causal());
        if (!(err < 1e-3)) {
            // Not timing a wrong kernel; the line says so and the other shapes still run.
            System.err.println("cuda " + path + " path output differs from float64 by " + err + " at [" + b + ", " + h
                    + ", " + seq + ", " + d + "]" + (opts.causal() ? " causal" : "") + ": not timed");
            return String.format(Locale.ROOT, "%d,%d,%d,%d,%b,%s,%b,NaN,NaN,0,NaN,%.3g", b, h, seq, d, opts.causal(),
                    path.name().toLowerCase(Locale.ROOT), isAuto, err);
        }

        long t0 = System.nanoTime();
        gpu.attention(in.q, in.k, in.v, opts, in.o);
        gpu.synchronize();
        double first = (System.nanoTime() - t0) / 1e6;
        int reps = (int) Math.max(3, Math.min(30, budgetSeconds * 1e3 / Math.max(first, 1e-3)));
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            gpu.attention(in.q, in.k, in.v, opts, in.o);
            gpu.synchronize();
            ms[r] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double median = reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
        // Causal attention does about half the work: its FLOPs are counted as such.
        double flops = 4.0 * b * h * (double) seq * seq * d * (opts.causal() ? 0.5 : 1.0);
        String line = String.format(Locale.ROOT, "%d,%d,%d,%d,%b,%s,%b,%.4f,%.4f,%d,%.1f,%.3g", b, h, seq, d,
                opts.causal(), path.name().toLowerCase(Locale.ROOT), isAuto, median, ms[0], reps,
                flops / (median * 1e-3) / 1e9, err);
        System.out.println(line);
        return line;
    }

    /**
     * Max abs error of the first, a middle and the last query rows against a float64 computation
     * from the same data (causal: row i sees keys 0..i); NaN anywhere makes it NaN.
     */
    private static double spotCheck(CudaBackend gpu, Host host, ResidentTensor o, boolean causal) {
        Tensor tq = host.q(), tk = host.k(), tv = host.v();
        int b = tq.batch(), h = tq.heads(), s = tq.seq(), d = tq.dim();
        Tensor to = Tensor.zerosBhsd(b, h, s, d);
        gpu.download(o, to);
        double worst = 0;
        int[][] rows = {{0, 0, 0}, {b / 2, h / 2, s / 2 + 1}, {b - 1, h - 1, s - 1}};
        for (int[] r : rows) {
            int keys = causal ? r[2] + 1 : s;
            double[] logit = new double[keys];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < keys; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += (double) tq.get(r[0], r[1], r[2], c) * tk.get(r[0], r[1], j, c);
                logit[j] = dot / Math.sqrt(d);
                max = Math.max(max, logit[j]);
            }
            double sum = 0;
            for (int j = 0; j < keys; j++) sum += logit[j] = Math.exp(logit[j] - max);
            for (int c = 0; c < d; c++) {
                double acc = 0;
                for (int j = 0; j < keys; j++) acc += logit[j] * tv.get(r[0], r[1], j, c);
                double e = Math.abs(acc / sum - to.get(r[0], r[1], r[2], c));
                worst = Double.isNaN(e) ? Double.NaN : Math.max(worst, e);
            }
        }
        return worst;
    }
}
