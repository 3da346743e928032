package dev.ika4j.simd.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ika4j.simd.internal.VectorMath;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FastLogTest {
    private static float[] logs(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += VectorMath.LANES) {
            FastLog.log(FloatVector.fromArray(VectorMath.SPECIES, x, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void withinTwoUlpsOfTheTrueLogOverTheWholeRange() {
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[VectorMath.LANES * 4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.exp(r.nextDouble(-87, 88));
        x[0] = 1f;
        x[1] = 0.70710677f;
        x[2] = 0.7071068f;
        x[3] = 2f;
        float[] y = logs(x);
        for (int i = 0; i < x.length; i++) {
            double exact = Math.log(x[i]);
            assertEquals(exact, y[i], 2 * Math.ulp((float) exact) + 1e-7, "log(" + x[i] + ")");
        }
    }

    @Test
    void specialValues() {
        float[] x = new float[VectorMath.LANES];
        java.util.Arrays.fill(x, 3f);
        x[0] = 0f;
        float[] y = logs(x);
        assertEquals(Float.NEGATIVE_INFINITY, y[0]);
        assertEquals(Math.log(3), y[1], 1e-6);
        x[0] = Float.NaN;
        assertEquals(Float.NaN, logs(x)[0]);
        x[0] = 1e-40f;
        assertEquals(Math.log(1e-40f), logs(x)[0], 1e-4);
        x[0] = Float.POSITIVE_INFINITY;
        assertEquals(Float.POSITIVE_INFINITY, logs(x)[0]);
    }
}
