/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd;

import dev.ika4j.testkit.Compare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.reference.ReferenceBackend;
import dev.ika4j.api.BackendConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The numeric guarantees of the float32 backends (issue 15, findings 5, 6, 7 and 9): the P.V sum
 * stays finite and accurate however many keys, the folded scale never overflows a finite logit,
 * and one NaN rule. Each row count is tried as 1 (the direct single-row path) and as a block.
 */
class NumericRangeTest {
    private static final ReferenceBackend REF = new ReferenceBackend();
    private static final SimdBackend SIMD = new SimdBackend(BackendConfig.defaults().withThreads(2));

    @AfterAll
    static void close() {
        SIMD.close();
    }

    private static Tensor filled(float value, int b, int h, int s, int d) {
        float[] a = new float[b * h * s * d];
        Arrays.fill(a, value);
        return Tensor.bhsd(a, b, h, s, d);
    }

    /** Finding 5: V = 2e34 over 32,768 equal keys was Infinity; the exact answer is 2e34. */
    @Test
    void largeValuesOverManyKeysStayFinite() {
        for (int rows : new int[] {1, 5}) {
            int n = 32768;
            Tensor q = filled(0f, 1, 1, rows, 4), k = filled(1f, 1, 1, n, 4);
            for (float value : new float[] {2e34f, 1e38f, -3e38f}) {
                Tensor v = filled(value, 1, 1, n, 16);
                Tensor out = SIMD.attention(q, k, v, AttentionOptions.DEFAULT).output();
                for (float x : out.toArray()) {
                    assertEquals(value, x, Math.abs(value) * 1e-6, "rows " + rows + ", v = " + value);
                }
            }
        }
    }

    /** Finding 5: V = 1.1 over 262,144 equal keys gave 1.0970887; at most 1e-5 relative at 2^20 keys. */
    @Test
    void sumOverManyKeysHasBoundedError() {
        for (int rows : new int[] {1, 6}) {
            for (int n : new int[] {262144, 1 << 20}) {
                Tensor q = filled(0f, 1, 1, rows, 1), k = filled(1f, 1, 1, n, 1);
                Tensor v = filled(1.1f, 1, 1, n, 17);
                for (float x : SIMD.attention(q, k, v, AttentionOptions.DEFAULT).output().toArray()) {
                    assertEquals(1.1f, x, 1.1 * 1e-5, "rows " + rows + ", " + n + " keys");
                }
            }
        }
    }

    /** Random values and slowly growing logits (a rescale per block) over 2^20 keys, against the reference. */
    @Test
    void randomSumsOverAMillionKeysMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 1 << 20;
        for (int rows : new int[] {1, 5}) {
            float[] qa = new float[rows], ka = new float[n], va = new float[n * 3];
            for (int i = 0; i < rows; i++) qa[i] = 1f + 0.25f * i;
            for (int j = 0; j < n; j++) ka[j] = (float) (j * 4e-6 + rnd.nextDouble(-0.5, 0.5));
            for (int j = 0; j < va.length; j++) va[j] = (float) rnd.nextDouble(0.5, 2);
            Tensor q = Tensor.bhsd(qa, 1, 1, rows, 1), k = Tensor.bhsd(ka, 1, 1, n, 1), v = Tensor.bhsd(va, 1, 1, n, 3);
            AttentionOptions o = AttentionOptions.builder().scale(1).build();
            float[] want = REF.attention(q, k, v, o).output().toArray(), got = SIMD.attention(q, k, v, o).output().toArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], Math.abs(want[i]) * 1e-5, "rows " + rows + " at " + i);
            }
        }
    }

    /** Finding 6: q = 1e38 with k = +-1e-30 and scale 100 gave NaN; the exact logits are finite. */
    @Test
    void foldedScaleDoesNotOverflowFiniteLogits() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int rows : new int[] {1, 9}) {
            int n = 70, d = 8;
            Tensor q = filled(1e38f, 1, 1, rows, d);
            float[] ka = new float[n * d];
            for (int i = 0; i < ka.length; i++) ka[i] = rnd.nextBoolean() ? 1e-30f : -1e-30f;
            Tensor k = Tensor.bhsd(ka, 1, 1, n, d), v = TestInputs.tensor(rnd, 1, 1, n, 5, 1);
            for (AttentionOptions o : new AttentionOptions[] {
                    AttentionOptions.builder().scale(100).returnEnergy(true).build(),
                    AttentionOptions.builder().scale(1e-7).softcap(30).returnEnergy(true).build(),
                    AttentionOptions.builder().scale(100).softcap(1e9).causal(true).build()}) {
                var want = REF.attention(q, k, v, o);
                var got = SIMD.attention(q, k, v, o);
                for (float x : want.output().toArray()) assertTrue(Float.isFinite(x), "reference finite");
                Compare.assertClose("rows " + rows + " " + o, want.output(), got.output(), 1e-5);
                if (o.returnEnergy()) {
                    float[] we = want.energy().toArray(), ge = got.energy().toArray();
                    for (int i = 0; i < we.length; i++) assertEquals(we[i], ge[i], Math.abs(we[i]) * 1e-6 + 1e-6, "energy " + i);
                }
            }
        }
    }

    /**
     * Finding 9, the NaN rule: a NaN value at a key whose weight underflows to 0 under a -1e30 bias
     * (not masked) reaches the row, as 0 * NaN does in the reference; the same key masked by -inf
     * or by a boolean mask is skipped.
     */
    @Test
    void nanValueReachesRowsUnlessItsKeyIsMasked() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int rows : new int[] {1, 6}) {
            int n = 70, d = 8, bad = 3;
            Tensor q = TestInputs.tensor(rnd, 1, 1, rows, d, 1), k = TestInputs.tensor(rnd, 1, 1, n, d, 1);
            float[] va = TestInputs.values(rnd, n * 4, 1);
            for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                va[bad * 4 + 2] = poison;
                Tensor v = Tensor.bhsd(va, 1, 1, n, 4);
                float[] bias = new float[rows * n];
                boolean[] allowed = new boolean[rows * n];
                Arrays.fill(allowed, true);
                for (int i = 0; i < rows; i++) {
                    bias[i * n + bad] = i % 2 == 0 ? -1e30f : Float.NEGATIVE_INFINITY;
                    allowed[i * n + bad] = i % 2 != 0;
                }
                AttentionMask additive = AttentionMask.additive(bias, rows, n), bool = AttentionMask.bool(allowed, rows, n);
                for (AttentionMask mask : new AttentionMask[] {additive, bool}) {
                    AttentionOptions o = AttentionOptions.builder().mask(mask).build();
                    Tensor want = REF.attention(q, k, v, o).output(), got = SIMD.attention(q, k, v, o).output();
                    Compare.assertClose("rows " + rows + " poison " + poison + " " + mask, want, got, 1e-5);
                    if (mask == additive) {
                        assertTrue(Float.isNaN(got.get(0, 0, 0, 2)), "unmasked key with zero weight still multiplies");
                    } else {
                        assertTrue(Float.isFinite(got.get(0, 0, 0, 2)), "a masked key is skipped");
                    }
                }
            }
        }
    }

    /**
     * Finding 7, the documented float32 range: inputs with |scale| * sum_c |q_c k_c| well inside
     * Float.MAX_VALUE agree with the reference however large q and k are.
     */
    @Test
    void largeInputsInsideTheDocumentedRangeAgree() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int rows : new int[] {1, 7}) {
            int n = 50, d = 4;
            Tensor q = Tensor.bhsd(TestInputs.values(rnd, rows * d, 1e18), 1, 1, rows, d);
            Tensor k = Tensor.bhsd(TestInputs.values(rnd, n * d, 1e18), 1, 1, n, d);
            Tensor v = TestInputs.tensor(rnd, 1, 1, n, 3, 1);
            AttentionOptions o = AttentionOptions.builder().scale(1e-36).build();
            Compare.assertClose("rows " + rows, REF.attention(q, k, v, o).output(), SIMD.attention(q, k, v, o).output(), 1e-4);
        }
    }

    /**
     * Found by the property suite (seed 20261240): a subnormal q component times the scale flushed
     * to 0 in float32, and 0 * inf gave a NaN logit where the exact one is +inf; soft-capped, the
     * reference's row is finite and simd's was NaN. Folding now detects the underflow too.
     */
    @Test
    void foldedScaleDoesNotUnderflowAgainstInfiniteKeys() {
        for (int rows : new int[] {1, 6}) {
            int n = 9, d = 3;
            float[] qa = new float[rows * d], ka = new float[n * d];
            for (int i = 0; i < qa.length; i++) qa[i] = i % d == 1 ? Float.MIN_VALUE : 0.5f;
            for (int i = 0; i < ka.length; i++) ka[i] = 0.25f * (i % 5) - 0.5f;
            ka[4 * d + 1] = Float.POSITIVE_INFINITY;
            Tensor q = Tensor.bhsd(qa, 1, 1, rows, d), k = Tensor.bhsd(ka, 1, 1, n, d), v = filled(1.5f, 1, 1, n, 2);
            AttentionOptions o = AttentionOptions.builder().softcap(5).returnEnergy(true).build();
            var want = REF.attention(q, k, v, o);
            var got = SIMD.attention(q, k, v, o);
            assertEquals(5f, want.energy().get(0, 0, 0, 4), 1e-6, "the reference caps +inf");
            Compare.assertClose("rows " + rows, want.output(), got.output(), 1e-5);
            Compare.assertClose("rows " + rows + " energy", want.energy(), got.energy(), 1e-5);
        }
    }
}
