/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.simd.internal.VectorMath;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class PaperVectorMathTest {
    private static final int L = VectorMath.LANES;

    private static float[] apply(float[] x, int which) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += L) {
            PaperVectorMath.log(FloatVector.fromArray(VectorMath.SPECIES, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void logWithinTwoUlpsEverywhere() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[L * 4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.exp(r.nextDouble(-103, 88.7));
        x[0] = 1f;
        x[1] = 0.70710677f;
        x[2] = 0.7071068f;
        x[3] = Float.MIN_VALUE;
        float[] y = apply(x, 0);
        for (int i = 0; i < x.length; i++) {
            double exact = Math.log(x[i]);
            assertEquals(exact, y[i], 2 * Math.ulp((float) exact) + 1e-7, "log(" + x[i] + ")");
        }
        float[] special = new float[L];
        java.util.Arrays.fill(special, 2f);
        special[0] = 0f;
        special[1] = Float.POSITIVE_INFINITY;
        special[2] = -1f;
        special[3 % L] = special[3 % L];
        if (L > 3) special[3] = Float.NaN;
        float[] ys = apply(special, 0);
        assertEquals(Float.NEGATIVE_INFINITY, ys[0]);
        assertEquals(Float.POSITIVE_INFINITY, ys[1]);
        assertTrue(Float.isNaN(ys[2]));
        if (L > 3) assertTrue(Float.isNaN(ys[3]));
    }
}
