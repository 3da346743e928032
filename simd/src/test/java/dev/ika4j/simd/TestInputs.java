/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import java.util.Locale;
import java.util.SplittableRandom;

/** Random inputs and tolerance-aware comparisons for the simd tests. */
final class TestInputs {
    private TestInputs() {}

    /** Values in [-range, range], none exactly zero. */
    static float[] values(SplittableRandom rnd, int n, double range) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double x = rnd.nextDouble(-range, range);
            a[i] = (float) (x == 0 ? range / 3 : x);
        }
        return a;
    }

    static Tensor tensor(SplittableRandom rnd, int b, int h, int s, int d, double range) {
        return Tensor.bhsd(values(rnd, b * h * s * d, range), b, h, s, d);
    }

    /** The same values as {@code t} in the packed BSHD layout (ONNX 3-D). */
    static Tensor packed(Tensor t) {
        float[] data = new float[(int) t.size()];
        Tensor p = Tensor.bshd(data, t.batch(), t.seq(), t.heads(), t.dim());
        float[] row = new float[t.dim()];
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = 0; s < t.seq(); s++) {
                    t.readRow(b, h, s, row, 0);
                    p.writeRow(b, h, s, row, 0);
                }
        return p;
    }

    static AttentionMask boolMask(SplittableRandom rnd, double keep, int... dims) {
        int n = 1;
        for (int d : dims) n *= d;
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) a[i] = rnd.nextDouble() < keep;
        return AttentionMask.bool(a, dims);
    }

    /** Additive biases in [-2, 2], with a fraction {@code masked} set to -inf. */
    static AttentionMask additiveMask(SplittableRandom rnd, double masked, int... dims) {
        int n = 1;
        for (int d : dims) n *= d;
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextDouble() < masked ? Float.NEGATIVE_INFINITY : (float) rnd.nextDouble(-2, 2);
            if (a[i] == 0f) a[i] = 0.5f;
        }
        return AttentionMask.additive(a, dims);
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (float x : t.toArray()) if (Float.isFinite(x)) m = Math.max(m, Math.abs(x));
        return m;
    }

    static double maxRowNorm(Tensor t) {
        double m = 0;
        float[] row = new float[t.dim()];
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < t.heads(); h++)
                for (int s = 0; s < t.seq(); s++) {
                    t.readRow(b, h, s, row, 0);
                    double n = 0;
                    for (float x : row) if (Float.isFinite(x)) n += (double) x * x;
                    m = Math.max(m, Math.sqrt(n));
                }
        return m;
    }

    private static final double EPS = Math.ulp(1f);

    /**
     * First-order float32 error bound for an output: each logit is off by about
     * eps * sqrt(dim) * |scale * q| * |k| (plus eps * |bias|), the softmax passes logit errors on
     * scaled by max|v|, and the running sums over kv keys add eps * sqrt(kv) * max|v|. Times 8.
     */
    static double outputTolerance(Tensor q, Tensor presentK, Tensor presentV, AttentionOptions o) {
        return 8 * EPS * Math.max(maxAbs(presentV), Float.MIN_NORMAL)
                * (Math.sqrt(presentK.seq()) + Math.sqrt(q.dim()) * logitBound(q, presentK, o) + maxBias(o) + 1);
    }

    /** Error bound for the logits themselves. */
    static double energyTolerance(Tensor q, Tensor presentK, AttentionOptions o) {
        return 8 * EPS * ((Math.sqrt(q.dim()) + 1) * logitBound(q, presentK, o) + 2 * maxBias(o) + 1);
    }

    private static double logitBound(Tensor q, Tensor k, AttentionOptions o) {
        double scale = o.scale() != null ? o.scale() : 1 / Math.sqrt(q.dim());
        return Math.abs(scale) * maxRowNorm(q) * maxRowNorm(k);
    }

    private static double maxBias(AttentionOptions o) {
        AttentionMask m = o.mask();
        double max = 0;
        if (m != null && !m.isBoolean()) for (float b : m.additiveData()) if (Float.isFinite(b)) max = Math.max(max, Math.abs(b));
        return max;
    }

    /** Bit-for-bit equality. */
    static void assertIdentical(String what, Tensor expected, Tensor actual) {
        float[] e = expected.toArray(), a = actual.toArray();
        if (e.length != a.length) fail(what + ": sizes differ");
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                fail(what + ": element " + i + " differs: " + e[i] + " vs " + a[i]);
            }
        }
    }
}
