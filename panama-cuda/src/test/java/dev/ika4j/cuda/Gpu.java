/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.Availability;
import dev.ika4j.api.BackendConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;

/** Shared by the GPU tests: skip with the provider's reason where no GPU is usable; inputs; checks. */
final class Gpu {
    private Gpu() {}

    static Availability availability() {
        return new CudaProvider().availability();
    }

    /** Skips the calling test, with the exact reason, on a machine without a usable CUDA GPU. */
    static void assume() {
        Availability a = availability();
        Assumptions.assumeTrue(a.available(), () -> "GPU test skipped: cuda backend unavailable here: " + a.reason());
    }

    static CudaBackend open() {
        return open(BackendConfig.defaults());
    }

    static CudaBackend open(BackendConfig config) {
        assume();
        return new CudaBackend(config);
    }

    static Tensor gaussian(SplittableRandom rnd, int b, int h, int s, int d) {
        float[] x = new float[b * h * s * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) gauss(rnd);
        return Tensor.bhsd(x, b, h, s, d);
    }

    static double gauss(SplittableRandom rnd) {
        double u = rnd.nextDouble(), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * Absolute FP32 tolerance against the float64 oracle, from a first-order error analysis (as
     * in the backend contract): each logit carries about eps * sqrt(dim) * L, L = scale * max|q|
     * * max|k| bounding |logit|, plus eps times the largest bias; the softmax passes that on times
     * max|v|, and the sum over keys adds about eps * sqrt(kv) * max|v|. Safety factor 8.
     */
    static double outputTolerance(Tensor q, Tensor k, Tensor v, AttentionOptions o) {
        double eps = Math.ulp(1f);
        return 8 * eps * Math.max(maxAbs(v), Float.MIN_NORMAL)
                * (Math.sqrt(k.seq()) + Math.sqrt(q.dim()) * logitBound(q, k, o) + maxBias(o) + 1);
    }

    /** Absolute tolerance of the energy (the logits themselves). */
    static double energyTolerance(Tensor q, Tensor k, AttentionOptions o) {
        double eps = Math.ulp(1f);
        return 8 * eps * ((Math.sqrt(q.dim()) + 1) * logitBound(q, k, o) + 2 * maxBias(o) + 1);
    }

    static double outputTolerance(Tensor q, Tensor k, Tensor v) {
        return outputTolerance(q, k, v, AttentionOptions.DEFAULT);
    }

    private static double logitBound(Tensor q, Tensor k, AttentionOptions o) {
        double scale = o.scale() != null ? o.scale() : 1 / Math.sqrt(q.dim());
        return scale * maxRowNorm(q) * maxRowNorm(k);
    }

    private static double maxBias(AttentionOptions o) {
        double max = 0;
        if (o.mask() != null && !o.mask().isBoolean()) {
            for (float b : o.mask().additiveData()) if (Float.isFinite(b)) max = Math.max(max, Math.abs(b));
        }
        return max;
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (float x : t.toArray()) if (Float.isFinite(x)) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static double maxRowNorm(Tensor t) {
        float[] a = t.toArray();
        double m = 0;
        for (int r = 0; r + t.dim() <= a.length; r += t.dim()) {
            double s = 0;
            for (int c = 0; c < t.dim(); c++) if (Float.isFinite(a[r + c])) s += (double) a[r + c] * a[r + c];
            m = Math.max(m, Math.sqrt(s));
        }
        return m;
    }
}
