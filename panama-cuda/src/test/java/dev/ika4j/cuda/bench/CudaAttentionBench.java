package dev.ika4j.cuda.bench;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.BackendConfig;
import dev.ika4j.cuda.CudaBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times standard attention forward on the cuda backend with resident tensors (no host copies in
 * the timed region): warm-up, then the median of synchronised calls. One CSV line per shape.
 * Each shape's output is spot-checked against a float64 computation of two query rows first, so a
 * fast wrong kernel cannot post a number.
 *
 * <p>Usage: {@code CudaAttentionBench OUT.csv [batch heads seq:dim ...]}; default batch 4, 16
 * heads, seq 1024/2048/4096/8192 x head dim 64/128. Config properties (tf32, scoreBudgetBytes)
 * come from -Dika.* system properties.
 */
public final class CudaAttentionBench {
    private CudaAttentionBench() {}

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "cuda-bench.csv");
        int batch = 4, heads = 16;
        String[] shapes = args.length > 3 ? Arrays.copyOfRange(args, 3, args.length)
                : new String[] {"1024:64", "1024:128", "2048:64", "2048:128", "4096:64", "4096:128", "8192:64", "8192:128"};
        if (args.length > 2) {
            batch = Integer.parseInt(args[1]);
            heads = Integer.parseInt(args[2]);
        }
        double budgetSeconds = Double.parseDouble(System.getProperty("bench.seconds", "1.5"));
        try (CudaBackend gpu = new CudaBackend(BackendConfig.defaults());
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            System.out.println("cuda backend: " + gpu.properties());
            out.println("batch,heads,seq,dim,median_ms,min_ms,reps,gflops,max_abs_err");
            for (String s : shapes) {
                String[] sd = s.split(":");
                int seq = Integer.parseInt(sd[0]), dim = Integer.parseInt(sd[1]);
                String line = run(gpu, batch, heads, seq, dim, budgetSeconds);
                out.println(line);
                out.flush();
            }
        }
    }

    private static String run(CudaBackend gpu, int b, int h, int seq, int d, double budgetSeconds) {
        try (ResidentTensor q = gpu.allocate(b, h, seq, d); ResidentTensor k = gpu.allocate(b, h, seq, d);
             ResidentTensor v = gpu.allocate(b, h, seq, d); ResidentTensor o = gpu.allocate(b, h, seq, d)) {
            gpu.randomNormal(q, 1);
            gpu.randomNormal(k, 2);
            gpu.randomNormal(v, 3);
            AttentionOptions opts = AttentionOptions.DEFAULT;
            gpu.attention(q, k, v, opts, o);
            gpu.synchronize();
            double err = spotCheck(gpu, q, k, v, o);

            long t0 = System.nanoTime();
            gpu.attention(q, k, v, opts, o);
            gpu.synchronize();
            double first = (System.nanoTime() - t0) / 1e6;
            int reps = (int) Math.max(3, Math.min(30, budgetSeconds * 1e3 / Math.max(first, 1e-3)));
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t = System.nanoTime();
                gpu.attention(q, k, v, opts, o);
                gpu.synchronize();
                ms[r] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(ms);
            double median = reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
            double flops = 4.0 * b * h * (double) seq * seq * d;
            String line = String.format(Locale.ROOT, "%d,%d,%d,%d,%.4f,%.4f,%d,%.1f,%.3g", b, h, seq, d, median, ms[0],
                    reps, flops / (median * 1e-3) / 1e9, err);
            System.out.println(line);
            return line;
        }
    }

    /** Max abs error of the first and last query rows against a float64 computation from the same data. */
    private static double spotCheck(CudaBackend gpu, ResidentTensor q, ResidentTensor k, ResidentTensor v, ResidentTensor o) {
        int b = q.batch(), h = q.heads(), s = q.seq(), d = q.dim();
        Tensor tq = Tensor.zeros(b, h, s, d), tk = Tensor.zeros(b, h, s, d), tv = Tensor.zeros(b, h, s, d), to = Tensor.zeros(b, h, s, d);
        gpu.download(q, tq);
        gpu.download(k, tk);
        gpu.download(v, tv);
        gpu.download(o, to);
        double worst = 0;
        int[][] rows = {{0, 0, 0}, {b - 1, h - 1, s - 1}};
        for (int[] r : rows) {
            double[] logit = new double[s];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) dot += (double) tq.get(r[0], r[1], r[2], c) * tk.get(r[0], r[1], j, c);
                logit[j] = dot / Math.sqrt(d);
                max = Math.max(max, logit[j]);
            }
            double sum = 0;
            for (int j = 0; j < s; j++) sum += logit[j] = Math.exp(logit[j] - max);
            for (int c = 0; c < d; c++) {
                double acc = 0;
                for (int j = 0; j < s; j++) acc += logit[j] * tv.get(r[0], r[1], j, c);
                worst = Math.max(worst, Math.abs(acc / sum - to.get(r[0], r[1], r[2], c)));
            }
        }
        if (!(worst < 1e-3)) {
            throw new AssertionError("cuda output differs from float64 by " + worst + " at [" + b + ", " + h + ", " + s
                    + ", " + d + "]; not timing a wrong kernel");
        }
        return worst;
    }
}
