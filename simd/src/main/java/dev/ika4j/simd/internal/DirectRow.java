/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Standard attention for one query row straight from K and V, without packing: the path for
 * decoding steps, where a kv head serves so few query rows that packing it would cost more than
 * using it. The row's logits over all visible keys are formed at once (one row, kv_seq floats),
 * so the softmax needs no running rescale; masked keys (logit -inf) are skipped, so NaN or inf
 * in a masked key's value cannot leak, while an unmasked key whose weight underflowed to 0 still
 * multiplies its value (the IEEE rule of the reference).
 */
final class DirectRow {
    private static final int TILE = PackedKeys.TILE;

    private DirectRow() {}

    /**
     * Row i of (b, h) into {@code out} (and {@code energy}); q, s, acc and tmp are scratch of at
     * least dim, roundUp(kv_seq, TILE), 3 v_dim and max(dim, v_dim) floats.
     */
    static void compute(AttentionProblem p, Tensor out, Tensor energy, float[] q, float[] s, float[] acc, float[] tmp,
                        int b, int h, int kh, int i) {
        int dim = p.dim(), vDim = p.vDim();
        // a band: keys past its right edge are never touched, those left of it never read (LogitMask masks them)
        int keyEnd = Math.min(p.keyLimit(b, i), LogitMask.bandEnd(p, i));
        int keyStart = Math.min(LogitMask.bandStart(p, i), keyEnd);
        p.q().readRow(b, h, i, q, 0);
        boolean[] overflowed = new boolean[1];
        boolean exact = ScaleFold.apply(q, 0, 1, dim, p.scale(), overflowed);

        Tensor k = p.presentKey(), v = p.presentValue();
        boolean kHalf = k.dtype().isHalf();
        float[] kArr = k.isHeap() && !kHalf ? k.array() : null;
        for (int j = keyStart; j < keyEnd; j++) {
            if (kHalf) {
                s[j] = HalfRows.dot(q, 0, k, b, kh, j); // widened in registers: no float32 copy of the cache
            } else if (kArr != null) {
                s[j] = VectorMath.dot(q, 0, kArr, (int) k.offset(b, kh, j), dim);
            } else {
                k.readRow(b, kh, j, tmp, 0);
                s[j] = VectorMath.dot(q, 0, tmp, 0, dim);
            }
        }
        if (exact) ScaleFold.exactLogits(p, b, h, kh, i, keyStart, keyEnd - keyStart, s, keyStart, q, tmp); // the fold overflowed
        int width = BlockDriver.roundUp(Math.max(keyEnd, 1), TILE);
        if (p.softcap() > 0) StandardLogits.softcap(s, 0, keyEnd, p.softcap());
        LogitMask.apply(p, b, h, i, s, 0, 0, width);
        if (energy != null) {
            LogitMask.writeEnergy(energy, b, h, i, 0, s, 0, Math.min(width, p.kvSeq()));
            LogitMask.fillEnergyMasked(energy, b, h, i, Math.min(width, p.kvSeq()), p.kvSeq());
        }

        float max = VectorMath.maxIgnoringNaN(s, 0, keyEnd);
        java.util.Arrays.fill(acc, 0, vDim, 0f);
        if (max == Float.NEGATIVE_INFINITY && !hasNaN(s, keyEnd)) {
            out.writeRow(b, h, i, acc, 0); // every key masked: zeros
            return;
        }
        float sum = VectorMath.expShiftSum(s, 0, keyEnd, max);
        // P.V in blocks: each block's sum starts from zero and is added with Kahan compensation,
        // so the summation error stays bounded however many keys (blk and comp live past vDim).
        int blkOff = vDim, compOff = 2 * vDim;
        java.util.Arrays.fill(acc, compOff, compOff + vDim, 0f);
        boolean vHalf = v.dtype().isHalf();
        float[] vArr = v.isHeap() && !vHalf ? v.array() : null;
        for (int j0 = 0; j0 < keyEnd; j0 += VectorMath.SUM_BLOCK) {
            java.util.Arrays.fill(acc, blkOff, blkOff + vDim, 0f);
            for (int j = j0, end = Math.min(keyEnd, j0 + VectorMath.SUM_BLOCK); j < end; j++) {
                float w = s[j];
                if (Float.floatToRawIntBits(w) == MASKED_BITS) continue; // a masked key: skipped, NaN or not
                if (vHalf) {
                    HalfRows.axpy(w, v, b, kh, j, acc, blkOff);
                } else if (vArr != null) {
                    VectorMath.axpy(w, vArr, (int) v.offset(b, kh, j), acc, blkOff, vDim);
                } else {
                    v.readRow(b, kh, j, tmp, 0);
                    VectorMath.axpy(w, tmp, 0, acc, blkOff, vDim);
                }
            }
            for (int c = 0; c < vDim; c++) {
                float y = acc[blkOff + c] - acc[compOff + c], t = acc[c] + y, comp = (t - acc[c]) - y;
                acc[compOff + c] = Float.isFinite(comp) ? comp : 0f;
                acc[c] = t;
            }
        }
        for (int c = 0; c < vDim; c++) acc[c] -= acc[compOff + c];
        if (!allFinite(acc, vDim) && Float.isFinite(sum)) {
            // Overflow of the unnormalised sum (values near the float limit), or inf/NaN values:
            // redo it in float64, where n * max|v| cannot overflow and IEEE gives the same NaN/inf.
            exactRow(p, s, b, kh, keyEnd, acc, tmp, sum);
        } else {
            VectorMath.scale(acc, 0, vDim, 1f / sum);
        }
        out.writeRow(b, h, i, acc, 0);
    }

    private static final int MASKED_BITS = 0x80000000;

    /** acc = (sum_j w_j v_j) / sum in float64, skipping masked keys (weight -0.0). */
    private static void exactRow(AttentionProblem p, float[] w, int b, int kh, int keyEnd, float[] acc, float[] tmp, float sum) {
        int vDim = p.vDim();
        double[] d = new double[vDim];
        for (int j = 0; j < keyEnd; j++) {
            if (Float.floatToRawIntBits(w[j]) == MASKED_BITS) continue;
            p.presentValue().readRow(b, kh, j, tmp, 0);
            for (int c = 0; c < vDim; c++) d[c] += (double) w[j] * tmp[c];
        }
        for (int c = 0; c < vDim; c++) acc[c] = (float) (d[c] / sum);
    }

    private static boolean allFinite(float[] a, int n) {
        for (int c = 0; c < n; c++) if (!Float.isFinite(a[c])) return false;
        return true;
    }

    private static boolean hasNaN(float[] s, int n) {
        for (int j = 0; j < n; j++) if (Float.isNaN(s[j])) return true;
        return false;
    }
}
