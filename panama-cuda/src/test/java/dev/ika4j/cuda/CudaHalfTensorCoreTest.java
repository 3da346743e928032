/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tensor-core kernel for half inputs (ika.cuda.halfTensorCores=true) against the float64
 * reference on the same half values, on a GPU; skipped with the reason elsewhere (its indexing
 * is checked without a GPU by the emulation, test_flash_half.cpp). P is rounded to the input
 * type before P.V, as in FlashAttention-2, so the bound is the type's unit roundoff times max|v|,
 * twice, plus float32 sums.
 */
class CudaHalfTensorCoreTest {
    @ParameterizedTest
    @CsvSource({
        "FLOAT16, 1, 4, 2, 257, 257, 64, false, 0",
        "FLOAT16, 2, 8, 8, 1000, 1000, 128, true, 0",
        "BFLOAT16, 1, 4, 1, 129, 301, 64, true, 172",
        "BFLOAT16, 2, 2, 2, 67, 67, 96, false, 0",
        "FLOAT16, 1, 1, 1, 1, 1, 64, false, 0",
    })
    void matchesTheReferenceOnTheSameHalfValues(DType dtype, int b, int hq, int hkv, int lq, int lk, int d, boolean causal,
                                                int past) {
        String key = "ika.cuda.halfTensorCores";
        String before = System.getProperty(key);
        System.setProperty(key, "true");
        try (CudaBackend gpu = Gpu.open(); ReferenceBackend ref = new ReferenceBackend()) {
            assertTrue(gpu.properties().get("half inputs").startsWith("tensor-core"), gpu.properties().toString());
            SplittableRandom rnd = new SplittableRandom(lq * 31L + d);
            Tensor q = half(Gpu.gaussian(rnd, b, hq, lq, d), dtype);
            Tensor k = half(Gpu.gaussian(rnd, b, hkv, lk, d), dtype);
            Tensor v = half(Gpu.gaussian(rnd, b, hkv, lk, d), dtype);
            AttentionOptions o = AttentionOptions.builder().causal(causal).build();
            if (past > 0) {
                Tensor pk = half(Gpu.gaussian(rnd, b, hkv, past, d), dtype), pv = half(Gpu.gaussian(rnd, b, hkv, past, d), dtype);
                o = o.toBuilder().past(pk, pv).build();
            }
            float[] got = gpu.attention(q, k, v, o).output().toArray(), want = ref.attention(q, k, v, o).output().toArray();
            assertEquals(want.length, got.length);
            double u = dtype == DType.BFLOAT16 ? 0x1p-8 : 0x1p-11, maxV = 0, worst = 0;
            for (float x : v.toArray()) maxV = Math.max(maxV, Math.abs(x));
            for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
            double tol = 2 * u * maxV + 1e-5;
            assertTrue(worst <= tol, dtype + " max abs error " + worst + " > " + tol);
        } finally {
            if (before == null) System.clearProperty(key); else System.setProperty(key, before);
        }
    }

    private static Tensor half(Tensor f, DType dtype) {
        float[] x = f.toArray();
        short[] w = new short[x.length];
        for (int i = 0; i < x.length; i++) w[i] = dtype.narrow(x[i]);
        return Tensor.bhsd(w, dtype, f.batch(), f.heads(), f.seq(), f.dim());
    }
}
