/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda.bench;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.kernel.AttentionKernel;
import dev.ika4j.api.kernel.IkaOptions;
import dev.ika4j.api.kernel.NoiseSource;
import dev.ika4j.api.kernel.Preset;
import dev.ika4j.api.kernel.RbfImportanceKernel;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import dev.ika4j.cuda.CudaBackend;
import dev.ika4j.testkit.PaperKernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The paper's kernels on the cuda backend at one shape (batch 4, 16 heads, seq 2048, head dim 64,
 * M 64, non-causal, resident tensors), each timed like standard attention (median of synchronised
 * calls) and reported relative to standard attention on the GEMM path and on the path auto picks.
 * Before timing, each kernel whose output rows depend only on their own query (all but the copula,
 * which pools every query) is spot-checked: three query rows of batch 0 against the float64
 * reference on the same keys.
 *
 * <p>Usage: {@code CudaAttentionBench paper OUT.csv [seq]}.
 */
final class CudaPaperBench {
    private CudaPaperBench() {}

    static void main(Path csv, int seq, double budgetSeconds) throws IOException {
        int b = 4, h = 16, d = 64, m = 64;
        PaperKernels pk = new PaperKernels(2006_06147L);
        Map<String, AttentionKernel> kernels = new LinkedHashMap<>();
        kernels.put("standard", AttentionKernel.standard());
        kernels.put("rbf-importance p=2", RbfImportanceKernel.standardForm());
        kernels.put("rbf-importance p=3", RbfImportanceKernel.lp(3));
        kernels.put("ika-direct paper p=2", pk.direct(d, h, m, 1.0, IkaOptions.DEFAULT));
        kernels.put("ika-direct authors p=3", pk.direct(d, h, m, 1.0, IkaOptions.builder().preset(Preset.AUTHORS).p(3).build()));
        kernels.put("ika-direct linear (quadratic form)", pk.direct(d, h, m, 1.0, IkaOptions.builder().linear(true).build()));
        kernels.put("ika-generator fixed noise", pk.generatorKernel(d, h, m, pk.generatorNoise(d, h, m), IkaOptions.DEFAULT));
        kernels.put("ika-generator seeded training (cuRAND)",
                pk.generatorKernel(d, h, m, NoiseSource.seeded(7, NoiseSource.Mode.TRAINING), IkaOptions.DEFAULT));
        kernels.put("copula fixed noise", pk.copulaKernel(d, m, pk.copulaNoise(b, d, h, m), IkaOptions.DEFAULT));
        try (CudaBackend gemm = new CudaBackend(BackendConfig.defaults().withCudaPath(BackendConfig.CudaPath.GEMM));
             CudaBackend auto = new CudaBackend(BackendConfig.defaults());
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv));
             ResidentTensor q = gemm.allocate(b, h, seq, d);
             ResidentTensor k = gemm.allocate(b, h, seq, d);
             ResidentTensor v = gemm.allocate(b, h, seq, d);
             ResidentTensor o = gemm.allocate(b, h, seq, d)) {
            gemm.randomNormal(q, 11);
            gemm.randomNormal(k, 12);
            gemm.randomNormal(v, 13);
            Tensor tq = download(gemm, q), tk = download(gemm, k), tv = download(gemm, v);
            out.println("kernel,batch,heads,seq,dim,samples,median_ms,min_ms,reps,vs_standard_gemm,vs_standard_auto,spot_err");
            double stdGemm = Double.NaN, stdAuto;
            try (ResidentTensor aq = auto.upload(tq); ResidentTensor ak = auto.upload(tk); ResidentTensor av = auto.upload(tv);
                 ResidentTensor ao = auto.allocate(b, h, seq, d)) {
                stdAuto = time(auto, aq, ak, av, ao, AttentionOptions.DEFAULT, budgetSeconds)[0];
            }
            for (Map.Entry<String, AttentionKernel> e : kernels.entrySet()) {
                AttentionOptions opts = AttentionOptions.builder().kernel(e.getValue()).build();
                gemm.attention(q, k, v, opts, o);
                double err = e.getKey().startsWith("copula") || e.getKey().contains("seeded") ? Double.NaN
                        : spotCheck(tq, tk, tv, download(gemm, o), opts);
                if (!(err < 1e-3) && !Double.isNaN(err)) {
                    System.err.println(e.getKey() + ": output differs from float64 by " + err + ": not timed");
                    out.printf(Locale.ROOT, "%s,%d,%d,%d,%d,%d,NaN,NaN,0,NaN,NaN,%.3g%n", e.getKey(), b, h, seq, d, m, err);
                    continue;
                }
                double[] t = time(gemm, q, k, v, o, opts, budgetSeconds);
                if (e.getKey().equals("standard")) stdGemm = t[0];
                String line = String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.4f,%.4f,%d,%.2f,%.2f,%.3g", e.getKey(), b, h, seq, d, m,
                        t[0], t[1], (int) t[2], t[0] / stdGemm, t[0] / stdAuto, err);
                System.out.println(line);
                out.println(line);
                out.flush();
            }
            System.out.printf(Locale.ROOT, "standard attention: gemm path %.4f ms, auto path %.4f ms%n", stdGemm, stdAuto);
        }
    }

    private static Tensor download(CudaBackend gpu, ResidentTensor r) {
        Tensor t = Tensor.zerosBhsd(r.batch(), r.heads(), r.seq(), r.dim());
        gpu.download(r, t);
        return t;
    }

    /** {median ms, min ms, reps} of synchronised calls after one warm-up call. */
    private static double[] time(CudaBackend gpu, ResidentTensor q, ResidentTensor k, ResidentTensor v, ResidentTensor o,
                                 AttentionOptions opts, double budgetSeconds) {
        gpu.attention(q, k, v, opts, o);
        gpu.synchronize();
        long t0 = System.nanoTime();
        gpu.attention(q, k, v, opts, o);
        gpu.synchronize();
        double first = (System.nanoTime() - t0) / 1e6;
        int reps = (int) Math.max(3, Math.min(20, budgetSeconds * 1e3 / Math.max(first, 1e-3)));
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t = System.nanoTime();
            gpu.attention(q, k, v, opts, o);
            gpu.synchronize();
            ms[r] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        double median = reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
        return new double[] {median, ms[0], reps};
    }

    /**
     * Max abs error of query rows 0, seq/2 + 1 and seq - 1 of batch 0 (every head) against the
     * float64 reference given those rows and all of batch 0's keys.
     */
    private static double spotCheck(Tensor q, Tensor k, Tensor v, Tensor got, AttentionOptions opts) {
        int h = q.heads(), d = q.dim(), s = q.seq();
        int[] rows = {0, s / 2 + 1, s - 1};
        Tensor q3 = Tensor.zerosBhsd(1, h, rows.length, d);
        float[] row = new float[d];
        for (int hh = 0; hh < h; hh++)
            for (int r = 0; r < rows.length; r++) {
                q.readRow(0, hh, rows[r], row, 0);
                q3.writeRow(0, hh, r, row, 0);
            }
        Tensor k0 = slice(k), v0 = slice(v);
        Tensor want = new ReferenceBackend().attention(q3, k0, v0, opts).output();
        double worst = 0;
        for (int hh = 0; hh < h; hh++)
            for (int r = 0; r < rows.length; r++)
                for (int c = 0; c < v.dim(); c++) {
                    double e = Math.abs(want.get(0, hh, r, c) - got.get(0, hh, rows[r], c));
                    worst = Double.isNaN(e) ? Double.NaN : Math.max(worst, e);
                }
        return worst;
    }

    /** Batch 0 of a tensor. */
    private static Tensor slice(Tensor t) {
        Tensor out = Tensor.zerosBhsd(1, t.heads(), t.seq(), t.dim());
        float[] row = new float[t.dim()];
        for (int hh = 0; hh < t.heads(); hh++)
            for (int j = 0; j < t.seq(); j++) {
                t.readRow(0, hh, j, row, 0);
                out.writeRow(0, hh, j, row, 0);
            }
        return out;
    }
}
