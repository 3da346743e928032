/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ika4j.api.AttentionMask;
import dev.ika4j.api.AttentionOptions;
import dev.ika4j.api.DType;
import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A GQA group's single-token step computed for all its heads at once ({@link DirectRow#compute}) is
 * bit for bit the same heads computed as single-head problems (each query head with its own copy of
 * its kv head), outputs and energy, for float32 and half caches, masks, softcap, valid lengths,
 * bands and non-finite values.
 */
class DirectRowGroupTest {
    @ParameterizedTest
    @CsvSource({
        "2, 1, 1, 7, 5, 5, FLOAT32, none",
        "3, 2, 300, 64, 64, 0, FLOAT32, causal",
        "4, 1, 513, 33, 17, 0, FLOAT32, mask",
        "8, 2, 129, 128, 128, 0, FLOAT32, softcap",
        "4, 1, 257, 64, 64, 0, FLOAT16, lengths",
        "2, 1, 100, 17, 9, 0, BFLOAT16, nan",
        "4, 2, 300, 32, 32, 40, FLOAT32, band",
    })
    void matchesTheHeadByHeadStepBitForBit(int group, int kvHeads, int kv, int d, int dv, int past, DType dtype, String option) {
        SplittableRandom rnd = new SplittableRandom(group * 1000L + kv + d);
        int qHeads = group * kvHeads, b = 2, total = kv + past;
        Tensor q = tensor(rnd, b, qHeads, 1, d, DType.FLOAT32);
        Tensor k = tensor(rnd, b, kvHeads, kv, d, dtype), v = tensor(rnd, b, kvHeads, kv, dv, dtype);
        AttentionOptions.Builder o = AttentionOptions.builder().returnEnergy(true);
        if (past > 0) o.past(tensor(rnd, b, kvHeads, past, d, dtype), tensor(rnd, b, kvHeads, past, dv, dtype));
        switch (option) {
            case "causal" -> o.causal(true);
            case "mask" -> {
                boolean[] m = new boolean[b * total];
                for (int i = 0; i < m.length; i++) m[i] = rnd.nextDouble() < 0.7;
                o.mask(AttentionMask.bool(m, b, 1, 1, total));
            }
            case "softcap" -> o.softcap(5f);
            case "lengths" -> o.kvLengths(new int[] {kv / 2, 0});
            case "band" -> o.neighbourhood(dev.ika4j.api.Neighbourhood.banded(37, 5));
            case "nan" -> {
                v.set(0, 0, 3, 1, Float.NaN);
                v.set(1, 0, 5, 0, Float.POSITIVE_INFINITY);
            }
            default -> { }
        }
        AttentionOptions opts = o.build();
        AttentionProblem p = AttentionProblem.of(q, k, v, opts);
        AttentionOptions.Builder single = opts.toBuilder();
        if (past > 0) single.past(expand(opts.pastKey(), group), expand(opts.pastValue(), group));
        AttentionProblem ph = AttentionProblem.of(q, expand(k, group), expand(v, group), single.build());
        int n = BlockDriver.roundUp(Math.max(p.kvSeq(), 1), PackedKeys.TILE), wide = Math.max(d, dv);
        Tensor outG = Tensor.zerosBhsd(b, qHeads, 1, dv), outH = Tensor.zerosBhsd(b, qHeads, 1, dv);
        Tensor eG = Tensor.zerosBhsd(b, qHeads, 1, p.kvSeq()), eH = Tensor.zerosBhsd(b, qHeads, 1, p.kvSeq());
        for (int bb = 0; bb < b; bb++) {
            for (int kh = 0; kh < kvHeads; kh++) {
                DirectRow.compute(p, outG, eG, new float[group * d], new float[group * n], new float[3 * group * dv],
                        new float[wide], new float[wide], bb, kh, 0);
            }
            for (int h = 0; h < qHeads; h++) {
                DirectRow.compute(ph, outH, eH, new float[d], new float[n], new float[3 * dv], new float[wide], new float[wide],
                        bb, h, 0);
            }
        }
        assertArrayEquals(bits(outH), bits(outG), "outputs");
        assertArrayEquals(bits(eH), bits(eG), "energy");
    }

    /** Each kv head repeated {@code group} times: the single-head problem of the same query heads. */
    private static Tensor expand(Tensor t, int group) {
        int rows = t.seq() * t.dim(), heads = t.heads() * group;
        if (t.dtype() == DType.FLOAT32) {
            float[] x = t.array(), y = new float[t.batch() * heads * rows];
            for (int b = 0; b < t.batch(); b++)
                for (int h = 0; h < heads; h++) System.arraycopy(x, (b * t.heads() + h / group) * rows, y, (b * heads + h) * rows, rows);
            return Tensor.bhsd(y, t.batch(), heads, t.seq(), t.dim());
        }
        short[] x = t.shortArray(), y = new short[t.batch() * heads * rows];
        for (int b = 0; b < t.batch(); b++)
            for (int h = 0; h < heads; h++) System.arraycopy(x, (b * t.heads() + h / group) * rows, y, (b * heads + h) * rows, rows);
        return Tensor.bhsd(y, t.dtype(), t.batch(), heads, t.seq(), t.dim());
    }

    private static int[] bits(Tensor t) {
        float[] a = t.toArray();
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Float.floatToRawIntBits(a[i]);
        return r;
    }

    private static Tensor tensor(SplittableRandom rnd, int b, int h, int s, int d, DType dtype) {
        int n = b * h * s * d;
        if (dtype == DType.FLOAT32) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) rnd.nextDouble(-2, 2);
            return Tensor.bhsd(x, b, h, s, d);
        }
        short[] w = new short[n];
        for (int i = 0; i < n; i++) w[i] = dtype.narrow((float) rnd.nextDouble(-2, 2));
        return Tensor.bhsd(w, dtype, b, h, s, d);
    }
}
