/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.ResidentTensor;
import dev.ika4j.api.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** cuRAND Philox normals: the right moments, and the same draws for the same seed. */
class CudaRandomTest {

    @Test
    void normalDrawsHaveUnitMomentsAndRepeatForASeed() {
        try (CudaBackend gpu = Gpu.open()) {
            int b = 1, h = 3, s = 1001, d = 67;   // an odd element count takes the scratch path
            long n = (long) b * h * s * d;
            assertTrue(n % 2 == 1);
            Tensor first = Tensor.zerosBhsd(b, h, s, d), again = Tensor.zerosBhsd(b, h, s, d), other = Tensor.zerosBhsd(b, h, s, d);
            try (ResidentTensor r = gpu.allocate(b, h, s, d)) {
                gpu.randomNormal(r, 1234);
                gpu.download(r, first);
                gpu.randomNormal(r, 1234);
                gpu.download(r, again);
                gpu.randomNormal(r, 1235);
                gpu.download(r, other);
            }
            float[] x = first.toArray();
            double mean = Arrays.stream(toDouble(x)).average().orElseThrow();
            double var = Arrays.stream(toDouble(x)).map(t -> (t - mean) * (t - mean)).sum() / (n - 1);
            // Standard errors: 1/sqrt(n) for the mean, sqrt(2/n) for the variance; 6 sigma bounds.
            assertTrue(Math.abs(mean) < 6 / Math.sqrt(n), "mean " + mean + " over " + n + " draws");
            assertTrue(Math.abs(var - 1) < 6 * Math.sqrt(2.0 / n), "variance " + var + " over " + n + " draws");
            long beyond3 = Arrays.stream(toDouble(x)).filter(t -> Math.abs(t) > 3).count();
            assertTrue(Math.abs(beyond3 / (double) n - 0.0027) < 0.001, "tail mass beyond 3 sigma " + beyond3 / (double) n);
            assertArrayEquals(x, again.toArray(), "same seed, same draws");
            assertFalse(Arrays.equals(x, other.toArray()), "another seed, other draws");
        }
    }

    private static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i];
        return out;
    }
}
