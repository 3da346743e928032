/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.api.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ika4j.api.AttentionBackend;
import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.AttentionResult;
import dev.ika4j.api.Tensor;
import dev.ika4j.testkit.BackendContractTest;
import dev.ika4j.testkit.NaiveAttention;
import dev.ika4j.testkit.RandomInputs;
import org.junit.jupiter.api.Test;

/**
 * The reference passes the contract every backend passes, with an independent float64
 * implementation ({@link NaiveAttention}) as its oracle, and matches small cases worked out by
 * hand from the formula.
 */
class ReferenceBackendTest extends BackendContractTest {
    @Override
    protected AttentionBackend backend() {
        return new ReferenceBackend();
    }

    /** Comparing the reference with itself would prove nothing; the naive version is written separately. */
    @Override
    protected AttentionResult expected(Tensor q, Tensor k, Tensor v, AttentionOptions options) {
        return NaiveAttention.compute(q, k, v, options);
    }

    private final ReferenceBackend ref = new ReferenceBackend();

    private static Tensor t(int heads, int seq, int dim, float... values) {
        return Tensor.bhsd(values, 1, heads, seq, dim);
    }

    @Test
    void oneKeyGivesItsValue() {
        // softmax over a single key is 1, whatever q and k
        RandomInputs r = new RandomInputs(1);
        Tensor q = r.tensor(2, 3, 4, 7), k = r.tensor(2, 3, 1, 7), v = r.tensor(2, 3, 1, 5);
        Tensor out = ref.attention(q, k, v, AttentionOptions.builder().scale(2.5).build()).output();
        for (int b = 0; b < 2; b++)
            for (int h = 0; h < 3; h++)
                for (int i = 0; i < 4; i++)
                    for (int c = 0; c < 5; c++) assertEquals(v.get(b, h, 0, c), out.get(b, h, i, c));
    }

    @Test
    void twoKeysWithKnownLogits() {
        // dim 1, scale 1: logits 2 ln 3 and ln 3, so weights 9/12 and 3/12; output 0.75 * 1 + 0.25 * 5 = 2
        float ln3 = (float) Math.log(3);
        Tensor q = t(1, 1, 1, 1f), k = t(1, 2, 1, 2 * ln3, ln3), v = t(1, 2, 1, 1f, 5f);
        float y = ref.attention(q, k, v, AttentionOptions.builder().scale(1).build()).output().get(0, 0, 0, 0);
        assertEquals(2.0, y, 1e-6);
    }

    @Test
    void defaultScaleIsOneOverSqrtDim() {
        // dim 4, q = k0 = (1,1,1,1), k1 = -k0: logits +-4/2 = +-2; weights e^2, e^-2; values 1 and -1 -> tanh(2)
        Tensor q = t(1, 1, 4, 1, 1, 1, 1), k = t(1, 2, 4, 1, 1, 1, 1, -1, -1, -1, -1), v = t(1, 2, 1, 1f, -1f);
        assertEquals(Math.tanh(2), ref.attention(q, k, v).output().get(0, 0, 0, 0), 1e-6);
    }

    @Test
    void softcapBoundsTheLogits() {
        // raw logits +-100 capped by softcap 1 to +-tanh(100) = +-1: output (2e - 2/e) / (e + 1/e) = 2 tanh(1)
        Tensor q = t(1, 1, 1, 10f), k = t(1, 2, 1, 10f, -10f), v = t(1, 2, 1, 2f, -2f);
        AttentionOptions o = AttentionOptions.builder().scale(1).softcap(1).build();
        assertEquals(2 * Math.tanh(1), ref.attention(q, k, v, o).output().get(0, 0, 0, 0), 1e-6);
    }

    @Test
    void additiveMaskShiftsTheWeights() {
        // equal keys, biases 0 and ln 2: weights 1/3, 2/3; values 3 and 6 -> 5
        Tensor q = t(1, 1, 2, 0.5f, -1f), k = t(1, 2, 2, 1f, 1f, 1f, 1f), v = t(1, 2, 1, 3f, 6f);
        AttentionMask m = AttentionMask.additive(new float[] {0f, (float) Math.log(2)}, 2);
        assertEquals(5.0, ref.attention(q, k, v, AttentionOptions.builder().mask(m).build()).output().get(0, 0, 0, 0), 1e-6);
    }

    @Test
    void causalWithPastAndLengthsAveragesTheVisibleValues() {
        // all keys equal, so the output is the mean of the visible values v_j = j + 1.
        // past 2, q_seq 3: query i sees keys 0 .. 2 + i, then lengths cap that at L.
        int past = 2, qSeq = 3, kv = 3;
        float[] ones = new float[(past + kv) * 2];
        java.util.Arrays.fill(ones, 0.7f);
        Tensor q = Tensor.bhsd(new float[] {0.3f, -0.2f, 1.1f, 0.4f, -0.9f, 0.6f}, 1, 1, qSeq, 2);
        Tensor pk = Tensor.bhsd(java.util.Arrays.copyOf(ones, past * 2), 1, 1, past, 2);
        Tensor k = Tensor.bhsd(java.util.Arrays.copyOf(ones, kv * 2), 1, 1, kv, 2);
        Tensor pv = t(1, past, 1, 1f, 2f), v = t(1, kv, 1, 3f, 4f, 5f);
        for (int limit : new int[] {5, 4}) {
            AttentionOptions o = AttentionOptions.builder().causal(true).past(pk, pv).kvLengths(new int[] {limit}).build();
            Tensor out = ref.attention(q, k, v, o).output();
            for (int i = 0; i < qSeq; i++) {
                int visible = Math.min(past + i + 1, limit);
                assertEquals((visible + 1) / 2.0, out.get(0, 0, i, 0), 1e-6, "query " + i + ", limit " + limit);
            }
        }
    }

    @Test
    void shortBooleanMaskHidesTheKeysPastIt() {
        // mask [true, false] over 4 equal keys: only key 0 is visible (key 1 false, keys 2, 3 past the mask)
        Tensor q = t(1, 1, 1, 1f), k = t(1, 4, 1, 1f, 1f, 1f, 1f), v = t(1, 4, 1, 3f, 5f, 7f, 9f);
        AttentionOptions o = AttentionOptions.builder().mask(AttentionMask.bool(new boolean[] {true, false}, 2))
                .returnEnergy(true).build();
        AttentionResult r = ref.attention(q, k, v, o);
        assertEquals(3f, r.output().get(0, 0, 0, 0));
        float ninf = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new float[] {1f, ninf, ninf, ninf}, r.energy().toArray());
    }

    @Test
    void groupedQueryHeadsReadTheirKvHead() {
        // 4 query heads over 2 kv heads of one key each: heads 0, 1 read kv head 0, heads 2, 3 kv head 1
        RandomInputs r = new RandomInputs(2);
        Tensor q = r.tensor(1, 4, 2, 3), k = r.tensor(1, 2, 1, 3), v = Tensor.bhsd(new float[] {10f, 20f}, 1, 2, 1, 1);
        Tensor out = ref.attention(q, k, v).output();
        assertArrayEquals(new float[] {10, 10, 10, 10, 20, 20, 20, 20}, out.toArray());
    }

    @Test
    void energyIsTheScaledDotProduct() {
        Tensor q = t(1, 1, 2, 1f, 2f), k = t(1, 2, 2, 3f, 4f, -1f, 1.5f), v = t(1, 2, 1, 1f, 1f);
        AttentionResult r = ref.attention(q, k, v, AttentionOptions.builder().scale(0.5).returnEnergy(true).build());
        assertArrayEquals(new float[] {0.5f * 11, 0.5f * 2}, r.energy().toArray());
    }
}
