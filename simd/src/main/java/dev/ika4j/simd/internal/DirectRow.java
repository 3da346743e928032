/*
 * Copyright 2026 the ika4j authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.ika4j.simd.internal;

import dev.ika4j.api.Tensor;
import dev.ika4j.api.spi.AttentionProblem;

/**
 * Standard attention for one query row of every query head of a kv head, straight from K and V,
 * without packing: the path for decoding steps, where a kv head serves so few query rows that
 * packing it would cost more than using it. The row's logits over all visible keys are formed at once (one row, kv_seq floats),
 * so the softmax needs no running rescale; masked keys (logit -inf) are skipped, so NaN or inf
 * in a masked key's value cannot leak, while an unmasked key whose weight underflowed to 0 still
 * multiplies its value (the IEEE rule of the reference).
 */
final class DirectRow {
    private static final int TILE = PackedKeys.TILE;

    private DirectRow() {}

    /**
     * Row i of every query head of kv head kh into {@code out} (and {@code energy}); with GQA each
     * key and value row is read from memory once for all {@code group} heads and then used from
     * L1, where computing the heads one by one read the whole cache once per head. Each head's
     * operations and their order do not depend on the group, so the results are bit-identical to
     * the same heads computed as single-head problems. Scratch: q of group x dim, s of group x
     * roundUp(kv_seq, TILE), acc of group x 3 v_dim, tmp and qRow of max(dim, v_dim) floats each.
     */
    static void compute(AttentionProblem p, Tensor out, Tensor energy, float[] q, float[] s, float[] acc, float[] tmp,
                             float[] qRow, int b, int kh, int i) {
        int group = p.group();
        float[] sums = new float[group];
        boolean[] live = new boolean[group];
        int keyEnd = groupWeights(p, energy, q, s, acc, tmp, qRow, b, kh, i, sums, live);
        groupOutputs(p, out, s, acc, tmp, b, kh, i, keyEnd, sums, live);
    }

    /**
     * The first half of {@link #compute}: the group's logits, their final form, the energy and
     * the weights; returns the key end. The step is split in two methods, each too large for C2 to
     * inline into the other's caller, so that each is compiled with a node budget of its own: as
     * one method it overran NodeCountInliningCutoff and ran its dot products out of line.
     */
    private static int groupWeights(AttentionProblem p, Tensor energy, float[] q, float[] s, float[] acc, float[] tmp,
                                    float[] qRow, int b, int kh, int i, float[] sums, boolean[] live) {
        int group = p.group(), dim = p.dim(), vDim = p.vDim();
        // a band: keys past its right edge never touched, those left of it never read (LogitMask masks them)
        int keyEnd = Math.min(p.keyLimit(b, i), LogitMask.bandEnd(p, i));
        int keyStart = Math.min(LogitMask.bandStart(p, i), keyEnd);
        int width = BlockDriver.roundUp(Math.max(keyEnd, 1), TILE), acc3 = 3 * vDim;
        boolean[] exact = new boolean[group];
        for (int g = 0; g < group; g++) {
            p.q().readRow(b, kh * group + g, i, q, g * dim);
            exact[g] = ScaleFold.apply(q, g * dim, 1, dim, p.scale(), new boolean[1]);
        }

        Tensor k = p.presentKey();
        groupLogits(k, q, group, dim, b, kh, keyStart, keyEnd, s, width, tmp);

        // Per head: the logits' final form, the energy, the row max and the weights.
        for (int g = 0; g < group; g++) {
            int h = kh * group + g, off = g * width;
            if (exact[g]) ScaleFold.exactLogits(p, b, h, kh, i, keyStart, keyEnd - keyStart, s, off + keyStart, qRow, tmp);
            if (p.softcap() > 0) StandardLogits.softcap(s, off, keyEnd, p.softcap());
            LogitMask.apply(p, b, h, i, s, off, 0, width);
            if (energy != null) {
                LogitMask.writeEnergy(energy, b, h, i, 0, s, off, Math.min(width, p.kvSeq()));
                LogitMask.fillEnergyMasked(energy, b, h, i, Math.min(width, p.kvSeq()), p.kvSeq());
            }
            float max = VectorMath.maxIgnoringNaN(s, off, keyEnd);
            java.util.Arrays.fill(acc, g * acc3, g * acc3 + acc3, 0f);
            live[g] = !(max == Float.NEGATIVE_INFINITY && !hasNaN(s, off, keyEnd));
            if (live[g]) sums[g] = VectorMath.expShiftSum(s, off, keyEnd, max);
        }
        return keyEnd;
    }

    /** The second half of {@link #compute}: P.V in Kahan-summed blocks and the normalised rows. */
    private static void groupOutputs(AttentionProblem p, Tensor out, float[] s, float[] acc, float[] tmp, int b, int kh, int i,
                                     int keyEnd, float[] sums, boolean[] live) {
        int group = p.group(), vDim = p.vDim(), acc3 = 3 * vDim;
        int width = BlockDriver.roundUp(Math.max(keyEnd, 1), TILE);
        Tensor v = p.presentValue();
        // P.V in blocks: each block's sum starts from zero and is added with Kahan compensation, so the
        // summation error stays bounded however many keys; acc_g at g * 3 v_dim, its block sum and
        // compensation after it.
        for (int j0 = 0; j0 < keyEnd; j0 += VectorMath.SUM_BLOCK) {
            for (int g = 0; g < group; g++) java.util.Arrays.fill(acc, g * acc3 + vDim, g * acc3 + 2 * vDim, 0f);
            groupValues(v, group, vDim, b, kh, j0, Math.min(keyEnd, j0 + VectorMath.SUM_BLOCK), s, width, live, acc, tmp);
            for (int g = 0; g < group; g++) {
                int a0 = g * acc3, blkOff = a0 + vDim, compOff = a0 + 2 * vDim;
                for (int c = 0; c < vDim; c++) {
                    float y = acc[blkOff + c] - acc[compOff + c], t = acc[a0 + c] + y, comp = (t - acc[a0 + c]) - y;
                    acc[compOff + c] = Float.isFinite(comp) ? comp : 0f;
                    acc[a0 + c] = t;
                }
            }
        }
        for (int g = 0; g < group; g++) {
            int h = kh * group + g, a0 = g * acc3;
            if (!live[g]) {
                java.util.Arrays.fill(acc, a0, a0 + vDim, 0f);
                out.writeRow(b, h, i, acc, a0); // every key masked: zeros
                continue;
            }
            for (int c = 0; c < vDim; c++) acc[a0 + c] -= acc[a0 + 2 * vDim + c];
            if (!allFinite(acc, a0, vDim) && Float.isFinite(sums[g])) {
                exactRow(p, s, g * width, b, kh, keyEnd, acc, a0, tmp, sums[g]);
            } else {
                VectorMath.scale(acc, a0, vDim, 1f / sums[g]);
            }
            out.writeRow(b, h, i, acc, a0);
        }
    }

    /**
     * s[g * width + j] = q_g . k_j for the group's rows and the keys [keyStart, keyEnd). A method of
     * its own, like {@link #groupValues}: inside the one large method the Vector API's call trees
     * overran C2's inlining budget (NodeCountInliningCutoff), and the dot products and row updates
     * ran out of line with every vector boxed, several times slower.
     */
    private static void groupLogits(Tensor k, float[] q, int group, int dim, int b, int kh, int keyStart, int keyEnd,
                                    float[] s, int width, float[] tmp) {
        boolean kHalf = k.dtype().isHalf();
        float[] kArr = k.isHeap() && !kHalf ? k.array() : null;
        for (int j = keyStart; j < keyEnd; j++) {
            if (kHalf) {
                for (int g = 0; g < group; g++) s[g * width + j] = HalfRows.dot(q, g * dim, k, b, kh, j);
            } else if (kArr != null) {
                int ko = (int) k.offset(b, kh, j);
                for (int g = 0; g < group; g++) s[g * width + j] = VectorMath.dot(q, g * dim, kArr, ko, dim);
            } else {
                k.readRow(b, kh, j, tmp, 0);
                for (int g = 0; g < group; g++) s[g * width + j] = VectorMath.dot(q, g * dim, tmp, 0, dim);
            }
        }
    }

    /** The block sums of keys [j0, end) for every live row of the group: acc_g's block part from g * 3 v_dim + v_dim. */
    private static void groupValues(Tensor v, int group, int vDim, int b, int kh, int j0, int end, float[] s, int width,
                                    boolean[] live, float[] acc, float[] tmp) {
        int acc3 = 3 * vDim;
        boolean vHalf = v.dtype().isHalf();
        float[] vArr = v.isHeap() && !vHalf ? v.array() : null;
        for (int j = j0; j < end; j++) {
            boolean read = false;
            for (int g = 0; g < group; g++) {
                float w = s[g * width + j];
                if (!live[g] || Float.floatToRawIntBits(w) == MASKED_BITS) continue; // masked: skipped, NaN or not
                int blkOff = g * acc3 + vDim;
                if (vHalf) {
                    HalfRows.axpy(w, v, b, kh, j, acc, blkOff);
                } else if (vArr != null) {
                    VectorMath.axpy(w, vArr, (int) v.offset(b, kh, j), acc, blkOff, vDim);
                } else {
                    if (!read) v.readRow(b, kh, j, tmp, 0);
                    read = true;
                    VectorMath.axpy(w, tmp, 0, acc, blkOff, vDim);
                }
            }
        }
    }

    private static final int MASKED_BITS = 0x80000000;

    /** acc[a0..] = (sum_j w_j v_j) / sum in float64 (w at wOff), skipping masked keys (weight -0.0). */
    private static void exactRow(AttentionProblem p, float[] w, int wOff, int b, int kh, int keyEnd, float[] acc, int a0,
                                 float[] tmp, float sum) {
        int vDim = p.vDim();
        double[] d = new double[vDim];
        for (int j = 0; j < keyEnd; j++) {
            if (Float.floatToRawIntBits(w[wOff + j]) == MASKED_BITS) continue;
            p.presentValue().readRow(b, kh, j, tmp, 0);
            for (int c = 0; c < vDim; c++) d[c] += (double) w[wOff + j] * tmp[c];
        }
        for (int c = 0; c < vDim; c++) acc[a0 + c] = (float) (d[c] / sum);
    }

    private static boolean allFinite(float[] a, int off, int n) {
        for (int c = 0; c < n; c++) if (!Float.isFinite(a[off + c])) return false;
        return true;
    }

    private static boolean hasNaN(float[] s, int off, int n) {
        for (int j = 0; j < n; j++) if (Float.isNaN(s[off + j])) return true;
        return false;
    }
}
