/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.internal.plan.PaperMath;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RowNormsTest {
    @Test
    void matchesTheReferenceNorm() {
        SplittableRandom r = new SplittableRandom(4);
        for (int n : new int[] {1, 3, 16, 17, 64, 65}) {
            for (double p : new double[] {0.5, 1, 1.8, 2, 2.5, 3, 7, Double.POSITIVE_INFINITY}) {
                float[] x = new float[n + 2];
                double[] xd = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i + 1] = (float) (r.nextGaussian() * (i % 5 == 0 ? 0 : 1));
                    xd[i] = x[i + 1];
                }
                double exact = PaperMath.lpNormSquared(xd, 0, n, p), got = RowNorms.lpNormSquared(x, 1, n, p);
                assertEquals(exact, got, 2e-6 * exact + 1e-30, "n=" + n + " p=" + p);
            }
        }
        float[] huge = {3e38f, -2e38f, 1e38f};
        double[] hd = {3e38, -2e38, 1e38};
        double got = RowNorms.lpNormSquared(huge, 0, 3, 3);
        assertTrue(Double.isFinite(got));
        assertEquals(PaperMath.lpNormSquared(hd, 0, 3, 3), got, 2e-6 * got);
        assertTrue(Double.isNaN(RowNorms.lpNormSquared(new float[] {1, Float.NaN}, 0, 2, 3)));
    }
}
