/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Finding 4 of issue 15: the float32 octant reduction saturated at phases near 1.6e9 (energies of
 * 68, NaN beyond 1.7e9). The float64 reduction must agree with Math.sin/cos, the reference's, at
 * every magnitude up to 1e15 and beyond (where the fallback takes over), and pass NaN and inf on.
 */
class PhaseTrigTest {
    private static final int L = PhaseTrig.LANES;

    @Test
    void agreesWithTheLibraryAtEveryMagnitude() {
        SplittableRandom r = new SplittableRandom(4);
        int n = L * 4096;
        double[] a = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) {
            double mag = Math.pow(10, r.nextDouble(-3, 17));
            a[i] = r.nextBoolean() ? mag : -mag;
            b[i] = r.nextDouble(-4, 4);
        }
        double[] edges = {0, -0.0, Math.PI / 4, Math.PI / 2, Math.PI, 1.6e9, 1.7e9, 1e12, -1e12, 0x1p50, 0x1p50 * 1.0000001,
            1e300, Double.MIN_VALUE, 2.9e7 * 300};
        System.arraycopy(edges, 0, a, 0, edges.length);
        float[] c = new float[n], s = new float[n];
        PhaseTrig.phi(a, b, 0, n, 0.5, c, s, 0, new PhaseTrig.Work());
        for (int i = 0; i < n; i++) {
            double wantC = (Math.cos(a[i]) + Math.cos(b[i])) * 0.5, wantS = (Math.sin(a[i]) + Math.sin(b[i])) * 0.5;
            assertEquals(wantC, c[i], 2e-7, "cos at " + a[i]);
            assertEquals(wantS, s[i], 2e-7, "sin at " + a[i]);
        }
    }

    @Test
    void nanAndInfinityGiveNaN() {
        double[] a = new double[L], b = new double[L];
        a[0] = Double.NaN;
        if (L > 1) a[1] = Double.POSITIVE_INFINITY;
        if (L > 2) b[2] = Double.NEGATIVE_INFINITY;
        float[] c = new float[L], s = new float[L];
        PhaseTrig.phi(a, b, 0, L, 1, c, s, 0, new PhaseTrig.Work());
        for (int k = 0; k < Math.min(L, 3); k++) {
            assertTrue(Float.isNaN(c[k]) && Float.isNaN(s[k]), "lane " + k);
        }
        for (int k = 3; k < L; k++) assertEquals(2f, c[k], 0f);
    }
}
