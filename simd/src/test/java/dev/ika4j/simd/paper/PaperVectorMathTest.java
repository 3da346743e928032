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
        float[] out = new float[x.length], other = new float[x.length];
        for (int i = 0; i < x.length; i += L) {
            FloatVector v = FloatVector.fromArray(VectorMath.SPECIES, x, i);
            if (which == 0) {
                PaperVectorMath.log(v).intoArray(out, i);
            } else if (which == 1) {
                PaperVectorMath.sinCos(v, out, other, i);
            } else {
                PaperVectorMath.sinCos(v, other, out, i);
            }
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

    /** Within a few ulp of 1, plus the float32 argument's own share as |x| grows. */
    @Test
    void sinAndCosMatchTheLibrary() {
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[L * 4096];
        for (int i = 0; i < x.length; i++) {
            double scale = i % 3 == 0 ? 4 : i % 3 == 1 ? 200 : 8000;
            x[i] = (float) r.nextDouble(-scale, scale);
        }
        x[0] = 0f;
        x[1] = (float) Math.PI;
        x[2] = (float) (Math.PI / 4);
        x[3] = -1e-20f;
        float[] s = apply(x, 1), c = apply(x, 2);
        for (int i = 0; i < x.length; i++) {
            double tol = 3e-7 + 2e-11 * Math.abs(x[i]);
            assertEquals(Math.sin(x[i]), s[i], tol, "sin(" + x[i] + ")");
            assertEquals(Math.cos(x[i]), c[i], tol, "cos(" + x[i] + ")");
        }
    }
}
