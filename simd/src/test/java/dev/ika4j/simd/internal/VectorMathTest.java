/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector helpers against plain scalar loops, over lengths that exercise every tail. */
class VectorMathTest {
    /** Around 1, 2, 4 and 8 vectors at 16, 8 or 4 lanes, and primes. */
    static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 257, 1021};

    private final SplittableRandom rnd = new SplittableRandom(42);

    private float[] random(int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(lo, hi);
            if (a[i] == 0f) a[i] = 0.25f;
        }
        return a;
    }

    private static float vexp(float x) {
        return VectorMath.exp(FloatVector.broadcast(VectorMath.SPECIES, x)).lane(0);
    }

    @Test
    void expIsAccurateOverTheWholeRange() {
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            float x = (float) rnd.nextDouble(-86.5, 88.72);
            double want = Math.exp(x);
            worst = Math.max(worst, Math.abs(vexp(x) - want) / want);
            worst = Math.max(worst, Math.abs(VectorMath.exp(x) - want) / want);
        }
        assertTrue(worst < 4 * Math.ulp(1f), "worst relative error " + worst);
    }

    @Test
    void expAgreesLaneByLaneWithTheScalarTwin() {
        float[] x = random(VectorMath.LANES * 64, -90, 90);
        for (int i = 0; i < x.length; i += VectorMath.LANES) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(VectorMath.SPECIES, x, i));
            FloatVector en = VectorMath.expNonPositive(FloatVector.fromArray(VectorMath.SPECIES, x, i));
            for (int l = 0; l < VectorMath.LANES; l++) {
                assertEquals(VectorMath.exp(x[i + l]), e.lane(l), 0f, "x = " + x[i + l]);
                if (x[i + l] <= 0) assertEquals(VectorMath.exp(x[i + l]), en.lane(l), 0f, "x = " + x[i + l]);
            }
        }
    }

    @Test
    void expSpecialValues() {
        assertEquals(0f, vexp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, vexp(-88f));
        assertEquals(0f, vexp(-87.5f));
        assertEquals(0f, vexp(-1000f));
        assertEquals(1f, vexp(0f));
        assertEquals(1f, vexp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, vexp(89f));
        assertEquals(Float.POSITIVE_INFINITY, vexp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(vexp(Float.NaN)));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertTrue(Float.isNaN(VectorMath.expNonPositive(FloatVector.broadcast(VectorMath.SPECIES, Float.NaN)).lane(0)));
        assertEquals(Math.exp(-86.5f), vexp(-86.5f), Math.exp(-86.5f) * 1e-6);
        assertEquals(Math.exp(88.7f), vexp(88.7f), Math.exp(88.7f) * 1e-6);
        assertEquals(Math.exp(88.72f), VectorMath.exp(88.72f), Math.exp(88.72f) * 1e-6);
    }

    /** sumLanes adds in one fixed pairwise order: emulate it in scalar code and demand equal bits. */
    @Test
    void sumLanesUsesAFixedPairwiseOrder() {
        int lanes = VectorMath.LANES;
        for (int rep = 0; rep < 1000; rep++) {
            float[] a = random(lanes, -1e3, 1e3);
            float[] t = a.clone();
            for (int step = lanes / 2; step >= 1; step /= 2) {
                float[] n = new float[lanes];
                for (int i = 0; i < lanes; i++) n[i] = t[i] + t[i ^ step];
                t = n;
            }
            float got = VectorMath.sumLanes(FloatVector.fromArray(VectorMath.SPECIES, a, 0));
            assertEquals(Float.floatToIntBits(t[0]), Float.floatToIntBits(got), "rep " + rep);
        }
    }

    @Test
    void tanhIsAccurateAndItsScalarTwinAgrees() {
        double worst = 0;
        for (int i = 0; i < 100_000; i++) {
            float x = (float) (rnd.nextBoolean() ? rnd.nextDouble(-12, 12) : rnd.nextDouble(-0.1, 0.1));
            float v = VectorMath.tanh(FloatVector.broadcast(VectorMath.SPECIES, x)).lane(0);
            assertEquals(Float.floatToIntBits(VectorMath.tanh(x)), Float.floatToIntBits(v), "x = " + x);
            worst = Math.max(worst, Math.abs(v - Math.tanh(x)));
        }
        assertTrue(worst < 2.5e-7, "worst absolute error " + worst);
        assertEquals(1f, VectorMath.tanh(50f));
        assertEquals(-1f, VectorMath.tanh(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(VectorMath.tanh(Float.NaN)));
        assertTrue(Float.isNaN(VectorMath.tanh(FloatVector.broadcast(VectorMath.SPECIES, Float.NaN)).lane(0)));
    }

    @Test
    void dotAxpyScaleMatchScalarLoops() {
        for (int n : SIZES) {
            float[] a = random(n + 5, -2, 2), b = random(n + 9, -2, 2);
            double want = 0, mag = 0;
            for (int i = 0; i < n; i++) {
                want += (double) a[i + 3] * b[i + 7];
                mag += Math.abs((double) a[i + 3] * b[i + 7]);
            }
            assertEquals(want, VectorMath.dot(a, 3, b, 7, n), 4 * Math.ulp(1f) * (mag + 1) * Math.sqrt(n), "dot n=" + n);

            float[] y = random(n + 2, -1, 1), y0 = y.clone();
            VectorMath.axpy(0.75f, a, 5, y, 2, n);
            for (int i = 0; i < n + 2; i++) {
                float expect = i < 2 ? y0[i] : Math.fma(0.75f, a[5 + i - 2], y0[i]);
                assertEquals(expect, y[i], 0f, "axpy n=" + n + " i=" + i);
            }

            float[] z = random(n + 1, -3, 3), z0 = z.clone();
            VectorMath.scale(z, 1, n, -1.5f);
            assertEquals(z0[0], z[0], 0f);
            for (int i = 1; i <= n; i++) assertEquals(z0[i] * -1.5f, z[i], 0f, "scale n=" + n);
        }
    }

    @Test
    void maxIgnoresNaNAndCoversEveryLane() {
        for (int n : SIZES) {
            for (int at = 0; at < n; at += Math.max(1, n / 7)) {
                float[] a = random(n + 4, -5, 5);
                a[2 + at] = 100f;
                if (n > 1) a[2 + (at + 1) % n] = Float.NaN;
                assertEquals(100f, VectorMath.maxIgnoringNaN(a, 2, n), "n=" + n + " at=" + at);
            }
            float[] allMasked = new float[n];
            java.util.Arrays.fill(allMasked, Float.NEGATIVE_INFINITY);
            assertEquals(Float.NEGATIVE_INFINITY, VectorMath.maxIgnoringNaN(allMasked, 0, n));
        }
        assertEquals(Float.NEGATIVE_INFINITY, VectorMath.maxIgnoringNaN(new float[3], 1, 0));
    }

    /** The vector-sum form keeps one partial sum per lane: emulate it exactly in scalar code. */
    @Test
    void expShiftAccumulateKeepsLaneWisePartialSums() {
        int lanes = VectorMath.LANES;
        for (int blocks : new int[] {1, 2, 3, 8, 17}) {
            int n = blocks * lanes;
            float[] a = random(n + 5, -20, 0);
            a[5] = Float.NEGATIVE_INFINITY;
            float[] a0 = a.clone();
            float[] acc = random(lanes + 3, 0, 4), acc0 = acc.clone();
            VectorMath.expShiftAccumulate(a, 5, n, -1.5f, acc, 3, 0.625f);
            for (int l = 0; l < lanes; l++) {
                float want = acc0[3 + l] * 0.625f;
                for (int i = l; i < n; i += lanes) want += VectorMath.exp(a0[5 + i] + 1.5f);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(acc[3 + l]), "blocks=" + blocks + " lane " + l);
            }
            for (int i = 0; i < n; i++) assertEquals(VectorMath.exp(a0[5 + i] + 1.5f), a[5 + i], 0f);
            for (int i = 0; i < 5; i++) assertEquals(a0[i], a[i], 0f);
            for (int i = 0; i < 3; i++) assertEquals(acc0[i], acc[i], 0f);
        }
    }

    @Test
    void expShiftSumMatchesScalarAndPropagatesNaN() {
        for (int n : SIZES) {
            float[] a = random(n + 3, -30, 0);
            a[3] = Float.NEGATIVE_INFINITY;
            float[] a0 = a.clone();
            float sum = VectorMath.expShiftSum(a, 3, n, -2f);
            double want = 0;
            for (int i = 0; i < n; i++) {
                float e = VectorMath.exp(a0[3 + i] + 2f);
                assertEquals(e, a[3 + i], 0f, "n=" + n + " i=" + i);
                want += e;
            }
            for (int i = 0; i < 3; i++) assertEquals(a0[i], a[i], 0f, "wrote before the range");
            assertEquals(want, sum, 2 * Math.ulp(1f) * want * Math.sqrt(n) + 1e-30, "sum n=" + n);

            float[] withNaN = random(n, -3, 0);
            withNaN[n / 2] = Float.NaN;
            assertTrue(Float.isNaN(VectorMath.expShiftSum(withNaN, 0, n, 0f)), "NaN lost at n=" + n);
        }
    }
}
