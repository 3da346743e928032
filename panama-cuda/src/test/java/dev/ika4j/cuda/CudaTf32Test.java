/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** TF32 tensor-core math is opt-in and meets its own, looser tolerance (10-bit mantissa inputs). */
class CudaTf32Test {
    /** TF32 rounds GEMM inputs to 10 mantissa bits (unit roundoff 2^-11, about 4.9e-4). */
    private static final double TF32_MAX_ERROR = 1e-2;
    private static final double TF32_MEAN_ERROR = 1e-3;

    @Test
    void tf32IsOptInAndWithinItsTolerance() {
        try (CudaBackend tf32 = Gpu.open(BackendConfig.defaults().withTf32(true))) {
            assertTrue(tf32.tf32());
            assertTrue(tf32.properties().get("math").startsWith("TF32"));
            SplittableRandom rnd = new SplittableRandom(77);
            for (int[] s : new int[][] {{2, 4, 2, 130, 257, 64}, {1, 2, 2, 65, 1000, 128}}) {
                Tensor q = Gpu.gaussian(rnd, s[0], s[1], s[3], s[5]), k = Gpu.gaussian(rnd, s[0], s[2], s[4], s[5]),
                        v = Gpu.gaussian(rnd, s[0], s[2], s[4], s[5]);
                AttentionOptions o = AttentionOptions.builder().causal(true).build();
                float[] want = new ReferenceBackend().attention(q, k, v, o).output().toArray();
                float[] got = tf32.attention(q, k, v, o).output().toArray();
                double max = 0, sum = 0;
                for (int i = 0; i < want.length; i++) {
                    double e = Math.abs(want[i] - got[i]);
                    assertTrue(Double.isFinite(e), "non-finite TF32 output at " + i);
                    max = Math.max(max, e);
                    sum += e;
                }
                String what = "tf32 " + java.util.Arrays.toString(s);
                assertTrue(max <= TF32_MAX_ERROR, what + ": max abs error " + max);
                assertTrue(sum / want.length <= TF32_MEAN_ERROR, what + ": mean abs error " + sum / want.length);
            }
        }
        try (CudaBackend plain = Gpu.open()) {
            assertTrue(!plain.tf32(), "FP32 is the default");
        }
    }
}
