/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import dev.ika4j.api.DType;
import dev.ika4j.cuda.internal.DeviceBuffer;
import dev.ika4j.cuda.kernels.HalfFlashKernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Times the tensor-core kernel for half inputs (flash_half.cu) on device buffers, no host copy in
 * the timed region: warm-up, then the median of synchronised launches, for float16 and bfloat16,
 * non-causal and causal. Three query rows of each output are first checked against a float64
 * computation from the same half values, so a fast wrong kernel cannot post a number.
 *
 * <p>Usage: {@code HalfKernelBench OUT.csv [batch heads seq:dim ...]} (default 4 x 16 heads,
 * seq 1024 to 8192 x head dim 64 and 128); -Dbench.seconds bounds each timing (default 1.0).
 * scripts/gpu/torch_sdpa_bench.py --half times PyTorch's SDPA (flash) on the same shapes.
 */
public final class HalfKernelBench {
    private HalfKernelBench() {}

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args.length > 0 ? args[0] : "cuda-half-bench.csv");
        int batch = args.length > 2 ? Integer.parseInt(args[1]) : 4, heads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String[] shapes = args.length > 3 ? Arrays.copyOfRange(args, 3, args.length)
                : new String[] {"1024:64", "1024:128", "2048:64", "2048:128", "4096:64", "4096:128", "8192:64", "8192:128"};
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "1.0"));
        try (CudaBackend be = new CudaBackend(dev.ika4j.api.BackendConfig.defaults());
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
            out.println("batch,heads,seq,dim,causal,dtype,median_ms,min_ms,reps,gflops,max_abs_err");
            for (String s : shapes) {
                String[] sd = s.split(":");
                int seq = Integer.parseInt(sd[0]), dim = Integer.parseInt(sd[1]);
                for (DType dtype : new DType[] {DType.FLOAT16, DType.BFLOAT16}) {
                    for (boolean causal : new boolean[] {false, true}) {
                        String line = run(be, dtype, batch, heads, seq, dim, causal, seconds);
                        System.out.println(line);
                        out.println(line);
                        out.flush();
                    }
                }
            }
        }
    }

    private static String run(CudaBackend be, DType dtype, int b, int h, int seq, int d, boolean causal, double seconds) {
        boolean bf16 = dtype == DType.BFLOAT16;
        int n = b * h * seq * d;
        SplittableRandom rnd = new SplittableRandom(seq * 31L + d);
        short[] q = words(rnd, n, dtype), k = words(rnd, n, dtype), v = words(rnd, n, dtype);
        float scale = (float) (1 / Math.sqrt(d));
        DeviceProblem dp = new DeviceProblem(b, h, h, 1, seq, seq, 0, d, d, scale, causal, null, 0f, null);
        be.enter();
        try (DeviceBuffer dq = be.allocateBytes(2L * n); DeviceBuffer dk = be.allocateBytes(2L * n);
             DeviceBuffer dv = be.allocateBytes(2L * n); DeviceBuffer dout = be.allocateBytes(4L * n)) {
            HalfFlashKernels hk = be.halfKernels();
            if (hk == null) throw new IllegalStateException("no tensor-core kernels on this device (compute capability < 8.0)");
            dq.copyFromHost(MemorySegment.ofArray(q), 0, be.stream);
            dk.copyFromHost(MemorySegment.ofArray(k), 0, be.stream);
            dv.copyFromHost(MemorySegment.ofArray(v), 0, be.stream);
            be.launchHalf(hk, bf16, dp, dq, dk, dv, dout, 0);
            float[] o = new float[n];
            dout.copyToHost(0, MemorySegment.ofArray(o), be.stream);
            be.stream.synchronize();
            double err = spotCheck(q, k, v, o, dtype, b, h, seq, d, causal, scale);
            double[] ms = time(() -> {
                be.launchHalf(hk, bf16, dp, dq, dk, dv, dout, 0);
                be.stream.synchronize();
            }, seconds);
            double flops = 4.0 * b * h * seq * (double) seq * d * (causal ? 0.5 : 1.0);
            return String.format(java.util.Locale.ROOT, "%d,%d,%d,%d,%b,%s,%.4f,%.4f,%d,%.1f,%.3g", b, h, seq, d, causal,
                    bf16 ? "bf16" : "fp16", ms[0], ms[1], (int) ms[2], flops / ms[0] / 1e6, err);
        } finally {
            be.unlockForBench();
        }
    }

    /** Median and minimum milliseconds, and the repetitions, after two warm-up calls. */
    private static double[] time(Runnable call, double seconds) {
        call.run();
        call.run();
        long t0 = System.nanoTime();
        call.run();
        double first = (System.nanoTime() - t0) / 1e6;
        int reps = (int) Math.max(5, Math.min(200, seconds * 1e3 / Math.max(first, 1e-3)));
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long s = System.nanoTime();
            call.run();
            ms[r] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[reps / 2], ms[0], reps};
    }

    /** Largest error over three rows (first, middle, last) of the first and last (batch, head), in float64. */
    private static double spotCheck(short[] q, short[] k, short[] v, float[] o, DType t, int b, int h, int seq, int d,
                                    boolean causal, float scale) {
        double worst = 0;
        for (int bh : new int[] {0, b * h - 1}) {
            for (int i : new int[] {0, seq / 2, seq - 1}) {
                int limit = causal ? i + 1 : seq;
                double[] w = new double[limit];
                double mx = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < limit; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += (double) t.widen(q[(bh * seq + i) * d + c]) * t.widen(k[(bh * seq + j) * d + c]);
                    w[j] = s * scale;
                    mx = Math.max(mx, w[j]);
                }
                for (int j = 0; j < limit; j++) sum += w[j] = Math.exp(w[j] - mx);
                for (int c = 0; c < d; c++) {
                    double acc = 0;
                    for (int j = 0; j < limit; j++) acc += w[j] * t.widen(v[(bh * seq + j) * d + c]);
                    worst = Math.max(worst, Math.abs(acc / sum - o[(bh * seq + i) * d + c]));
                }
            }
        }
        double u = t == DType.BFLOAT16 ? 0x1p-8 : 0x1p-11;
        // |v| < 4.5 here (Gaussian draws clipped): the kernel's bound is 2 u max|v|.
        if (!(worst <= 2 * u * 4.5 + 1e-5)) throw new AssertionError(t + " spot check failed: max abs error " + worst);
        return worst;
    }

    private static short[] words(SplittableRandom rnd, int n, DType t) {
        short[] w = new short[n];
        for (int i = 0; i < n; i++) w[i] = t.narrow((float) Math.max(-4.5, Math.min(4.5, Gpu.gauss(rnd))));
        return w;
    }
}
