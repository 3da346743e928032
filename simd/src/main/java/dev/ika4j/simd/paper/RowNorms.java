/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import dev.ika4j.simd.internal.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * |x|_p^2 of a float32 row, vectorised: the reference's max-scaled form
 * max^2 (sum (|x_r| / max)^p)^(2/p), so no power overflows, with the p-th powers lane-wise as
 * exp(p log a) (a scalar Math.pow per element cost as much as the whole kernel at p = 3, and the
 * library's POW operator was no faster). Float32 powers and sums: relative error about 1e-6.
 */
final class RowNorms {
    private static final VectorSpecies<Float> SP = VectorMath.SPECIES;
    private static final int L = VectorMath.LANES;

    private RowNorms() {}

    static double lpNormSquared(float[] x, int off, int n, double p) {
        float max = 0f;
        boolean nan = false;
        for (int r = 0; r < n; r++) {
            float a = Math.abs(x[off + r]);
            if (a != a) nan = true;
            else if (a > max) max = a;
        }
        if (nan) return Double.NaN;
        if (max == 0f || max == Float.POSITIVE_INFINITY) return (double) max * max;
        if (p == Double.POSITIVE_INFINITY) return (double) max * max;
        float inv = 1f / max;
        double s = 0;
        int r = 0;
        if (p == 2.0) {
            for (; r < n; r++) {
                double a = x[off + r] / (double) max;
                s += a * a;
            }
            return (double) max * max * s;
        }
        float pf = (float) p;
        FloatVector acc = FloatVector.zero(SP);
        for (; r + L <= n; r += L) acc = acc.add(power(FloatVector.fromArray(SP, x, off + r).abs().mul(inv), pf));
        if (r < n) {
            VectorMask<Float> tail = SP.indexInRange(r, n);
            acc = acc.add(power(FloatVector.fromArray(SP, x, off + r, tail).abs().mul(inv), pf), tail);
        }
        s = VectorMath.sumLanes(acc);
        return (double) max * max * Math.pow(s, 2.0 / p);
    }

    /** a^p for a in [0, 1] as exp(p log a), tier-independent; a = 0 gives exp(-inf) = 0. */
    private static FloatVector power(FloatVector a, float p) {
        return VectorMath.expNonPositive(PaperVectorMath.log(a).mul(p));
    }
}
